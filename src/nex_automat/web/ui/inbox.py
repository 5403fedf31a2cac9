"""What the inbox shows: the query in the URL, status counts, and failed documents.

The whole state of the inbox is in its URL (tab, filters, sort, page cursor), so a view
can be bookmarked, shared, and reloaded; :class:`InboxQuery` reads it leniently (a bad
amount or date is reported and ignored, never a 422) and writes links that change one
thing and keep the rest.

Counts per status come from one grouped query (plus one count of failed documents),
cached for a few seconds per tenant, so paging through 100 000 invoices never counts
them all on every page.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from nex_automat.store.invoices import InvalidCursor, InvoiceFilter, InvoiceSort
from nex_automat.store.models import Document, DocumentState, InvoiceRecord, InvoiceStatus
from nex_automat.web.ui.i18n import parse_amount

PAGE_SIZE = 50
FAILED_PAGE_SIZE = 50
COUNTS_TTL_SECONDS = 5.0

ALL_TAB = "all"
FAILED_TAB = "failed"
TABS: tuple[str, ...] = (
    ALL_TAB,
    InvoiceStatus.NEEDS_REVIEW,
    InvoiceStatus.NEW,
    InvoiceStatus.APPROVED,
    InvoiceStatus.EXPORTED,
    InvoiceStatus.REJECTED,
    FAILED_TAB,
    InvoiceStatus.DUPLICATE,
)
"""Filter tabs in display order; each is an invoice status except ``all``."""

COLUMNS: tuple[tuple[str, InvoiceSort], ...] = (
    ("column.received", InvoiceSort.RECEIVED),
    ("column.number", InvoiceSort.NUMBER),
    ("column.supplier", InvoiceSort.SUPPLIER),
    ("column.issue_date", InvoiceSort.ISSUE_DATE),
    ("column.due_date", InvoiceSort.DUE_DATE),
    ("column.total", InvoiceSort.TOTAL),
    ("column.status", InvoiceSort.STATUS),
)
"""The list's sortable columns: heading key and sort key."""

_WARNINGS = {"yes": True, "no": False}


@dataclass(frozen=True, slots=True)
class InboxQuery:
    tab: str = ALL_TAB
    text: str = ""
    supplier: str = ""
    issued_from: str = ""
    issued_to: str = ""
    amount_min: str = ""
    amount_max: str = ""
    warnings: str = ""
    sort: InvoiceSort = InvoiceSort.RECEIVED
    descending: bool = True
    cursor: str = ""
    """The page after this row (``next_cursor`` of the page before)."""
    before: str = ""
    """The page ending just before this row (``previous_cursor`` of the page after)."""
    problems: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """(catalogue key, offending value) for each filter that could not be read."""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> InboxQuery:
        def text(name: str) -> str:
            return params.get(name, "").strip()[:200]

        tab = text("status") or ALL_TAB
        sort = text("sort")
        return cls(
            tab=tab if tab in TABS else ALL_TAB,
            text=text("q"),
            supplier=text("supplier"),
            issued_from=text("from"),
            issued_to=text("to"),
            amount_min=text("min"),
            amount_max=text("max"),
            warnings=text("warnings") if text("warnings") in _WARNINGS else "",
            sort=InvoiceSort(sort) if sort in set(InvoiceSort) else InvoiceSort.RECEIVED,
            descending=text("dir") != "asc",
            cursor=text("cursor"),
            before="" if text("cursor") else text("before"),
        )

    def filters(self) -> tuple[InvoiceFilter, InboxQuery]:
        """The store's filter, and this query with the problems found while reading it."""
        problems: list[tuple[str, str]] = []

        def day(value: str) -> date | None:
            if not value:
                return None
            try:
                return date.fromisoformat(value)
            except ValueError:
                problems.append(("inbox.invalid_date", value))
                return None

        def amount(value: str) -> Decimal | None:
            if not value:
                return None
            parsed = parse_amount(value)
            if parsed is None:
                problems.append(("inbox.invalid_amount", value))
            return parsed

        statuses = () if self.tab == ALL_TAB else (InvoiceStatus(self.tab),)
        built = InvoiceFilter(
            statuses=statuses,
            supplier=self.supplier or None,
            issued_from=day(self.issued_from),
            issued_to=day(self.issued_to),
            amount_min=amount(self.amount_min),
            amount_max=amount(self.amount_max),
            text=self.text or None,
            has_warnings=_WARNINGS.get(self.warnings),
        )
        return built, replace(self, problems=tuple(problems))

    @property
    def filtered(self) -> bool:
        return any(
            (
                self.text,
                self.supplier,
                self.issued_from,
                self.issued_to,
                self.amount_min,
                self.amount_max,
                self.warnings,
            )
        )

    def params(self) -> dict[str, str]:
        """The query as URL parameters, defaults left out."""
        values = {
            "status": "" if self.tab == ALL_TAB else self.tab,
            "q": self.text,
            "supplier": self.supplier,
            "from": self.issued_from,
            "to": self.issued_to,
            "min": self.amount_min,
            "max": self.amount_max,
            "warnings": self.warnings,
            "sort": "" if self.sort is InvoiceSort.RECEIVED else str(self.sort),
            "dir": "" if self.descending else "asc",
            "cursor": self.cursor,
            "before": self.before,
        }
        return {name: value for name, value in values.items() if value}

    def link(self, **changes: object) -> str:
        """``/invoices?…`` for this query with ``changes``; any change but the cursors'
        starts again from the first page."""
        changed = replace(self, **({"cursor": "", "before": ""} | changes))  # type: ignore[arg-type]
        query = urlencode(changed.params())
        return f"/invoices?{query}" if query else "/invoices"

    def sort_link(self, sort: InvoiceSort) -> str:
        """Sorting by a column; again on the sorted column reverses it."""
        descending = not self.descending if sort is self.sort else sort is InvoiceSort.RECEIVED
        return self.link(sort=sort, descending=descending)


# ------------------------------------------------------------------------------ counts


def status_counts(session: Session) -> dict[str, int]:
    """Invoices per status and failed documents, in two grouped queries; tab → count."""
    rows = session.execute(
        select(InvoiceRecord.status, func.count()).group_by(InvoiceRecord.status)
    )
    by_status = {str(status): int(count) for status, count in rows}
    failed_documents = session.scalar(
        select(func.count()).select_from(Document).where(Document.state == DocumentState.FAILED)
    )
    counts = {tab: by_status.get(tab, 0) for tab in TABS}
    counts[ALL_TAB] = sum(by_status.values())
    counts[FAILED_TAB] = by_status.get(InvoiceStatus.FAILED, 0) + int(failed_documents or 0)
    return counts


class CountCache:
    """Per-tenant status counts, recomputed at most every ``ttl`` seconds."""

    def __init__(
        self, ttl: float = COUNTS_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, dict[str, int]]] = {}
        self._lock = threading.Lock()

    def get(self, tenant_id: str, compute: Callable[[], dict[str, int]]) -> dict[str, int]:
        now = self._clock()
        with self._lock:
            entry = self._entries.get(tenant_id)
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        counts = compute()
        with self._lock:
            self._entries[tenant_id] = (now, counts)
        return counts

    def forget(self, tenant_id: str) -> None:
        """Something changed the counts (a reprocess); the next page counts afresh."""
        with self._lock:
            self._entries.pop(tenant_id, None)


# ---------------------------------------------------------------------- failed documents


@dataclass(frozen=True, slots=True)
class FailedPage:
    items: list[Document]
    next_cursor: str | None


def _document_cursor(document: Document) -> str:
    raw = json.dumps([document.created_at.isoformat(), document.id])
    return base64.urlsafe_b64encode(raw.encode()).decode("ascii").rstrip("=")


def _after_document(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, document_id = json.loads(raw)
        created_at = datetime.fromisoformat(stamp)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise InvalidCursor(f"not a cursor from a previous page: {cursor!r}") from None
    if created_at.tzinfo is None:
        raise InvalidCursor(f"not a cursor from a previous page: {cursor!r}")
    return created_at, str(document_id)


def failed_documents(
    session: Session, *, limit: int = FAILED_PAGE_SIZE, cursor: str | None = None
) -> FailedPage:
    """Documents that could not be processed, newest first, keyed on ``(created_at, id)``."""
    query = select(Document).where(Document.state == DocumentState.FAILED)
    if cursor:
        created_at, document_id = _after_document(cursor)
        query = query.where(tuple_(Document.created_at, Document.id) < (created_at, document_id))
    query = query.order_by(Document.created_at.desc(), Document.id.desc()).limit(limit + 1)
    rows = list(session.scalars(query))
    items = rows[:limit]
    next_cursor = _document_cursor(items[-1]) if len(rows) > limit else None
    return FailedPage(items=items, next_cursor=next_cursor)
