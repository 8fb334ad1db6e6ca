"""A local OpenAI-compatible chat-completions server on 127.0.0.1, for the real `langchain-openai`
client (`ChatOpenAI` through `init_chat_model` with `base_url`).

It answers `POST /v1/chat/completions` from a queue the test fills, in the wire format of the
OpenAI API (recorded bodies live in tests/intents/llm/recorded/), and keeps every request body it
received, so a test can assert what the client sent (the tool schemas, the repair messages).
An answer may be delayed (to trigger the client's timeout) or be an HTTP error.

    with FakeOpenAI() as server:
        server.answer(recorded("visit_call"))
        settings = Settings(llm_model="gpt-4o-mini", llm_base_url=server.base_url, ...)
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).resolve().parent.parent / "intents" / "llm" / "recorded"
_ids = itertools.count(1)


def recorded(name: str) -> dict[str, Any]:
    """A recorded chat.completion body from tests/intents/llm/recorded/NAME.json."""
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


def completion(calls: list[tuple[str, Any]] = (), *, content: str | None = None, model: str = "gpt-4o-mini",
               prompt_tokens: int = 1000, completion_tokens: int = 50) -> dict[str, Any]:
    """A chat.completion body with `calls` as tool calls: (name, args) where args is a dict or a
    raw string (to send arguments that are not valid JSON)."""
    n = next(_ids)
    tool_calls = [{"id": f"call_{n}_{i}", "type": "function",
                   "function": {"name": name, "arguments": args if isinstance(args, str)
                                else json.dumps(args, ensure_ascii=False)}}
                  for i, (name, args) in enumerate(calls)]
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {"id": f"chatcmpl-fake{n}", "object": "chat.completion", "created": 1764036000, "model": model,
            "choices": [{"index": 0, "message": message, "logprobs": None,
                         "finish_reason": "tool_calls" if tool_calls else "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
            "system_fingerprint": "fp_fake"}


@dataclass
class Answer:
    body: dict[str, Any]
    status: int = 200
    delay_s: float = 0.0


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def answer(self, body: dict[str, Any], *, status: int = 200, delay_s: float = 0.0) -> None:
        with self._lock:
            self._answers.append(Answer(body, status, delay_s))

    def fail(self, status: int = 500, message: str = "The server had an error") -> None:
        self.answer({"error": {"message": message, "type": "server_error", "code": None}}, status=status)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> Answer:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            if not self._answers:
                return Answer({"error": {"message": "no answer queued", "type": "test_error"}}, status=599)
            return self._answers.pop(0)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                answer = server._next(json.loads(raw or b"{}"), {k.lower(): v for k, v in self.headers.items()})
                deadline = time.monotonic() + answer.delay_s
                while time.monotonic() < deadline and not server._stop.is_set():
                    time.sleep(0.02)
                self._send(answer.status, answer.body)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        return Handler
