"""How Slovak and Czech ERPs print numbers, money and dates."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

NUMBER_STYLES: dict[str, tuple[str, str]] = {
    "space_comma": (" ", ","),
    "nbsp_comma": ("\u00a0", ","),
    "plain_comma": ("", ","),
    "dot_comma": (".", ","),
    "comma_dot": (",", "."),
    "plain_dot": ("", "."),
}

DATE_STYLES: tuple[str, ...] = ("dmy_dot", "dmy_spaced", "dmy_short", "iso", "dmy_slash")

CURRENCY_SYMBOLS: dict[str, tuple[str, str]] = {"EUR": ("€", "EUR"), "CZK": ("Kč", "CZK")}

CURRENCY_PLACEMENTS: tuple[str, ...] = (
    "after_symbol",
    "after_code",
    "before_symbol",
    "before_code",
    "header",
)


def quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(
    value: Decimal, style: str, places: int | None = None, trailing_minus: bool = False
) -> str:
    """``value`` with ``places`` decimals (default: as stored) in the given style."""
    thousands, decimal_mark = NUMBER_STYLES[style]
    if places is not None:
        value = quantize(value, places)
    negative = value < 0
    text = f"{abs(value):f}"
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    body = thousands.join(groups) + (decimal_mark + fraction if fraction else "")
    if negative:
        return body + "-" if trailing_minus else "-" + body
    return body


def money(
    value: Decimal, style: str, currency: str, placement: str, trailing_minus: bool = False
) -> str:
    """An amount with its currency where the layout puts it (nothing for ``header``)."""
    amount = number(value, style, 2, trailing_minus)
    symbol, code = CURRENCY_SYMBOLS[currency]
    return {
        "after_symbol": f"{amount} {symbol}",
        "after_code": f"{amount} {code}",
        "before_symbol": f"{symbol} {amount}",
        "before_code": f"{code} {amount}",
        "header": amount,
    }[placement]


def currency_label(currency: str, placement: str) -> str:
    """What a column header or totals label shows for the currency."""
    symbol, code = CURRENCY_SYMBOLS[currency]
    return symbol if placement.endswith("symbol") else code


def percent(rate: Decimal, with_sign: bool = True) -> str:
    text = f"{rate.normalize():f}"
    return f"{text} %" if with_sign else text


def day(value: date, style: str) -> str:
    return {
        "dmy_dot": f"{value.day:02d}.{value.month:02d}.{value.year}",
        "dmy_spaced": f"{value.day}. {value.month}. {value.year}",
        "dmy_short": f"{value.day}.{value.month}.{value.year % 100:02d}",
        "iso": value.isoformat(),
        "dmy_slash": f"{value.day:02d}/{value.month:02d}/{value.year}",
    }[style]
