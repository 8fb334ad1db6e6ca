"""A local OpenAI-compatible transcription server on 127.0.0.1 (`POST /v1/audio/transcriptions`).

It parses the multipart body as the real API does and keeps every request (fields, the file's
bytes, headers), so a test can assert what the client sent; answers come from a queue.

    with FakeTranscriptionAPI() as server:
        server.answer({"text": "今天拜访了蓝鲸"})
        OpenAICompatibleTranscriber(server.base_url, api_key="k").transcribe(pcm)
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # name → (filename, type, bytes)


class FakeTranscriptionAPI:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._answers: list[tuple[int, bytes]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def answer(self, body: dict[str, Any] | str, status: int = 200) -> None:
        raw = body.encode() if isinstance(body, str) else json.dumps(body, ensure_ascii=False).encode()
        with self._lock:
            self._answers.append((status, raw))

    def __enter__(self) -> FakeTranscriptionAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self) -> tuple[int, bytes]:
        with self._lock:
            return self._answers.pop(0) if self._answers else (500, b'{"error": "no answer queued"}')

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received = Received(self.path, {k.lower(): v for k, v in self.headers.items()})
                head = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
                for part in BytesParser(policy=HTTP).parsebytes(head + body).iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    filename = part.get_filename()
                    payload = part.get_payload(decode=True) or b""
                    if filename is not None:
                        received.files[name] = (filename, part.get_content_type(), payload)
                    else:
                        received.fields[name] = payload.decode("utf-8")
                api.requests.append(received)
                status, raw = api._next() if self.path.endswith("/audio/transcriptions") else (404, b"{}")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        return Handler
