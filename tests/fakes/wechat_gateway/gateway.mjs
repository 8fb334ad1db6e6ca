// A wechaty puppet-service gateway for tests: PuppetServer (wechaty-puppet-service) over the mock
// puppet (wechaty-puppet-mock), on 127.0.0.1, TLS off, with a token. The bot under test connects to
// it like to any puppet gateway; the test drives it through a control channel:
//
//   node gateway.mjs --port 8788 --token TOKEN [--control-port 0]
//
// On start it prints {"event": "ready", "port", "control_port", "bot"} on stdout, and exits when
// stdin closes. The control channel is a TCP server on 127.0.0.1:control_port: one JSON object a
// line each way. A client sends {"id": n, "op": ..., ...} and gets {"id": n, "ok": true, ...} or
// {"id": n, "ok": false, "error": ...}; every client also gets the events ({"event": ...}) that
// happen while it is connected. Logs go to stderr.
//
// ops:
//   contact {contact, name}                   create a mock contact (no-op when it exists)
//   room {room, topic, members: [ids]}        create a room (its id must contain "@")
//   say {from, text, to?, mentions?: [ids]}   a contact says text to the bot (or in room `to`)
//   file {from, name, base64, to?}            a contact sends a file (a ".sil" name makes it a voice message)
//   replay {message_id}                       deliver an existing message's event again
//   down                                      stop the gRPC server (connections drop)
//   up                                        start it again on the same port
//   restart {down_ms?}                        down, wait, up
//   mute {on}                                 stop answering dings (a half-open connection)
//   reset                                     server up, dings answered (a clean start for a test)
// events:
//   bot_message {message_id, to, room, text, type, file}   the bot sent something
import net from 'node:net'
import readline from 'node:readline'

import { FileBox } from 'file-box'
import { log } from 'wechaty-puppet'
import { PuppetMock, mock } from 'wechaty-puppet-mock'
import { PuppetServer } from 'wechaty-puppet-service'

const BOT_ID = 'wxid_salesbot'

function arg (name, fallback) {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback
}

const port = Number(arg('port', '8788'))
const token = arg('token', 'salesbot-test-token')
const controlPort = Number(arg('control-port', '0'))
log.level(process.env.WECHATY_LOG || 'error')

const clients = new Set()
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const broadcast = (obj) => {
  const line = JSON.stringify(obj) + '\n'
  for (const client of clients) client.write(line)
}
const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms))

const mocker = new mock.Mocker()
const puppet = new PuppetMock({ mocker })
let muted = false
const ding = puppet.ding.bind(puppet)
puppet.ding = (data) => { if (!muted) ding(data) }
let server

function serverOptions () {
  return { endpoint: `127.0.0.1:${port}`, puppet, token, tls: { disable: true } }
}

async function up () {
  if (server) return
  const next = new PuppetServer(serverOptions())
  await next.start()
  server = next
}

async function down () {
  if (!server) return
  const current = server
  server = undefined
  await current.stop()
}

function contact (id) {
  return mocker.ContactMock.load(id)
}

function conversation (id) {
  return id && id.includes('@') ? mocker.RoomMock.load(id) : contact(id || BOT_ID)
}

function lastMessageId () {
  return [...mocker.cacheMessagePayload.keys()].pop()
}

// Everything the bot account sends passes through the mock puppet as a message event.
puppet.on('message', ({ messageId }) => {
  const payload = mocker.cacheMessagePayload.get(messageId)
  if (!payload || payload.talkerId !== BOT_ID) return
  const file = mocker.cacheFileBoxPayload.get(messageId)
  broadcast({
    event: 'bot_message',
    message_id: messageId,
    to: payload.roomId || payload.listenerId,
    room: payload.roomId || null,
    text: payload.text ?? null,
    type: payload.type,
    file: file ? file.name : null,
  })
})

const ops = {
  contact ({ contact: id, name }) {
    if (!mocker.cacheContactPayload.has(id)) mocker.createContact({ id, name: name || id })
    return {}
  },
  room ({ room, topic, members }) {
    if (!mocker.cacheRoomPayload.has(room)) {
      mocker.createRoom({ id: room, topic: topic || room, memberIdList: [BOT_ID, ...(members || [])] })
    }
    return {}
  },
  say ({ from, text, to, mentions }) {
    const target = conversation(to)
    contact(from).say(text, (mentions || []).map(contact)).to(target)
    return { message_id: lastMessageId() }
  },
  file ({ from, name, base64, to }) {
    const box = FileBox.fromBase64(base64, name)
    contact(from).say(box).to(conversation(to))
    return { message_id: lastMessageId() }
  },
  replay ({ message_id: messageId }) {
    if (!mocker.cacheMessagePayload.has(messageId)) throw new Error(`no message ${messageId}`)
    puppet.emit('message', { messageId })
    return {}
  },
  async down () { await down(); return {} },
  async up () { await up(); return {} },
  mute ({ on }) {
    muted = Boolean(on)
    return {}
  },
  async reset () {
    muted = false
    await up()
    return {}
  },
  async restart ({ down_ms: downMs }) {
    await down()
    await sleep(downMs ?? 300)
    await up()
    return {}
  },
}

function serveControl (socket) {
  clients.add(socket)
  socket.setEncoding('utf8')
  const lines = readline.createInterface({ input: socket })
  let queue = Promise.resolve()
  lines.on('line', (line) => {
    if (!line.trim()) return
    queue = queue.then(async () => {
      let command
      try {
        command = JSON.parse(line)
        const op = ops[command.op]
        if (!op) throw new Error(`unknown op ${command.op}`)
        const result = { id: command.id, ok: true, ...(await op(command)) }
        socket.write(JSON.stringify(result) + '\n')
      } catch (e) {
        const error = String(e && e.message ? e.message : e)
        socket.write(JSON.stringify({ id: command?.id ?? null, ok: false, error }) + '\n')
      }
    })
  })
  socket.on('close', () => clients.delete(socket))
  socket.on('error', () => clients.delete(socket))
}

async function main () {
  await puppet.start()
  const bot = mocker.createContact({ id: BOT_ID, name: 'Salesbot' })
  mocker.login(bot)
  await up()
  const control = net.createServer(serveControl)
  await new Promise(resolve => control.listen(controlPort, '127.0.0.1', resolve))
  out({ event: 'ready', port, control_port: control.address().port, bot: BOT_ID })

  process.stdin.resume()
  process.stdin.on('end', async () => {
    control.close()
    for (const client of clients) client.destroy()
    await down()
    await puppet.stop()
    process.exit(0)
  })
}

main().catch((e) => {
  process.stderr.write(`gateway failed: ${e && e.stack ? e.stack : e}\n`)
  process.exit(1)
})
