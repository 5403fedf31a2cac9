"""Properties of the invoice checks over arbitrary invoices.

Readers hand the checks whatever a document printed, and OCR can misread anything, so
the checks must answer for any values the model admits: a list of warnings with known
codes, never an exception. (That arithmetically consistent invoices pass is specified in
``test_checks.py``, over generated invoices too.) Seeds are fixed and example counts
bounded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from nex_automat.domain.checks import WarningCode, check_invoice
from nex_automat.domain.model import (
    AllowanceCharge,
    DocumentType,
    Invoice,
    InvoiceWarning,
    Line,
    Party,
    VatRow,
)

# Amounts as printed (a few digits, cents), as misread (very long digit runs) and as
# structured data may state them (any exponent a decimal string can carry).
printed_amounts = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False
)
misread_amounts = st.builds(
    lambda digits, places, negative: Decimal(("-" if negative else "") + digits).scaleb(-places),
    st.text("0123456789", min_size=1, max_size=60),
    st.integers(0, 8),
    st.booleans(),
)
extreme_amounts = st.decimals(allow_nan=False, allow_infinity=False)
amounts = st.one_of(printed_amounts, misread_amounts, extreme_amounts)
optional_amounts = st.none() | amounts
rates = st.sampled_from([Decimal(r) for r in ("0", "5", "10", "12", "19", "20", "21", "23")])
any_rates = st.one_of(rates, amounts)
texts = st.none() | st.text(max_size=30)
identifiers = (
    st.none() | st.text(alphabet="0123456789SKCZAT BX", max_size=34) | st.text(max_size=20)
)
dates = st.none() | st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))

parties = st.builds(
    Party,
    name=texts,
    ico=identifiers,
    dic=identifiers,
    vat_id=identifiers,
    iban=identifiers,
    bic=identifiers,
    country=texts,
)
lines = st.builds(
    Line,
    position=st.integers(-5, 10_000),
    description=texts,
    ean=identifiers,
    quantity=optional_amounts,
    unit=texts,
    unit_price=optional_amounts,
    discount_percent=optional_amounts,
    vat_rate=st.none() | any_rates,
    net_amount=optional_amounts,
    vat_amount=optional_amounts,
    gross_amount=optional_amounts,
)
vat_rows = st.builds(VatRow, rate=any_rates, base=optional_amounts, vat=optional_amounts)
allowances = st.builds(AllowanceCharge, is_charge=st.booleans(), amount=amounts)
invoices = st.builds(
    Invoice,
    document_type=st.sampled_from(DocumentType),
    number=texts,
    issue_date=dates,
    tax_point_date=dates,
    due_date=dates,
    currency=texts,
    supplier=parties,
    customer=parties,
    lines=st.lists(lines, max_size=6),
    vat_breakdown=st.lists(vat_rows, max_size=4),
    total_net=optional_amounts,
    total_vat=optional_amounts,
    total_gross=optional_amounts,
    rounding=optional_amounts,
    amount_due=optional_amounts,
    prepaid_amount=optional_amounts,
    allowances_charges=st.lists(allowances, max_size=2),
)

CODES = {code.value for code in WarningCode}


@settings(max_examples=200, derandomize=True, deadline=None)
@given(invoice=invoices)
def test_any_invoice_is_checked_without_raising(invoice: Invoice) -> None:
    warnings = check_invoice(invoice)
    for warning in warnings:
        assert isinstance(warning, InvoiceWarning)
        assert warning.code in CODES
        assert warning.message


@settings(max_examples=200, derandomize=True, deadline=None)
@given(invoice=invoices)
def test_checking_twice_gives_the_same_warnings_and_changes_nothing(invoice: Invoice) -> None:
    before = repr(invoice)
    first = check_invoice(invoice)
    assert check_invoice(invoice) == first
    assert repr(invoice) == before


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    net=misread_amounts,
    vat=misread_amounts,
    off=st.integers(2, 10_000),
)
def test_totals_of_any_length_that_disagree_are_reported_never_rounded_away(
    net: Decimal, vat: Decimal, off: int
) -> None:
    with localcontext(prec=200):
        gross = net + vat + Decimal(off).scaleb(-2)
    invoice = Invoice(
        number="1", issue_date=date(2025, 1, 1), total_net=net, total_vat=vat, total_gross=gross
    )
    codes = [(w.code, w.field) for w in check_invoice(invoice)]
    assert ("totals_mismatch", "total_gross") in codes
