"""Decimal helpers for comparing amounts the way invoices round them.

Invoices print rounded numbers and compute with the rounded or the unrounded ones
depending on the software that issued them, so the checks compare within tolerances
derived from what was printed. These helpers keep that arithmetic in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
HUNDRED = Decimal(100)

CHECKING_CONTEXT = Context(prec=100, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])
"""The arithmetic the checks run in, whatever a document printed.

Exact for amounts of up to 50 digits and their products, where the default context
rounds at 28 digits and would hide a difference in a long misread number. Nothing traps:
a value beyond any invoice (an exponent of thousands, from a hostile XML file) overflows
to Infinity or NaN, compares as unequal to everything and is reported as a mismatch
instead of raising.
"""


def to_cents(value: Decimal) -> Decimal:
    """Round half-up to cents, as Slovak and Czech tax rules round VAT."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_to_step(value: Decimal, step: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round to a multiple of ``step`` (0.05 for cash rounding, 1 for whole crowns)."""
    return (value / step).quantize(Decimal(1), rounding=rounding) * step


def half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last decimal ``value`` carries.

    A printed ``12.35`` stands for anything in [12.345, 12.355], so this is how far the
    true number may lie from the printed one. Whole numbers count as printed to units,
    even when ``Decimal`` stores them with a positive exponent (``1E+2``).
    """
    exponent = value.as_tuple().exponent
    places = min(exponent, 0) if isinstance(exponent, int) else 0
    return Decimal(5).scaleb(places - 1)


def within(actual: Decimal, expected: Decimal, tolerance: Decimal) -> bool:
    """Whether two amounts agree; tolerances are magnitudes, so signs never matter."""
    return abs(actual - expected) <= abs(tolerance)


def total(values: Iterable[Decimal]) -> Decimal:
    """The sum of ``values``; an exact ``Decimal`` zero for none."""
    return sum(values, Decimal(0))
