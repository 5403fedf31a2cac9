"""Prices of a line: the purchase price after discount, its change, margin ↔ sale price, VAT."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nex_automat.catalog.pricing import (
    SaleSource,
    margin_from_sale_price,
    price_change,
    price_line,
    purchase_unit_price,
    sale_price_from_margin,
    with_vat,
    without_vat,
)
from nex_automat.domain.model import Line

D = Decimal


def priced(unit_price: str | None, discount: str | None = None, **amounts: str) -> Line:
    return Line(
        1,
        unit_price=None if unit_price is None else D(unit_price),
        discount_percent=None if discount is None else D(discount),
        **{name: D(value) for name, value in amounts.items()},  # type: ignore[arg-type]
    )


def test_the_purchase_price_is_the_unit_price_after_the_line_discount() -> None:
    assert purchase_unit_price(priced("19.68", "10")) == D("17.712")
    assert purchase_unit_price(priced("2.357", "5")) == D("2.23915")


def test_a_purchase_price_without_discount_is_the_unit_price_as_printed() -> None:
    assert purchase_unit_price(priced("10.15")) == D("10.15")
    assert purchase_unit_price(priced("10.15", "0")) == D("10.15")


def test_a_discounted_price_is_exact_not_rounded_to_cents() -> None:
    assert purchase_unit_price(priced("0.0345", "3")) == D("0.033465")


def test_without_a_unit_price_the_net_over_the_quantity_is_the_price() -> None:
    line = priced(None, net_amount="100.00", quantity="3")
    assert purchase_unit_price(line) == D("33.333333")


def test_no_unit_price_and_no_net_no_purchase_price() -> None:
    assert purchase_unit_price(priced(None, "5")) is None


def test_a_price_rise_is_shown_as_amount_and_percent() -> None:
    change = price_change(D("11.00"), D("10.00"))
    assert change is not None
    assert (change.amount, change.percent, change.changed) == (D("1.00"), D("10.00"), True)


def test_a_price_drop_is_negative_and_the_percent_is_rounded_half_up() -> None:
    change = price_change(D("2.00"), D("3.00"))
    assert change is not None
    assert (change.amount, change.percent) == (D("-1.00"), D("-33.33"))
    assert price_change(D("1.00"), D("8.00")).percent == D("-87.50")  # type: ignore[union-attr]


def test_an_unchanged_price_is_not_a_change() -> None:
    change = price_change(D("4.50"), D("4.5"))
    assert change is not None and not change.changed


def test_a_change_from_a_zero_price_has_no_percent() -> None:
    change = price_change(D("5"), D("0"))
    assert change is not None and change.percent is None


def test_without_a_last_price_there_is_no_change() -> None:
    assert price_change(D("5"), None) is None
    assert price_change(None, D("5")) is None


def test_margin_is_a_markup_on_the_purchase_price() -> None:
    assert sale_price_from_margin(D("10.00"), D("25")) == D("12.50")
    assert margin_from_sale_price(D("10.00"), D("15.00")) == D("50.00")


@pytest.mark.parametrize(
    ("purchase", "margin", "sale"),
    [
        (D("17.712"), D("25"), D("22.14")),  # 22.14 exactly
        (D("1.005"), D("0"), D("1.01")),  # half-up, not to even
        (D("2.23915"), D("33.3"), D("2.98")),  # 2.98478…
        (D("3.333"), D("-10"), D("3.00")),  # selling below cost is a negative margin
    ],
)
def test_sale_price_from_margin_is_rounded_half_up_to_cents(
    purchase: Decimal, margin: Decimal, sale: Decimal
) -> None:
    assert sale_price_from_margin(purchase, margin) == sale


def test_a_sale_price_set_by_hand_survives_the_trip_through_its_margin() -> None:
    purchase = D("7.80")
    for sale in (D("8.78"), D("9.99"), D("10.92"), D("25.00")):
        margin = margin_from_sale_price(purchase, sale)
        assert margin is not None
        assert sale_price_from_margin(purchase, margin) == sale


def test_the_margin_of_a_rounded_sale_price_is_what_it_really_makes() -> None:
    sale = sale_price_from_margin(D("7.80"), D("12.5"))  # 8.775 → 8.78
    assert (sale, margin_from_sale_price(D("7.80"), sale)) == (D("8.78"), D("12.56"))


def test_a_zero_purchase_price_has_no_margin() -> None:
    assert margin_from_sale_price(D("0"), D("5")) is None


def test_prices_with_and_without_vat() -> None:
    assert with_vat(D("12.50"), D("23")) == D("15.38")  # 15.375 rounds up
    assert without_vat(D("15.38"), D("23")) == D("12.50")
    assert with_vat(D("10"), None) == D("10.00")
    assert without_vat(D("12.10"), D("10")) == D("11.00")


def test_a_hand_set_sale_price_wins_over_the_groups_margin() -> None:
    priced = price_line(
        purchase=D("10.00"),
        last_purchase=D("9.00"),
        vat_rate=D("23"),
        group_margin=D("25"),
        catalogue_sale=D("11.50"),
        chosen_sale=D("14.00"),
    )
    assert (priced.sale, priced.source, priced.margin) == (
        D("14.00"),
        SaleSource.MANUAL,
        D("40.00"),
    )
    assert priced.sale_gross == D("17.22")
    assert priced.needs_approval


def test_the_groups_margin_prices_the_new_purchase_price() -> None:
    priced = price_line(
        purchase=D("11.00"),
        last_purchase=D("10.00"),
        vat_rate=D("20"),
        group_margin=D("25"),
        catalogue_sale=D("12.50"),
        chosen_sale=None,
    )
    assert (priced.sale, priced.source, priced.margin) == (D("13.75"), SaleSource.GROUP, D("25.00"))
    assert priced.change is not None and priced.change.percent == D("10.00")
    assert priced.sale_changed and priced.needs_approval
    assert (priced.purchase_gross, priced.sale_gross) == (D("13.20"), D("16.50"))


def test_while_the_purchase_price_holds_the_current_sale_price_stays() -> None:
    priced = price_line(
        purchase=D("10.00"),
        last_purchase=D("10.00"),
        vat_rate=D("23"),
        group_margin=D("25"),
        catalogue_sale=D("13.90"),
        chosen_sale=None,
    )
    assert (priced.sale, priced.source, priced.margin) == (
        D("13.90"),
        SaleSource.CATALOGUE,
        D("39.00"),
    )
    assert not priced.needs_approval


def test_a_product_new_to_the_catalogue_is_priced_by_its_groups_margin() -> None:
    priced = price_line(
        purchase=D("3.10"),
        last_purchase=None,
        vat_rate=D("23"),
        group_margin=D("30"),
        catalogue_sale=None,
        chosen_sale=None,
    )
    assert (priced.sale, priced.source, priced.sale_gross) == (
        D("4.03"),
        SaleSource.GROUP,
        D("4.96"),
    )


def test_without_a_group_margin_the_current_sale_price_stays() -> None:
    priced = price_line(
        purchase=D("10.00"),
        last_purchase=D("9.50"),
        vat_rate=D("23"),
        group_margin=None,
        catalogue_sale=D("13.00"),
        chosen_sale=None,
    )
    assert (priced.sale, priced.source, priced.margin) == (
        D("13.00"),
        SaleSource.CATALOGUE,
        D("30.00"),
    )
    assert priced.needs_approval and not priced.sale_changed


def test_an_unmatched_line_has_no_sale_price() -> None:
    priced = price_line(
        purchase=D("4.59"),
        last_purchase=None,
        vat_rate=D("23"),
        group_margin=None,
        catalogue_sale=None,
        chosen_sale=None,
    )
    assert (priced.sale, priced.source, priced.margin, priced.change) == (None, None, None, None)
    assert not priced.needs_approval
