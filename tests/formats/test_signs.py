"""One sign rule for credit notes: the domain's negative form against EN 16931's positive one."""

from __future__ import annotations

from decimal import Decimal

from nex_automat.formats.en16931 import StatedTotals
from nex_automat.formats.signs import negated, negated_totals
from tests.formats.invoices import allowances_invoice, slovak_credit_note


def test_amounts_and_quantities_change_sign_but_prices_and_rates_do_not() -> None:
    credit = slovak_credit_note()
    stated = negated(credit)
    line = stated.lines[0]
    assert (line.quantity, line.net_amount, line.unit_price, line.vat_rate) == (
        Decimal(10),
        Decimal("52.00"),
        Decimal("5.20"),
        Decimal(23),
    )
    assert (stated.total_net, stated.total_vat, stated.total_gross, stated.amount_due) == (
        Decimal("52.00"),
        Decimal("11.96"),
        Decimal("63.96"),
        Decimal("63.96"),
    )
    assert stated.vat_breakdown[0].base == Decimal("52.00")


def test_allowances_change_sign_with_their_base_but_keep_their_percent() -> None:
    allowance = negated(allowances_invoice()).allowances_charges[0]
    assert (allowance.amount, allowance.base_amount, allowance.percent) == (
        Decimal("-4.00"),
        Decimal("-40.00"),
        Decimal(10),
    )


def test_negating_twice_gives_the_invoice_back() -> None:
    assert negated(negated(allowances_invoice())) == allowances_invoice()


def test_zero_stays_a_plain_zero() -> None:
    rows = negated(allowances_invoice()).vat_breakdown
    assert str(rows[0].vat) == "0.00"


def test_stated_totals_change_sign_and_missing_ones_stay_missing() -> None:
    stated = negated_totals(StatedTotals(line_total=Decimal("100.00"), charge_total=None))
    assert stated == StatedTotals(line_total=Decimal("-100.00"))
