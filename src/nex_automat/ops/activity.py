"""What happened to one tenant's documents and invoices: the numbers mail reports.

Each function reads in the caller's tenant session, so it sees that tenant's rows only.
Counts over a period take moments stamped on the rows (``created_at``, ``approved_at``,
``exported_at``, the time a document reached its final state); "waiting for review" is
how many wait now, not how many arrived. Lists are capped, with the full count beside
them, so a bad day cannot make a mail of thousands of lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from nex_automat.store.models import Document, DocumentState, InvoiceRecord, InvoiceStatus

LIST_LIMIT = 20

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Period:
    """From ``start`` (included) to ``end`` (excluded)."""

    start: datetime
    end: datetime

    def holds(self, column: ColumnElement[datetime | None]) -> ColumnElement[bool]:
        return (column >= self.start) & (column < self.end)


@dataclass(frozen=True, slots=True)
class Activity:
    received: int
    processed: int
    needs_review: int
    approved: int
    exported: int
    failed: int


@dataclass(frozen=True, slots=True)
class WaitingInvoice:
    id: str
    number: str | None
    supplier: str | None
    total: Decimal | None
    currency: str | None
    waiting_since: datetime


@dataclass(frozen=True, slots=True)
class FailedDocument:
    id: str
    filename: str | None
    code: str | None
    message: str | None
    failed_at: datetime


@dataclass(frozen=True, slots=True)
class Capped(Generic[T]):
    """The first :data:`LIST_LIMIT` items, and how many there are in all."""

    items: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True, slots=True)
class Failures:
    documents: Capped[FailedDocument]
    by_code: tuple[tuple[str, int], ...]
    """Error code and count, the most frequent first."""


def activity(session: Session, period: Period) -> Activity:
    """Counts of the period, and how many invoices wait for review now."""

    def documents(*conditions: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).select_from(Document).where(*conditions)) or 0

    def invoices(*conditions: ColumnElement[bool]) -> int:
        query = select(func.count()).select_from(InvoiceRecord).where(*conditions)
        return session.scalar(query) or 0

    return Activity(
        received=documents(period.holds(Document.created_at)),
        processed=documents(
            Document.state == DocumentState.PROCESSED, period.holds(Document.updated_at)
        ),
        needs_review=invoices(InvoiceRecord.status == InvoiceStatus.NEEDS_REVIEW),
        approved=invoices(period.holds(InvoiceRecord.approved_at)),
        exported=invoices(period.holds(InvoiceRecord.exported_at)),
        failed=documents(Document.state == DocumentState.FAILED, period.holds(Document.updated_at)),
    )


def _waiting_since() -> ColumnElement[datetime]:
    return func.coalesce(InvoiceRecord.status_changed_at, InvoiceRecord.created_at)


def waiting_for_review(
    session: Session, *, since_before: datetime | None = None
) -> Capped[WaitingInvoice]:
    """Invoices needing review, the longest waiting first; with ``since_before``, only
    those waiting since before it."""
    since = _waiting_since()
    conditions = [InvoiceRecord.status == InvoiceStatus.NEEDS_REVIEW]
    if since_before is not None:
        conditions.append(since < since_before)
    total = session.scalar(select(func.count()).select_from(InvoiceRecord).where(*conditions))
    rows = session.execute(
        select(
            InvoiceRecord.id,
            InvoiceRecord.number,
            InvoiceRecord.supplier_name,
            InvoiceRecord.total_gross,
            InvoiceRecord.currency,
            since,
        )
        .where(*conditions)
        .order_by(since, InvoiceRecord.id)
        .limit(LIST_LIMIT)
    )
    items = tuple(WaitingInvoice(*row) for row in rows)
    return Capped(items, total or 0)


def failures(session: Session, period: Period) -> Failures:
    """Documents that ended failed within the period, the latest first, and their codes."""
    failed = (Document.state == DocumentState.FAILED, period.holds(Document.updated_at))
    codes = Counter(
        {
            code or "": count
            for code, count in session.execute(
                select(Document.error_code, func.count())
                .where(*failed)
                .group_by(Document.error_code)
            )
        }
    )
    rows = session.execute(
        select(
            Document.id,
            Document.filename,
            Document.error_code,
            Document.error_message,
            Document.updated_at,
        )
        .where(*failed)
        .order_by(Document.updated_at.desc(), Document.id)
        .limit(LIST_LIMIT)
    )
    documents = Capped(tuple(FailedDocument(*row) for row in rows), codes.total())
    by_code = tuple(sorted(codes.items(), key=lambda item: (-item[1], item[0])))
    return Failures(documents, by_code)
