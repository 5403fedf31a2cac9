"""Reading an ERP's HTTP JSON interface: its pages of records, and each record as text.

Every request carries the API key in the configured header; the key is never part of a
message, and a redirect is not followed, so the key goes to no other address than the
one configured. Numbers are read as decimals, so a price of ``4.20`` arrives as the text
``4.20`` and is checked by the same field parsers as a cell of a CSV export.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin

import httpx

from nex_automat.errors import NexError
from nex_automat.ops.catalog_sync_settings import SyncFeedSettings

EXCERPT = 200
"""Characters of an error answer's body quoted in the message."""


class FeedError(NexError):
    """The interface could not be read: no answer, an HTTP error, or not the JSON expected."""

    code = "catalog_feed"


class _Missing:
    """No such key in a record: unlike ``null``, which the record says."""


MISSING = _Missing()


def json_path(data: Any, path: str) -> Any:
    """The value at a dotted path (``prices.purchase``, ``barcodes.0``), or :data:`MISSING`."""
    value = data
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


def as_text(value: Any) -> str | None:
    """A JSON scalar as the text a spreadsheet cell would hold; ``None`` for an object or
    a list, which no catalogue field can take."""
    if value is None or value is MISSING:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | str):
        return str(value).strip()
    return None


@dataclass(frozen=True, slots=True)
class Page:
    records: list[Any]
    total: int | None
    """Records in all, when the interface tells it."""


def fetch_pages(client: httpx.Client, feed: SyncFeedSettings) -> Iterator[Page]:
    """Each page of the feed in order, as :class:`FeedError` when one cannot be read."""
    pages = feed.pagination
    if pages.style == "next_link":
        yield from _linked_pages(client, feed)
        return
    number = pages.first_page if pages.style == "page" else 0
    for _ in range(pages.max_pages):
        params: dict[str, str | int] = {}
        if pages.style != "none":
            params[pages.param] = number
            if pages.size_param:
                params[pages.size_param] = pages.size
        page = _page(feed, _get(client, feed.url, params))
        yield page
        if pages.style == "none" or not page.records:
            return
        if pages.size_param and len(page.records) < pages.size:
            return
        number += 1 if pages.style == "page" else len(page.records)
    raise FeedError(f"{feed.url} gave more than {pages.max_pages} pages (pagination.max_pages)")


def _linked_pages(client: httpx.Client, feed: SyncFeedSettings) -> Iterator[Page]:
    url = feed.url
    for _ in range(feed.pagination.max_pages):
        data = _get(client, url, {})
        yield _page(feed, data)
        link = json_path(data, feed.pagination.next_field)
        if not link or link is MISSING:
            return
        if not isinstance(link, str):
            raise FeedError(f"{url}: {feed.pagination.next_field} is not a URL")
        url = urljoin(url, link)
    raise FeedError(
        f"{feed.url} gave more than {feed.pagination.max_pages} pages (pagination.max_pages)"
    )


def _get(client: httpx.Client, url: str, params: Mapping[str, str | int]) -> Any:
    try:
        response = client.get(httpx.URL(url).copy_merge_params(dict(params)))
    except httpx.HTTPError as error:
        raise FeedError(f"{url}: no answer ({type(error).__name__}: {error})") from None
    shown = str(response.request.url)
    if response.is_redirect:
        target = response.headers.get("location", "?")
        raise FeedError(f"{shown} redirects to {target}; configure that URL instead")
    if not response.is_success:
        body = " ".join(response.text[:EXCERPT].split())
        raise FeedError(f"{shown} answered HTTP {response.status_code}: {body}")
    try:
        return json.loads(response.content, parse_float=Decimal)
    except ValueError as error:
        raise FeedError(f"{shown} did not answer JSON: {error}") from None


def _page(feed: SyncFeedSettings, data: Any) -> Page:
    records = data if feed.records is None else json_path(data, feed.records)
    if not isinstance(records, list):
        where = "the answer" if feed.records is None else f"{feed.records!r} of the answer"
        raise FeedError(f"{feed.url}: {where} is not a list of records")
    total = json_path(data, feed.total_field) if feed.total_field else None
    return Page(records, total if isinstance(total, int) and total >= 0 else None)


def record_keys(records: Sequence[Any]) -> list[str]:
    """The top-level keys of the records, first seen first: what headers are to a file."""
    keys: dict[str, None] = {}
    for record in records:
        if isinstance(record, dict):
            keys.update(dict.fromkeys(str(key) for key in record))
    return list(keys)


Cells = dict[str, str]
Problem = Callable[[str | None, str, str], None]
"""Told (field, error code, value) when a record's value cannot be read as text."""


def record_cells(record: Any, paths: Mapping[str, str], problem: Problem) -> Cells | None:
    """Field → text of one record through ``paths``; ``None`` when it has a problem."""
    if not isinstance(record, dict):
        problem(None, "not_record", json.dumps(record, default=str)[:EXCERPT])
        return None
    cells: Cells = {}
    for name, path in paths.items():
        text = as_text(json_path(record, path))
        if text is None:
            problem(name, "not_single_value", json.dumps(json_path(record, path), default=str))
            return None
        cells[name] = text
    return cells
