"""An invoice as a format can carry it: what the format has no element for is dropped,
and the codes it requires are derived the way our writers derive them."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from nex_automat.domain.model import Invoice, Line, Party
from nex_automat.formats.codes import (
    unit_code,
    unit_name,
    vat_category_for,
)
from nex_automat.formats.ubl.writer import reported_vat_rows


def as_ubl_carries(invoice: Invoice) -> Invoice:
    """The invoice as UBL can carry it: what it has no element for is dropped, and the
    codes Peppol requires are derived the way the writer derives them."""
    expected = dataclasses.replace(invoice, constant_symbol=None)
    if expected.variable_symbol is not None and not expected.variable_symbol.isdigit():
        expected.variable_symbol = None
    expected.customer = dataclasses.replace(invoice.customer, bic=None)
    if invoice.supplier.iban is None:
        expected.supplier = dataclasses.replace(invoice.supplier, bic=None)
    expected.lines = [
        dataclasses.replace(
            line,
            vat_amount=None,
            gross_amount=None,
            unit=None if line.unit is None else unit_name(unit_code(line.unit)),
            vat_category=line.vat_category
            or (None if line.vat_rate is None else vat_category_for(line.vat_rate)),
        )
        for line in invoice.lines
    ]
    expected.vat_breakdown = [
        dataclasses.replace(row, category=row.category or vat_category_for(row.rate))
        for row in reported_vat_rows(invoice)
    ]
    expected.allowances_charges = [
        dataclasses.replace(
            item,
            vat_category=item.vat_category
            or (None if item.vat_rate is None else vat_category_for(item.vat_rate)),
        )
        for item in invoice.allowances_charges
    ]
    return expected


def as_cii_carries(invoice: Invoice) -> Invoice:
    """CII carries what UBL does except the exchange rate; it requires a country for an
    address, and a quantity, a net price and a VAT rate on every line, which the writer
    completes (the rate is the invoice's only one, else 0)."""
    expected = as_ubl_carries(invoice)
    expected.exchange_rate = None
    expected.supplier = _address_with_country(expected.supplier)
    expected.customer = _address_with_country(expected.customer)
    rates = {row.rate for row in invoice.vat_breakdown}
    fallback = rates.pop() if len(rates) == 1 else Decimal(0)
    expected.lines = [_completed_line(line, fallback) for line in expected.lines]
    return expected


def _address_with_country(party: Party) -> Party:
    if party.country is not None:
        return party
    return dataclasses.replace(party, street=None, city=None, postal_code=None)


def _completed_line(line: Line, fallback_rate: Decimal) -> Line:
    quantity = line.quantity if line.quantity is not None else Decimal(1)
    price = line.unit_price
    if price is None:
        net = line.net_amount or Decimal(0)
        price = (net / quantity).quantize(Decimal("0.0001")) if quantity else net
    rate = line.vat_rate if line.vat_rate is not None else fallback_rate
    category = line.vat_category or vat_category_for(rate)
    return dataclasses.replace(
        line, quantity=quantity, unit_price=price, vat_rate=rate, vat_category=category
    )
