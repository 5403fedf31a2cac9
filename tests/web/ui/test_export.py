"""Spreadsheet downloads of one invoice and of the inbox's filtered list."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from nex_automat.store.invoices import InvoiceFilter, InvoiceSort
from nex_automat.store.models import InvoiceStatus, Role
from nex_automat.web.ui.export_routes import matching_invoices
from tests.web.ui.conftest import Workspace

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_of(data: bytes) -> Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def table_of(data: bytes, delimiter: str) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_one_invoice_downloads_as_xlsx_with_numbers_as_numbers(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    invoice_id = workspace.add_invoice(number="FV/2024/7")
    answer = signed_in("olga").get(f"/invoices/{invoice_id}/export.xlsx")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX
    assert 'filename="faktura-FV_2024_7.xlsx"' in answer.headers["content-disposition"]
    sheet = sheet_of(answer.content)
    labels = {row[0].value: row[1] for row in sheet.iter_rows(max_col=2) if row[0].value}
    assert labels["Číslo faktúry"].value == "FV/2024/7"
    assert labels["Spolu s DPH"].data_type == "n"
    assert labels["Spolu s DPH"].value == 123
    assert labels["Dátum vystavenia"].is_date
    heading = next(r for r in sheet.iter_rows() if r[0].value == "Č.")
    line = sheet[heading[0].row + 1]
    assert line[3].value == "Cement CEM II 25 kg"
    assert (line[4].value, line[4].number_format) == (2.5, "#,##0.000")


def test_one_invoice_csv_follows_the_users_language(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    invoice_id = workspace.add_invoice()
    slovak = signed_in("olga").get(f"/invoices/{invoice_id}/export.csv")
    assert slovak.headers["content-type"] == "text/csv; charset=utf-8"
    assert slovak.content.startswith(b"\xef\xbb\xbf")
    rows = table_of(slovak.content, ";")
    assert [row["Popis"] for row in rows] == ["Cement CEM II 25 kg", "Piesok 0-4 mm"]
    assert rows[0]["Množstvo"] == "2,500"
    assert rows[0]["Číslo faktúry"] == "2024001"
    english = signed_in("edith", language="en").get(f"/invoices/{invoice_id}/export.csv")
    assert 'filename="invoice-2024001.csv"' in english.headers["content-disposition"]
    assert table_of(english.content, ",")[0]["Quantity"] == "2.500"
    czech = signed_in("jana", language="cs").get(f"/invoices/{invoice_id}/export.csv")
    assert 'filename="faktura-2024001.csv"' in czech.headers["content-disposition"]
    czech_rows = table_of(czech.content, ";")
    assert czech_rows[0]["Množství"] == "2,500"
    assert czech_rows[0]["Číslo faktury"] == "2024001"
    assert czech_rows[0]["Dodavatel – IČO"] == "36123456"


def test_a_czech_reader_gets_the_xlsx_with_czech_labels(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    invoice_id = workspace.add_invoice(number="FV/2024/8")
    answer = signed_in("jana", language="cs").get(f"/invoices/{invoice_id}/export.xlsx")
    assert 'filename="faktura-FV_2024_8.xlsx"' in answer.headers["content-disposition"]
    sheet = sheet_of(answer.content)
    labels = {row[0].value: row[1] for row in sheet.iter_rows(max_col=2) if row[0].value}
    assert labels["Číslo faktury"].value == "FV/2024/8"
    assert labels["DUZP"].is_date and labels["Datum splatnosti"].is_date
    assert labels["Dodavatel – DIČ"].value == "SK2020123456"
    assert labels["Odběratel – název"].value == "Odberateľ a.s."
    assert labels["Celkem s DPH"].value == 123


def test_another_tenants_invoice_cannot_be_exported(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    theirs = workspace.add_invoice(tenant="globex")
    browser = signed_in("olga")
    assert browser.get(f"/invoices/{theirs}/export.xlsx").status_code == 404
    assert browser.get(f"/invoices/{theirs}/export.csv").status_code == 404


def test_exports_need_a_signed_in_user(workspace: Workspace) -> None:
    invoice_id = workspace.add_invoice()
    browser = workspace.browser()
    assert browser.get(f"/invoices/{invoice_id}/export.xlsx").status_code == 303
    assert browser.get("/invoices/export.csv").headers["location"].startswith("/login")


def test_the_list_export_holds_what_the_inbox_filter_matches(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    workspace.add_invoice(number="A-1", status=InvoiceStatus.APPROVED)
    workspace.add_invoice(number="A-2", status=InvoiceStatus.APPROVED, total_gross=Decimal("9.5"))
    workspace.add_invoice(number="N-1", status=InvoiceStatus.NEEDS_REVIEW)
    workspace.add_invoice(number="A-3", tenant="globex", status=InvoiceStatus.APPROVED)
    browser = signed_in("olga", Role.APPROVER)
    answer = browser.get("/invoices/export.xlsx?status=approved&sort=total&dir=asc")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX
    rows = list(sheet_of(answer.content).iter_rows(values_only=True))
    assert rows[0][:3] == ("Prijaté", "Číslo faktúry", "Dodávateľ – názov")
    assert [row[1] for row in rows[1:]] == ["A-2", "A-1"]
    assert [row[10] for row in rows[1:]] == [9.5, 123]
    assert rows[1][11] == "Schválené"
    csv_rows = table_of(browser.get("/invoices/export.csv?status=approved&q=A-").content, ";")
    assert sorted(row["Číslo faktúry"] for row in csv_rows) == ["A-1", "A-2"]
    assert {row["Spolu s DPH"] for row in csv_rows} == {"123,00", "9,50"}


def test_the_list_export_neutralises_formulas_from_documents(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    workspace.add_invoice(number="=1+2", supplier_name="@SUM(1)")
    browser = signed_in("olga")
    row = list(sheet_of(browser.get("/invoices/export.xlsx").content).iter_rows(values_only=True))[
        1
    ]
    assert row[1:3] == ("'=1+2", "'@SUM(1)")
    text = browser.get("/invoices/export.csv").content.decode("utf-8-sig")
    assert "'=1+2;'@SUM(1)" in text


def test_matching_invoices_walks_every_keyset_page(workspace: Workspace) -> None:
    for number in ("1", "2", "3", "4", "5"):
        workspace.add_invoice(number=number)
    workspace.add_invoice(number="6", tenant="globex")
    found = matching_invoices(
        workspace.services.db,
        "acme",
        InvoiceFilter(),
        sort=InvoiceSort.NUMBER,
        descending=False,
        batch=2,
    )
    assert [record.number for record in found] == ["1", "2", "3", "4", "5"]


def test_the_inbox_links_to_exports_of_its_current_filter(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    page = signed_in("olga").get("/invoices?status=approved&q=cement").text
    assert 'href="/invoices/export.xlsx?status=approved&amp;q=cement"' in page
    assert 'href="/invoices/export.csv?status=approved&amp;q=cement"' in page
