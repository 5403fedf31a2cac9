"""Invoices: saving what extraction read, finding duplicates, listing, and the status workflow.

An invoice row is the domain :class:`Invoice` flattened column by column (parties as
``supplier_*`` / ``customer_*``; VAT recap, allowances, warnings and provenance as JSON
with amounts as decimal strings), so :func:`invoice_to_domain` gives back exactly the
invoice that was saved. Every function here needs a tenant session.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, get_type_hints

from sqlalchemy import (
    ColumnElement,
    Date,
    Numeric,
    Select,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, selectinload

from nex_automat.domain.model import (
    PARTY_FIELDS,
    AllowanceCharge,
    DocumentType,
    Invoice,
    InvoiceWarning,
    Line,
    Party,
    VatRow,
)
from nex_automat.errors import NexError
from nex_automat.extract.result import ExtractionResult, SourceBox
from nex_automat.store.audit import record_audit
from nex_automat.store.models import InvoiceLine, InvoiceRecord, InvoiceStatus
from nex_automat.store.sqltypes import as_number, utcnow
from nex_automat.store.tenancy import require_tenant

S = InvoiceStatus

HEADER_FIELDS: tuple[str, ...] = (
    "number",
    "issue_date",
    "tax_point_date",
    "due_date",
    "currency",
    "variable_symbol",
    "constant_symbol",
    "order_reference",
    "preceding_invoice",
    "buyer_reference",
    "note",
    "exchange_rate",
    "total_net",
    "total_vat",
    "total_gross",
    "rounding",
    "amount_due",
    "prepaid_amount",
)
"""Invoice attributes stored in a column of the same name."""

LINE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Line))
EDITABLE_LINE_FIELDS: frozenset[str] = frozenset(LINE_FIELDS) - {"position"}
_DECIMAL_LINE_FIELDS: frozenset[str] = frozenset(
    name for name, hint in get_type_hints(Line).items() if hint == Decimal | None
)

TRANSITIONS: dict[InvoiceStatus, frozenset[InvoiceStatus]] = {
    S.NEW: frozenset({S.NEEDS_REVIEW, S.APPROVED, S.REJECTED, S.FAILED, S.DUPLICATE}),
    S.NEEDS_REVIEW: frozenset({S.NEW, S.APPROVED, S.REJECTED, S.FAILED, S.DUPLICATE}),
    S.APPROVED: frozenset({S.EXPORTED, S.NEEDS_REVIEW, S.REJECTED}),
    S.EXPORTED: frozenset({S.NEEDS_REVIEW}),
    S.REJECTED: frozenset({S.NEEDS_REVIEW}),
    S.FAILED: frozenset({S.NEW, S.NEEDS_REVIEW, S.REJECTED}),
    S.DUPLICATE: frozenset({S.NEEDS_REVIEW, S.REJECTED}),
}
"""Which status a person or the pipeline may move an invoice to from each status."""


class InvalidStatusTransition(NexError):
    code = "invalid_status_transition"


class InvalidCursor(NexError):
    code = "invalid_cursor"


class InvalidEdit(NexError):
    code = "invalid_edit"


# ------------------------------------------------------------------- domain ⇄ JSON columns


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _undec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _vat_row_json(row: VatRow) -> dict[str, Any]:
    return {
        "rate": _dec(row.rate),
        "base": _dec(row.base),
        "vat": _dec(row.vat),
        "category": row.category,
        "exemption_reason": row.exemption_reason,
    }


def _vat_row(data: dict[str, Any]) -> VatRow:
    return VatRow(
        rate=Decimal(data["rate"]),
        base=_undec(data["base"]),
        vat=_undec(data["vat"]),
        category=data["category"],
        exemption_reason=data["exemption_reason"],
    )


def _allowance_json(item: AllowanceCharge) -> dict[str, Any]:
    return {
        "is_charge": item.is_charge,
        "amount": _dec(item.amount),
        "reason": item.reason,
        "base_amount": _dec(item.base_amount),
        "percent": _dec(item.percent),
        "vat_rate": _dec(item.vat_rate),
        "vat_category": item.vat_category,
    }


def _allowance(data: dict[str, Any]) -> AllowanceCharge:
    return AllowanceCharge(
        is_charge=data["is_charge"],
        amount=Decimal(data["amount"]),
        reason=data["reason"],
        base_amount=_undec(data["base_amount"]),
        percent=_undec(data["percent"]),
        vat_rate=_undec(data["vat_rate"]),
        vat_category=data["vat_category"],
    )


def _warning_json(warning: InvoiceWarning) -> dict[str, Any]:
    return {"code": warning.code, "message": warning.message, "field": warning.field}


def warnings_of(record: InvoiceRecord) -> list[InvoiceWarning]:
    return [InvoiceWarning(w["code"], w["message"], w.get("field")) for w in record.warnings]


def provenance_of(record: InvoiceRecord) -> dict[str, SourceBox]:
    return {path: SourceBox(**box) for path, box in record.provenance.items()}


def _box_json(box: SourceBox) -> dict[str, Any]:
    return {"page": box.page, "x0": box.x0, "top": box.top, "x1": box.x1, "bottom": box.bottom}


# ------------------------------------------------------------------------------ saving


def _fill(record: InvoiceRecord, result: ExtractionResult) -> None:
    invoice = result.invoice
    record.method = result.method
    record.template = result.template
    record.pages = result.pages
    record.document_type = str(invoice.document_type)
    for name in HEADER_FIELDS:
        setattr(record, name, getattr(invoice, name))
    for role, party in (("supplier", invoice.supplier), ("customer", invoice.customer)):
        for name in PARTY_FIELDS:
            setattr(record, f"{role}_{name}", getattr(party, name))
    record.vat_breakdown = [_vat_row_json(row) for row in invoice.vat_breakdown]
    record.allowances_charges = [_allowance_json(item) for item in invoice.allowances_charges]
    record.warnings = [_warning_json(w) for w in result.warnings]
    record.provenance = {path: _box_json(box) for path, box in result.provenance.items()}
    record.lines = [
        InvoiceLine(
            tenant_id=record.tenant_id, **{name: getattr(line, name) for name in LINE_FIELDS}
        )
        for line in invoice.lines
    ]


def _with_lines(query: Select[tuple[InvoiceRecord]]) -> Select[tuple[InvoiceRecord]]:
    return query.options(selectinload(InvoiceRecord.lines))


def save_invoice(
    session: Session,
    document_id: str,
    result: ExtractionResult,
    *,
    status: InvoiceStatus = InvoiceStatus.NEW,
    duplicate_of: str | None = None,
    actor: str = "pipeline",
) -> InvoiceRecord:
    """Store what was read from a document; saving again replaces it and keeps the id.

    Lines are replaced too, so a reviewer's line edits do not survive re-extraction; the
    audit log keeps them.
    """
    tenant_id = require_tenant(session)
    record = session.scalar(
        _with_lines(select(InvoiceRecord)).where(InvoiceRecord.document_id == document_id)
    )
    action = "reextracted"
    if record is None:
        record = InvoiceRecord(tenant_id=tenant_id, document_id=document_id, status=status)
        session.add(record)
        action = "extracted"
    old_status = record.status
    _fill(record, result)
    record.duplicate_of = duplicate_of
    now = utcnow()
    if action == "extracted" or old_status != status:
        record.status = status
        record.status_changed_by = actor
        record.status_changed_at = now
    session.flush()
    record_audit(
        session,
        entity="invoice",
        entity_id=record.id,
        action=action,
        actor=actor,
        field="status",
        old_value=None if action == "extracted" else str(old_status),
        new_value=str(status),
    )
    session.flush()
    return record


# ----------------------------------------------------------------------------- reading


def get_invoice(session: Session, invoice_id: str) -> InvoiceRecord | None:
    """The invoice with its lines loaded (in document order)."""
    return session.scalar(_with_lines(select(InvoiceRecord)).where(InvoiceRecord.id == invoice_id))


def get_invoice_for_document(session: Session, document_id: str) -> InvoiceRecord | None:
    query = _with_lines(select(InvoiceRecord)).where(InvoiceRecord.document_id == document_id)
    return session.scalar(query)


def find_duplicate_invoice(
    session: Session,
    *,
    number: str | None,
    supplier_ico: str | None,
    supplier_vat_id: str | None,
    exclude_invoice_id: str | None = None,
) -> InvoiceRecord | None:
    """The original invoice with this number from the same supplier (by IČO or VAT id).

    ``None`` when the number or both supplier ids are missing: without them two invoices
    cannot be told to be the same. Invoices marked duplicate are never the original.
    """
    same_supplier: list[ColumnElement[bool]] = []
    if supplier_ico:
        same_supplier.append(InvoiceRecord.supplier_ico == supplier_ico)
    if supplier_vat_id:
        same_supplier.append(InvoiceRecord.supplier_vat_id == supplier_vat_id)
    if not number or not same_supplier:
        return None
    query = (
        select(InvoiceRecord)
        .where(
            InvoiceRecord.number == number,
            or_(*same_supplier),
            InvoiceRecord.status != InvoiceStatus.DUPLICATE,
        )
        .order_by(InvoiceRecord.created_at, InvoiceRecord.id)
        .limit(1)
    )
    if exclude_invoice_id is not None:
        query = query.where(InvoiceRecord.id != exclude_invoice_id)
    return session.scalar(query)


def _line_value(line: InvoiceLine, name: str) -> Any:
    if name not in line.edits:
        return getattr(line, name)
    value = line.edits[name]
    if value is None or name not in _DECIMAL_LINE_FIELDS:
        return value
    return Decimal(value)


def invoice_to_domain(record: InvoiceRecord, *, edited: bool = True) -> Invoice:
    """The domain invoice; with ``edited`` a reviewer's line edits replace extracted values.

    ``record`` must have its lines loaded (as :func:`get_invoice` returns it).
    """
    read: Callable[[InvoiceLine, str], Any] = _line_value if edited else getattr
    return Invoice(
        document_type=DocumentType(record.document_type),
        **{name: getattr(record, name) for name in HEADER_FIELDS},
        supplier=Party(**{name: getattr(record, f"supplier_{name}") for name in PARTY_FIELDS}),
        customer=Party(**{name: getattr(record, f"customer_{name}") for name in PARTY_FIELDS}),
        lines=[Line(**{name: read(line, name) for name in LINE_FIELDS}) for line in record.lines],
        vat_breakdown=[_vat_row(row) for row in record.vat_breakdown],
        allowances_charges=[_allowance(item) for item in record.allowances_charges],
    )


# ----------------------------------------------------------------------------- listing


@dataclass(frozen=True, slots=True)
class InvoiceFilter:
    """Conditions that must all hold; ``None`` or empty means "any"."""

    statuses: tuple[InvoiceStatus, ...] = ()
    supplier: str | None = None
    """Part of the supplier's name, or its exact IČO or VAT id."""
    issued_from: date | None = None
    issued_to: date | None = None
    amount_min: Decimal | None = None
    """Bounds on ``total_gross``, inclusive."""
    amount_max: Decimal | None = None
    text: str | None = None
    """Part of the number, the supplier's name or any line's description."""
    has_warnings: bool | None = None
    """Only invoices with (``True``) or without (``False``) extraction warnings."""


@dataclass(frozen=True, slots=True)
class InvoicePage:
    items: list[InvoiceRecord]
    next_cursor: str | None
    """Pass back to get the following page; ``None`` on the last page."""


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(filters: InvoiceFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.statuses:
        conditions.append(InvoiceRecord.status.in_(filters.statuses))
    if filters.supplier:
        conditions.append(
            or_(
                InvoiceRecord.supplier_name.ilike(_contains(filters.supplier), escape="\\"),
                InvoiceRecord.supplier_ico == filters.supplier,
                InvoiceRecord.supplier_vat_id == filters.supplier,
            )
        )
    if filters.issued_from is not None:
        conditions.append(InvoiceRecord.issue_date >= filters.issued_from)
    if filters.issued_to is not None:
        conditions.append(InvoiceRecord.issue_date <= filters.issued_to)
    if filters.amount_min is not None:
        conditions.append(as_number(InvoiceRecord.total_gross) >= filters.amount_min)
    if filters.amount_max is not None:
        conditions.append(as_number(InvoiceRecord.total_gross) <= filters.amount_max)
    if filters.has_warnings is not None:
        count = func.json_array_length(InvoiceRecord.warnings)
        conditions.append(count > 0 if filters.has_warnings else count == 0)
    if filters.text:
        pattern = _contains(filters.text)
        in_lines = exists().where(
            InvoiceLine.invoice_id == InvoiceRecord.id,
            InvoiceLine.description.ilike(pattern, escape="\\"),
        )
        conditions.append(
            or_(
                InvoiceRecord.number.ilike(pattern, escape="\\"),
                InvoiceRecord.supplier_name.ilike(pattern, escape="\\"),
                in_lines,
            )
        )
    return conditions


class InvoiceSort(StrEnum):
    """Columns the list can be ordered by; ``received`` (newest first) is the default."""

    RECEIVED = "received"
    ISSUE_DATE = "issue_date"
    DUE_DATE = "due_date"
    NUMBER = "number"
    SUPPLIER = "supplier"
    TOTAL = "total"
    STATUS = "status"


_NO_DATE = date(1, 1, 1)
_NO_AMOUNT = Decimal("-1000000000000000")

_SORT_KEYS: dict[InvoiceSort, tuple[ColumnElement[Any], Callable[[str], Any]]] = {
    InvoiceSort.RECEIVED: (InvoiceRecord.created_at, datetime.fromisoformat),
    InvoiceSort.ISSUE_DATE: (
        func.coalesce(InvoiceRecord.issue_date, literal(_NO_DATE, Date)),
        date.fromisoformat,
    ),
    InvoiceSort.DUE_DATE: (
        func.coalesce(InvoiceRecord.due_date, literal(_NO_DATE, Date)),
        date.fromisoformat,
    ),
    InvoiceSort.NUMBER: (func.coalesce(InvoiceRecord.number, ""), str),
    InvoiceSort.SUPPLIER: (func.coalesce(func.lower(InvoiceRecord.supplier_name), ""), str),
    InvoiceSort.TOTAL: (
        func.coalesce(as_number(InvoiceRecord.total_gross), literal(_NO_AMOUNT, Numeric())),
        Decimal,
    ),
    InvoiceSort.STATUS: (InvoiceRecord.status, str),
}
"""Sort key → (SQL expression without NULLs, parser of its value in a cursor).

Missing values sort as the smallest, so the key is total and a keyset cursor of
``(value, id)`` walks every row once.
"""


def _cursor_text(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def encode_cursor(sort: InvoiceSort, descending: bool, value: Any, invoice_id: str) -> str:
    raw = json.dumps([str(sort), descending, _cursor_text(value), invoice_id])
    return base64.urlsafe_b64encode(raw.encode()).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, sort: InvoiceSort, descending: bool) -> tuple[Any, str]:
    """The sort value and id a page ended at; the cursor must come from the same ordering."""
    refused = InvalidCursor(f"not a cursor from a previous page of this list: {cursor!r}")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        key, was_descending, text, invoice_id = json.loads(raw)
        if key != str(sort) or was_descending is not descending:
            raise refused
        value = _SORT_KEYS[sort][1](text)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, InvalidOperation):
        raise refused from None
    if isinstance(value, datetime) and value.tzinfo is None:
        raise refused
    return value, str(invoice_id)


def list_invoices(
    session: Session,
    filters: InvoiceFilter,
    *,
    limit: int = 50,
    cursor: str | None = None,
    sort: InvoiceSort = InvoiceSort.RECEIVED,
    descending: bool = True,
) -> InvoicePage:
    """``limit`` invoices at a time in ``sort`` order, newest received first by default.

    Pages are keyed on ``(sort value, id)``, never an offset, so deep pages stay fast;
    the default order walks the ``(tenant_id, created_at, id)`` index. The items come
    without their lines; use :func:`get_invoice` for one invoice in full.
    """
    require_tenant(session)
    key = _SORT_KEYS[InvoiceSort(sort)][0]
    query = select(InvoiceRecord, key.label("sort_value")).where(*_conditions(filters))
    if cursor is not None:
        value, invoice_id = decode_cursor(cursor, InvoiceSort(sort), descending)
        position = tuple_(key, InvoiceRecord.id)
        after = tuple_(literal(value, key.type), invoice_id)
        query = query.where(position < after if descending else position > after)
    if descending:
        query = query.order_by(key.desc(), InvoiceRecord.id.desc())
    else:
        query = query.order_by(key.asc(), InvoiceRecord.id.asc())
    rows = [(row[0], row[1]) for row in session.execute(query.limit(limit + 1))]
    items = [record for record, _ in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last, last_value = rows[limit - 1]
        next_cursor = encode_cursor(InvoiceSort(sort), descending, last_value, last.id)
    return InvoicePage(items=items, next_cursor=next_cursor)


# -------------------------------------------------------------------- status and edits


_STAMPS: dict[InvoiceStatus, tuple[str | None, str | None]] = {
    S.APPROVED: ("approved_by", "approved_at"),
    S.REJECTED: ("rejected_by", "rejected_at"),
    S.EXPORTED: (None, "exported_at"),
}
"""Status → the columns that remember who reached it and when."""


def set_status(
    session: Session,
    record: InvoiceRecord,
    status: InvoiceStatus,
    *,
    actor: str,
    reason: str | None = None,
) -> None:
    """Move an invoice along the workflow and write the transition to the audit log."""
    old = record.status
    if status not in TRANSITIONS[old]:
        raise InvalidStatusTransition(f"an invoice cannot go from {old} to {status}")
    now = utcnow()
    record.status = status
    record.status_changed_by = actor
    record.status_changed_at = now
    by_column, at_column = _STAMPS.get(status, (None, None))
    if by_column is not None:
        setattr(record, by_column, actor)
    if at_column is not None:
        setattr(record, at_column, now)
    if status is S.REJECTED:
        record.rejected_reason = reason
    record_audit(
        session,
        entity="invoice",
        entity_id=record.id,
        action="status",
        actor=actor,
        field="status",
        old_value=str(old),
        new_value=str(status),
    )
    session.flush()


def edit_line(
    session: Session, line: InvoiceLine, field: str, value: str | None, *, actor: str
) -> None:
    """Set a reviewer's value for one line field; the extracted value stays beside it."""
    if field not in EDITABLE_LINE_FIELDS:
        raise InvalidEdit(f"line field {field!r} cannot be edited")
    if value is not None and field in _DECIMAL_LINE_FIELDS:
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            raise InvalidEdit(f"{field} needs a plain decimal number, got {value!r}") from None
        if not parsed.is_finite():
            raise InvalidEdit(f"{field} needs a plain decimal number, got {value!r}")
    old = _line_value(line, field)
    line.edits = {**line.edits, field: value}
    record_audit(
        session,
        entity="invoice",
        entity_id=line.invoice_id,
        action="edit_line",
        actor=actor,
        field=f"lines[{line.position}].{field}",
        old_value=None if old is None else (_dec(old) if isinstance(old, Decimal) else str(old)),
        new_value=value,
    )
    session.flush()
