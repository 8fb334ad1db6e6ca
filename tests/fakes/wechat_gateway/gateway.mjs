// A wechaty puppet-service gateway for tests: PuppetServer (wechaty-puppet-service) over the mock
// puppet (wechaty-puppet-mock), on 127.0.0.1, TLS off, with a token. The bot under test connects to
// it like to any puppet gateway; the test drives it through a control channel:
//
//   node gateway.mjs --port 8788 --token TOKEN
//
// stdin: one JSON command a line, {"id": n, "op": ..., ...}; stdout: one JSON object a line, either
// the answer to a command ({"id": n, "ok": true, ...} or {"id": n, "ok": false, "error": ...}) or an
// event ({"event": ...}). Logs go to stderr. The gateway exits when stdin closes.
//
// ops:
//   contact {contact, name}                   create a mock contact (no-op when it exists)
//   room {room, topic, members: [ids]}        create a room (its id must contain "@")
//   say {from, text, to?, mentions?: [ids]}   a contact says text to the bot (or in room `to`)
//   file {from, name, base64, to?}            a contact sends a file (".silk" makes a voice message)
//   replay {message_id}                       deliver an existing message's event again
//   down                                      stop the gRPC server (connections drop)
//   up                                        start it again on the same port
//   restart {down_ms?}                        down, wait, up
// events:
//   ready {port, bot}                         the server listens and the bot account is logged in
//   bot_message {message_id, to, room, text, type, file}   the bot sent something
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
log.level(process.env.WECHATY_LOG || 'error')

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms))

const mocker = new mock.Mocker()
const puppet = new PuppetMock({ mocker })
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
  out({
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
  async restart ({ down_ms: downMs }) {
    await down()
    await sleep(downMs ?? 300)
    await up()
    return {}
  },
}

async function main () {
  await puppet.start()
  const bot = mocker.createContact({ id: BOT_ID, name: 'Salesbot' })
  mocker.login(bot)
  await up()
  out({ event: 'ready', port, bot: BOT_ID })

  const lines = readline.createInterface({ input: process.stdin })
  let queue = Promise.resolve()
  lines.on('line', (line) => {
    if (!line.trim()) return
    queue = queue.then(async () => {
      let command
      try {
        command = JSON.parse(line)
        const op = ops[command.op]
        if (!op) throw new Error(`unknown op ${command.op}`)
        out({ id: command.id, ok: true, ...(await op(command)) })
      } catch (e) {
        out({ id: command?.id ?? null, ok: false, error: String(e && e.message ? e.message : e) })
      }
    })
  })
  lines.on('close', async () => {
    await queue
    await down()
    await puppet.stop()
    process.exit(0)
  })
}

main().catch((e) => {
  process.stderr.write(`gateway failed: ${e && e.stack ? e.stack : e}\n`)
  process.exit(1)
})
