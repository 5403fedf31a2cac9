"""Field-by-field comparison of an extracted invoice with the generator's truth."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nex_automat.domain.model import PARTY_FIELDS, Invoice, Line, VatRow

HEADER_FIELDS: tuple[str, ...] = (
    "document_type",
    "number",
    "issue_date",
    "tax_point_date",
    "due_date",
    "currency",
    "variable_symbol",
    "constant_symbol",
    "order_reference",
    "preceding_invoice",
)
TOTAL_FIELDS: tuple[str, ...] = (
    "total_net",
    "total_vat",
    "total_gross",
    "rounding",
    "amount_due",
    "prepaid_amount",
)
LINE_FIELDS: tuple[str, ...] = (
    "description",
    "seller_code",
    "ean",
    "quantity",
    "unit",
    "unit_price",
    "discount_percent",
    "vat_rate",
    "net_amount",
    "vat_amount",
    "gross_amount",
)
VAT_FIELDS: tuple[str, ...] = ("base", "vat")


@dataclass(frozen=True, slots=True)
class FieldResult:
    path: str
    expected: Any
    got: Any
    ok: bool


def same(expected: Any, got: Any) -> bool:
    """Decimals by value, strings with whitespace collapsed, ``None`` only equal to ``None``."""
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, Decimal) or isinstance(got, Decimal):
        try:
            return Decimal(str(expected)) == Decimal(str(got))
        except ArithmeticError:
            return False
    if isinstance(expected, str) and isinstance(got, str):
        return " ".join(expected.split()) == " ".join(got.split())
    return bool(expected == got)


def _result(path: str, expected: Any, got: Any) -> FieldResult:
    return FieldResult(path, expected, got, same(expected, got))


def _lines(truth: list[Line], got: list[Line]) -> list[FieldResult]:
    results: list[FieldResult] = []
    for index in range(max(len(truth), len(got))):
        expected_line = truth[index] if index < len(truth) else None
        got_line = got[index] if index < len(got) else None
        for name in LINE_FIELDS:
            path = f"lines[{index}].{name}"
            expected = getattr(expected_line, name) if expected_line else None
            value = getattr(got_line, name) if got_line else None
            if expected_line is None or got_line is None:
                results.append(FieldResult(path, expected, value, False))
            else:
                results.append(_result(path, expected, value))
    return results


def _vat_rows(truth: list[VatRow], got: list[VatRow]) -> list[FieldResult]:
    def by_rate(rows: list[VatRow]) -> dict[Decimal, VatRow]:
        return {Decimal(str(row.rate)).normalize(): row for row in rows}

    expected_rows, got_rows = by_rate(truth), by_rate(got)
    results: list[FieldResult] = []
    for rate in sorted(set(expected_rows) | set(got_rows), reverse=True):
        expected_row, got_row = expected_rows.get(rate), got_rows.get(rate)
        for name in VAT_FIELDS:
            path = f"vat_breakdown[{rate:f}].{name}"
            expected = getattr(expected_row, name) if expected_row else None
            value = getattr(got_row, name) if got_row else None
            if expected_row is None or got_row is None:
                results.append(FieldResult(path, expected, value, False))
            else:
                results.append(_result(path, expected, value))
    return results


def compare(truth: Invoice, got: Invoice) -> list[FieldResult]:
    """One result per field of the truth (and per line or VAT row either side has)."""
    results = [_result(name, getattr(truth, name), getattr(got, name)) for name in HEADER_FIELDS]
    for role in ("supplier", "customer"):
        expected_party, got_party = getattr(truth, role), getattr(got, role)
        results.extend(
            _result(f"{role}.{name}", getattr(expected_party, name), getattr(got_party, name))
            for name in PARTY_FIELDS
        )
    results.extend(_lines(truth.lines, got.lines))
    results.extend(_vat_rows(truth.vat_breakdown, got.vat_breakdown))
    results.extend(_result(name, getattr(truth, name), getattr(got, name)) for name in TOTAL_FIELDS)
    return results


def accuracy(results: list[FieldResult]) -> float:
    return sum(r.ok for r in results) / len(results) if results else 1.0
