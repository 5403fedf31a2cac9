"""What an EN 16931 invoice (UBL or CII) cannot be written without.

The number, issue date, currency, at least one line and each line's net amount are
mandatory in EN 16931 and cannot be derived from anything else on the invoice; a writer
refuses the invoice rather than invent them.
"""

from __future__ import annotations

from nex_automat.domain.model import Invoice
from nex_automat.errors import IncompleteInvoice


def require_essentials(invoice: Invoice, label: str) -> None:
    """Raise ``IncompleteInvoice`` naming every essential value the invoice lacks."""
    missing = [
        name
        for name, value in (
            ("number", invoice.number),
            ("issue_date", invoice.issue_date),
            ("currency", invoice.currency),
        )
        if value is None
    ]
    if not invoice.lines:
        missing.append("lines")
    missing += [
        f"lines[{index}].net_amount"
        for index, line in enumerate(invoice.lines)
        if line.net_amount is None
    ]
    if missing:
        raise IncompleteInvoice(f"{label} needs values the invoice lacks: {', '.join(missing)}")
