"""What a reviewer must look at on an invoice: arithmetic, VAT recap, identifiers, dates.

Each check is a small function from an invoice to the warnings it finds, and
:func:`check_invoice` runs the table of them. A check runs only when the values it needs
are on the invoice: a value that is missing is reported once, by a ``missing_*`` check,
never again as a mismatch.

Printed invoices are rounded, and the software that issued them rounded in one of
several legitimate ways, so arithmetic is compared within tolerances derived from what
was printed (each check says why its tolerance is what it is). Credit notes carry
negative amounts; every tolerance is a magnitude, so they are checked the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from nex_automat.domain.identifiers import (
    is_valid_bic,
    is_valid_dic,
    is_valid_ean,
    is_valid_iban,
    is_valid_ico,
    is_valid_vat_id,
)
from nex_automat.domain.model import Invoice, InvoiceWarning, Line, Party
from nex_automat.domain.money import (
    CENT,
    CHECKING_CONTEXT,
    HALF_CENT,
    HUNDRED,
    half_unit,
    round_to_step,
    to_cents,
    total,
    within,
)


class WarningCode(StrEnum):
    TOTALS_MISMATCH = "totals_mismatch"
    VAT_RECAP_MISMATCH = "vat_recap_mismatch"
    LINES_SUM_MISMATCH = "lines_sum_mismatch"
    LINE_AMOUNT_MISMATCH = "line_amount_mismatch"
    INVALID_ICO = "invalid_ico"
    INVALID_DIC = "invalid_dic"
    INVALID_VAT_ID = "invalid_vat_id"
    INVALID_IBAN = "invalid_iban"
    INVALID_BIC = "invalid_bic"
    INVALID_EAN = "invalid_ean"
    MISSING_NUMBER = "missing_number"
    MISSING_ISSUE_DATE = "missing_issue_date"
    MISSING_TOTAL = "missing_total"
    DUE_BEFORE_ISSUE = "due_before_issue"


Check = Callable[[Invoice], Iterable[InvoiceWarning]]

# Cash rounding of the amount due when no rounding line is printed: to 0.05 (Slovak and
# other euro cash rounding) or to whole units (Czech crowns). Issuing software rounds
# half-up, or always up or always down, depending on its settings.
_CASH_STEPS = (Decimal("0.05"), Decimal(1))
_CASH_ROUNDINGS = (ROUND_HALF_UP, ROUND_CEILING, ROUND_FLOOR)


def _warning(code: WarningCode, message: str, field: str | None) -> InvoiceWarning:
    return InvoiceWarning(code=code.value, message=message, field=field)


def _percent(rate: Decimal) -> str:
    return f"{rate} %"


# --- presence and dates -------------------------------------------------------------


def check_number(invoice: Invoice) -> Iterator[InvoiceWarning]:
    if invoice.number is None or not invoice.number.strip():
        yield _warning(WarningCode.MISSING_NUMBER, "The invoice number is missing.", "number")


def check_issue_date(invoice: Invoice) -> Iterator[InvoiceWarning]:
    if invoice.issue_date is None:
        yield _warning(WarningCode.MISSING_ISSUE_DATE, "The issue date is missing.", "issue_date")


def check_total_present(invoice: Invoice) -> Iterator[InvoiceWarning]:
    """Without an amount due or a gross total there is nothing to pay or book."""
    if invoice.amount_due is None and invoice.total_gross is None:
        yield _warning(
            WarningCode.MISSING_TOTAL,
            "Neither the amount due nor the gross total was found.",
            "amount_due",
        )


def check_due_date(invoice: Invoice) -> Iterator[InvoiceWarning]:
    issued, due = invoice.issue_date, invoice.due_date
    if issued is not None and due is not None and due < issued:
        yield _warning(
            WarningCode.DUE_BEFORE_ISSUE,
            f"The due date {due.isoformat()} is before the issue date {issued.isoformat()}.",
            "due_date",
        )


# --- lines --------------------------------------------------------------------------


def _line_tolerance(quantity: Decimal, unit_price: Decimal, discount: Decimal | None) -> Decimal:
    """How far quantity × unit price × (1 − discount) may honestly lie from the net amount.

    - The net amount is rounded to cents: half a cent.
    - The printed unit price is rounded to the decimals printed (a true 1.2345 printed as
      1.23), and the issuer multiplied the true one: half a unit of its last printed
      decimal, times the quantity, times the discount factor.
    - A discount printed with decimals (33.33 % for a third) is rounded the same way: half
      a unit of its last decimal, as a percentage of quantity × price. A whole-number
      discount is taken as exact: nobody prints 12.5 % as 13 %.
    - Many programs round the discounted unit price before multiplying by the quantity:
      half a unit of the price's precision (at least half a cent) per unit of quantity.
    """
    magnitude = abs(quantity)
    price_error = half_unit(unit_price)
    if not discount:
        return HALF_CENT + magnitude * price_error
    discount_error = half_unit(discount) if discount != discount.to_integral_value() else Decimal(0)
    return (
        HALF_CENT
        + magnitude * price_error * abs(1 - discount / HUNDRED)
        + magnitude * (abs(unit_price) + price_error) * discount_error / HUNDRED
        + magnitude * max(price_error, HALF_CENT)
    )


def check_line_amounts(invoice: Invoice) -> Iterator[InvoiceWarning]:
    """Quantity × unit price × (1 − discount / 100) against each line's net amount."""
    for index, line in enumerate(invoice.lines):
        quantity, price, net = line.quantity, line.unit_price, line.net_amount
        if quantity is None or price is None or net is None:
            continue
        discount = line.discount_percent
        expected = quantity * price
        if discount is not None:
            expected *= 1 - discount / HUNDRED
        if within(net, expected, _line_tolerance(quantity, price, discount)):
            continue
        less = f" − {_percent(discount)}" if discount else ""
        yield _warning(
            WarningCode.LINE_AMOUNT_MISMATCH,
            f"Line {line.position}: {quantity} × {price}{less} = {to_cents(expected)}, "
            f"but the net amount is {net}.",
            f"lines[{index}].net_amount",
        )


def check_lines_sum(invoice: Invoice) -> Iterator[InvoiceWarning]:
    """The line net amounts against the net total (or the recap bases without one).

    Lines are printed rounded to cents and issuers add the printed amounts, so the sums
    agree to the cent; the one-cent tolerance only absorbs a last rounding of the total.
    Anything more means a line was missed, misread or read twice. Runs only when every
    line has a net amount: a partial sum proves nothing.
    """
    lines = invoice.lines
    if not lines or any(line.net_amount is None for line in lines):
        return
    lines_net = total(line.net_amount for line in lines if line.net_amount is not None)
    if invoice.total_net is not None:
        expected, what, field = invoice.total_net, "the net total", "total_net"
    else:
        bases = [row.base for row in invoice.vat_breakdown]
        if not bases or any(base is None for base in bases):
            return
        expected = total(base for base in bases if base is not None)
        what, field = "the VAT recap bases", "vat_breakdown"
    if not within(lines_net, expected, CENT):
        yield _warning(
            WarningCode.LINES_SUM_MISMATCH,
            f"The {len(lines)} line net amounts sum to {lines_net}, but {what} is {expected}.",
            field,
        )


def check_line_eans(invoice: Invoice) -> Iterator[InvoiceWarning]:
    for index, line in enumerate(invoice.lines):
        if line.ean and not is_valid_ean(line.ean):
            yield _warning(
                WarningCode.INVALID_EAN,
                f"Line {line.position}: EAN {line.ean} has an invalid check digit.",
                f"lines[{index}].ean",
            )


# --- VAT recap ----------------------------------------------------------------------


def _lines_at(lines: Iterable[Line], rate: Decimal) -> list[Line]:
    return [line for line in lines if line.vat_rate is not None and line.vat_rate == rate]


def _recap_vat_agrees(rate: Decimal, base: Decimal, vat: Decimal, lines: list[Line]) -> bool:
    """Whether a recap row's VAT is its base × rate under one of the rounding schemes.

    - Per rate: VAT = base × rate rounded half-up to cents. Compared with the unrounded
      product within a cent, which also admits other rounding modes and the Czech
      coefficient method (VAT taken out of a gross amount, base = gross − VAT), whose
      error is half a cent × (1 + rate).
    - Per line: each line's VAT is rounded and the recap adds them, so the error grows
      by up to half a cent (× (1 + rate) for the coefficient method) per line.
    - When every line at the rate prints its VAT, the recap may simply be their sum.
    """
    exact = base * rate / HUNDRED
    per_line = HALF_CENT * len(lines) * (1 + abs(rate) / HUNDRED)
    if within(vat, exact, max(CENT, per_line)):
        return True
    line_vats = [line.vat_amount for line in lines]
    if lines and all(amount is not None for amount in line_vats):
        return within(vat, total(a for a in line_vats if a is not None), CENT)
    return False


def check_recap_vat(invoice: Invoice) -> Iterator[InvoiceWarning]:
    """Each recap row's VAT against its base × rate."""
    for index, row in enumerate(invoice.vat_breakdown):
        if row.base is None or row.vat is None:
            continue
        if _recap_vat_agrees(row.rate, row.base, row.vat, _lines_at(invoice.lines, row.rate)):
            continue
        yield _warning(
            WarningCode.VAT_RECAP_MISMATCH,
            f"VAT recap at {_percent(row.rate)}: base {row.base} × {_percent(row.rate)} = "
            f"{to_cents(row.base * row.rate / HUNDRED)}, but the VAT is {row.vat}.",
            f"vat_breakdown[{index}].vat",
        )


def check_recap_bases(invoice: Invoice) -> Iterator[InvoiceWarning]:
    """Each rate's recap base against the net amounts of the lines at that rate.

    Runs only when every line has a rate and a net amount, so that no line's rate is
    unknown. Lines are added as printed, so a cent is tolerance enough. A rate the lines
    use but the recap lacks is reported too, except 0 %: many recaps leave exempt and
    zero-rated sums out.
    """
    lines = invoice.lines
    rows = invoice.vat_breakdown
    if not lines or not rows:
        return
    if any(line.vat_rate is None or line.net_amount is None for line in lines):
        return
    net_by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.vat_rate is not None and line.net_amount is not None:
            net_by_rate[line.vat_rate] += line.net_amount
    rows_by_rate: dict[Decimal, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        rows_by_rate[row.rate].append(index)
    for rate, indexes in rows_by_rate.items():
        bases = [rows[index].base for index in indexes]
        if any(base is None for base in bases):
            continue
        base = total(b for b in bases if b is not None)
        lines_net = net_by_rate.get(rate, Decimal(0))
        if not within(base, lines_net, CENT):
            yield _warning(
                WarningCode.VAT_RECAP_MISMATCH,
                f"VAT recap at {_percent(rate)}: the base is {base}, but the lines at "
                f"{_percent(rate)} sum to {lines_net}.",
                f"vat_breakdown[{indexes[0]}].base",
            )
    for rate, lines_net in net_by_rate.items():
        if rate and rate not in rows_by_rate:
            yield _warning(
                WarningCode.VAT_RECAP_MISMATCH,
                f"Lines at {_percent(rate)} sum to {lines_net}, but the VAT recap has no "
                f"row for {_percent(rate)}.",
                "vat_breakdown",
            )


def check_recap_total(invoice: Invoice) -> Iterator[InvoiceWarning]:
    """The recap's VAT amounts against the VAT total; both are printed, so to the cent."""
    vats = [row.vat for row in invoice.vat_breakdown]
    if invoice.total_vat is None or not vats or any(vat is None for vat in vats):
        return
    recap_vat = total(vat for vat in vats if vat is not None)
    if not within(recap_vat, invoice.total_vat, CENT):
        yield _warning(
            WarningCode.VAT_RECAP_MISMATCH,
            f"The VAT recap sums to {recap_vat}, but the VAT total is {invoice.total_vat}.",
            "total_vat",
        )


# --- totals -------------------------------------------------------------------------


def check_gross_total(invoice: Invoice) -> Iterator[InvoiceWarning]:
    """Net total + VAT total against the gross total; all printed, so to the cent."""
    net, vat, gross = invoice.total_net, invoice.total_vat, invoice.total_gross
    if net is None or vat is None or gross is None:
        return
    if not within(net + vat, gross, CENT):
        yield _warning(
            WarningCode.TOTALS_MISMATCH,
            f"Net total {net} + VAT total {vat} = {net + vat}, but the gross total is {gross}.",
            "total_gross",
        )


def _gross(invoice: Invoice) -> tuple[Decimal, str] | None:
    """The gross total, or net + VAT when only those are printed, with how it was got."""
    if invoice.total_gross is not None:
        return invoice.total_gross, f"the gross total {invoice.total_gross}"
    if invoice.total_net is not None and invoice.total_vat is not None:
        gross = invoice.total_net + invoice.total_vat
        return gross, f"net total + VAT total {gross}"
    return None


def _is_cash_rounding(gross: Decimal, amount_due: Decimal) -> bool:
    return any(
        amount_due == round_to_step(gross, step, rounding)
        for step in _CASH_STEPS
        for rounding in _CASH_ROUNDINGS
    )


def check_amount_due(invoice: Invoice) -> Iterator[InvoiceWarning]:
    """The amount due against the gross total, its rounding and an advance already paid.

    With a printed rounding the amount due is gross + rounding − prepaid, to the cent.
    Without one, it is gross − prepaid itself, or that cash-rounded to 0.05 or to whole
    units (Czech crowns) where the issuer did not print the rounding as its own line.
    """
    due = invoice.amount_due
    gross_and_label = _gross(invoice)
    if due is None or gross_and_label is None:
        return
    gross, label = gross_and_label
    if invoice.prepaid_amount is not None:
        gross -= invoice.prepaid_amount
        label = f"{label} − prepaid {invoice.prepaid_amount}"
    rounding = invoice.rounding
    if rounding is not None:
        if not within(due, gross + rounding, CENT):
            yield _warning(
                WarningCode.TOTALS_MISMATCH,
                f"The amount due is {due}, but {label} + rounding {rounding} = {gross + rounding}.",
                "amount_due",
            )
        return
    if within(due, gross, CENT) or _is_cash_rounding(gross, due):
        return
    yield _warning(
        WarningCode.TOTALS_MISMATCH,
        f"The amount due is {due}, but {label} (no rounding is printed, and {due} is not "
        "it rounded to 0.05 or to whole units).",
        "amount_due",
    )


# --- identifiers --------------------------------------------------------------------

_PARTY_IDENTIFIERS: tuple[tuple[str, str, WarningCode, Callable[[str], bool]], ...] = (
    ("ico", "IČO", WarningCode.INVALID_ICO, is_valid_ico),
    ("dic", "DIČ", WarningCode.INVALID_DIC, is_valid_dic),
    ("vat_id", "VAT id", WarningCode.INVALID_VAT_ID, is_valid_vat_id),
    ("iban", "IBAN", WarningCode.INVALID_IBAN, is_valid_iban),
    ("bic", "BIC", WarningCode.INVALID_BIC, is_valid_bic),
)

_PARTIES: tuple[tuple[str, Callable[[Invoice], Party]], ...] = (
    ("supplier", lambda invoice: invoice.supplier),
    ("customer", lambda invoice: invoice.customer),
)


def check_party_identifiers(invoice: Invoice) -> Iterator[InvoiceWarning]:
    """Each identifier of the supplier and the customer that is present and invalid."""
    for role, party_of in _PARTIES:
        party = party_of(invoice)
        for attribute, label, code, is_valid in _PARTY_IDENTIFIERS:
            value = getattr(party, attribute)
            if value and not is_valid(value):
                yield _warning(
                    code,
                    f"The {role}'s {label} {value} is not valid.",
                    f"{role}.{attribute}",
                )


CHECKS: tuple[Check, ...] = (
    check_number,
    check_issue_date,
    check_due_date,
    check_total_present,
    check_gross_total,
    check_amount_due,
    check_lines_sum,
    check_line_amounts,
    check_recap_vat,
    check_recap_bases,
    check_recap_total,
    check_party_identifiers,
    check_line_eans,
)


def check_invoice(invoice: Invoice) -> list[InvoiceWarning]:
    """Every warning the checks find, in the order of :data:`CHECKS`; computed in
    :data:`~nex_automat.domain.money.CHECKING_CONTEXT`, so no value can make them raise."""
    with localcontext(CHECKING_CONTEXT):
        return [warning for check in CHECKS for warning in check(invoice)]
