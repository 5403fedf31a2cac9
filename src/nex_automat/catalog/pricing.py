"""Purchase and sale prices of an invoice's lines: what the supplier now charges, what to sell at.

**Margin** here is the markup over the purchase price, as
:attr:`~nex_automat.store.models.ProductGroup.default_margin` defines it::

    sale price = purchase price × (1 + margin / 100)
    margin     = (sale price − purchase price) / purchase price × 100

A product bought at 10.00 with a margin of 25 % sells at 12.50; selling it at 15.00 is a
margin of 50 %. Prices are without VAT unless named ``gross``. Sale prices and VAT
amounts are rounded half-up to cents, margins and price-change percentages to two
decimal places. The purchase unit price is the hand-over's
(:func:`~nex_automat.catalog.handover.net_unit_price`): exact after the discount, so 1 000
screws at 0.0345 are not priced a cent off per piece, and the review page lists exactly
the price changes the ERP will receive.

Pure: numbers in, numbers out, so the page, the hand-over and the tests agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from nex_automat.catalog.handover import net_unit_price
from nex_automat.domain.model import Line
from nex_automat.domain.money import HUNDRED, to_cents

PERCENT_STEP = Decimal("0.01")


class SaleSource(StrEnum):
    """Where a line's sale price comes from."""

    MANUAL = "manual"
    """Set by a person on this invoice."""
    GROUP = "group"
    """The new purchase price with the product group's default margin."""
    CATALOGUE = "catalogue"
    """The product's current sale price, unchanged (its group has no margin)."""


def _percent(value: Decimal) -> Decimal:
    return value.quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


def purchase_unit_price(line: Line) -> Decimal | None:
    """The net price of one unit after the line's discount: what the goods really cost.

    Without a unit price, the line's net over its quantity; ``None`` when neither is known.
    """
    if line.unit_price is None and (line.net_amount is None or not line.quantity):
        return None
    return net_unit_price(line)


@dataclass(frozen=True, slots=True)
class PriceChange:
    """How the purchase price moved against the catalogue's last one."""

    amount: Decimal
    percent: Decimal | None
    """``None`` when the last price was zero: any change is infinitely many percent."""

    @property
    def changed(self) -> bool:
        return self.amount != 0


def price_change(new: Decimal | None, last: Decimal | None) -> PriceChange | None:
    """``new − last`` and its share of ``last``; ``None`` when either price is unknown."""
    if new is None or last is None:
        return None
    amount = new - last
    percent = None if last == 0 else _percent(amount / last * HUNDRED)
    return PriceChange(amount=amount, percent=percent)


def sale_price_from_margin(purchase: Decimal, margin: Decimal) -> Decimal:
    """The sale price (without VAT) that makes ``margin`` % over ``purchase``, in cents."""
    return to_cents(purchase * (1 + margin / HUNDRED))


def margin_from_sale_price(purchase: Decimal, sale: Decimal) -> Decimal | None:
    """The margin % ``sale`` makes over ``purchase``; ``None`` for a zero purchase price."""
    if purchase == 0:
        return None
    return _percent((sale - purchase) / purchase * HUNDRED)


def with_vat(net: Decimal, vat_rate: Decimal | None) -> Decimal:
    """The price with VAT, in cents; without a rate it is the net price."""
    return to_cents(net * (1 + (vat_rate or 0) / HUNDRED))


def without_vat(gross: Decimal, vat_rate: Decimal | None) -> Decimal:
    """The net price a price with VAT stands for, in cents."""
    return to_cents(gross / (1 + (vat_rate or 0) / HUNDRED))


@dataclass(frozen=True, slots=True)
class LinePricing:
    """A line's prices as the review page and the hand-over show them."""

    purchase: Decimal | None
    """The new purchase unit price from the invoice, net, after discount."""
    last_purchase: Decimal | None
    """The catalogue's last purchase price of the product."""
    change: PriceChange | None
    vat_rate: Decimal | None
    sale: Decimal | None
    """The sale price without VAT: set by hand, from the group's margin, or the current one."""
    source: SaleSource | None
    margin: Decimal | None
    """The margin the sale price makes over the new purchase price."""
    catalogue_sale: Decimal | None
    """The product's sale price in the catalogue now."""

    @property
    def sale_gross(self) -> Decimal | None:
        return None if self.sale is None else with_vat(self.sale, self.vat_rate)

    @property
    def purchase_gross(self) -> Decimal | None:
        return None if self.purchase is None else with_vat(self.purchase, self.vat_rate)

    @property
    def sale_changed(self) -> bool:
        return self.sale is not None and self.sale != self.catalogue_sale

    @property
    def needs_approval(self) -> bool:
        """The purchase price moved, or the sale price would change: someone should look."""
        return (self.change is not None and self.change.changed) or self.sale_changed


def price_line(
    *,
    purchase: Decimal | None,
    last_purchase: Decimal | None,
    vat_rate: Decimal | None,
    group_margin: Decimal | None,
    catalogue_sale: Decimal | None,
    chosen_sale: Decimal | None,
) -> LinePricing:
    """A line's prices. The sale price is, first that applies: the one set by hand; the
    product's current one while its purchase price has not moved (nothing to reprice);
    the new purchase price with the group's margin; the product's current one."""
    change = price_change(purchase, last_purchase)
    unchanged = change is None or not change.changed
    if chosen_sale is not None:
        sale, source = chosen_sale, SaleSource.MANUAL
    elif catalogue_sale is not None and unchanged:
        sale, source = catalogue_sale, SaleSource.CATALOGUE
    elif purchase is not None and group_margin is not None:
        sale, source = sale_price_from_margin(purchase, group_margin), SaleSource.GROUP
    elif catalogue_sale is not None:
        sale, source = catalogue_sale, SaleSource.CATALOGUE
    else:
        sale, source = None, None
    margin = None if sale is None or purchase is None else margin_from_sale_price(purchase, sale)
    return LinePricing(
        purchase=purchase,
        last_purchase=last_purchase,
        change=change,
        vat_rate=vat_rate,
        sale=sale,
        source=source,
        margin=margin,
        catalogue_sale=catalogue_sale,
    )
