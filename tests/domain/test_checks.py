"""The invoice checks: what a reviewer is warned about, and what honest rounding is not."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import ean as stdnum_ean
from stdnum import iban as stdnum_iban
from stdnum.cz import dic as cz_dic
from stdnum.sk import dph as sk_dph

from nex_automat.domain.checks import check_invoice
from nex_automat.domain.model import DocumentType, Invoice, Line, Party, VatRow

# --- building consistent invoices ---------------------------------------------------


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def to_step(value: Decimal, step: str) -> Decimal:
    return (value / Decimal(step)).quantize(Decimal(1), rounding=ROUND_HALF_UP) * Decimal(step)


def with_check_digit(body: str) -> str:
    return body + cz_dic.calc_check_digit_legal(body)


def sk_dic(body: str) -> str:
    return next(body + d for d in "0123456789" if sk_dph.is_valid(body + d))


def iban(country: str, bban: str) -> str:
    return country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban


def ean(body: str) -> str:
    return body + stdnum_ean.calc_check_digit(body)


SUPPLIER_DIC = sk_dic("202012345")
SUPPLIER = Party(
    name="Stavebniny Sever s.r.o.",
    ico=with_check_digit("3576346"),
    dic=SUPPLIER_DIC,
    vat_id="SK" + SUPPLIER_DIC,
    iban=iban("SK", "1100" + "000000" + "2621234567"),
    bic="TATRSKBX",
    country="SK",
)
CUSTOMER_ICO = with_check_digit("2512389")
CUSTOMER = Party(name="Stavby Jih a.s.", ico=CUSTOMER_ICO, vat_id="CZ" + CUSTOMER_ICO, country="CZ")


def line(
    position: int,
    quantity: str,
    unit_price: str,
    rate: str,
    *,
    discount: str | None = None,
    true_price: str | None = None,
    line_vat: bool = False,
    ean_code: str | None = None,
) -> Line:
    """A line whose net amount is computed the way issuers do; ``true_price`` is the
    unrounded price behind a printed ``unit_price``."""
    q, r = Decimal(quantity), Decimal(rate)
    net = q * Decimal(true_price or unit_price)
    if discount is not None:
        net *= 1 - Decimal(discount) / 100
    net = cents(net)
    vat = cents(net * r / 100) if line_vat else None
    return Line(
        position=position,
        description=f"item {position}",
        ean=ean_code,
        quantity=q,
        unit="ks",
        unit_price=Decimal(unit_price),
        discount_percent=None if discount is None else Decimal(discount),
        vat_rate=r,
        net_amount=net,
        vat_amount=vat,
        gross_amount=None if vat is None else net + vat,
    )


def invoice_of(
    lines: list[Line],
    *,
    per_line_vat: bool = False,
    document_type: DocumentType = DocumentType.INVOICE,
    currency: str = "EUR",
) -> Invoice:
    """An invoice whose recap and totals follow from ``lines``: VAT per rate (rounded
    once per rate) or per line (the recap adds the lines' printed VAT)."""
    bases: dict[Decimal, Decimal] = {}
    line_vats: dict[Decimal, Decimal] = {}
    for item in lines:
        rate, net = item.vat_rate, item.net_amount
        assert rate is not None and net is not None
        bases[rate] = bases.get(rate, Decimal("0.00")) + net
        line_vats[rate] = line_vats.get(rate, Decimal("0.00")) + cents(net * rate / 100)
    vats = {
        rate: line_vats[rate] if per_line_vat else cents(base * rate / 100)
        for rate, base in bases.items()
    }
    total_net = sum(bases.values(), Decimal("0.00"))
    total_vat = sum(vats.values(), Decimal("0.00"))
    return Invoice(
        document_type=document_type,
        number="2024010042",
        issue_date=date(2024, 3, 1),
        tax_point_date=date(2024, 3, 1),
        due_date=date(2024, 3, 15),
        currency=currency,
        supplier=replace(SUPPLIER),
        customer=replace(CUSTOMER),
        lines=lines,
        vat_breakdown=[VatRow(rate, bases[rate], vats[rate]) for rate in bases],
        total_net=total_net,
        total_vat=total_vat,
        total_gross=total_net + total_vat,
        amount_due=total_net + total_vat,
    )


def correct_invoice() -> Invoice:
    """10 × 12.50 + 2.5 × 7.99 − 10 % at 23 %, 4 × 3.20 at 5 %: 155.78 + 33.53 = 189.31."""
    return invoice_of(
        [
            line(1, "10", "12.50", "23", ean_code=ean("858123456789")),
            line(2, "2.5", "7.99", "23", discount="10"),
            line(3, "4", "3.20", "5"),
        ]
    )


def found(invoice: Invoice) -> list[tuple[str, str | None]]:
    return [(warning.code, warning.field) for warning in check_invoice(invoice)]


def shift(invoice: Invoice, *names: str, by: str) -> None:
    for name in names:
        setattr(invoice, name, getattr(invoice, name) + Decimal(by))


# --- a correct invoice --------------------------------------------------------------


def test_consistent_invoice_has_no_warnings() -> None:
    invoice = correct_invoice()
    assert invoice.total_gross == Decimal("189.31")
    assert check_invoice(invoice) == []


def test_warning_message_names_the_values() -> None:
    invoice = correct_invoice()
    shift(invoice, "total_gross", "amount_due", by="1")
    (warning,) = check_invoice(invoice)
    assert "155.78" in warning.message
    assert "33.53" in warning.message
    assert "190.31" in warning.message


# --- missing values and dates -------------------------------------------------------


@pytest.mark.parametrize("number", [None, "", "   "])
def test_missing_invoice_number_is_reported(number: str | None) -> None:
    invoice = correct_invoice()
    invoice.number = number
    assert found(invoice) == [("missing_number", "number")]


def test_missing_issue_date_is_reported() -> None:
    invoice = correct_invoice()
    invoice.issue_date = None
    assert found(invoice) == [("missing_issue_date", "issue_date")]


def test_invoice_without_amount_due_or_gross_total_is_reported() -> None:
    invoice = correct_invoice()
    invoice.amount_due = None
    invoice.total_gross = None
    assert found(invoice) == [("missing_total", "amount_due")]


def test_amount_due_alone_is_checked_against_net_plus_vat() -> None:
    invoice = correct_invoice()
    invoice.total_gross = None
    assert found(invoice) == []
    invoice.amount_due = Decimal("190.31")
    assert found(invoice) == [("totals_mismatch", "amount_due")]


def test_due_date_before_issue_date_is_reported() -> None:
    invoice = correct_invoice()
    invoice.due_date = date(2024, 2, 28)
    assert found(invoice) == [("due_before_issue", "due_date")]


def test_due_date_on_the_issue_date_is_fine() -> None:
    invoice = correct_invoice()
    invoice.due_date = invoice.issue_date
    assert found(invoice) == []


def test_empty_invoice_reports_only_what_is_missing() -> None:
    assert found(Invoice()) == [
        ("missing_number", "number"),
        ("missing_issue_date", "issue_date"),
        ("missing_total", "amount_due"),
    ]


def test_line_without_net_amount_is_not_reported_as_a_mismatch() -> None:
    invoice = correct_invoice()
    invoice.lines[0].net_amount = None
    assert found(invoice) == []


def test_recap_row_without_vat_is_not_reported_as_a_mismatch() -> None:
    invoice = correct_invoice()
    invoice.vat_breakdown[0].vat = None
    assert found(invoice) == []


# --- totals -------------------------------------------------------------------------


def test_gross_total_that_is_not_net_plus_vat_is_reported() -> None:
    invoice = correct_invoice()
    shift(invoice, "total_gross", "amount_due", by="0.02")
    assert found(invoice) == [("totals_mismatch", "total_gross")]


def test_gross_total_one_cent_off_is_tolerated() -> None:
    invoice = correct_invoice()
    shift(invoice, "total_gross", "amount_due", by="0.01")
    assert found(invoice) == []


def test_amount_due_that_is_not_the_gross_total_is_reported() -> None:
    invoice = correct_invoice()
    shift(invoice, "amount_due", by="0.10")
    assert found(invoice) == [("totals_mismatch", "amount_due")]


def test_amount_due_after_an_advance_paid_is_gross_less_prepaid() -> None:
    invoice = correct_invoice()
    invoice.prepaid_amount = Decimal("100.00")
    invoice.amount_due = Decimal("89.31")
    assert found(invoice) == []


def test_amount_due_after_an_advance_paid_with_rounding() -> None:
    invoice = correct_invoice()
    invoice.prepaid_amount = Decimal("100.00")
    invoice.rounding = Decimal("-0.01")
    invoice.amount_due = Decimal("89.30")
    assert found(invoice) == []


def test_amount_due_that_ignores_the_advance_paid_is_reported() -> None:
    invoice = correct_invoice()
    invoice.prepaid_amount = Decimal("100.00")
    assert found(invoice) == [("totals_mismatch", "amount_due")]


def test_amount_due_that_ignores_the_printed_rounding_is_reported() -> None:
    invoice = correct_invoice()
    invoice.rounding = Decimal("-0.01")
    invoice.amount_due = Decimal("189.35")
    assert found(invoice) == [("totals_mismatch", "amount_due")]


def test_amount_due_with_printed_rounding_passes() -> None:
    invoice = correct_invoice()
    invoice.rounding = Decimal("-0.01")
    invoice.amount_due = Decimal("189.30")
    assert found(invoice) == []


@pytest.mark.parametrize("amount_due", ["189.30", "189.35"])
def test_amount_due_cash_rounded_to_five_cents_passes(amount_due: str) -> None:
    invoice = correct_invoice()
    invoice.amount_due = Decimal(amount_due)
    assert found(invoice) == []


@pytest.mark.parametrize("amount_due", ["189.00", "190.00"])
def test_czk_amount_due_rounded_to_whole_crowns_passes(amount_due: str) -> None:
    invoice = correct_invoice()
    invoice.currency = "CZK"
    invoice.amount_due = Decimal(amount_due)
    assert found(invoice) == []


def test_czk_whole_crown_rounding_printed_as_its_own_line_passes() -> None:
    invoice = correct_invoice()
    invoice.currency = "CZK"
    invoice.rounding = Decimal("-0.31")
    invoice.amount_due = Decimal("189.00")
    assert found(invoice) == []


@pytest.mark.parametrize("amount_due", ["189.20", "189.40", "188.00", "191.00"])
def test_amount_due_that_is_no_rounding_of_the_gross_total_is_reported(amount_due: str) -> None:
    invoice = correct_invoice()
    invoice.amount_due = Decimal(amount_due)
    assert found(invoice) == [("totals_mismatch", "amount_due")]


# --- lines --------------------------------------------------------------------------


def test_line_whose_net_amount_is_not_quantity_times_price_is_reported() -> None:
    invoice = correct_invoice()
    invoice.lines[0].unit_price = Decimal("12.60")
    assert found(invoice) == [("line_amount_mismatch", "lines[0].net_amount")]


def test_line_whose_discount_is_not_applied_is_reported() -> None:
    invoice = correct_invoice()
    invoice.lines[1].discount_percent = None
    assert found(invoice) == [("line_amount_mismatch", "lines[1].net_amount")]


def test_line_mismatch_message_shows_the_arithmetic() -> None:
    invoice = correct_invoice()
    invoice.lines[0].unit_price = Decimal("12.60")
    (warning,) = check_invoice(invoice)
    assert warning.message == "Line 1: 10 × 12.60 = 126.00, but the net amount is 125.00."


def test_unit_price_printed_with_two_decimals_of_a_four_decimal_price_passes() -> None:
    item = line(1, "1000", "1.23", "23", true_price="1.2345")
    assert item.net_amount == Decimal("1234.50")
    assert found(invoice_of([item])) == []


def test_net_amount_beyond_the_printed_price_precision_is_reported() -> None:
    invoice = invoice_of([line(1, "1000", "1.23", "23", true_price="1.2400")])
    assert found(invoice) == [("line_amount_mismatch", "lines[0].net_amount")]


def test_discount_printed_rounded_passes() -> None:
    item = line(1, "3", "100.00", "23", discount="33.33")
    item.net_amount = cents(Decimal(300) * 2 / 3)
    assert found(invoice_of([item])) == []


def test_discounted_unit_price_rounded_before_multiplying_passes() -> None:
    item = line(1, "100", "1.9900", "23", discount="15")
    item.net_amount = 100 * cents(Decimal("1.99") * Decimal("0.85"))
    assert item.net_amount == Decimal("169.00")
    assert found(invoice_of([item])) == []


def test_lines_that_miss_one_from_the_totals_are_reported() -> None:
    invoice = correct_invoice()
    del invoice.lines[2]
    assert found(invoice) == [
        ("lines_sum_mismatch", "total_net"),
        ("vat_recap_mismatch", "vat_breakdown[1].base"),
    ]


def test_lines_are_compared_with_the_recap_bases_without_a_net_total() -> None:
    invoice = correct_invoice()
    invoice.total_net = None
    for item in invoice.lines:
        item.vat_rate = None
    del invoice.lines[2]
    assert found(invoice) == [("lines_sum_mismatch", "vat_breakdown")]


def test_invalid_ean_on_a_line_is_reported() -> None:
    invoice = correct_invoice()
    code = invoice.lines[0].ean
    assert code is not None
    invoice.lines[0].ean = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert found(invoice) == [("invalid_ean", "lines[0].ean")]


# --- VAT recap ----------------------------------------------------------------------


def test_recap_vat_that_is_not_base_times_rate_is_reported() -> None:
    invoice = correct_invoice()
    invoice.vat_breakdown[0].vat = Decimal("32.99")
    shift(invoice, "total_vat", "total_gross", "amount_due", by="0.10")
    assert found(invoice) == [("vat_recap_mismatch", "vat_breakdown[0].vat")]


def test_recap_vat_that_does_not_add_up_to_the_vat_total_is_reported() -> None:
    invoice = correct_invoice()
    shift(invoice, "total_vat", "total_gross", "amount_due", by="0.10")
    assert found(invoice) == [("vat_recap_mismatch", "total_vat")]


def test_recap_bases_that_do_not_match_the_lines_at_their_rate_are_reported() -> None:
    invoice = correct_invoice()
    invoice.lines[2].vat_rate = Decimal("23")
    assert found(invoice) == [
        ("vat_recap_mismatch", "vat_breakdown[0].base"),
        ("vat_recap_mismatch", "vat_breakdown[1].base"),
    ]


def test_lines_at_a_rate_the_recap_lacks_are_reported() -> None:
    invoice = correct_invoice()
    del invoice.vat_breakdown[1]
    assert found(invoice) == [
        ("vat_recap_mismatch", "vat_breakdown"),
        ("vat_recap_mismatch", "total_vat"),
    ]


def test_zero_rate_lines_need_no_recap_row() -> None:
    invoice = invoice_of([line(1, "10", "12.50", "23"), line(2, "1", "40.00", "0")])
    invoice.vat_breakdown = [row for row in invoice.vat_breakdown if row.rate]
    assert found(invoice) == []


def test_vat_rounded_per_line_passes() -> None:
    lines = [line(n, "1", "0.10", "23", line_vat=True) for n in range(1, 11)]
    invoice = invoice_of(lines, per_line_vat=True)
    assert invoice.vat_breakdown[0].vat == Decimal("0.20")
    assert cents(Decimal("1.00") * Decimal("0.23")) == Decimal("0.23")
    assert found(invoice) == []


def test_vat_rounded_per_line_passes_when_lines_do_not_print_their_vat() -> None:
    lines = [line(n, "1", "0.10", "23") for n in range(1, 11)]
    invoice = invoice_of(lines, per_line_vat=True)
    assert invoice.vat_breakdown[0].vat == Decimal("0.20")
    assert found(invoice) == []


def test_per_line_rounding_is_no_excuse_for_a_single_line() -> None:
    invoice = invoice_of([line(1, "1", "1.00", "23")])
    invoice.vat_breakdown[0].vat = Decimal("0.20")
    shift(invoice, "total_vat", "total_gross", "amount_due", by="-0.03")
    assert found(invoice) == [("vat_recap_mismatch", "vat_breakdown[0].vat")]


def test_recap_vat_equal_to_the_printed_line_vat_passes() -> None:
    item = line(1, "100", "0.99", "20")
    item.vat_amount = 100 * cents(Decimal("0.99") * Decimal("0.20"))
    invoice = invoice_of([item])
    invoice.vat_breakdown[0].vat = item.vat_amount
    invoice.total_vat = item.vat_amount
    invoice.total_gross = invoice.amount_due = Decimal("99.00") + item.vat_amount
    assert item.vat_amount == Decimal("20.00")
    assert found(invoice) == []


def test_vat_taken_out_of_a_gross_amount_passes() -> None:
    gross = Decimal("100.00")
    vat = cents(gross * 21 / 121)
    item = Line(
        position=1,
        quantity=Decimal(1),
        unit_price=gross - vat,
        vat_rate=Decimal(21),
        net_amount=gross - vat,
    )
    invoice = invoice_of([item], currency="CZK")
    invoice.vat_breakdown[0].vat = vat
    invoice.total_vat = vat
    invoice.total_gross = invoice.amount_due = gross
    assert cents((gross - vat) * Decimal("0.21")) != vat
    assert found(invoice) == []


# --- identifiers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "attribute", "code"),
    [
        ("supplier", "ico", "invalid_ico"),
        ("supplier", "dic", "invalid_dic"),
        ("supplier", "vat_id", "invalid_vat_id"),
        ("supplier", "iban", "invalid_iban"),
        ("customer", "ico", "invalid_ico"),
        ("customer", "vat_id", "invalid_vat_id"),
    ],
)
def test_identifier_with_a_wrong_check_digit_is_reported(
    role: str, attribute: str, code: str
) -> None:
    invoice = correct_invoice()
    party = getattr(invoice, role)
    value = getattr(party, attribute)
    setattr(party, attribute, value[:-1] + str((int(value[-1]) + 1) % 10))
    assert found(invoice) == [(code, f"{role}.{attribute}")]


def test_bic_with_an_unknown_country_is_reported() -> None:
    invoice = correct_invoice()
    invoice.customer.bic = "KOMBQQPP"
    assert found(invoice) == [("invalid_bic", "customer.bic")]


def test_identifier_message_names_the_party_and_value() -> None:
    invoice = correct_invoice()
    invoice.supplier.ico = "12345678"
    (warning,) = check_invoice(invoice)
    assert "supplier" in warning.message
    assert "12345678" in warning.message


# --- credit notes -------------------------------------------------------------------


def credit_note() -> Invoice:
    return invoice_of(
        [
            line(1, "-10", "12.50", "23"),
            line(2, "-2.5", "7.99", "23", discount="10"),
            line(3, "-4", "3.20", "5"),
        ],
        document_type=DocumentType.CREDIT_NOTE,
    )


def test_credit_note_with_negative_amounts_passes() -> None:
    invoice = credit_note()
    assert invoice.amount_due == Decimal("-189.31")
    assert found(invoice) == []


def test_credit_note_cash_rounded_passes() -> None:
    invoice = credit_note()
    invoice.amount_due = Decimal("-189.30")
    assert found(invoice) == []


def test_credit_note_with_a_wrong_line_is_reported() -> None:
    invoice = credit_note()
    invoice.lines[0].unit_price = Decimal("12.60")
    assert found(invoice) == [("line_amount_mismatch", "lines[0].net_amount")]


def test_credit_note_with_wrong_totals_is_reported() -> None:
    invoice = credit_note()
    shift(invoice, "total_gross", "amount_due", by="-0.05")
    assert found(invoice) == [("totals_mismatch", "total_gross")]


# --- properties ---------------------------------------------------------------------

RATES = ["23", "20", "19", "10", "5", "0"]
DISCOUNTS = [None, "0", "5", "10", "12.5", "33.33"]


@st.composite
def issued_lines(draw: st.DrawFn, sign: int = 1) -> list[Line]:
    """Lines as issuing software prints them: a true price with up to 4 decimals printed
    to 2–4, the net computed from the true price, the discounted unit price sometimes
    rounded to cents first."""
    count = draw(st.integers(1, 20))
    lines = []
    for position in range(1, count + 1):
        quantity = sign * Decimal(draw(st.integers(1, 100_000))).scaleb(-3)
        true_price = Decimal(draw(st.integers(1, 10**8))).scaleb(-4)
        printed = true_price.quantize(Decimal(1).scaleb(-draw(st.integers(2, 4))), ROUND_HALF_UP)
        discount = draw(st.sampled_from(DISCOUNTS))
        factor = 1 - Decimal(discount or 0) / 100
        if factor != 1 and draw(st.booleans()):
            net = cents(quantity * cents(true_price * factor))
        else:
            net = cents(quantity * true_price * factor)
        rate = Decimal(draw(st.sampled_from(RATES)))
        vat = cents(net * rate / 100) if draw(st.booleans()) else None
        lines.append(
            Line(
                position=position,
                quantity=quantity,
                unit_price=printed,
                discount_percent=None if discount is None else Decimal(discount),
                vat_rate=rate,
                net_amount=net,
                vat_amount=vat,
            )
        )
    return lines


@st.composite
def issued_invoices(draw: st.DrawFn) -> Invoice:
    credit = draw(st.booleans())
    lines = draw(issued_lines(-1 if credit else 1))
    invoice = invoice_of(
        lines,
        per_line_vat=draw(st.booleans()),
        document_type=DocumentType.CREDIT_NOTE if credit else DocumentType.INVOICE,
    )
    gross = invoice.total_gross
    assert gross is not None
    cash = draw(st.sampled_from(["none", "printed 0.05", "silent 0.05", "silent 1"]))
    if cash != "none":
        step = cash.split()[1]
        invoice.amount_due = to_step(gross, step)
        if cash.startswith("printed"):
            invoice.rounding = invoice.amount_due - gross
    return invoice


@settings(derandomize=True, max_examples=300, deadline=None)
@given(issued_invoices())
def test_invoices_built_with_consistent_arithmetic_never_warn(invoice: Invoice) -> None:
    assert check_invoice(invoice) == []


@settings(derandomize=True, max_examples=200, deadline=None)
@given(issued_invoices(), st.integers(2, 10_000))
def test_gross_total_off_by_more_than_a_cent_always_warns(invoice: Invoice, off: int) -> None:
    invoice.total_gross = (invoice.total_gross or Decimal(0)) + Decimal(off).scaleb(-2)
    assert ("totals_mismatch", "total_gross") in found(invoice)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(issued_invoices(), st.integers(2, 10_000), st.data())
def test_a_line_net_amount_off_by_more_than_its_tolerance_warns(
    invoice: Invoice, off: int, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(invoice.lines) - 1))
    item = invoice.lines[index]
    assert item.quantity is not None and item.unit_price is not None
    assert item.net_amount is not None
    beyond_rounding = abs(item.quantity) * (Decimal("0.02") + abs(item.unit_price) / 1000)
    item.net_amount += beyond_rounding + Decimal(off).scaleb(-2)
    codes = found(invoice)
    assert ("line_amount_mismatch", f"lines[{index}].net_amount") in codes
    assert ("lines_sum_mismatch", "total_net") in codes
