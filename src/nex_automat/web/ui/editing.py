"""A reviewer's corrections as the invoice form sends them: read, checked, then applied.

The form names its inputs by what they change:

- ``f.<path>`` — a header or party field (``f.number``, ``f.supplier.ico``);
- ``l.<key>.<field>`` — a line field, ``<key>`` the line's id or ``n1``, ``n2`` … for a
  line added in the page;
- ``order`` — the keys of the invoice's lines in the order wanted, comma-separated;
  ``deleted`` — the keys of lines deleted; ``restore`` — the key of a deleted line to
  bring back (the value of the button that asks for it);
- ``revision`` — when the invoice last changed as the page saw it: a form sent from a page
  older than someone else's change is refused rather than overwriting it.

Numbers are read in either language's style (:func:`~nex_automat.web.ui.i18n.parse_amount`),
dates as ISO (what ``<input type="date">`` sends). Nothing is applied unless every value
is valid; then each change goes through the store, which writes it to the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from nex_automat.store.invoices import (
    AMOUNT_INPUT_LINE_FIELDS,
    EDITABLE_HEADER_FIELDS,
    PARTY_FIELDS,
    InvoiceLine,
    add_line,
    delete_line,
    edit_field,
    edit_line,
    field_kind,
    line_order,
    recheck,
    recompute_line_amounts,
    reorder_lines,
    restore_line,
)
from nex_automat.store.models import InvoiceRecord
from nex_automat.web.ui.i18n import parse_amount

FORM_PARTY_FIELDS: tuple[str, ...] = tuple(name for name in PARTY_FIELDS if name != "bic")
EDITED_LINE_FIELDS: tuple[str, ...] = (
    "description",
    "quantity",
    "unit",
    "unit_price",
    "discount_percent",
    "vat_rate",
)
"""Line fields the page lets a reviewer change; the amounts follow from them."""
_NUMBER_LINE_FIELDS = frozenset({"quantity", "unit_price", "discount_percent", "vat_rate"})
FORM_FIELD_PATHS: tuple[str, ...] = EDITABLE_HEADER_FIELDS + tuple(
    f"{role}.{name}" for role in ("supplier", "customer") for name in FORM_PARTY_FIELDS
)
NEW_LINE_PREFIX = "n"


class StaleForm(Exception):
    """The invoice changed after the page was opened."""


@dataclass
class Corrections:
    """What one form asks for, with every value already in the store's plain form."""

    fields: dict[str, str | None] = field(default_factory=dict)
    lines: dict[str, dict[str, str | None]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    """Input name → catalogue key of what is wrong with it."""


def _number(text: str) -> tuple[str | None, bool]:
    if not text.strip():
        return None, True
    parsed = parse_amount(text)
    return (None, False) if parsed is None else (format(parsed, "f"), True)


def _date(text: str) -> tuple[str | None, bool]:
    if not text.strip():
        return None, True
    try:
        return date.fromisoformat(text.strip()).isoformat(), True
    except ValueError:
        return None, False


def _text(text: str) -> tuple[str | None, bool]:
    return (text.strip() or None), True


def _read(kind: type, text: str) -> tuple[str | None, bool]:
    reader = _number if kind is Decimal else _date if kind is date else _text
    return reader(text)


def _keys(text: str) -> list[str]:
    return [key for key in (part.strip() for part in text.split(",")) if key]


def read_form(form: Mapping[str, str]) -> Corrections:
    """The corrections a form asks for; values that cannot be read are listed in ``errors``."""
    corrections = Corrections(
        order=_keys(form.get("order", "")),
        deleted=_keys(form.get("deleted", "")),
        restored=_keys(form.get("restore", "")),
    )
    for path in FORM_FIELD_PATHS:
        name = f"f.{path}"
        if name in form:
            value, ok = _read(field_kind(path), form[name])
            if ok:
                corrections.fields[path] = value
            else:
                corrections.errors[name] = (
                    "edit.invalid_date" if field_kind(path) is date else "edit.invalid_number"
                )
    for key in dict.fromkeys(corrections.order + corrections.deleted):
        values: dict[str, str | None] = {}
        for line_field in EDITED_LINE_FIELDS:
            name = f"l.{key}.{line_field}"
            if name not in form:
                continue
            kind = Decimal if line_field in _NUMBER_LINE_FIELDS else str
            value, ok = _read(kind, form[name])
            if ok:
                values[line_field] = value
            else:
                corrections.errors[name] = "edit.invalid_number"
        corrections.lines[key] = values
    return corrections


def _line_of(record: InvoiceRecord, key: str) -> InvoiceLine | None:
    return next((line for line in record.lines if str(line.id) == key), None)


def apply_corrections(
    session: Session, record: InvoiceRecord, corrections: Corrections, *, actor: str, revision: str
) -> None:
    """Apply what the form asks for, then check the invoice again and store its warnings."""
    if revision != record.updated_at.isoformat():
        raise StaleForm()
    before = line_order(record)
    for path, value in corrections.fields.items():
        edit_field(session, record, path, value, actor=actor)
    for key in corrections.deleted:
        line = _line_of(record, key)
        if line is not None and not line.deleted:
            delete_line(session, record, line, actor=actor)
    for key in corrections.restored:
        line = _line_of(record, key)
        if line is not None and line.deleted:
            restore_line(session, record, line, actor=actor)
    ordered: list[InvoiceLine] = []
    for key in corrections.order:
        values = corrections.lines.get(key, {})
        if key.startswith(NEW_LINE_PREFIX):
            if any(v is not None for v in values.values()):
                ordered.append(add_line(session, record, values, actor=actor))
            continue
        line = _line_of(record, key)
        if line is None:
            continue
        if line.deleted:
            restore_line(session, record, line, actor=actor)
        changed = {
            name
            for name, value in values.items()
            if edit_line(session, line, name, value, actor=actor)
        }
        if changed & AMOUNT_INPUT_LINE_FIELDS:
            recompute_line_amounts(session, line, actor=actor)
        ordered.append(line)
    present = {id(line) for line in ordered}
    ordered += [line for line in record.lines if not line.deleted and id(line) not in present]
    reorder_lines(session, record, ordered, actor=actor)
    recheck(session, record, before)
