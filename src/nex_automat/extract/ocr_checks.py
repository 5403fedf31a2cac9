"""Likely misread digits in values that came from OCR, offered as corrections, never applied.

OCR confuses a few glyph pairs again and again (0/8/6, 5/6, 1/7, 3/8 and letters standing
for digits: O, S, l, B). When a checksum fails (IČO, DIČ, IBAN, EAN) or the arithmetic of
a line or of the totals does not hold, every single-character confusion of each OCR value
involved is tried, and a correction is proposed only when exactly one makes it hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation

from nex_automat.domain.identifiers import (
    is_valid_dic,
    is_valid_ean,
    is_valid_iban,
    is_valid_ico,
    is_valid_vat_id,
)
from nex_automat.domain.model import Invoice, InvoiceWarning, Line

CODE = "ocr_suggested_correction"

CONFUSIONS: dict[str, str] = {
    "0": "869O",
    "1": "7l4I",
    "2": "7Z",
    "3": "8",
    "4": "1",
    "5": "6S",
    "6": "508",
    "7": "12",
    "8": "0369B",
    "9": "80",
    "O": "0",
    "o": "0",
    "D": "0",
    "S": "5",
    "s": "5",
    "l": "1",
    "I": "1",
    "i": "1",
    "B": "8",
    "Z": "2",
    "G": "6",
    "g": "9",
}
"""Each character and what OCR often reads in its place, the likelier first."""

_IDENTIFIERS: tuple[tuple[str, str, Callable[[str], bool]], ...] = (
    ("ico", "IČO", is_valid_ico),
    ("dic", "DIČ", is_valid_dic),
    ("vat_id", "VAT id", is_valid_vat_id),
    ("iban", "IBAN", is_valid_iban),
)
_CENT = Decimal("0.01")
_HALF_CENT = Decimal("0.005")


def variants(text: str) -> Iterator[str]:
    """Every text differing from ``text`` by one commonly confused character."""
    for index, char in enumerate(text):
        for other in CONFUSIONS.get(char, ""):
            yield text[:index] + other + text[index + 1 :]


def suggest_corrections(invoice: Invoice, ocr_fields: set[str]) -> list[InvoiceWarning]:
    """Warnings proposing the likely reading of OCR values that fail a check."""
    return [
        *_identifier_corrections(invoice, ocr_fields),
        *_arithmetic_corrections(invoice, ocr_fields),
    ]


def _warning(path: str, read: str, suggested: str, reason: str) -> InvoiceWarning:
    return InvoiceWarning(
        code=CODE,
        message=f"{path} was read by OCR as {read}; {suggested} is likely ({reason}).",
        field=path,
    )


def _identifier_corrections(invoice: Invoice, ocr_fields: set[str]) -> Iterator[InvoiceWarning]:
    candidates: list[tuple[str, str, str, Callable[[str], bool]]] = []
    for role in ("supplier", "customer"):
        party = getattr(invoice, role)
        for attribute, label, is_valid in _IDENTIFIERS:
            candidates.append((f"{role}.{attribute}", getattr(party, attribute), label, is_valid))
    for index, line in enumerate(invoice.lines):
        candidates.append((f"lines[{index}].ean", line.ean, "EAN", is_valid_ean))
    for path, value, label, is_valid in candidates:
        if not value or path not in ocr_fields or is_valid(value):
            continue
        valid = list(dict.fromkeys(v for v in variants(value) if is_valid(v)))
        if len(valid) == 1:
            yield _warning(path, value, valid[0], f"the {label} checksum then holds")


# --- arithmetic -----------------------------------------------------------------------------


def _decimal_variants(value: Decimal) -> list[Decimal]:
    found = []
    for text in variants(format(value, "f")):
        try:
            found.append(Decimal(text))
        except InvalidOperation:
            continue
    return found


Relation = tuple[Sequence[str], Callable[[dict[str, Decimal]], bool], str]
"""Field paths, a test that their values agree, and what the agreement means."""


def _line_relations(index: int, line: Line) -> Iterator[Relation]:
    prefix = f"lines[{index}]."
    if line.quantity is not None and line.unit_price is not None and line.net_amount is not None:
        keep = 1 - (line.discount_percent or Decimal(0)) / 100
        paths = [prefix + "quantity", prefix + "unit_price", prefix + "net_amount"]

        def product(
            values: dict[str, Decimal], paths: list[str] = paths, keep: Decimal = keep
        ) -> bool:
            quantity, price, net = (values[p] for p in paths)
            tolerance = _HALF_CENT
            if -price.as_tuple().exponent > 2:  # type: ignore[operator]
                tolerance += abs(quantity) * _HALF_CENT
            return abs(quantity * price * keep - net) <= tolerance

        yield paths, product, "quantity × unit price then equals the line amount"
    if (
        line.net_amount is not None
        and line.vat_amount is not None
        and line.gross_amount is not None
    ):
        paths = [prefix + "net_amount", prefix + "vat_amount", prefix + "gross_amount"]
        yield paths, _sums_to(paths), "net + VAT then equals the line's gross amount"


def _sums_to(paths: Sequence[str]) -> Callable[[dict[str, Decimal]], bool]:
    *parts, whole = paths

    def check(values: dict[str, Decimal]) -> bool:
        return abs(sum((values[p] for p in parts), Decimal(0)) - values[whole]) <= _CENT

    return check


def _relations(invoice: Invoice) -> Iterator[Relation]:
    for index, line in enumerate(invoice.lines):
        yield from _line_relations(index, line)
    if (
        invoice.total_net is not None
        and invoice.total_vat is not None
        and invoice.total_gross is not None
    ):
        paths = ["total_net", "total_vat", "total_gross"]
        yield paths, _sums_to(paths), "net + VAT then equals the total"
    nets = [line.net_amount for line in invoice.lines]
    if invoice.total_net is not None and nets and all(n is not None for n in nets):
        paths = [f"lines[{i}].net_amount" for i in range(len(nets))] + ["total_net"]
        yield paths, _sums_to(paths), "the lines then add up to the net total"
    for index, row in enumerate(invoice.vat_breakdown):
        if row.base is None or row.vat is None or row.rate is None:
            continue
        paths = [f"vat_breakdown[{index}].base", f"vat_breakdown[{index}].vat"]

        def recap(
            values: dict[str, Decimal], paths: list[str] = paths, rate: Decimal = row.rate
        ) -> bool:
            base, vat = (values[p] for p in paths)
            return abs(base * rate / 100 - vat) <= _CENT

        yield paths, recap, "base × rate then equals the VAT"


def _value(invoice: Invoice, path: str) -> Decimal:
    target: object = invoice
    for part in path.split("."):
        name, _, index = part.partition("[")
        target = getattr(target, name)
        if index:
            target = target[int(index.rstrip("]"))]  # type: ignore[index]
    assert isinstance(target, Decimal)
    return target


def _arithmetic_corrections(invoice: Invoice, ocr_fields: set[str]) -> Iterator[InvoiceWarning]:
    seen: set[str] = set()
    for paths, holds, reason in _relations(invoice):
        values = {path: _value(invoice, path) for path in paths}
        if holds(values) or not any(path in ocr_fields for path in paths):
            continue
        fixes = [
            (path, candidate)
            for path in paths
            if path in ocr_fields
            for candidate in _decimal_variants(values[path])
            if holds({**values, path: candidate})
        ]
        if len(fixes) == 1 and fixes[0][0] not in seen:
            path, candidate = fixes[0]
            seen.add(path)
            yield _warning(path, format(values[path], "f"), format(candidate, "f"), reason)
