"""Invoices as spreadsheets (XLSX and CSV) for people who continue their work in Excel.

A spreadsheet here is a :class:`Sheet`: an optional header block (label | value) and
tables of typed columns. The writers turn it into bytes and know nothing about HTTP or
the database; labels come from the caller (the UI's catalogues), so the same sheet is
written in Slovak, Czech or English.

**Numbers stay numbers.** Amounts, quantities and rates are written as numeric cells with
a number format showing exactly the decimal places the ``Decimal`` has (amounts at least
two), dates as date cells. XLSX stores numbers as IEEE 754 doubles, so the ``Decimal`` is
turned into a float at the very last step, when the cell is written. That is exact for
display and for further arithmetic a person does in Excel: a double holds any decimal
of up to 15 significant digits closely enough that it reads back as the same decimal
(``DBL_DIG`` = 15), which covers every amount up to 9 999 999 999 999,99. A value with
more significant digits is written as text instead, so it is never silently changed. The
spreadsheets are for people; what goes to an ERP is the ISDOC/UBL XML, whose amounts are
the exact decimal strings.

**CSV** follows RFC 4180 (quoted when needed, CRLF line ends) in UTF-8 with a byte order
mark, so Excel detects the encoding. Excel reads a CSV with the separators of the
computer's regional settings, so the user's language chooses them (:data:`STYLES`):
Slovak and Czech use ``;`` between fields and a decimal comma (what Excel with their
settings expects), English ``,`` and a decimal point. Numbers are never grouped; dates are ISO
8601, which Excel reads in every locale.

**Formula injection**: text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be run as a formula by a spreadsheet; such text cells get a
leading apostrophe (OWASP's advice), in CSV and XLSX alike. Typed numbers are not text
and are not touched.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from nex_automat.domain.model import Invoice, Line

Cell = str | int | Decimal | date | datetime | None
"""A value a sheet holds; datetimes are naive local time (spreadsheets have no zones)."""
Label = Callable[[str], str]
"""Turns a label key (``"number"``, ``"line.description"``) into the reader's language."""

MAX_DOUBLE_DIGITS = 15
MAX_TEXT_LENGTH = 32_767
"""Excel's limit of characters in one cell."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_BOM = "\ufeff"


class Kind(StrEnum):
    """How a column's values are written and formatted."""

    TEXT = "text"
    INTEGER = "integer"
    QUANTITY = "quantity"
    AMOUNT = "amount"
    PERCENT = "percent"
    DATE = "date"
    DATETIME = "datetime"


_MIN_PLACES: dict[Kind, int] = {Kind.AMOUNT: 2}
"""Decimal places a number of this kind shows at least (more when the value has them)."""


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT
    width: float = 14


@dataclass(frozen=True, slots=True)
class Field:
    """One row of a sheet's header block."""

    label: str
    value: Cell
    kind: Kind = Kind.TEXT


@dataclass(frozen=True, slots=True)
class Table:
    columns: Sequence[Column]
    rows: Iterable[Sequence[Cell]]
    """Consumed once, row by row: a generator keeps a long list out of memory."""
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str
    tables: Sequence[Table]
    fields: Sequence[Field] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Style:
    """A language's conventions: CSV separators and XLSX date formats."""

    delimiter: str
    decimal: str
    date_format: str
    datetime_format: str


STYLES: dict[str, Style] = {
    "sk": Style(
        delimiter=";", decimal=",", date_format="d.m.yyyy", datetime_format="d.m.yyyy h:mm"
    ),
    "cs": Style(
        delimiter=";", decimal=",", date_format="d.m.yyyy", datetime_format="d.m.yyyy h:mm"
    ),
    "en": Style(
        delimiter=",", decimal=".", date_format="d mmm yyyy", datetime_format="d mmm yyyy h:mm"
    ),
}


# ------------------------------------------------------------------------------- cells


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _clean_text(text: str) -> str:
    return neutralise(_ILLEGAL_XML.sub("", text))[:MAX_TEXT_LENGTH]


def _places(value: Decimal, kind: Kind) -> int:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return max(places, _MIN_PLACES.get(kind, 0))


def number_format(value: Decimal | int, kind: Kind) -> str:
    """The Excel format that shows ``value`` with all its decimal places, grouped."""
    places = _places(Decimal(value), kind)
    return "#,##0" + ("." + "0" * places if places else "")


def fits_double(value: Decimal) -> bool:
    """Whether a double shows ``value`` back unchanged (at most 15 significant digits)."""
    return len(value.normalize().as_tuple().digits) <= MAX_DOUBLE_DIGITS


def _is_number(value: Cell) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


# -------------------------------------------------------------------------------- XLSX


def _xlsx_cell(
    sheet: WriteOnlyWorksheet, value: Cell, kind: Kind, style: Style, *, bold: bool = False
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    if isinstance(value, datetime):
        cell.value = value
        cell.number_format = style.datetime_format
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = style.date_format
    elif _is_number(value):
        number = Decimal(value)  # type: ignore[arg-type]
        if fits_double(number):
            cell.value = int(number) if kind is Kind.INTEGER else float(number)
            cell.number_format = number_format(number, kind)
        else:
            cell.value = format(number, "f")
            cell.alignment = Alignment(horizontal="right")
    elif value is not None:
        cell.value = _clean_text(str(value))
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet_title(title: str) -> str:
    return _SHEET_TITLE_UNSAFE.sub("_", title).strip("'")[:31] or "Sheet"


def _widths(sheet: Sheet) -> dict[int, float]:
    widths: dict[int, float] = {}
    if sheet.fields:
        widths[1] = max(len(item.label) + 2 for item in sheet.fields)
        widths[2] = 40
    for table in sheet.tables:
        for index, column in enumerate(table.columns, start=1):
            widths[index] = max(widths.get(index, 0), column.width, len(column.label) + 2)
    return widths


def write_xlsx(sheet: Sheet, target: IO[bytes], style: Style) -> None:
    """Write ``sheet`` as an XLSX workbook into ``target``.

    Rows go out as they come (openpyxl's write-only mode spools them to a temporary
    file), so a list of 100 000 invoices never sits in memory as cells.
    """
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(_sheet_title(sheet.title))
    for index, width in _widths(sheet).items():
        worksheet.column_dimensions[get_column_letter(index)].width = width
    if not sheet.fields and len(sheet.tables) == 1 and sheet.tables[0].title is None:
        worksheet.freeze_panes = "A2"
    for item in sheet.fields:
        worksheet.append(
            [
                _xlsx_cell(worksheet, item.label, Kind.TEXT, style, bold=True),
                _xlsx_cell(worksheet, item.value, item.kind, style),
            ]
        )
    for number, table in enumerate(sheet.tables):
        if sheet.fields or number:
            worksheet.append([])
        if table.title is not None:
            worksheet.append([_xlsx_cell(worksheet, table.title, Kind.TEXT, style, bold=True)])
        worksheet.append(
            [_xlsx_cell(worksheet, c.label, Kind.TEXT, style, bold=True) for c in table.columns]
        )
        kinds = [column.kind for column in table.columns]
        for row in table.rows:
            worksheet.append(
                [_xlsx_cell(worksheet, v, k, style) for v, k in zip(row, kinds, strict=True)]
            )
    workbook.save(target)


def xlsx_bytes(sheet: Sheet, style: Style) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(sheet, buffer, style)
    return buffer.getvalue()


# --------------------------------------------------------------------------------- CSV


def csv_text(value: Cell, kind: Kind, style: Style) -> str:
    """One CSV field: numbers plain with the style's decimal mark (amounts with at least
    two places), dates ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if _is_number(value):
        number = Decimal(value)  # type: ignore[arg-type]
        places = _places(number, kind)
        if places > _places(number, Kind.TEXT):
            number = number.quantize(Decimal(1).scaleb(-places))
        return format(number, "f").replace(".", style.decimal)
    return neutralise(str(value))


def csv_chunks(table: Table, style: Style, *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """``table`` as CSV, in chunks of rows, for a streamed response; the first has the BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator="\r\n")
    buffer.write(_BOM)
    writer.writerow([neutralise(column.label) for column in table.columns])
    kinds = [column.kind for column in table.columns]
    pending = 0
    for row in table.rows:
        writer.writerow([csv_text(v, k, style) for v, k in zip(row, kinds, strict=True)])
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode("utf-8")


def csv_bytes(table: Table, style: Style) -> bytes:
    return b"".join(csv_chunks(table, style))


# ---------------------------------------------------------------------------- invoices

HEADER_FIELDS: tuple[tuple[str, Kind], ...] = (
    ("document_type", Kind.TEXT),
    ("number", Kind.TEXT),
    ("issue_date", Kind.DATE),
    ("tax_point_date", Kind.DATE),
    ("due_date", Kind.DATE),
    ("currency", Kind.TEXT),
    ("variable_symbol", Kind.TEXT),
    ("constant_symbol", Kind.TEXT),
    ("order_reference", Kind.TEXT),
)
PARTY_FIELDS: tuple[str, ...] = (
    "name",
    "ico",
    "dic",
    "vat_id",
    "street",
    "city",
    "postal_code",
    "country",
    "iban",
)
TOTAL_FIELDS: tuple[str, ...] = ("total_net", "total_vat", "total_gross", "amount_due")

LINE_COLUMNS: tuple[tuple[str, Kind, float], ...] = (
    ("position", Kind.INTEGER, 6),
    ("seller_code", Kind.TEXT, 12),
    ("ean", Kind.TEXT, 15),
    ("description", Kind.TEXT, 45),
    ("quantity", Kind.QUANTITY, 11),
    ("unit", Kind.TEXT, 7),
    ("unit_price", Kind.AMOUNT, 12),
    ("discount_percent", Kind.PERCENT, 9),
    ("vat_rate", Kind.PERCENT, 8),
    ("net_amount", Kind.AMOUNT, 13),
    ("vat_amount", Kind.AMOUNT, 12),
    ("gross_amount", Kind.AMOUNT, 13),
)
"""Line attribute, kind and column width, in the order the lines table shows them."""

CONTEXT_COLUMNS: tuple[tuple[str, Kind, float], ...] = (
    ("number", Kind.TEXT, 14),
    ("issue_date", Kind.DATE, 11),
    ("supplier.name", Kind.TEXT, 30),
    ("supplier.ico", Kind.TEXT, 10),
    ("currency", Kind.TEXT, 6),
)
"""Invoice fields repeated on every line of the flat CSV, so each row stands alone."""

VAT_COLUMNS: tuple[tuple[str, Kind, float], ...] = (
    ("vat.rate", Kind.PERCENT, 8),
    ("vat.base", Kind.AMOUNT, 13),
    ("vat.vat", Kind.AMOUNT, 12),
)


def _invoice_value(invoice: Invoice, path: str) -> Cell:
    owner, _, name = path.rpartition(".")
    source: object = getattr(invoice, owner) if owner else invoice
    value: Cell = getattr(source, name)
    return value


def _line_row(line: Line) -> list[Cell]:
    return [getattr(line, name) for name, _, _ in LINE_COLUMNS]


def invoice_sheet(invoice: Invoice, label: Label) -> Sheet:
    """One invoice: header, parties and totals as a block, then its lines and VAT recap.

    ``label`` gets keys: header and total attribute names (``"number"``),
    ``"supplier.<field>"`` / ``"customer.<field>"``, ``"line.<attribute>"``,
    ``"vat.rate|base|vat"``, ``"document_type.<value>"`` and ``"sheet.invoice|lines|vat"``.
    """
    fields: list[Field] = []
    for name, kind in HEADER_FIELDS:
        value = _invoice_value(invoice, name)
        if name == "document_type":
            value = label(f"document_type.{invoice.document_type}")
        fields.append(Field(label(name), value, kind))
    for role in ("supplier", "customer"):
        for name in PARTY_FIELDS:
            path = f"{role}.{name}"
            fields.append(Field(label(path), _invoice_value(invoice, path)))
    fields.extend(Field(label(n), _invoice_value(invoice, n), Kind.AMOUNT) for n in TOTAL_FIELDS)
    lines = Table(
        columns=[Column(label(f"line.{n}"), kind, width) for n, kind, width in LINE_COLUMNS],
        rows=(_line_row(line) for line in invoice.lines),
        title=label("sheet.lines"),
    )
    vat = Table(
        columns=[Column(label(key), kind, width) for key, kind, width in VAT_COLUMNS],
        rows=([row.rate, row.base, row.vat] for row in invoice.vat_breakdown),
        title=label("sheet.vat"),
    )
    return Sheet(title=label("sheet.invoice"), fields=fields, tables=[lines, vat])


def invoice_lines_table(invoice: Invoice, label: Label) -> Table:
    """One invoice as a single flat table: each line with the invoice's number, date,
    supplier and currency, as an import into another program wants it."""
    context = [_invoice_value(invoice, path) for path, _, _ in CONTEXT_COLUMNS]
    columns = [Column(label(path), kind, width) for path, kind, width in CONTEXT_COLUMNS]
    columns += [Column(label(f"line.{n}"), kind, width) for n, kind, width in LINE_COLUMNS]
    return Table(columns=columns, rows=([*context, *_line_row(line)] for line in invoice.lines))
