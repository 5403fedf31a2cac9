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
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, get_type_hints

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Date,
    Numeric,
    Select,
    func,
    literal,
    or_,
    select,
    tuple_,
    union,
)
from sqlalchemy.orm import Session, selectinload

from nex_automat.domain.checks import WarningCode, check_invoice
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
from nex_automat.domain.money import HUNDRED, to_cents
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

EDITABLE_HEADER_FIELDS: tuple[str, ...] = (
    "number",
    "issue_date",
    "tax_point_date",
    "due_date",
    "currency",
    "variable_symbol",
    "constant_symbol",
    "order_reference",
    "total_net",
    "total_vat",
    "total_gross",
    "amount_due",
)
"""Header fields a reviewer may correct; the printed totals too, in case they were misread."""
EDITABLE_INVOICE_FIELDS: frozenset[str] = frozenset(EDITABLE_HEADER_FIELDS) | {
    f"{role}.{name}" for role in ("supplier", "customer") for name in PARTY_FIELDS
}
"""Paths of the header and party fields a reviewer may correct (``"supplier.ico"``)."""
_INVOICE_HINTS = get_type_hints(Invoice)
AMOUNT_INPUT_LINE_FIELDS: frozenset[str] = frozenset(
    {"quantity", "unit_price", "discount_percent", "vat_rate"}
)
"""Line fields the line's amounts are computed from: changing one recomputes them."""
CHECK_CODES: frozenset[str] = frozenset(code.value for code in WarningCode)
"""Warnings the checks give, recomputed after every edit; other warnings (OCR
suggestions, ISDOC not written) came from reading the document and are kept."""
_LINE_PATH = re.compile(r"lines\[(\d+)\](.*)")

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
    return {
        path: SourceBox(
            box["page"], box["x0"], box["top"], box["x1"], box["bottom"], bool(box.get("ocr"))
        )
        for path, box in record.provenance.items()
    }


def ocr_paths(record: InvoiceRecord) -> frozenset[str]:
    """Field paths whose box is marked as read by OCR (``"ocr": true`` beside the box)."""
    return frozenset(path for path, box in record.provenance.items() if box.get("ocr"))


def _box_json(box: SourceBox) -> dict[str, Any]:
    """A box as stored; ``"ocr"`` is written only when true, as rows stored before the flag
    existed lack it and mean the same."""
    found = {"page": box.page, "x0": box.x0, "top": box.top, "x1": box.x1, "bottom": box.bottom}
    return {**found, "ocr": True} if box.ocr else found


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
    record.edits = {}
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


def field_kind(path: str) -> type:
    """``Decimal``, ``date`` or ``str``: what a header or party field holds."""
    if "." in path:
        return str
    hint = _INVOICE_HINTS[path]
    return Decimal if hint == Decimal | None else date if hint == date | None else str


def _typed(kind: type, text: str | None) -> Any:
    if text is None or kind is str:
        return text
    return Decimal(text) if kind is Decimal else date.fromisoformat(text)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return _dec(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _canonical(kind: type, path: str, value: str | None) -> str | None:
    """``value`` checked and in its stored form; blank clears the field."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if kind is Decimal:
            parsed = Decimal(text)
            if not parsed.is_finite():
                raise InvalidOperation
            return _dec(parsed)
        if kind is date:
            return date.fromisoformat(text).isoformat()
    except (InvalidOperation, ValueError):
        raise InvalidEdit(f"{path} cannot be {value!r}") from None
    return text


def _column(path: str) -> str:
    return path.replace(".", "_")


def field_value(record: InvoiceRecord, path: str, *, edited: bool = True) -> Any:
    """A header or party field (``"number"``, ``"supplier.ico"``), the reviewer's value first."""
    if edited and path in record.edits:
        return _typed(field_kind(path), record.edits[path])
    return getattr(record, _column(path))


def _line_value(line: InvoiceLine, name: str) -> Any:
    if name not in line.edits:
        return getattr(line, name)
    value = line.edits[name]
    if value is None or name not in _DECIMAL_LINE_FIELDS:
        return value
    return Decimal(value)


def line_value(line: InvoiceLine, name: str) -> Any:
    """A line field (``quantity``, ``seller_code``, …), the reviewer's value first."""
    return _line_value(line, name)


def invoice_to_domain(record: InvoiceRecord, *, edited: bool = True) -> Invoice:
    """The domain invoice; with ``edited`` a reviewer's edits replace extracted values.

    Edited, lines a reviewer deleted are left out, added ones are in, in the reviewer's
    order; unedited, it is exactly what extraction read. ``record`` must have its lines
    loaded (as :func:`get_invoice` returns it).
    """
    read: Callable[[InvoiceLine, str], Any] = _line_value if edited else getattr
    lines = active_lines(record) if edited else [ln for ln in record.lines if not ln.added]

    def party(role: str) -> Party:
        return Party(**{n: field_value(record, f"{role}.{n}", edited=edited) for n in PARTY_FIELDS})

    return Invoice(
        document_type=DocumentType(record.document_type),
        **{name: field_value(record, name, edited=edited) for name in HEADER_FIELDS},
        supplier=party("supplier"),
        customer=party("customer"),
        lines=[Line(**{name: read(line, name) for name in LINE_FIELDS}) for line in lines],
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
    """Pass back as ``cursor`` to get the following page; ``None`` on the last page."""
    previous_cursor: str | None = None
    """Pass back as ``before`` to get the page before; ``None`` on the first page."""


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
        conditions.append(InvoiceRecord.id.in_(_text_matches(_contains(filters.text))))
    return conditions


def _text_matches(pattern: str) -> CompoundSelect:
    """Ids of invoices whose number, supplier's name or a line's description has ``pattern``.

    A union of three single-column searches rather than one ``OR``: each part can use its
    column's trigram index on PostgreSQL (migration 0004), where an ``OR`` with a
    correlated subquery makes the database test every invoice in turn.
    """
    return union(
        select(InvoiceRecord.id).where(InvoiceRecord.number.ilike(pattern, escape="\\")),
        select(InvoiceRecord.id).where(InvoiceRecord.supplier_name.ilike(pattern, escape="\\")),
        select(InvoiceLine.invoice_id).where(InvoiceLine.description.ilike(pattern, escape="\\")),
    )


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
    before: str | None = None,
) -> InvoicePage:
    """``limit`` invoices at a time in ``sort`` order, newest received first by default.

    Pages are keyed on ``(sort value, id)``, never an offset, so deep pages stay fast;
    the default order walks the ``(tenant_id, created_at, id)`` index. ``cursor`` asks for
    the page after a row, ``before`` for the page ending just before one: the same walk in
    the opposite direction, so going back costs what going forward does. The items come
    without their lines; use :func:`get_invoice` for one invoice in full.
    """
    require_tenant(session)
    order = InvoiceSort(sort)
    key = _SORT_KEYS[order][0]
    backwards = before is not None
    walk_descending = descending is not backwards
    query = select(InvoiceRecord, key.label("sort_value")).where(*_conditions(filters))
    mark = before if backwards else cursor
    if mark is not None:
        value, invoice_id = decode_cursor(mark, order, descending)
        position = tuple_(key, InvoiceRecord.id)
        after = tuple_(literal(value, key.type), invoice_id)
        query = query.where(position < after if walk_descending else position > after)
    if walk_descending:
        query = query.order_by(key.desc(), InvoiceRecord.id.desc())
    else:
        query = query.order_by(key.asc(), InvoiceRecord.id.asc())
    rows = [(row[0], row[1]) for row in session.execute(query.limit(limit + 1))]
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    if not rows:
        return InvoicePage(items=[], next_cursor=None)

    def at(row: tuple[InvoiceRecord, Any]) -> str:
        return encode_cursor(order, descending, row[1], row[0].id)

    later = more if not backwards else True
    earlier = more if backwards else mark is not None
    return InvoicePage(
        items=[record for record, _ in rows],
        next_cursor=at(rows[-1]) if later else None,
        previous_cursor=at(rows[0]) if earlier else None,
    )


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


def _touch(record: InvoiceRecord) -> None:
    """Mark a change, so a page opened before it can tell its form is out of date."""
    record.updated_at = utcnow()


def _canonical_line(field: str, value: str | None) -> str | None:
    if field not in EDITABLE_LINE_FIELDS:
        raise InvalidEdit(f"line field {field!r} cannot be edited")
    if value is None:
        return None
    if field in _DECIMAL_LINE_FIELDS:
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            raise InvalidEdit(f"{field} needs a plain decimal number, got {value!r}") from None
        if not parsed.is_finite():
            raise InvalidEdit(f"{field} needs a plain decimal number, got {value!r}")
    return value


def edit_line(
    session: Session, line: InvoiceLine, field: str, value: str | None, *, actor: str
) -> bool:
    """Set a reviewer's value for one line field; the extracted value stays beside it.

    Setting the value the line already has changes nothing and is not logged; setting
    the extracted value back removes the edit. Returns whether anything changed.
    """
    value = _canonical_line(field, value)
    old = _line_value(line, field)
    new = value if value is None or field not in _DECIMAL_LINE_FIELDS else Decimal(value)
    if new == old and (new is None) == (old is None):
        return False
    edits = {name: v for name, v in line.edits.items() if name != field}
    extracted = getattr(line, field)
    if line.added or new != extracted or (new is None) != (extracted is None):
        edits[field] = value
    line.edits = edits
    record_audit(
        session,
        entity="invoice",
        entity_id=line.invoice_id,
        action="edit_line",
        actor=actor,
        field=f"lines[{line.position}].{field}",
        old_value=_text(old),
        new_value=value,
    )
    _touch(line.invoice)
    session.flush()
    return True


def edit_field(
    session: Session, record: InvoiceRecord, path: str, value: str | None, *, actor: str
) -> bool:
    """Set a reviewer's value for a header or party field (``"supplier.ico"``).

    ``value`` is a plain decimal (``1234.5``), an ISO date or text; blank clears the
    field. The extracted value stays in its column; setting it back removes the edit.
    Returns whether anything changed.
    """
    if path not in EDITABLE_INVOICE_FIELDS:
        raise InvalidEdit(f"field {path!r} cannot be edited")
    kind = field_kind(path)
    new_text = _canonical(kind, path, value)
    old = field_value(record, path)
    new = _typed(kind, new_text)
    if new == old and (new is None) == (old is None):
        return False
    edits = {name: v for name, v in record.edits.items() if name != path}
    extracted = getattr(record, _column(path))
    if new != extracted or (new is None) != (extracted is None):
        edits[path] = new_text
    record.edits = edits
    record_audit(
        session,
        entity="invoice",
        entity_id=record.id,
        action="edit",
        actor=actor,
        field=path,
        old_value=_text(old),
        new_value=new_text,
    )
    _touch(record)
    session.flush()
    return True


def line_amounts(line: Line) -> tuple[Decimal, Decimal | None, Decimal | None] | None:
    """Net, VAT and gross of a line from its quantity, price, discount and rate.

    ``None`` without a quantity and a unit price; VAT and gross are ``None`` without a rate.
    """
    if line.quantity is None or line.unit_price is None:
        return None
    net = line.quantity * line.unit_price
    if line.discount_percent is not None:
        net *= 1 - line.discount_percent / HUNDRED
    net = to_cents(net)
    if line.vat_rate is None:
        return net, None, None
    vat = to_cents(net * line.vat_rate / HUNDRED)
    return net, vat, net + vat


def recompute_line_amounts(session: Session, line: InvoiceLine, *, actor: str) -> None:
    """After its quantity, price, discount or rate changed, the line's amounts follow."""
    amounts = line_amounts(Line(**{name: _line_value(line, name) for name in LINE_FIELDS}))
    if amounts is None:
        return
    for name, amount in zip(("net_amount", "vat_amount", "gross_amount"), amounts, strict=True):
        if amount is not None:
            edit_line(session, line, name, _dec(amount), actor=actor)


def active_lines(record: InvoiceRecord) -> list[InvoiceLine]:
    """The lines of the edited invoice in the reviewer's order; deleted ones left out."""
    kept = [line for line in record.lines if not line.deleted]
    return sorted(kept, key=lambda line: (_line_value(line, "position"), line.position))


def line_order(record: InvoiceRecord) -> list[int]:
    """Ids of :func:`active_lines`: pass to :func:`recheck` after changing lines."""
    return [line.id for line in active_lines(record)]


def _renumber(lines: list[InvoiceLine]) -> None:
    """Number the lines 1, 2, 3 … in the given order; a line at its extracted place has no edit."""
    for number, line in enumerate(lines, start=1):
        edits = {name: v for name, v in line.edits.items() if name != "position"}
        if number != line.position:
            edits["position"] = number
        if edits != line.edits:
            line.edits = edits


def _line_audit(
    session: Session,
    line: InvoiceLine,
    action: str,
    *,
    actor: str,
    old: str | None = None,
    new: str | None = None,
) -> None:
    record_audit(
        session,
        entity="invoice",
        entity_id=line.invoice_id,
        action=action,
        actor=actor,
        field=f"lines[{line.position}]",
        old_value=old,
        new_value=new,
    )


def add_line(
    session: Session,
    record: InvoiceRecord,
    values: Mapping[str, str | None],
    *,
    actor: str,
    index: int | None = None,
) -> InvoiceLine:
    """A line the document does not have, at ``index`` of the active lines (default last).

    Its values are all edits (plain decimals, as :func:`edit_line` takes them); it is
    marked ``added`` and its amounts are computed from quantity, price, discount and rate.
    """
    edits = {
        name: value
        for name, value in ((n, _canonical_line(n, v)) for n, v in values.items())
        if value is not None
    }
    position = max((line.position for line in record.lines), default=0) + 1
    line = InvoiceLine(
        tenant_id=record.tenant_id,
        invoice_id=record.id,
        position=position,
        added=True,
        edits=edits,
    )
    record.lines.append(line)
    session.flush()
    _line_audit(session, line, "add_line", actor=actor, new=edits.get("description"))
    recompute_line_amounts(session, line, actor=actor)
    lines = [existing for existing in active_lines(record) if existing is not line]
    lines.insert(len(lines) if index is None else max(0, min(index, len(lines))), line)
    _renumber(lines)
    _touch(record)
    session.flush()
    return line


def delete_line(session: Session, record: InvoiceRecord, line: InvoiceLine, *, actor: str) -> None:
    """Leave a line out of the invoice: an extracted one is kept, marked deleted."""
    _line_audit(
        session, line, "delete_line", actor=actor, old=_text(_line_value(line, "description"))
    )
    if line.added:
        record.lines.remove(line)
    else:
        line.deleted = True
    _renumber(active_lines(record))
    _touch(record)
    session.flush()


def restore_line(session: Session, record: InvoiceRecord, line: InvoiceLine, *, actor: str) -> None:
    """Bring a deleted extracted line back, at the place it had."""
    if not line.deleted:
        return
    line.deleted = False
    _line_audit(
        session, line, "restore_line", actor=actor, new=_text(_line_value(line, "description"))
    )
    _renumber(active_lines(record))
    _touch(record)
    session.flush()


def move_line(
    session: Session, record: InvoiceRecord, line: InvoiceLine, index: int, *, actor: str
) -> None:
    """Put an active line at ``index`` (0-based) of the active lines."""
    lines = active_lines(record)
    old = lines.index(line)
    index = max(0, min(index, len(lines) - 1))
    if old == index:
        return
    lines.insert(index, lines.pop(old))
    _renumber(lines)
    _line_audit(session, line, "move_line", actor=actor, old=str(old + 1), new=str(index + 1))
    _touch(record)
    session.flush()


def reorder_lines(
    session: Session, record: InvoiceRecord, ordered: list[InvoiceLine], *, actor: str
) -> None:
    """Put the active lines in the order given (each active line exactly once)."""
    lines = active_lines(record)
    if {id(line) for line in ordered} != {id(line) for line in lines} or len(ordered) != len(lines):
        raise InvalidEdit("a new order must name every line of the invoice once")
    if ordered == lines:
        return
    _renumber(ordered)
    record_audit(
        session,
        entity="invoice",
        entity_id=record.id,
        action="reorder_lines",
        actor=actor,
        field="lines",
        old_value=", ".join(str(line.position) for line in lines),
        new_value=", ".join(str(line.position) for line in ordered),
    )
    _touch(record)
    session.flush()


def _remap_line_path(path: str | None, before: list[int], after: dict[int, int]) -> str | None:
    found = None if path is None else _LINE_PATH.fullmatch(path)
    if found is None:
        return path
    old_index = int(found.group(1))
    line_id = before[old_index] if old_index < len(before) else None
    if line_id is None or line_id not in after:
        return None
    return f"lines[{after[line_id]}]{found.group(2)}"


def recheck(session: Session, record: InvoiceRecord, before: list[int]) -> list[InvoiceWarning]:
    """Run the checks again on the edited invoice and store its warnings.

    Warnings of the checks are recomputed; the others (from reading the document) are
    kept, their line paths following their line to its new place (``before`` is
    :func:`line_order` from before the changes). Returns the warnings stored.
    """
    session.flush()
    after = {line.id: index for index, line in enumerate(active_lines(record))}
    kept = [
        InvoiceWarning(w.code, w.message, _remap_line_path(w.field, before, after))
        for w in warnings_of(record)
        if w.code not in CHECK_CODES
    ]
    warnings = [*kept, *check_invoice(invoice_to_domain(record))]
    record.warnings = [_warning_json(w) for w in warnings]
    session.flush()
    return warnings
