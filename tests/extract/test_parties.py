"""Supplier and customer are told apart by their headings or, without them, by the bank account."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from nex_automat.extract.labelled import LabelledText
from nex_automat.extract.labels import label_table
from nex_automat.extract.parties import Parties, read_parties
from nex_automat.extract.pdf import read_pdf
from tests.extract.pdfs import BOLD, FONT, Text, make_pdf

SUPPLIER = (
    "Stavebniny Novák s.r.o.",
    "Hlavná 12",
    "811 01 Bratislava",
    "Slovensko",
    "IČO: 35757442",
    "DIČ: 2020123456",
    "IČ DPH: SK2020123456",
    "IBAN: SK31 1200 0000 1987 4263 7541",
    "SWIFT: TATRSKBX",
)
CUSTOMER = (
    "Stavmat Morava a.s.",
    "Cejl 1220/5",
    "602 00 Brno",
    "IČ: 25596641",
    "DIČ: CZ25596641",
)


def column(x: float, top: float, heading: str | None, lines: tuple[str, ...]) -> list[Text]:
    texts = [Text(x, top, heading, 10, BOLD)] if heading else []
    return texts + [Text(x, top + 14 + 12 * i, line, 9) for i, line in enumerate(lines)]


def parties(*texts: Text) -> Parties:
    doc = read_pdf(make_pdf([list(texts)]))
    return read_parties(LabelledText(doc.lines, label_table()))


def assert_supplier(found: Parties) -> None:
    assert found.supplier.values == {
        "name": "Stavebniny Novák s.r.o.",
        "street": "Hlavná 12",
        "postal_code": "811 01",
        "city": "Bratislava",
        "country": "SK",
        "ico": "35757442",
        "dic": "2020123456",
        "vat_id": "SK2020123456",
        "iban": "SK3112000000198742637541",
        "bic": "TATRSKBX",
    }


def assert_customer(found: Parties) -> None:
    assert found.customer.values == {
        "name": "Stavmat Morava a.s.",
        "street": "Cejl 1220/5",
        "postal_code": "602 00",
        "city": "Brno",
        "ico": "25596641",
        "vat_id": "CZ25596641",
    }


def test_side_by_side_supplier_left() -> None:
    found = parties(
        *column(40, 100, "Dodávateľ:", SUPPLIER), *column(320, 100, "Odberateľ:", CUSTOMER)
    )
    assert_supplier(found)
    assert_customer(found)


def test_side_by_side_customer_left() -> None:
    found = parties(
        *column(40, 100, "Odběratel", CUSTOMER), *column(320, 100, "Dodavatel", SUPPLIER)
    )
    assert_supplier(found)
    assert_customer(found)


def test_stacked_parties() -> None:
    found = parties(
        *column(40, 100, "Predávajúci", SUPPLIER), *column(40, 260, "Kupujúci", CUSTOMER)
    )
    assert_supplier(found)
    assert_customer(found)


def test_side_by_side_parties_starting_at_different_heights() -> None:
    found = parties(*column(40, 100, "Supplier", SUPPLIER), *column(320, 150, "Bill to", CUSTOMER))
    assert_supplier(found)
    assert_customer(found)


def test_without_headings_the_block_with_the_bank_account_is_the_supplier() -> None:
    found = parties(*column(40, 100, None, CUSTOMER), *column(320, 100, None, SUPPLIER))
    assert_supplier(found)
    assert_customer(found)


def test_bank_details_in_a_separate_payment_box_belong_to_the_supplier() -> None:
    found = parties(
        *column(40, 100, "Dodávateľ:", SUPPLIER[:7]),
        *column(320, 100, "Odberateľ:", CUSTOMER),
        Text(40, 300, "Platobné údaje", 10, BOLD),
        Text(40, 314, "Banka: Tatra banka, a.s."),
        Text(40, 326, "IBAN: SK31 1200 0000 1987 4263 7541"),
        Text(40, 338, "SWIFT: TATRSKBX"),
    )
    assert_supplier(found)
    assert "iban" not in found.customer.values


def test_bank_column_beside_the_customer_is_not_the_customers() -> None:
    found = parties(
        *column(40, 100, "Dodávateľ:", SUPPLIER[:7]),
        *column(40, 260, "Odberateľ:", CUSTOMER),
        Text(320, 274, "Bankové spojenie"),
        Text(320, 286, "IBAN: SK31 1200 0000 1987 4263 7541"),
        Text(320, 298, "SWIFT: TATRSKBX"),
    )
    assert found.supplier.values["iban"] == "SK3112000000198742637541"
    assert "iban" not in found.customer.values


def test_name_printed_on_the_heading_line() -> None:
    found = parties(Text(40, 100, "Dodávateľ: Alfa Stavby s.r.o."), Text(40, 112, "IČO: 35757442"))
    assert found.supplier.values["name"] == "Alfa Stavby s.r.o."
    assert found.supplier.values["ico"] == "35757442"


def test_identifiers_in_a_grid_next_to_their_labels() -> None:
    found = parties(
        Text(40, 100, "Odberateľ", 10, BOLD),
        Text(40, 114, "Beta Market a.s."),
        Text(40, 126, "Bratislava 831 04"),
        Text(40, 138, "IČO:"),
        Text(100, 138, "357 574 42"),
        Text(40, 150, "DIČ:"),
        Text(100, 150, "2020123456"),
    )
    assert found.customer.values["postal_code"] == "831 04"
    assert found.customer.values["city"] == "Bratislava"
    assert found.customer.values["ico"] == "35757442"
    assert found.customer.values["dic"] == "2020123456"


@pytest.mark.parametrize(("printed", "code"), [("Česká republika", "CZ"), ("Deutschland", "DE")])
def test_country_only_when_printed(printed: str, code: str) -> None:
    found = parties(*column(40, 100, "Odběratel", (*CUSTOMER[:3], printed, *CUSTOMER[3:])))
    assert found.customer.values["country"] == code


def test_country_is_never_inferred() -> None:
    assert "country" not in parties(*column(40, 100, "Odběratel", CUSTOMER)).customer.values


def test_provenance_points_at_the_value() -> None:
    found = parties(*column(40, 100, "Dodávateľ:", SUPPLIER))
    box = found.supplier.provenance["ico"]
    assert box.page == 0
    assert box.x0 > 40
    assert 100 < box.top < 180


FOOTER_TOP = 770.0


def footer(*, country: str | None = "Slovensko") -> list[Text]:
    """A printout that shows the supplier only in its page footer: name and address, the
    identifiers with the web address, and the bank, side by side."""
    address = ["Stavebniny Novák s.r.o.", "Hlavná 12", "811 01 Bratislava"]
    address += [country] if country else []
    ids = ["IČO: 35757442", "DIČ: 2020123456", "www.stavebniny-novak.sk"]
    bank = ["Banka: Tatra banka, a.s.", "IBAN: SK31 1200 0000 1987 4263 7541", "SWIFT: TATRSKBX"]
    return [
        Text(x, FOOTER_TOP + 8 * row, line, 6.5)
        for x, lines in ((48, address), (220, ids), (390, bank))
        for row, line in enumerate(lines)
    ]


def window(top: float, lines: tuple[str, ...], ids: tuple[str, ...]) -> list[Text]:
    """A window-envelope address with no heading and its identifiers printed apart below."""
    texts = [Text(48, top + 12 * i, line, 9.5) for i, line in enumerate(lines)]
    return texts + [Text(48, top + 64 + 10 * i, line, 8) for i, line in enumerate(ids)]


def test_supplier_printed_only_in_the_footer_is_read_from_its_columns() -> None:
    found = parties(*window(126, CUSTOMER[:3], CUSTOMER[3:]), *footer())
    supplier = found.supplier.values
    assert supplier["name"] == "Stavebniny Novák s.r.o."
    assert supplier["street"] == "Hlavná 12"
    assert (supplier["postal_code"], supplier["city"]) == ("811 01", "Bratislava")
    assert supplier["country"] == "SK"
    assert supplier["ico"] == "35757442"
    assert supplier["iban"] == "SK3112000000198742637541"
    assert_customer(found)


def test_a_web_address_is_never_a_name() -> None:
    found = parties(
        Text(320, 100, "www.stavebniny-novak.sk"),
        *column(320, 112, None, SUPPLIER),
        *column(40, 100, None, CUSTOMER),
    )
    assert found.supplier.values["name"] == "Stavebniny Novák s.r.o."


@pytest.mark.parametrize("separator", [" · ", " | ", ", "])
def test_sender_line_above_the_window_names_the_supplier(separator: str) -> None:
    sender = separator.join(["Stavebniny Novák, s.r.o.", "Hlavná 12", "811 01 Bratislava"])
    found = parties(
        Text(48, 108, sender, 6.5),
        *window(126, CUSTOMER[:3], CUSTOMER[3:]),
        Text(48, 770, "IČO: 35757442", 6.5),
        Text(48, 778, "IBAN: SK31 1200 0000 1987 4263 7541", 6.5),
    )
    supplier = found.supplier.values
    assert supplier["name"] == "Stavebniny Novák, s.r.o."
    assert supplier["street"] == "Hlavná 12"
    assert (supplier["postal_code"], supplier["city"]) == ("811 01", "Bratislava")
    assert found.customer.values["name"] == "Stavmat Morava a.s."


def test_window_address_is_joined_with_its_identifiers_printed_apart() -> None:
    found = parties(
        *window(126, CUSTOMER[:3], CUSTOMER[3:]),
        Text(48, 232, "DOBROPIS / CREDIT NOTE", 14, BOLD),
        Text(48, 252, "Opravovaný doklad č. 2026099164", 8),
        *footer(),
    )
    assert_customer(found)


def test_company_line_wins_over_a_contact_person_above_it() -> None:
    found = parties(*column(40, 100, "Odberateľ", ("Ing. Peter Kováč", *CUSTOMER)))
    assert found.customer.values["name"] == "Stavmat Morava a.s."
    assert found.customer.values["street"] == "Cejl 1220/5"


def test_name_split_by_a_raised_accent_is_read_whole() -> None:
    found = parties(
        Text(40, 100, "Odběratel", 10, BOLD),
        Text(40, 114, "Stavmat", 10.5, BOLD),
        Text(83, 113, "Ústí", 10.5, BOLD),
        Text(110, 114, "spol. s r.o.", 10.5, BOLD),
        *[Text(40, 127 + 12 * i, line, 9) for i, line in enumerate(CUSTOMER[1:])],
    )
    assert found.customer.values["name"] == "Stavmat Ústí spol. s r.o."
    assert found.customer.values["city"] == "Brno"


def test_a_label_of_another_column_claims_no_address_line() -> None:
    found = parties(
        *column(40, 100, "Dodávateľ:", (*SUPPLIER[:3], SUPPLIER[4])),
        Text(40, 162, "Zapísaná v OR OS Brno, oddiel: Sro, vložka č.", 7),
        *column(320, 124, "Odberateľ:", CUSTOMER),
    )
    assert found.customer.values["city"] == "Brno"
    assert found.customer.values["street"] == "Cejl 1220/5"


def test_a_payment_box_under_the_delivery_address_is_the_suppliers() -> None:
    found = parties(
        *column(40, 100, "Dodávateľ:", SUPPLIER[:7]),
        *column(320, 100, "Odberateľ:", CUSTOMER),
        Text(320, 200, "Miesto dodania:", 9),
        Text(320, 212, "Sklad, Hlavná 5, 040 01 Košice", 9),
        Text(320, 228, "Platobné údaje", 9),
        Text(320, 240, "IBAN: SK31 1200 0000 1987 4263 7541", 9),
        Text(320, 252, "SWIFT: TATRSKBX", 9),
    )
    assert found.supplier.values["iban"] == "SK3112000000198742637541"
    assert found.supplier.values["bic"] == "TATRSKBX"


def test_a_bic_alone_in_the_customers_column_goes_with_the_suppliers_account() -> None:
    found = parties(
        *column(40, 100, "Dodavatel", SUPPLIER[:7]),
        *column(320, 100, "Odběratel", CUSTOMER),
        Text(60, 200, "IBAN", 8),
        Text(60, 212, "SK31 1200 0000 1987 4263 7541", 9),
        Text(330, 200, "SWIFT", 8),
        Text(330, 212, "TATRSKBX", 9),
    )
    assert found.supplier.values["bic"] == "TATRSKBX"
    assert "bic" not in found.customer.values


def boxes(top: float, *cells: tuple[float, str, str]) -> list[Text]:
    """A row of framed boxes: a small label in each box's top-left corner, its value under it."""
    texts: list[Text] = []
    for x, label, value in cells:
        texts += [Text(x, top, label, 6), Text(x + 1, top + 10, value, 9)]
    return texts


def test_identifier_boxes_under_the_address_columns_belong_to_the_party_above() -> None:
    found = parties(
        *column(40, 100, "DODAVATEL", SUPPLIER[:3]),
        *column(300, 100, "ODBĚRATEL", CUSTOMER[:3]),
        *boxes(
            175,
            (40, "IČO", "35757442"),
            (170, "DIČ", "SK2020123456"),
            (300, "IČ", "25596641"),
            (430, "DIČ", "CZ25596641"),
        ),
    )
    assert found.supplier.values["ico"] == "35757442"
    assert found.supplier.values["vat_id"] == "SK2020123456"
    assert found.customer.values["ico"] == "25596641"
    assert found.customer.values["vat_id"] == "CZ25596641"


def test_iban_and_swift_boxes_side_by_side_keep_their_own_values() -> None:
    iban = "CZ19 0600 7777 8465 1216 8277"
    swift_x = 301 + pdfmetrics.stringWidth(iban, FONT, 9) + 3
    found = parties(
        *column(40, 100, "Dodavatel", SUPPLIER[:3]),
        Text(300, 200, "IBAN", 6),
        Text(301, 210, iban, 9),
        Text(swift_x - 1, 200, "SWIFT", 6),
        Text(swift_x, 210, "AGBACZPP", 9),
    )
    assert found.supplier.values["iban"] == "CZ1906007777846512168277"
    assert found.supplier.values["bic"] == "AGBACZPP"


def test_company_seat_is_the_supplier_and_the_salesperson_no_party() -> None:
    found = parties(
        *column(40, 100, "Sídlo spoločnosti:", SUPPLIER[:3]),
        *column(230, 100, "Prevádzka / predajňa:", ("Alfa - Zvolen", "Cesta 15", "960 01 Zvolen")),
        *column(420, 100, "Zákazník:", CUSTOMER),
        Text(40, 200, "Pokladňa: 04"),
        Text(140, 200, "Predajca: Zuzana Vargová"),
    )
    assert found.supplier.values["name"] == "Stavebniny Novák s.r.o."
    assert found.supplier.values["city"] == "Bratislava"
    assert found.customer.values["name"] == "Stavmat Morava a.s."


def test_customer_number_on_the_heading_line_leaves_the_customer_readable() -> None:
    found = parties(
        *column(40, 100, "Dodávateľ:", SUPPLIER[:5]),
        *column(320, 100, "Zákazník:", CUSTOMER),
        Text(560, 100, "Zákazník č.: 5195358", 8, align="right"),
    )
    assert_customer(found)


def test_identifiers_printed_above_the_window_frame_belong_to_the_party_below() -> None:
    found = parties(
        *column(34, 30, "Dodávateľ:", SUPPLIER[:3]),
        Text(318, 105, "IČO: 76078540 DIČ: 2047559184 IČ DPH: SK2047559184", 8),
        Text(318, 120, "Príjemca:", 8),
        *[Text(330, 138 + 12 * i, line, 9) for i, line in enumerate(CUSTOMER[:3])],
    )
    customer = found.customer.values
    assert (customer["ico"], customer["dic"], customer["vat_id"]) == (
        "76078540",
        "2047559184",
        "SK2047559184",
    )
    assert customer["name"] == "Stavmat Morava a.s."
