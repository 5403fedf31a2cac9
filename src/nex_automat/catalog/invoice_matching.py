"""A stored invoice matched against the catalogue: its supplier and every line, kept on the rows.

The matcher (:mod:`nex_automat.catalog.matching`) is pure; this module runs it over an
invoice as stored, with the reviewer's edits (an edited description or EAN is what gets
matched), and writes the answers to the invoice and its lines:

- ``invoices.partner_id`` / ``supplier_match_method`` — the partner the supplier was
  recognised as (``ico``, ``vat_id``, ``iban``, ``name``), or none;
- per line ``product_id``, ``match_method`` (``ean``, ``supplier_code``, ``name``),
  ``match_confidence`` (0..1), ``match_alternatives`` (``{product_id, code, name,
  score}``, best first) and ``match_state`` ``proposed``; a line without a match gets no
  state and a ``new_product`` proposal (name, code, unit, VAT rate, suggested group).

A person's decisions (``confirmed``, ``manual``, ``new_product``, a partner chosen or
created) are never overwritten: running the matching again after a catalogue import
only revisits what no one has decided yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from nex_automat.catalog.matching import (
    CatalogIndex,
    LineMatch,
    MatchMethod,
    NewProductProposal,
    SupplierMethod,
    match_line,
    recognise_supplier,
)
from nex_automat.domain.model import Line
from nex_automat.store.audit import record_audit
from nex_automat.store.invoices import active_lines, invoice_to_domain
from nex_automat.store.models import InvoiceLine, InvoiceRecord

LIKELY_NAME_CONFIDENCE = 0.9
"""A name match this sure is *likely*, and is confirmed with the sure ones in bulk; below,
it is *doubtful* and waits for a person to look."""


class LineMethod(StrEnum):
    """How a line got its product (``invoice_lines.match_method``)."""

    EAN = "ean"
    SUPPLIER_CODE = "supplier_code"
    NAME = "name"
    MANUAL = "manual"
    """A person chose another product than the matcher proposed."""
    NEW_PRODUCT = "new_product"
    """A person decided the line is a product the catalogue does not have yet."""


class MatchState(StrEnum):
    """``invoice_lines.match_state``; no state means unmatched."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    NEW_PRODUCT = "new_product"


class PartnerMethod(StrEnum):
    """``invoices.supplier_match_method`` beyond the matcher's own (``ico`` … ``name``)."""

    MANUAL = "manual"
    """A person chose the partner."""
    CREATED = "created"
    """A person created the partner from the invoice's supplier."""


DECIDED_STATES: frozenset[str] = frozenset({MatchState.CONFIRMED, MatchState.NEW_PRODUCT})
DECIDED_PARTNER_METHODS: frozenset[str] = frozenset(PartnerMethod)


class Band(StrEnum):
    """How much a line's match can be trusted, as the page colours it."""

    CONFIRMED = "confirmed"
    SURE = "sure"
    """A barcode or a code learned from this supplier."""
    LIKELY = "likely"
    DOUBTFUL = "doubtful"
    NEW = "new"
    """To be created as a new product."""
    NONE = "none"


BULK_BANDS: frozenset[Band] = frozenset({Band.SURE, Band.LIKELY})
"""Matches "confirm all" confirms: barcodes, learned codes and very similar names."""


def band(method: str | None, confidence: float | None, state: str | None) -> Band:
    """The trust band of a line's match from its stored method, confidence and state."""
    if state == MatchState.NEW_PRODUCT:
        return Band.NEW
    if state == MatchState.CONFIRMED:
        return Band.CONFIRMED
    if state is None or method is None:
        return Band.NONE
    if method in (LineMethod.EAN, LineMethod.SUPPLIER_CODE, LineMethod.MANUAL):
        return Band.SURE
    if confidence is not None and confidence >= LIKELY_NAME_CONFIDENCE:
        return Band.LIKELY
    return Band.DOUBTFUL


@dataclass(frozen=True, slots=True)
class MatchSummary:
    lines: int
    matched: int
    decided: int
    """Lines a person had decided already, left as they were."""
    partner_id: int | None


def proposal_json(proposal: NewProductProposal, line: Line) -> dict[str, Any]:
    """The product card to create for a line, as ``invoice_lines.new_product`` keeps it."""
    return {
        "name": proposal.name or "",
        "code": "",
        "unit": proposal.unit,
        "vat_rate": None if line.vat_rate is None else format(line.vat_rate, "f"),
        "group_id": proposal.group_id,
        "ean": proposal.ean,
        "seller_code": proposal.seller_code,
    }


def _store(row: InvoiceLine, line: Line, match: LineMatch) -> None:
    row.match_alternatives = [
        {"product_id": c.product_id, "code": c.code, "name": c.name, "score": c.confidence}
        for c in match.alternatives
    ]
    if match.method is MatchMethod.NONE or match.product_id is None:
        row.product_id = None
        row.match_method = None
        row.match_confidence = None
        row.match_state = None
        row.new_product = None if match.proposal is None else proposal_json(match.proposal, line)
        return
    row.product_id = match.product_id
    row.match_method = str(match.method)
    row.match_confidence = match.confidence
    row.match_state = MatchState.PROPOSED
    row.new_product = None


def match_invoice(
    session: Session, record: InvoiceRecord, index: CatalogIndex, *, actor: str
) -> MatchSummary:
    """Recognise the supplier and match every undecided line; logged as ``matched``."""
    invoice = invoice_to_domain(record)
    if record.supplier_match_method not in DECIDED_PARTNER_METHODS:
        found = recognise_supplier(index, invoice.supplier)
        record.partner_id = found.partner_id
        record.supplier_match_method = (
            None if found.method is SupplierMethod.NONE else str(found.method)
        )
    rows = active_lines(record)
    matched = decided = 0
    for row, line in zip(rows, invoice.lines, strict=True):
        if row.match_state in DECIDED_STATES:
            decided += 1
            continue
        match = match_line(index, line, record.partner_id)
        _store(row, line, match)
        matched += row.product_id is not None
    record_audit(
        session,
        entity="invoice",
        entity_id=record.id,
        action="matched",
        actor=actor,
        new_value=f"{matched + decided}/{len(rows)}",
    )
    session.flush()
    return MatchSummary(len(rows), matched, decided, record.partner_id)
