"""The hand-over of an approved invoice: the receipt, new product cards and price changes."""

from __future__ import annotations

from dataclasses import fields, replace
from decimal import Decimal

import pytest

from nex_automat.catalog.handover import (
    LineLink,
    ReceiptLine,
    SkipReason,
    build_handover,
    net_unit_price,
    plain_price,
)
from nex_automat.domain.model import DocumentType, Line, VatRow
from tests.catalog.handovers import CEMENT, GLUE, PARTNER, sample_invoice, sample_source

D = Decimal


def test_the_receipt_lists_matched_lines_with_our_codes_and_net_prices_after_discount() -> None:
    receipt = build_handover(sample_source()).receipt
    assert [
        (ln.position, ln.product_code, ln.product_name, ln.quantity, ln.unit_price, ln.net_amount)
        for ln in receipt.lines
    ] == [
        (1, "10001", "CEMENT PC 25 KG", D(4), D("5.50"), D("22.00")),
        (2, "20001", "Lepidlo C2TE 25 kg", D(4), D("11.88"), D("47.52")),
        (3, "20003", "Škárovacia hmota biela 2 kg", D(4), D("3.10"), D("12.40")),
    ]
    first = receipt.lines[0]
    assert (first.unit, first.vat_rate, first.supplier_code, first.ean) == (
        "vrece",
        D(23),
        "ZA-100",
        "8586000000018",
    )
    assert (first.product_id, first.new_product, first.match_method) == (CEMENT.id, False, "ean")
    assert receipt.lines[2].new_product and receipt.lines[2].product_id is None


def test_the_receipt_header_is_the_invoice_as_edited_and_its_recognised_partner() -> None:
    receipt = build_handover(sample_source()).receipt
    invoice = sample_invoice()
    assert receipt.invoice_number == "FV2024/0815"
    assert (receipt.issue_date, receipt.tax_point_date, receipt.due_date) == (
        invoice.issue_date,
        invoice.tax_point_date,
        invoice.due_date,
    )
    assert (receipt.currency, receipt.supplier.ico, receipt.partner) == ("EUR", "36123456", PARTNER)


def test_the_receipt_totals_are_its_own_lines_with_vat_per_rate() -> None:
    receipt = build_handover(sample_source()).receipt
    assert receipt.total_net == D("81.92")
    assert [(row.rate, row.base, row.vat) for row in receipt.vat] == [
        (D(23), D("81.92"), D("18.84"))
    ]
    assert (receipt.total_vat, receipt.total_gross) == (D("18.84"), D("100.76"))


def test_a_line_no_product_stands_for_is_skipped_and_says_why() -> None:
    receipt = build_handover(sample_source()).receipt
    assert [(s.position, s.description, s.net_amount, s.reason) for s in receipt.skipped] == [
        (4, "Doprava", D("25.00"), SkipReason.NO_PRODUCT)
    ]


def test_a_matched_line_without_quantity_or_price_is_not_received() -> None:
    invoice = sample_invoice()
    invoice.lines[0] = replace(invoice.lines[0], quantity=None)
    invoice.lines[1] = replace(invoice.lines[1], unit_price=None, net_amount=None)
    receipt = build_handover(sample_source(invoice=invoice)).receipt
    assert [(s.position, s.reason) for s in receipt.skipped] == [
        (1, SkipReason.NO_QUANTITY),
        (2, SkipReason.NO_PRICE),
        (4, SkipReason.NO_PRODUCT),
    ]
    assert [line.position for line in receipt.lines] == [3]


def test_new_product_cards_come_from_the_proposals_with_the_group_code() -> None:
    cards = build_handover(sample_source()).new_products
    assert len(cards) == 1
    card = cards[0]
    assert (card.position, card.code, card.name, card.unit, card.vat_rate) == (
        3,
        "20003",
        "Škárovacia hmota biela 2 kg",
        "vrece",
        D(23),
    )
    assert (card.group_id, card.group_code, card.purchase_price, card.sale_price) == (
        2,
        "OBK",
        D("3.10"),
        None,
    )
    assert card.supplier_code == "ZA-400"


def test_a_proposal_without_a_code_leaves_the_code_to_the_erp() -> None:
    source = sample_source()
    links = list(source.links)
    links[2] = replace(links[2], new_product={"name": "Hmota", "unit": "ks", "group_id": None})
    handover = build_handover(replace(source, links=links))
    assert handover.receipt.lines[2].product_code is None
    assert handover.receipt.lines[2].product_name == "Hmota"
    assert (handover.new_products[0].code, handover.new_products[0].group_code) == (None, None)


def test_price_changes_list_new_purchase_prices_and_sale_prices_set() -> None:
    changes = build_handover(sample_source()).price_changes
    assert [
        (
            c.position,
            c.product_code,
            c.old_purchase_price,
            c.new_purchase_price,
            c.old_sale_price,
            c.new_sale_price,
        )
        for c in changes
    ] == [
        (1, "10001", D("5.00"), D("5.50"), D("6.50"), None),
        (2, "20001", D("12.00"), D("11.88"), D("15.90"), D("16.90")),
    ]


def test_an_unchanged_price_is_no_change_however_many_zeros_it_has() -> None:
    same = replace(CEMENT, purchase_price=D("5.5000"))
    handover = build_handover(sample_source(products={CEMENT.id: same, GLUE.id: GLUE}))
    assert [change.position for change in handover.price_changes] == [2]


def test_a_sale_price_set_to_the_current_one_changes_nothing() -> None:
    source = sample_source()
    links = list(source.links)
    links[1] = replace(links[1], sale_price=D("15.90"))
    glue = replace(GLUE, purchase_price=D("11.88"))
    handover = build_handover(replace(source, links=links, products={CEMENT.id: CEMENT, 14: glue}))
    assert [change.position for change in handover.price_changes] == [1]


def test_a_first_purchase_price_is_a_change() -> None:
    unpriced = replace(CEMENT, purchase_price=None)
    handover = build_handover(sample_source(products={CEMENT.id: unpriced, GLUE.id: GLUE}))
    first = handover.price_changes[0]
    assert (first.product_code, first.old_purchase_price, first.new_purchase_price) == (
        "10001",
        None,
        D("5.50"),
    )


def test_a_credit_note_returns_goods_without_changing_prices() -> None:
    invoice = replace(sample_invoice(), document_type=DocumentType.CREDIT_NOTE)
    handover = build_handover(sample_source(invoice=invoice))
    assert len(handover.receipt.lines) == 3
    assert handover.price_changes == ()


def test_the_vat_rate_falls_back_to_the_product_then_to_the_invoices_only_rate() -> None:
    invoice = sample_invoice()
    invoice.lines[0] = replace(invoice.lines[0], vat_rate=None)
    invoice.lines[2] = replace(invoice.lines[2], vat_rate=None)
    no_rate = {**sample_source().links[2].new_product, "vat_rate": None}  # type: ignore[dict-item]
    source = sample_source(invoice=invoice)
    links = list(source.links)
    links[2] = replace(links[2], new_product=no_rate)
    cement = replace(CEMENT, vat_rate=D(10))
    receipt = build_handover(
        replace(source, links=links, products={CEMENT.id: cement, GLUE.id: GLUE})
    ).receipt
    assert [line.vat_rate for line in receipt.lines] == [D(10), D(23), D(23)]
    several = replace(invoice, vat_breakdown=[VatRow(rate=D(23)), VatRow(rate=D(5))])
    receipt = build_handover(replace(source, invoice=several, links=links)).receipt
    assert receipt.lines[2].vat_rate is None


def test_a_price_without_a_unit_price_is_the_net_over_the_quantity() -> None:
    line = Line(position=1, quantity=D(3), net_amount=D("10.00"))
    assert net_unit_price(line) == D("3.333333")
    assert net_unit_price(Line(position=1, quantity=D(4), net_amount=D("10.00"))) == D("2.50")


def test_a_discounted_price_is_exact_and_keeps_no_needless_zeros() -> None:
    line = Line(position=1, quantity=D(1), unit_price=D("19.6800"), discount_percent=D("12.5"))
    assert net_unit_price(line) == D("17.22")
    assert str(net_unit_price(line)) == "17.22"
    assert str(plain_price(D("17.71200"))) == "17.712"
    assert str(plain_price(D("20"))) == "20.00"


def test_every_amount_is_a_decimal() -> None:
    handover = build_handover(sample_source())
    decimals = [
        getattr(line, f.name)
        for line in handover.receipt.lines
        for f in fields(ReceiptLine)
        if f.name in ("quantity", "unit_price", "vat_rate", "net_amount")
    ]
    decimals += [handover.receipt.total_net, handover.receipt.total_gross]
    decimals += [c.new_purchase_price for c in handover.price_changes]
    assert decimals and all(isinstance(value, Decimal) for value in decimals)


def test_every_line_needs_its_link() -> None:
    source = sample_source()
    with pytest.raises(ValueError, match="catalogue link"):
        build_handover(replace(source, links=[*source.links, LineLink()]))
