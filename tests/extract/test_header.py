"""Header fields are read by their labels wherever real layouts print the value."""

from __future__ import annotations

from datetime import date

import pytest

from nex_automat.domain.model import DocumentType
from nex_automat.extract.header import (
    document_number,
    order_reference,
    payment_symbol,
    read_document_type,
    read_header,
    title_phrases,
)
from nex_automat.extract.labelled import LabelledText
from nex_automat.extract.labels import label_table
from nex_automat.extract.pdf import read_pdf
from tests.extract.pdfs import BOLD, FONT, Text, make_pdf


def labelled(*texts: Text) -> LabelledText:
    return LabelledText(read_pdf(make_pdf([list(texts)])).lines, label_table())


def header(*texts: Text) -> dict[str, object]:
    return read_header(labelled(*texts)).values


def test_value_after_the_label_in_the_same_phrase() -> None:
    found = header(
        Text(40, 100, "Číslo faktúry: 2025001234"),
        Text(40, 114, "Dátum vystavenia: 3.2.2025"),
        Text(40, 128, "Dátum dodania: 31.1.2025"),
        Text(40, 142, "Dátum splatnosti: 17.2.2025"),
    )
    assert found["number"] == "2025001234"
    assert found["issue_date"] == date(2025, 2, 3)
    assert found["tax_point_date"] == date(2025, 1, 31)
    assert found["due_date"] == date(2025, 2, 17)


def test_value_in_the_next_column_of_a_label_grid() -> None:
    found = header(
        Text(40, 100, "Datum vystavení:"),
        Text(180, 100, "03.02.2025"),
        Text(300, 100, "Variabilní symbol:"),
        Text(450, 100, "2025001234"),
        Text(40, 114, "DUZP:"),
        Text(180, 114, "31.01.2025"),
        Text(300, 114, "Konstantní symbol:"),
        Text(450, 114, "0308"),
        Text(40, 128, "Datum splatnosti:"),
        Text(180, 128, "17.02.2025"),
        Text(300, 128, "Vaše objednávka:"),
        Text(450, 128, "OBJ-2025-0042"),
    )
    assert found["issue_date"] == date(2025, 2, 3)
    assert found["tax_point_date"] == date(2025, 1, 31)
    assert found["due_date"] == date(2025, 2, 17)
    assert found["variable_symbol"] == "2025001234"
    assert found["constant_symbol"] == "0308"
    assert found["order_reference"] == "OBJ-2025-0042"


def test_value_below_the_label_in_a_boxed_header() -> None:
    found = header(
        Text(40, 100, "Číslo dokladu", 8),
        Text(160, 100, "Dátum vystavenia", 8),
        Text(280, 100, "Dátum splatnosti", 8),
        Text(400, 100, "VS", 8),
        Text(40, 112, "FV2025/0123", 10, BOLD),
        Text(160, 112, "03.02.2025", 10, BOLD),
        Text(280, 112, "17.02.2025", 10, BOLD),
        Text(400, 112, "20250123", 10, BOLD),
    )
    assert found["number"] == "FV2025/0123"
    assert found["issue_date"] == date(2025, 2, 3)
    assert found["due_date"] == date(2025, 2, 17)
    assert found["variable_symbol"] == "20250123"


@pytest.mark.parametrize(
    ("title", "number"),
    [
        ("FAKTÚRA 2025001234", "2025001234"),
        ("Faktura - daňový doklad č. FV2025/0123", "FV2025/0123"),
        ("Dobropis č. D2025-007", "D2025-007"),
        ("Invoice No. INV-88", "INV-88"),
    ],
)
def test_number_from_the_title(title: str, number: str) -> None:
    assert header(Text(40, 50, title, 16, BOLD))["number"] == number


def test_labelled_number_wins_over_the_title() -> None:
    found = header(
        Text(40, 50, "FAKTÚRA", 16, BOLD),
        Text(300, 50, "č. 2025000777", 16, BOLD),
        Text(40, 100, "Číslo faktúry: 2025000777"),
    )
    assert found["number"] == "2025000777"


def test_bank_account_number_is_not_the_invoice_number() -> None:
    found = header(
        Text(40, 50, "Faktúra", 16, BOLD),
        Text(40, 100, "Číslo účtu: 1234567890/0200"),
        Text(40, 114, "Doklad číslo: 2025000001"),
    )
    assert found["number"] == "2025000001"


def test_absent_fields_stay_absent() -> None:
    found = header(Text(40, 100, "Dátum vystavenia: 3.2.2025"))
    assert "due_date" not in found
    assert "number" not in found


def test_page_numbers_and_registration_text_are_not_values() -> None:
    found = header(
        Text(40, 780, "Zapísaná v OR Okresného súdu Bratislava I, odd. Sro, vl. č. 12345/B", 7),
        Text(500, 800, "Strana 1 z 3", 7),
    )
    assert found == {}


def test_currency_from_its_label() -> None:
    assert header(Text(40, 100, "Mena:"), Text(120, 100, "CZK"))["currency"] == "CZK"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2025001234", "2025001234"),
        ("FV 2025/0123", "FV 2025/0123"),
        ("2025001234 zo dňa 1.2.2025", "2025001234"),
        ("3.2.2025", None),
        ("prevodom", None),
    ],
)
def test_document_number_shapes(text: str, number: str | None) -> None:
    assert document_number(text) == number


def test_payment_symbol_keeps_leading_zeros_and_refuses_words() -> None:
    assert payment_symbol("0308") == "0308"
    assert payment_symbol("prevod") is None


def test_order_reference_stops_before_its_date() -> None:
    assert order_reference("4500123456 zo dňa 12.01.2025") == "4500123456"
    assert order_reference("telefonicky") is None


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Faktúra - daňový doklad", DocumentType.INVOICE),
        ("Dobropis", DocumentType.CREDIT_NOTE),
        ("Opravný daňový doklad", DocumentType.CREDIT_NOTE),
        ("Ťarchopis", DocumentType.DEBIT_NOTE),
        ("Zálohová faktúra", DocumentType.ADVANCE_INVOICE),
        ("Proforma faktúra", DocumentType.PROFORMA),
    ],
)
def test_document_type_from_the_largest_text(title: str, kind: DocumentType) -> None:
    text = labelled(
        Text(40, 40, "Faktúra je splatná prevodom", 8, FONT),
        Text(300, 50, title, 18, BOLD),
    )
    assert read_document_type(title_phrases(text, 842.0)) is kind


@pytest.mark.parametrize(
    "printed",
    [
        "Opravovaný doklad č. 2026099164",
        "K faktúre č. 2026099164",
        "Pôvodná faktúra: 2026099164",
        "Původní doklad: 2026099164",
        "Opravný daňový doklad k faktuře č. 2026099164",
        "Dobropis k faktúre 2026099164",
        "Corrected invoice: 2026099164",
    ],
)
def test_credit_note_names_the_invoice_it_corrects(printed: str) -> None:
    found = header(
        Text(40, 50, "Dobropis", 16, BOLD),
        Text(40, 100, "Číslo dokladu: 2026000123"),
        Text(40, 130, printed),
    )
    assert found["preceding_invoice"] == "2026099164"
    assert found["number"] == "2026000123"


def test_corrected_invoice_is_never_the_documents_own_number() -> None:
    found = header(
        Text(40, 50, "DOBROPIS / CREDIT NOTE", 14, BOLD),
        Text(40, 70, "Opravovaný doklad č. 2026099164", 8),
    )
    assert found.get("number") != "2026099164"
    assert found["preceding_invoice"] == "2026099164"


def test_number_right_of_a_bare_number_mark_under_the_title() -> None:
    found = header(
        Text(326, 34, "FAKTÚRA - daňový doklad", 11, BOLD),
        Text(326, 62, "č.", 10),
        Text(553, 62, "067/2024", 12, BOLD, align="right"),
        Text(34, 62, "Kpt. Nálepku 61, 010 01 Žilina", 8),
    )
    assert found["number"] == "067/2024"


@pytest.mark.parametrize(
    "label", ["Variabilný symbol / Payment reference:", "VS / Variable symbol:"]
)
def test_bilingual_label_takes_the_value_beside_it(label: str) -> None:
    found = header(Text(44, 100, label, 8), Text(240, 100, "24103330", 8))
    assert found["variable_symbol"] == "24103330"
