"""A real HTTP server receiving webhooks, for the ERP hand-over tests.

It listens on loopback on a free port (``http.server`` in a thread), records every
request (headers, body, when) and answers each in turn from a script: an HTTP status
(``500``), ``"hang"`` (answer only after ``hang_seconds``, longer than the sender's
timeout) or ``"redirect"`` (a 307 to another path). When the script is used up, every
request is answered ``200``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = int | str


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    """``time.time()`` when the request arrived."""


@dataclass
class WebhookReceiver:
    script: list[Answer] = field(default_factory=list)
    hang_seconds: float = 2.0
    received: list[Received] = field(default_factory=list)
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def next_answer(self, received: Received) -> Answer:
        with self._lock:
            self.received.append(received)
            return self.script.pop(0) if self.script else 200


def _handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            received = Received(self.path, dict(self.headers.items()), body, time.time())
            answer = receiver.next_answer(received)
            if answer == "hang":
                time.sleep(receiver.hang_seconds)
                answer = 200
            try:
                if answer == "redirect":
                    self.send_response(307)
                    self.send_header("Location", "/elsewhere")
                else:
                    self.send_response(int(answer))
                text = b"ok" if answer == 200 else b"receiver says no"
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender gave up waiting: that was the point

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@contextmanager
def webhook_receiver(
    script: list[Answer] | None = None, **options: float
) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(script=list(script or []), **options)  # type: ignore[arg-type]
    server = _Server(("127.0.0.1", 0), _handler(receiver))
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
