"""A :class:`~nex_automat.catalog.handover.Handover` as the files and JSON an ERP imports.

- ``isdoc`` — the receipt as ISDOC 6.0.2: each line keeps the supplier's article code in
  ``SellersItemIdentification`` and its EAN in ``CatalogueItemIdentification``, and
  carries our product code in ``BuyersItemIdentification``; the line's description is the
  product's name in the catalogue. Payment details stay on the invoice: a receipt is not
  paid. Validates against the official XSD.
- ``ubl`` — the same receipt as UBL 2.1, our code in ``cac:BuyersItemIdentification``.
- ``csv`` / ``xlsx`` — one file per document: the receipt, and when there are any, the new
  product cards and the price changes. Labels in the connector's language.
- ``json`` — everything in one document (the webhook's body): amounts as decimal strings,
  so not a digit is lost to floating point.

Pure: bytes in memory, nothing written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from nex_automat.catalog.handover import (
    Handover,
    NewProduct,
    PriceChange,
    Receipt,
    ReceiptLine,
)
from nex_automat.catalog.handover_labels import LABELS
from nex_automat.domain.model import Invoice, Line, Party, VatRow
from nex_automat.formats.isdoc import write_isdoc
from nex_automat.formats.spreadsheet import (
    STYLES,
    Cell,
    Column,
    Field,
    Kind,
    Sheet,
    Table,
    csv_bytes,
    xlsx_bytes,
)
from nex_automat.formats.ubl import write_ubl

RECEIPT = "receipt"
NEW_PRODUCTS = "new-products"
PRICE_CHANGES = "price-changes"
HANDOVER = "handover"
JSON_VERSION = 1
EVENT = "invoice.handover"

XML = "application/xml"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One document of a hand-over in one format."""

    document: str
    """``receipt``, ``new-products``, ``price-changes`` or ``handover``."""
    extension: str
    media_type: str
    data: bytes


# ------------------------------------------------------------------------------ XML


def receipt_invoice(receipt: Receipt) -> Invoice:
    """The receipt in the domain's shape, for the e-invoice writers: its own lines and
    totals, the invoice's header and parties, no payment details."""
    return Invoice(
        document_type=receipt.document_type,
        number=receipt.invoice_number,
        issue_date=receipt.issue_date,
        tax_point_date=receipt.tax_point_date,
        currency=receipt.currency,
        exchange_rate=receipt.exchange_rate,
        order_reference=receipt.order_reference,
        supplier=_without_account(receipt.supplier),
        customer=_without_account(receipt.customer),
        lines=[_domain_line(line) for line in receipt.lines],
        vat_breakdown=[VatRow(rate=row.rate, base=row.base, vat=row.vat) for row in receipt.vat],
        total_net=receipt.total_net,
        total_vat=receipt.total_vat,
        total_gross=receipt.total_gross,
        amount_due=receipt.total_gross,
    )


def _without_account(party: Party) -> Party:
    return Party(
        name=party.name,
        ico=party.ico,
        dic=party.dic,
        vat_id=party.vat_id,
        street=party.street,
        city=party.city,
        postal_code=party.postal_code,
        country=party.country,
    )


def _domain_line(line: ReceiptLine) -> Line:
    return Line(
        position=line.position,
        description=line.product_name,
        seller_code=line.supplier_code,
        ean=line.ean,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        vat_rate=line.vat_rate,
        net_amount=line.net_amount,
    )


def _buyer_codes(receipt: Receipt) -> dict[int, str]:
    return {line.position: line.product_code for line in receipt.lines if line.product_code}


def receipt_isdoc(receipt: Receipt) -> bytes:
    return write_isdoc(receipt_invoice(receipt), buyer_codes=_buyer_codes(receipt))


def receipt_ubl(receipt: Receipt) -> bytes:
    return write_ubl(receipt_invoice(receipt), buyer_codes=_buyer_codes(receipt))


# ----------------------------------------------------------------------- spreadsheets

Label = Callable[[str], str]

RECEIPT_COLUMNS: tuple[tuple[str, Kind, float], ...] = (
    ("position", Kind.INTEGER, 6),
    ("product_code", Kind.TEXT, 14),
    ("product_name", Kind.TEXT, 40),
    ("quantity", Kind.QUANTITY, 11),
    ("unit", Kind.TEXT, 7),
    ("unit_price", Kind.AMOUNT, 13),
    ("vat_rate", Kind.PERCENT, 8),
    ("net_amount", Kind.AMOUNT, 13),
    ("supplier_code", Kind.TEXT, 14),
    ("ean", Kind.TEXT, 15),
    ("description", Kind.TEXT, 40),
    ("new_product", Kind.TEXT, 8),
    ("match_method", Kind.TEXT, 12),
)
NEW_PRODUCT_COLUMNS: tuple[tuple[str, Kind, float], ...] = (
    ("position", Kind.INTEGER, 6),
    ("product_code", Kind.TEXT, 14),
    ("product_name", Kind.TEXT, 40),
    ("unit", Kind.TEXT, 7),
    ("vat_rate", Kind.PERCENT, 8),
    ("group_code", Kind.TEXT, 10),
    ("purchase_price", Kind.AMOUNT, 13),
    ("sale_price", Kind.AMOUNT, 13),
    ("ean", Kind.TEXT, 15),
    ("supplier_code", Kind.TEXT, 14),
)
PRICE_CHANGE_COLUMNS: tuple[tuple[str, Kind, float], ...] = (
    ("position", Kind.INTEGER, 6),
    ("product_code", Kind.TEXT, 14),
    ("product_name", Kind.TEXT, 40),
    ("unit", Kind.TEXT, 7),
    ("old_purchase_price", Kind.AMOUNT, 13),
    ("new_purchase_price", Kind.AMOUNT, 13),
    ("old_sale_price", Kind.AMOUNT, 13),
    ("new_sale_price", Kind.AMOUNT, 13),
)
CONTEXT_COLUMNS: tuple[tuple[str, Kind, float], ...] = (
    ("invoice_number", Kind.TEXT, 14),
    ("issue_date", Kind.DATE, 11),
    ("supplier_ico", Kind.TEXT, 10),
    ("supplier_name", Kind.TEXT, 30),
    ("currency", Kind.TEXT, 6),
)
"""Invoice fields repeated on every row of a CSV, so each row stands alone in an import."""


def _columns(spec: Sequence[tuple[str, Kind, float]], label: Label) -> list[Column]:
    return [Column(label(name), kind, width) for name, kind, width in spec]


def _context(receipt: Receipt) -> list[Cell]:
    supplier = receipt.supplier
    return [
        receipt.invoice_number,
        receipt.issue_date,
        supplier.ico,
        supplier.name,
        receipt.currency,
    ]


def _receipt_row(line: ReceiptLine, label: Label) -> list[Cell]:
    return [
        line.position,
        line.product_code,
        line.product_name,
        line.quantity,
        line.unit,
        line.unit_price,
        line.vat_rate,
        line.net_amount,
        line.supplier_code,
        line.ean,
        line.description,
        label("yes" if line.new_product else "no"),
        line.match_method,
    ]


def _new_product_row(card: NewProduct) -> list[Cell]:
    return [
        card.position,
        card.code,
        card.name,
        card.unit,
        card.vat_rate,
        card.group_code,
        card.purchase_price,
        card.sale_price,
        card.ean,
        card.supplier_code,
    ]


def _price_change_row(change: PriceChange) -> list[Cell]:
    return [
        change.position,
        change.product_code,
        change.product_name,
        change.unit,
        change.old_purchase_price,
        change.new_purchase_price,
        change.old_sale_price,
        change.new_sale_price,
    ]


def _flat(
    receipt: Receipt,
    spec: Sequence[tuple[str, Kind, float]],
    rows: Sequence[list[Cell]],
    label: Label,
) -> Table:
    context = _context(receipt)
    return Table(
        columns=_columns(CONTEXT_COLUMNS, label) + _columns(spec, label),
        rows=[[*context, *row] for row in rows],
    )


def _receipt_sheet(receipt: Receipt, label: Label) -> Sheet:
    supplier = receipt.supplier
    fields = [
        Field(label("invoice_number"), receipt.invoice_number),
        Field(label("issue_date"), receipt.issue_date, Kind.DATE),
        Field(label("tax_point_date"), receipt.tax_point_date, Kind.DATE),
        Field(label("supplier_name"), supplier.name),
        Field(label("supplier_ico"), supplier.ico),
        Field(label("supplier_dic"), supplier.dic),
        Field(label("supplier_vat_id"), supplier.vat_id),
        Field(label("partner_id"), None if receipt.partner is None else receipt.partner.id),
        Field(label("order_reference"), receipt.order_reference),
        Field(label("currency"), receipt.currency),
        Field(label("total_net"), receipt.total_net, Kind.AMOUNT),
        Field(label("total_vat"), receipt.total_vat, Kind.AMOUNT),
        Field(label("total_gross"), receipt.total_gross, Kind.AMOUNT),
    ]
    lines = Table(
        columns=_columns(RECEIPT_COLUMNS, label),
        rows=[_receipt_row(line, label) for line in receipt.lines],
        title=label("table.lines"),
    )
    vat = Table(
        columns=[
            Column(label("vat.rate"), Kind.PERCENT, 8),
            Column(label("vat.base"), Kind.AMOUNT, 13),
            Column(label("vat.vat"), Kind.AMOUNT, 12),
        ],
        rows=[[row.rate, row.base, row.vat] for row in receipt.vat],
        title=label("table.vat"),
    )
    return Sheet(title=label("sheet.receipt"), fields=fields, tables=[lines, vat])


def _spreadsheets(handover: Handover, extension: str, language: str) -> list[ExportFile]:
    labels = LABELS[language]
    style = STYLES[language]

    def label(key: str) -> str:
        return labels[key]

    receipt = handover.receipt
    documents: list[tuple[str, Sheet, Table]] = []
    if receipt.lines:
        rows = [_receipt_row(line, label) for line in receipt.lines]
        documents.append(
            (RECEIPT, _receipt_sheet(receipt, label), _flat(receipt, RECEIPT_COLUMNS, rows, label))
        )
    tables = (
        (NEW_PRODUCTS, "sheet.new_products", NEW_PRODUCT_COLUMNS, handover.new_products),
        (PRICE_CHANGES, "sheet.price_changes", PRICE_CHANGE_COLUMNS, handover.price_changes),
    )
    for document, title, spec, items in tables:
        if not items:
            continue
        rows = [
            _new_product_row(item) if isinstance(item, NewProduct) else _price_change_row(item)
            for item in items
        ]
        flat = _flat(receipt, spec, rows, label)
        documents.append((document, Sheet(title=label(title), tables=[flat]), flat))
    if extension == ".csv":
        return [
            ExportFile(name, ".csv", CSV, csv_bytes(flat, style)) for name, _, flat in documents
        ]
    return [
        ExportFile(name, ".xlsx", XLSX, xlsx_bytes(sheet, style)) for name, sheet, _ in documents
    ]


# -------------------------------------------------------------------------------- JSON


def _json_value(value: object) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _json_object(item: object, names: Sequence[str]) -> dict[str, Any]:
    return {name: _json_value(getattr(item, name)) for name in names}


_PARTY_NAMES = ("name", "ico", "dic", "vat_id", "street", "city", "postal_code", "country")
_RECEIPT_LINE_NAMES = (
    "position",
    "product_id",
    "product_code",
    "product_name",
    "new_product",
    "quantity",
    "unit",
    "unit_price",
    "vat_rate",
    "net_amount",
    "supplier_code",
    "ean",
    "description",
    "match_method",
)
_NEW_PRODUCT_NAMES = (
    "position",
    "code",
    "name",
    "unit",
    "vat_rate",
    "group_id",
    "group_code",
    "purchase_price",
    "sale_price",
    "ean",
    "supplier_code",
)
_PRICE_CHANGE_NAMES = (
    "position",
    "product_id",
    "product_code",
    "product_name",
    "unit",
    "old_purchase_price",
    "new_purchase_price",
    "old_sale_price",
    "new_sale_price",
)


def handover_json(handover: Handover) -> dict[str, Any]:
    """The whole hand-over as JSON-ready data; amounts are strings like ``"17.712"``."""
    receipt = handover.receipt
    partner = receipt.partner
    supplier = _json_object(receipt.supplier, _PARTY_NAMES)
    supplier["partner_id"] = None if partner is None else partner.id
    return {
        "event": EVENT,
        "version": JSON_VERSION,
        "tenant": handover.tenant_id,
        "invoice_id": receipt.invoice_id,
        "approved_at": _json_value(handover.approved_at),
        "approved_by": handover.approved_by,
        "receipt": {
            "document_type": str(receipt.document_type),
            "invoice_number": receipt.invoice_number,
            "issue_date": _json_value(receipt.issue_date),
            "tax_point_date": _json_value(receipt.tax_point_date),
            "due_date": _json_value(receipt.due_date),
            "currency": receipt.currency,
            "exchange_rate": _json_value(receipt.exchange_rate),
            "order_reference": receipt.order_reference,
            "variable_symbol": receipt.variable_symbol,
            "supplier": supplier,
            "customer": _json_object(receipt.customer, _PARTY_NAMES),
            "lines": [_json_object(line, _RECEIPT_LINE_NAMES) for line in receipt.lines],
            "vat": [_json_object(row, ("rate", "base", "vat")) for row in receipt.vat],
            "total_net": _json_value(receipt.total_net),
            "total_vat": _json_value(receipt.total_vat),
            "total_gross": _json_value(receipt.total_gross),
            "skipped_lines": [
                _json_object(line, ("position", "description", "net_amount", "reason"))
                for line in receipt.skipped
            ],
        },
        "new_products": [_json_object(card, _NEW_PRODUCT_NAMES) for card in handover.new_products],
        "price_changes": [
            _json_object(change, _PRICE_CHANGE_NAMES) for change in handover.price_changes
        ],
    }


def json_bytes(handover: Handover) -> bytes:
    """:func:`handover_json` as UTF-8 bytes, the same bytes for the same hand-over."""
    return json.dumps(handover_json(handover), ensure_ascii=False, indent=2).encode("utf-8")


# ----------------------------------------------------------------------------- formats


def render(handover: Handover, export_format: str, language: str = "sk") -> list[ExportFile]:
    """The files of ``handover`` in one format; none when there is nothing in it to send.

    An XML receipt needs at least one line, so a hand-over whose every line was skipped
    has no ISDOC or UBL file; JSON always describes the whole hand-over.
    """
    receipt = handover.receipt
    if export_format == "json":
        return [ExportFile(HANDOVER, ".json", JSON, json_bytes(handover))]
    if export_format in ("csv", "xlsx"):
        return _spreadsheets(handover, "." + export_format, language)
    if not receipt.lines:
        return []
    if export_format == "isdoc":
        return [ExportFile(RECEIPT, ".isdoc", XML, receipt_isdoc(receipt))]
    if export_format == "ubl":
        return [ExportFile(RECEIPT, ".ubl.xml", XML, receipt_ubl(receipt))]
    raise ValueError(f"unknown export format {export_format!r}")
