"""Slovak, Czech and English amounts, percentages and currencies as printed on invoices."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class AmountMatch:
    value: Decimal
    start: int
    end: int


def parse_amount(text: str, decimal_separator: str | None = None) -> Decimal | None:
    """The amount ``text`` holds, or ``None`` when it is not (only) an amount."""
    raise NotImplementedError


def find_amounts(text: str, decimal_separator: str | None = None) -> list[AmountMatch]:
    """Every amount standing in ``text``, left to right."""
    raise NotImplementedError


def parse_percent(text: str) -> Decimal | None:
    raise NotImplementedError


def detect_currency(text: str) -> str | None:
    raise NotImplementedError
