"""An invoice read from positioned text with no supplier template.

The items table is read first; everything around it (header, parties, VAT recap, totals)
is read by label synonyms and layout geometry, so the same code serves invoices from any
ERP it has never seen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nex_automat.domain.model import DocumentType, Invoice, Party
from nex_automat.extract.header import (
    FieldValues,
    read_currency_from_amounts,
    read_document_type,
    read_header,
    title_phrases,
)
from nex_automat.extract.labelled import LabelledText
from nex_automat.extract.labels import TOTAL_FIELDS, document_type_of, label_table
from nex_automat.extract.layout import TextDocument, TextLine
from nex_automat.extract.numbers import guess_decimal_separator
from nex_automat.extract.parties import PartyValues, read_parties
from nex_automat.extract.result import Extraction, Provenance
from nex_automat.extract.table import TableRegion, read_line_items
from nex_automat.extract.totals import read_totals

_REGION_MARGIN = 1.0


def extract_generic(
    doc: TextDocument,
    *,
    extra_labels: Mapping[str, Sequence[str]] | None = None,
    extra_column_labels: Mapping[str, Sequence[str]] | None = None,
) -> Extraction:
    """Every field the document prints, each with the box it was read from."""
    separator = guess_decimal_separator(line.text for line in doc.lines)
    items = read_line_items(
        doc, decimal_separator=separator, extra_column_labels=extra_column_labels
    )
    table = label_table(extra_labels)
    outside = _outside(doc.lines, items.regions)
    text = LabelledText(outside, table)
    tail = _after_last_item(doc.lines, items.regions, items.provenance)
    totals_text = LabelledText([*outside, *tail], table) if tail else text

    invoice = Invoice(lines=items.lines)
    provenance: Provenance = dict(items.provenance)

    header = read_header(text)
    _apply(invoice, header, provenance)
    invoice.document_type = _document_type(text, doc.pages[0].height if doc.pages else 0.0)

    parties = read_parties(text)
    invoice.supplier = _party(parties.supplier, "supplier", provenance)
    invoice.customer = _party(parties.customer, "customer", provenance)

    totals = read_totals(totals_text, decimal_separator=separator)
    invoice.vat_breakdown = totals.vat_breakdown
    for name in TOTAL_FIELDS:
        setattr(invoice, name, totals.values.get(name))
    provenance.update(totals.provenance)

    if invoice.currency is None:
        invoice.currency = read_currency_from_amounts(_total_texts(totals_text))
    if invoice.currency is None:
        invoice.currency = read_currency_from_amounts([line.text for line in doc.lines])
    return Extraction(invoice=invoice, warnings=list(items.warnings), provenance=provenance)


def _outside(lines: Sequence[TextLine], regions: Sequence[TableRegion]) -> list[TextLine]:
    """Lines that are not part of an items table."""

    def inside(line: TextLine) -> bool:
        middle = (line.top + line.bottom) / 2
        return any(
            r.page == line.page and r.top - _REGION_MARGIN <= middle <= r.bottom + _REGION_MARGIN
            for r in regions
        )

    return [line for line in lines if not inside(line)]


def _after_last_item(
    lines: Sequence[TextLine], regions: Sequence[TableRegion], boxes: Provenance
) -> list[TextLine]:
    """Lines a table region holds below its last item: the totals and recap often follow
    the items so closely that they fall inside the region."""
    tail: list[TextLine] = []
    for region in regions:
        bottoms = [
            box.bottom
            for box in boxes.values()
            if box.page == region.page and region.top <= box.top <= region.bottom
        ]
        if not bottoms:
            continue
        last = max(bottoms)
        tail.extend(
            line
            for line in lines
            if line.page == region.page and last < line.top and line.bottom <= region.bottom + 1
        )
    return tail


def _apply(invoice: Invoice, found: FieldValues, provenance: Provenance) -> None:
    for name, value in found.values.items():
        setattr(invoice, name, value)
    provenance.update(found.provenance)


def _document_type(text: LabelledText, page_height: float) -> DocumentType:
    kind = read_document_type(title_phrases(text, page_height))
    if kind is None:
        kind = next(
            (k for line in text.lines if (k := document_type_of(line.text)) is not None), None
        )
    return kind or DocumentType.INVOICE


def _party(found: PartyValues, prefix: str, provenance: Provenance) -> Party:
    party = Party(**found.values)
    provenance.update({f"{prefix}.{name}": box for name, box in found.provenance.items()})
    return party


def _total_texts(text: LabelledText) -> list[str]:
    lines = {h.line_index for h in text.hits_for(*TOTAL_FIELDS)}
    return [text.lines[index].text for index in sorted(lines)]
