"""The sign of a credit note's amounts, one rule for every format.

The domain keeps a credit note the way Slovak and Czech credit notes are printed:
quantities and amounts negative, unit prices positive, so a credit note reduces what is
owed and invoices and credit notes simply add up in a VAT ledger. ISDOC exporters write
it the same way. EN 16931 does not: a UBL ``CreditNote`` or a CII document with a credit
note type code (381 and its relatives) states the credit with positive amounts, and the
document type says it is a credit. The UBL and CII readers and writers therefore pass a
credit note through :func:`negated`, which turns one convention into the other and back.
An EN 16931 *invoice* with negative amounts (a negative correction, which Peppol allows)
is no credit note and keeps its signs.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from nex_automat.domain.model import AllowanceCharge, Invoice, Line, VatRow
from nex_automat.formats.en16931 import StatedTotals

_ZERO = Decimal(0)


def negated(invoice: Invoice) -> Invoice:
    """The invoice with every amount and quantity negated; prices, rates and percentages
    keep their signs (a unit price is never negative in EN 16931, BR-27)."""
    return dataclasses.replace(
        invoice,
        lines=[_line(line) for line in invoice.lines],
        vat_breakdown=[_vat_row(row) for row in invoice.vat_breakdown],
        allowances_charges=[_allowance(item) for item in invoice.allowances_charges],
        total_net=_neg(invoice.total_net),
        total_vat=_neg(invoice.total_vat),
        total_gross=_neg(invoice.total_gross),
        rounding=_neg(invoice.rounding),
        amount_due=_neg(invoice.amount_due),
        prepaid_amount=_neg(invoice.prepaid_amount),
    )


def negated_totals(stated: StatedTotals) -> StatedTotals:
    return StatedTotals(
        line_total=_neg(stated.line_total),
        allowance_total=_neg(stated.allowance_total),
        charge_total=_neg(stated.charge_total),
    )


def _neg(value: Decimal | None) -> Decimal | None:
    # Subtracting from zero keeps a zero "0.00", where unary minus would make it "-0.00".
    return None if value is None else _ZERO - value


def _line(line: Line) -> Line:
    return dataclasses.replace(
        line,
        quantity=_neg(line.quantity),
        net_amount=_neg(line.net_amount),
        vat_amount=_neg(line.vat_amount),
        gross_amount=_neg(line.gross_amount),
    )


def _vat_row(row: VatRow) -> VatRow:
    return dataclasses.replace(row, base=_neg(row.base), vat=_neg(row.vat))


def _allowance(item: AllowanceCharge) -> AllowanceCharge:
    return dataclasses.replace(item, amount=_ZERO - item.amount, base_amount=_neg(item.base_amount))
