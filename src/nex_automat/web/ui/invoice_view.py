"""What the invoice page shows, gathered from the stored invoice for its template.

Every field comes with its extracted value beside the reviewer's, the warnings that name
it and the box on the page it was read from, as percentages of the page so the template
can lay a highlight over the picture. Provenance paths count the *extracted* lines
(``lines[0]`` is the first line read); warnings count the lines of the *edited* invoice,
as the checks saw it. Both are resolved here, so the template deals in lines only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from nex_automat.domain.model import InvoiceWarning
from nex_automat.domain.money import HUNDRED, to_cents
from nex_automat.extract.result import SourceBox
from nex_automat.store.invoices import (
    EDITABLE_HEADER_FIELDS,
    active_lines,
    field_kind,
    field_value,
    ocr_paths,
    provenance_of,
    warnings_of,
)
from nex_automat.store.models import AuditEntry, InvoiceLine, InvoiceRecord
from nex_automat.web.ui.editing import EDITED_LINE_FIELDS, FORM_PARTY_FIELDS
from nex_automat.web.ui.i18n import CATALOGUES, NUMBER_STYLES, Locale, language_or_default
from nex_automat.web.ui.page_images import PageSize
from nex_automat.web.ui.workflow import BLOCKING_CODES

HEADER_GROUP: tuple[str, ...] = tuple(
    name for name in EDITABLE_HEADER_FIELDS if not name.startswith(("total_", "amount_"))
)
TOTAL_GROUP: tuple[str, ...] = ("total_net", "total_vat", "total_gross", "amount_due")
LINE_AMOUNT_FIELDS: tuple[str, ...] = ("net_amount", "vat_amount", "gross_amount")
_DECIMAL_LINE_FIELDS = frozenset(
    {"quantity", "unit_price", "discount_percent", "vat_rate", *LINE_AMOUNT_FIELDS}
)
_LINE_PATH = re.compile(r"lines\[(\d+)\]\.?(.*)")


@dataclass(frozen=True, slots=True)
class BoxView:
    """A highlight over page ``page`` (1-based); position and size in % of the page."""

    page: int
    left: float
    top: float
    width: float
    height: float
    ocr: bool

    @property
    def data(self) -> str:
        """The box as the page's script reads it from ``data-box``."""
        return f"{self.page};{self.left:.3f};{self.top:.3f};{self.width:.3f};{self.height:.3f}"


@dataclass(slots=True)
class Cell:
    """One value of the invoice as the page shows and edits it."""

    name: str
    """The form input's name."""
    kind: str
    """``text``, ``number`` or ``date``."""
    value: str
    """For the input: numbers in the reader's style without grouping, dates ISO."""
    shown: str
    """The current value as read on screen."""
    extracted: str
    edited: bool
    box: BoxView | None = None
    warnings: list[InvoiceWarning] = field(default_factory=list)
    error: str | None = None


@dataclass(slots=True)
class LineView:
    key: str
    number: int
    added: bool
    deleted: bool
    cells: dict[str, Cell]
    amounts: dict[str, Cell]
    warnings: list[InvoiceWarning] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RecapRow:
    rate: Decimal
    printed_base: Decimal | None
    printed_vat: Decimal | None
    base: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True)
class AuditView:
    at: str
    actor: str
    action: str
    what: str
    old: str
    new: str


def input_number(value: Decimal | None, language: str) -> str:
    """A number as typed in an input: every decimal it has, the locale's mark, no grouping."""
    if value is None:
        return ""
    return format(value, "f").replace(".", NUMBER_STYLES[language_or_default(language)].decimal)


def _box(box: SourceBox | None, ocr: bool, sizes: list[PageSize]) -> BoxView | None:
    if box is None or not 0 <= box.page < len(sizes):
        return None
    size = sizes[box.page]
    return BoxView(
        page=box.page + 1,
        left=100 * box.x0 / size.width,
        top=100 * box.top / size.height,
        width=100 * (box.x1 - box.x0) / size.width,
        height=100 * (box.bottom - box.top) / size.height,
        ocr=ocr,
    )


class _Context:
    """Provenance, OCR marks and warnings of one invoice, looked up by field path."""

    def __init__(self, record: InvoiceRecord, sizes: list[PageSize], locale: Locale) -> None:
        self.boxes = provenance_of(record)
        self.ocr = ocr_paths(record)
        self.sizes = sizes
        self.locale = locale
        self.warnings: dict[str, list[InvoiceWarning]] = defaultdict(list)
        for warning in warnings_of(record):
            self.warnings[warning.field or ""].append(warning)

    def box(self, path: str | None) -> BoxView | None:
        if path is None:
            return None
        return _box(self.boxes.get(path), path in self.ocr, self.sizes)

    def shown(self, value: Any) -> str:
        return self.locale.value(value) if not isinstance(value, Decimal) else self._num(value)

    def _num(self, value: Decimal) -> str:
        return self.locale.number(value)

    def input(self, kind: type, value: Any) -> str:
        if value is None:
            return ""
        if kind is Decimal:
            return input_number(value, self.locale.language)
        if kind is date:
            return value.isoformat()
        return str(value)


def _kind_name(kind: type) -> str:
    return "number" if kind is Decimal else "date" if kind is date else "text"


def field_cells(record: InvoiceRecord, context: _Context) -> dict[str, Cell]:
    """Header and party fields by path."""
    paths = [*HEADER_GROUP, *TOTAL_GROUP] + [
        f"{role}.{name}" for role in ("supplier", "customer") for name in FORM_PARTY_FIELDS
    ]
    cells: dict[str, Cell] = {}
    for path in paths:
        kind = field_kind(path)
        value = field_value(record, path)
        extracted = field_value(record, path, edited=False)
        cells[path] = Cell(
            name=f"f.{path}",
            kind=_kind_name(kind),
            value=context.input(kind, value),
            shown=context.shown(value),
            extracted=context.shown(extracted),
            edited=path in record.edits,
            box=context.box(path),
            warnings=context.warnings.get(path, []),
        )
    return cells


def _line_value(line: InvoiceLine, name: str) -> Any:
    if name not in line.edits:
        return getattr(line, name)
    value = line.edits[name]
    return Decimal(value) if value is not None and name in _DECIMAL_LINE_FIELDS else value


def _line_cell(
    line: InvoiceLine, name: str, key: str, extracted_index: int | None, context: _Context
) -> Cell:
    kind = Decimal if name in _DECIMAL_LINE_FIELDS else str
    value = _line_value(line, name)
    path = None if extracted_index is None else f"lines[{extracted_index}].{name}"
    return Cell(
        name=f"l.{key}.{name}",
        kind=_kind_name(kind),
        value=context.input(kind, value),
        shown=context.shown(value),
        extracted="" if line.added else context.shown(getattr(line, name)),
        edited=name in line.edits and not line.added,
        box=context.box(path),
    )


def line_views(record: InvoiceRecord, context: _Context) -> tuple[list[LineView], list[LineView]]:
    """The active lines in order, and the deleted ones."""
    extracted = [line for line in record.lines if not line.added]
    extracted_index = {id(line): index for index, line in enumerate(extracted)}

    def view(line: InvoiceLine, number: int, warnings_index: int | None) -> LineView:
        key = str(line.id)
        index = extracted_index.get(id(line))
        cells = {n: _line_cell(line, n, key, index, context) for n in EDITED_LINE_FIELDS}
        amounts = {n: _line_cell(line, n, key, index, context) for n in LINE_AMOUNT_FIELDS}
        warnings: list[InvoiceWarning] = []
        if warnings_index is not None:
            for path, found in context.warnings.items():
                matched = _LINE_PATH.fullmatch(path)
                if matched is None or int(matched.group(1)) != warnings_index:
                    continue
                target = cells.get(matched.group(2)) or amounts.get(matched.group(2))
                if target is not None:
                    target.warnings.extend(found)
                else:
                    warnings.extend(found)
        return LineView(key, number, line.added, line.deleted, cells, amounts, warnings)

    active = [view(line, i + 1, i) for i, line in enumerate(active_lines(record))]
    deleted = [view(line, line.position, None) for line in record.lines if line.deleted]
    return active, deleted


def vat_recap(record: InvoiceRecord, lines: list[InvoiceLine]) -> list[RecapRow]:
    """The printed recap beside the one the lines give, rate by rate."""
    bases: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        net, rate = _line_value(line, "net_amount"), _line_value(line, "vat_rate")
        if net is not None and rate is not None:
            bases[rate.normalize()] += net
    printed = {Decimal(row["rate"]).normalize(): row for row in record.vat_breakdown}
    rows = []
    for rate in sorted(set(bases) | set(printed)):
        row = printed.get(rate, {})
        base = bases.get(rate, Decimal("0.00"))
        rows.append(
            RecapRow(
                rate=rate,
                printed_base=_decimal(row.get("base")),
                printed_vat=_decimal(row.get("vat")),
                base=base,
                vat=to_cents(base * rate / HUNDRED),
            )
        )
    return rows


def _decimal(text: str | None) -> Decimal | None:
    try:
        return None if text is None else Decimal(text)
    except InvalidOperation:
        return None


_ROLES = ("supplier", "customer")


def describe_path(path: str | None, locale: Locale, *, line_base: int = 1) -> str:
    """A field path in words: ``supplier.ico`` → "Dodávateľ · IČO".

    The audit log names lines by their number (``line_base`` 1), warnings by their index
    in the list (``line_base`` 0).
    """
    if not path:
        return ""
    matched = _LINE_PATH.fullmatch(path)
    if matched is not None:
        line = locale.t("audit.line", number=int(matched.group(1)) + 1 - line_base)
        name = matched.group(2)
        return f"{line} · {_label('line.' + name, name, locale)}" if name else line
    if path == "lines":
        return locale.t("invoice.lines")
    if path == "status":
        return locale.t("field.status")
    role, _, name = path.partition(".")
    if role in _ROLES and name:
        return f"{locale.t('invoice.' + role)} · {_label('field.' + name, name, locale)}"
    return _label("field." + path.split("[")[0], path, locale)


def _label(key: str, fallback: str, locale: Locale) -> str:
    return locale.t(key) if key in CATALOGUES[locale.language] else fallback


def warning_text(warning: InvoiceWarning, locale: Locale) -> str:
    """The warning in the reader's language when its code is known, with its details."""
    key = f"warning.{warning.code}"
    if key not in CATALOGUES[locale.language]:
        return warning.message
    return f"{locale.t(key)} {warning.message}"


def _audit_value(path: str | None, text: str | None, locale: Locale) -> str:
    if text is None:
        return ""
    if path == "status":
        return locale.t("status." + text)
    name = path or ""
    matched = _LINE_PATH.fullmatch(name)
    is_number = (
        matched.group(2) in _DECIMAL_LINE_FIELDS
        if matched is not None
        else name in EDITABLE_HEADER_FIELDS and field_kind(name) is Decimal
    )
    if is_number:
        parsed = _decimal(text)
        return text if parsed is None else locale.number(parsed)
    if name in EDITABLE_HEADER_FIELDS and field_kind(name) is date:
        try:
            return locale.date(date.fromisoformat(text))
        except ValueError:
            return text
    return text


def audit_views(entries: list[AuditEntry], locale: Locale) -> list[AuditView]:
    """The audit log newest first, in the reader's language."""
    return [
        AuditView(
            at=locale.datetime(entry.at),
            actor=entry.actor,
            action=locale.t("audit." + entry.action),
            what=describe_path(entry.field, locale),
            old=_audit_value(entry.field, entry.old_value, locale),
            new=_audit_value(entry.field, entry.new_value, locale),
        )
        for entry in sorted(entries, key=lambda e: (e.at, e.id), reverse=True)
    ]


@dataclass(slots=True)
class InvoiceView:
    fields: dict[str, Cell]
    lines: list[LineView]
    deleted_lines: list[LineView]
    recap: list[RecapRow]
    lines_net: Decimal
    lines_vat: Decimal
    warnings: list[InvoiceWarning]
    blocking: list[InvoiceWarning]
    pages: list[PageSize]


def invoice_view(record: InvoiceRecord, sizes: list[PageSize], locale: Locale) -> InvoiceView:
    context = _Context(record, sizes, locale)
    lines, deleted = line_views(record, context)
    recap = vat_recap(record, active_lines(record))
    warnings = warnings_of(record)
    return InvoiceView(
        fields=field_cells(record, context),
        lines=lines,
        deleted_lines=deleted,
        recap=recap,
        lines_net=sum((row.base for row in recap), Decimal("0.00")),
        lines_vat=sum((row.vat for row in recap), Decimal("0.00")),
        warnings=warnings,
        blocking=[w for w in warnings if w.code in BLOCKING_CODES],
        pages=sizes,
    )
