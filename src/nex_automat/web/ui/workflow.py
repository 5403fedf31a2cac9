"""The review workflow: which warnings block approval, and the moves a reviewer makes.

Approval is refused while a *blocking* warning remains — the arithmetic does not add up,
the totals or VAT recap disagree, or an identifier (IČO, DIČ, VAT id, IBAN, BIC, EAN) is
invalid — unless the approver confirms having checked them; the confirmation is written
to the audit log with the warnings it overrode. Missing values and suggestions from
reading the document inform but do not block.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from nex_automat.domain.checks import WarningCode
from nex_automat.domain.model import InvoiceWarning
from nex_automat.errors import NexError
from nex_automat.pipeline.export.handover import queue_handover
from nex_automat.store.audit import record_audit
from nex_automat.store.invoices import set_status, warnings_of
from nex_automat.store.models import InvoiceRecord, InvoiceStatus

W = WarningCode
S = InvoiceStatus

BLOCKING_CODES: frozenset[str] = frozenset(
    code.value
    for code in (
        W.TOTALS_MISMATCH,
        W.VAT_RECAP_MISMATCH,
        W.LINES_SUM_MISMATCH,
        W.LINE_AMOUNT_MISMATCH,
        W.MISSING_TOTAL,
        W.INVALID_ICO,
        W.INVALID_DIC,
        W.INVALID_VAT_ID,
        W.INVALID_IBAN,
        W.INVALID_BIC,
        W.INVALID_EAN,
    )
)
"""Arithmetic, totals and identifier warnings."""

EDITABLE_STATUSES: frozenset[InvoiceStatus] = frozenset({S.NEW, S.NEEDS_REVIEW, S.DUPLICATE})
"""An approved, exported or rejected invoice is reopened before it is changed."""
APPROVABLE_STATUSES: frozenset[InvoiceStatus] = frozenset({S.NEW, S.NEEDS_REVIEW})
REJECTABLE_STATUSES: frozenset[InvoiceStatus] = frozenset(
    {S.NEW, S.NEEDS_REVIEW, S.APPROVED, S.DUPLICATE, S.FAILED}
)
REOPENABLE_STATUSES: frozenset[InvoiceStatus] = frozenset({S.APPROVED, S.REJECTED, S.EXPORTED})


class BlockingWarnings(NexError):
    """Approval was asked for while blocking warnings remain and were not confirmed."""

    code = "blocking_warnings"


class ReasonRequired(NexError):
    code = "reason_required"


class NotADuplicate(NexError):
    code = "not_a_duplicate"


def blocking_warnings(record: InvoiceRecord) -> list[InvoiceWarning]:
    return [w for w in warnings_of(record) if w.code in BLOCKING_CODES]


def approve(session: Session, record: InvoiceRecord, *, actor: str, confirmed: bool) -> None:
    """Approve, and queue the invoice's hand-over to the ERP in the same transaction."""
    blocking = blocking_warnings(record)
    if blocking and not confirmed:
        raise BlockingWarnings(f"{len(blocking)} blocking warnings remain")
    set_status(session, record, S.APPROVED, actor=actor)
    queue_handover(session, record)
    if blocking:
        record_audit(
            session,
            entity="invoice",
            entity_id=record.id,
            action="confirm_warnings",
            actor=actor,
            new_value=", ".join(sorted({w.code for w in blocking})),
        )


def reject(session: Session, record: InvoiceRecord, *, actor: str, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ReasonRequired("a rejection needs a reason")
    set_status(session, record, S.REJECTED, actor=actor, reason=reason)
    record_audit(
        session,
        entity="invoice",
        entity_id=record.id,
        action="reject_reason",
        actor=actor,
        new_value=reason,
    )


def reopen(session: Session, record: InvoiceRecord, *, actor: str) -> None:
    set_status(session, record, S.NEEDS_REVIEW, actor=actor)


def dismiss_duplicate(session: Session, record: InvoiceRecord, *, actor: str) -> None:
    """Not a duplicate after all: it goes to review like any other invoice."""
    if record.status is not S.DUPLICATE:
        raise NotADuplicate("the invoice is not marked duplicate")
    set_status(session, record, S.NEEDS_REVIEW, actor=actor)
    record_audit(
        session,
        entity="invoice",
        entity_id=record.id,
        action="dismiss_duplicate",
        actor=actor,
        old_value=record.duplicate_of,
    )
    record.duplicate_of = None
    session.flush()


def confirm_duplicate(session: Session, record: InvoiceRecord, *, actor: str) -> None:
    """A person agrees it is a duplicate: it stays one, and the log says who decided."""
    if record.status is not S.DUPLICATE:
        raise NotADuplicate("the invoice is not marked duplicate")
    record_audit(
        session,
        entity="invoice",
        entity_id=record.id,
        action="confirm_duplicate",
        actor=actor,
        new_value=record.duplicate_of,
    )
    session.flush()


def duplicate_confirmed_by(actions: list[tuple[str, str]]) -> str | None:
    """Who last confirmed the duplicate, from (action, actor) pairs oldest first."""
    confirmed = None
    for action, actor in actions:
        if action == "confirm_duplicate":
            confirmed = actor
        elif action == "dismiss_duplicate":
            confirmed = None
    return confirmed
