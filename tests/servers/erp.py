"""A real HTTP server playing an ERP's JSON interface, for catalogue sync tests.

It listens on loopback on a free port (``http.server`` in a thread) and serves lists of
records in pages, in the three ways interfaces do it: a page number (``?page=&per_page=``,
records under ``data.items``, the total under ``meta.total``), an offset
(``?offset=&limit=``, records under ``items``) or a link to the next page (records under
``results``, the next page's relative URL under ``next``). ``none`` answers the whole
list as a bare JSON array. Every request must carry the API key in the header; without
it the answer is 401. A feed can be told to answer one page with 500. Numbers given as
:class:`~decimal.Decimal` are written into the JSON exactly as they read (``4.20``).
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

Style = Literal["page", "offset", "next_link", "none"]
API_KEY_HEADER = "X-Api-Key"
_NUMBER = re.compile(r'"\\u0000number:([-0-9.]+)"')


@dataclass
class Feed:
    records: list[Any]
    style: Style = "page"
    page_size: int = 2
    """Records per page when the client does not ask for a size (``next_link``)."""
    fail_page: int | None = None
    """This page (1 = the first) is answered with HTTP 500."""


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    api_key: str | None


@dataclass
class ErpServer:
    api_key: str = field(default_factory=lambda: f"erp-{secrets.token_hex(12)}")
    feeds: dict[str, Feed] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, path: str, query: dict[str, str], key: str | None) -> tuple[int, bytes]:
        self.seen.append(Seen(path, query, key))
        if key != self.api_key:
            return 401, b'{"error": "unauthorized"}'
        feed = self.feeds.get(path)
        if feed is None:
            return 404, b'{"error": "not found"}'
        page, body = _page(path, feed, query)
        if feed.fail_page == page:
            return 500, b"internal error: database connection lost"
        return 200, dumps(body)


def dumps(data: Any) -> bytes:
    """JSON with decimals written as the numbers they are, not as floats or strings."""

    def number(value: object) -> str:
        if isinstance(value, Decimal):
            return f"\0number:{value}"
        raise TypeError(type(value).__name__)

    text = json.dumps(data, default=number, ensure_ascii=False)
    return _NUMBER.sub(r"\1", text).encode("utf-8")


def _page(path: str, feed: Feed, query: dict[str, str]) -> tuple[int, Any]:
    records = feed.records
    if feed.style == "none":
        return 1, records
    if feed.style == "page":
        size = int(query.get("per_page", feed.page_size))
        number = int(query.get("page", "1"))
        chunk = records[(number - 1) * size : number * size]
        return number, {"data": {"items": chunk}, "meta": {"total": len(records)}}
    if feed.style == "offset":
        size = int(query.get("limit", feed.page_size))
        offset = int(query.get("offset", "0"))
        return offset // size + 1, {"items": records[offset : offset + size]}
    start = int(query.get("cursor", "0"))
    end = start + feed.page_size
    following = f"{path}?cursor={end}" if end < len(records) else None
    return start // feed.page_size + 1, {"results": records[start:end], "next": following}


@contextmanager
def erp_server(**feeds: Feed) -> Iterator[ErpServer]:
    """A running server with ``feeds`` by path (``products=Feed(...)`` serves ``/products``)."""
    erp = ErpServer(feeds={f"/{name}": feed for name, feed in feeds.items()})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
            status, body = erp.answer(parts.path, query, self.headers.get(API_KEY_HEADER))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    erp.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield erp
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
