"""Invoices as XLSX and CSV: numbers stay numbers, text never runs as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from nex_automat.formats.spreadsheet import (
    STYLES,
    Column,
    Kind,
    Sheet,
    Table,
    csv_bytes,
    csv_chunks,
    fits_double,
    invoice_lines_table,
    invoice_sheet,
    neutralise,
    number_format,
    xlsx_bytes,
)
from tests.store.factories import make_invoice

SK = STYLES["sk"]
EN = STYLES["en"]


def label(key: str) -> str:
    return f"<{key}>"


def read_sheet(data: bytes) -> Worksheet:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    return sheet


def rows_of(data: bytes) -> list[list[object]]:
    return [list(row) for row in read_sheet(data).iter_rows(values_only=True)]


def find_row(sheet: Worksheet, first: object) -> int:
    for cells in sheet.iter_rows():
        if cells[0].value == first:
            return cells[0].row
    raise AssertionError(f"no row starting with {first!r}")


def test_invoice_sheet_has_the_header_block_then_the_lines_table() -> None:
    sheet = read_sheet(xlsx_bytes(invoice_sheet(make_invoice("FV-1"), label), SK))
    number_row = find_row(sheet, "<number>")
    assert sheet.cell(number_row, 2).value == "FV-1"
    assert sheet.cell(number_row, 1).font.bold
    heading = find_row(sheet, "<line.position>")
    assert sheet.cell(heading - 1, 1).value == "<sheet.lines>"
    assert [c.value for c in sheet[heading]][:4] == [
        "<line.position>",
        "<line.seller_code>",
        "<line.ean>",
        "<line.description>",
    ]
    assert all(cell.font.bold for cell in sheet[heading])
    assert sheet.cell(heading + 1, 4).value == "Cement CEM II 25 kg"
    assert sheet.cell(heading + 2, 4).value == "Piesok 0-4 mm"


def test_amounts_are_numeric_cells_with_their_decimal_places() -> None:
    sheet = read_sheet(xlsx_bytes(invoice_sheet(make_invoice(), label), SK))
    line = find_row(sheet, "<line.position>") + 1
    quantity, unit_price, net = sheet.cell(line, 5), sheet.cell(line, 7), sheet.cell(line, 10)
    assert (quantity.value, quantity.number_format) == (2.5, "#,##0.000")
    assert (unit_price.value, unit_price.number_format) == (19.68, "#,##0.0000")
    assert (net.value, net.number_format) == (49.2, "#,##0.00")
    assert sheet.cell(line, 1).value == 1
    total = sheet.cell(find_row(sheet, "<total_gross>"), 2)
    assert total.data_type == "n"
    assert (total.value, total.number_format) == (123, "#,##0.00")


def test_dates_are_date_cells_in_the_languages_format() -> None:
    data = xlsx_bytes(invoice_sheet(make_invoice(issue_date=date(2024, 3, 5)), label), EN)
    sheet = read_sheet(data)
    issued = sheet.cell(find_row(sheet, "<issue_date>"), 2)
    assert issued.is_date
    assert issued.value == datetime(2024, 3, 5)
    assert issued.number_format == "d mmm yyyy"


def test_missing_values_stay_empty_cells() -> None:
    sheet = read_sheet(xlsx_bytes(invoice_sheet(make_invoice(total_gross=None), label), SK))
    assert sheet.cell(find_row(sheet, "<total_gross>"), 2).value is None


def test_a_number_a_double_cannot_hold_is_written_as_exact_text() -> None:
    precise = Decimal("12345678901234.5678")
    assert not fits_double(precise)
    assert fits_double(Decimal("9999999999999.99"))
    table = Table([Column("amount", Kind.AMOUNT)], [[precise]])
    assert rows_of(xlsx_bytes(Sheet("list", [table]), SK))[1] == ["12345678901234.5678"]


def test_money_reads_back_as_the_same_decimal() -> None:
    amounts = [Decimal("0.01"), Decimal("0.10"), Decimal("1234567.89"), Decimal("-15.35")]
    amounts += [Decimal("9999999999999.99"), Decimal("0.3"), Decimal("19.6800")]
    table = Table([Column("amount", Kind.AMOUNT)], [[amount] for amount in amounts])
    values = [row[0] for row in rows_of(xlsx_bytes(Sheet("list", [table]), SK))[1:]]
    assert [Decimal(repr(value)) for value in values] == [a.normalize() for a in amounts]


def test_number_formats_show_at_least_two_places_for_amounts() -> None:
    assert number_format(Decimal("5"), Kind.AMOUNT) == "#,##0.00"
    assert number_format(Decimal("5.125"), Kind.AMOUNT) == "#,##0.000"
    assert number_format(Decimal("23"), Kind.PERCENT) == "#,##0"
    assert number_format(Decimal("1E+2"), Kind.QUANTITY) == "#,##0"


def test_text_that_looks_like_a_formula_is_neutralised_in_xlsx() -> None:
    invoice = make_invoice(descriptions=('=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)"))
    invoice.supplier.name = "=cmd|' /C calc'!A0"
    sheet = read_sheet(xlsx_bytes(invoice_sheet(invoice, label), SK))
    first_line = find_row(sheet, "<line.position>") + 1
    descriptions = [sheet.cell(first_line + i, 4) for i in range(4)]
    assert [c.value for c in descriptions] == [
        '\'=HYPERLINK("http://evil","x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
    ]
    assert all(cell.data_type == "s" for cell in descriptions)
    assert sheet.cell(find_row(sheet, "<supplier.name>"), 2).value == "'=cmd|' /C calc'!A0"


def test_negative_numbers_are_not_mistaken_for_formulas() -> None:
    table = Table([Column("amount", Kind.AMOUNT)], [[Decimal("-5.00")]])
    assert rows_of(xlsx_bytes(Sheet("list", [table]), SK))[1] == [-5]
    assert csv_bytes(table, SK).decode("utf-8-sig").splitlines()[1] == "-5,00"


def test_neutralise_leaves_ordinary_text_alone() -> None:
    assert neutralise("Cement 25 kg") == "Cement 25 kg"
    assert neutralise("\tx") == "'\tx"


def test_control_characters_that_xml_cannot_hold_are_dropped() -> None:
    table = Table([Column("text")], [["a\x00b\x1fc\td"]])
    assert rows_of(xlsx_bytes(Sheet("list", [table]), SK))[1] == ["abc\td"]


def test_a_list_freezes_its_heading_row() -> None:
    table = Table([Column("a"), Column("b", Kind.AMOUNT, width=30)], [["x", Decimal(1)]])
    sheet = read_sheet(xlsx_bytes(Sheet("list", [table]), SK))
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 30


def test_sheet_titles_lose_characters_excel_refuses() -> None:
    table = Table([Column("a")], [])
    assert read_sheet(xlsx_bytes(Sheet("Faktúry [2024/03]: *?", [table]), SK)).title == (
        "Faktúry _2024_03__ __"
    )


def test_slovak_csv_has_a_bom_semicolons_and_decimal_commas() -> None:
    data = csv_bytes(invoice_lines_table(make_invoice("FV;1"), label), SK)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0][:6] == [
        "<number>",
        "<issue_date>",
        "<supplier.name>",
        "<supplier.ico>",
        "<currency>",
        "<line.position>",
    ]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["<number>"] == "FV;1"
    assert first["<issue_date>"] == "2024-03-15"
    assert first["<line.quantity>"] == "2,500"
    assert first["<line.unit_price>"] == "19,6800"
    assert first["<line.description>"] == "Cement CEM II 25 kg"
    assert len(rows) == 3


def test_english_csv_uses_commas_and_decimal_points_and_quotes_per_rfc_4180() -> None:
    invoice = make_invoice(descriptions=('Tile "Premium", 30x30', "=1+1"))
    text = csv_bytes(invoice_lines_table(invoice, label), EN).decode("utf-8-sig")
    assert '"Tile ""Premium"", 30x30"' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    first = dict(zip(rows[0], rows[1], strict=True))
    second = dict(zip(rows[0], rows[2], strict=True))
    assert first["<line.description>"] == 'Tile "Premium", 30x30'
    assert first["<line.net_amount>"] == "49.20"
    assert second["<line.description>"] == "'=1+1"


def test_csv_streams_in_chunks_of_rows() -> None:
    table = Table([Column("n", Kind.INTEGER)], ([i] for i in range(1, 1201)))
    chunks = list(csv_chunks(table, EN, rows_per_chunk=500))
    assert len(chunks) == 3
    assert chunks[0].startswith(b"\xef\xbb\xbfn\r\n1\r\n")
    assert b"".join(chunks).decode("utf-8-sig").split("\r\n")[-2] == "1200"


def test_datetimes_are_written_as_timestamps() -> None:
    stamp = datetime(2024, 3, 15, 9, 30)
    table = Table([Column("at", Kind.DATETIME)], [[stamp]])
    sheet = read_sheet(xlsx_bytes(Sheet("list", [table]), SK))
    assert sheet.cell(2, 1).value == stamp
    assert sheet.cell(2, 1).number_format == "d.m.yyyy h:mm"
    assert csv_bytes(table, SK).decode("utf-8-sig").splitlines()[1] == "2024-03-15 09:30:00"
