"""Spreadsheet downloads: one invoice, or every invoice the inbox's filter matches.

``GET /invoices/{id}/export.xlsx|csv`` gives one invoice as the reviewer sees it (edits
applied): in XLSX a header block, its lines and VAT recap; in CSV one flat table, a row
per line with the invoice's number, date, supplier and currency. ``GET
/invoices/export.xlsx|csv?<inbox query>`` reads the same URL parameters as the inbox and
exports every matching invoice in the inbox's order, walking the keyset pages (the
``cursor`` is ignored: an export always starts at the first row). CSV is streamed as it
is read; XLSX is spooled to a temporary file, so neither holds 100 000 rows in memory.

Labels, the CSV separators and the date formats follow the user's language (see
:mod:`nex_automat.formats.spreadsheet`). Everything is read in the user's tenant
session: another tenant's invoice is not found, and no list holds its rows.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from typing import IO, Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse

from nex_automat.formats.spreadsheet import (
    STYLES,
    Cell,
    Column,
    Kind,
    Sheet,
    Style,
    Table,
    csv_bytes,
    csv_chunks,
    invoice_lines_table,
    invoice_sheet,
    write_xlsx,
    xlsx_bytes,
)
from nex_automat.store.db import Database
from nex_automat.store.invoices import (
    InvoiceFilter,
    InvoiceSort,
    get_invoice,
    invoice_to_domain,
    list_invoices,
)
from nex_automat.store.models import InvoiceRecord
from nex_automat.web.deps import services_of
from nex_automat.web.downloads import download_headers
from nex_automat.web.ui.errors import PageError
from nex_automat.web.ui.i18n import DISPLAY_ZONE, Locale, language_or_default
from nex_automat.web.ui.inbox import InboxQuery
from nex_automat.web.ui.roles import Permission, requires
from nex_automat.web.ui.sessions import SignedIn

router = APIRouter(include_in_schema=False)

Viewer = Annotated[SignedIn, Depends(requires(Permission.VIEW))]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
BATCH = 500
"""Invoices read per keyset page while exporting a list."""
SPOOL_BYTES = 4 * 1024 * 1024
"""A workbook larger than this is kept in a temporary file, not in memory."""
CHUNK_BYTES = 64 * 1024

LIST_COLUMNS: tuple[tuple[str, Kind, float], ...] = (
    ("export.received", Kind.DATETIME, 16),
    ("export.number", Kind.TEXT, 14),
    ("export.supplier.name", Kind.TEXT, 32),
    ("export.supplier.ico", Kind.TEXT, 10),
    ("export.supplier.vat_id", Kind.TEXT, 14),
    ("export.issue_date", Kind.DATE, 11),
    ("export.due_date", Kind.DATE, 11),
    ("export.currency", Kind.TEXT, 6),
    ("export.total_net", Kind.AMOUNT, 13),
    ("export.total_vat", Kind.AMOUNT, 12),
    ("export.total_gross", Kind.AMOUNT, 13),
    ("export.status", Kind.TEXT, 14),
    ("export.warnings", Kind.INTEGER, 8),
)
"""Catalogue key, kind and width of each column of the list export."""


def _locale(user: SignedIn) -> Locale:
    return Locale(language_or_default(user.language))


def _style(locale: Locale) -> Style:
    return STYLES[locale.language]


def _headers(name: str, media_type: str) -> dict[str, str]:
    return {**download_headers(name, media_type, fallback="export"), "Cache-Control": "no-store"}


# ------------------------------------------------------------------------- one invoice


def _invoice(request: Request, user: SignedIn, invoice_id: str) -> tuple[str, Sheet, Table]:
    """The invoice's file name stem, its sheet and its flat lines table."""
    locale = _locale(user)

    def label(key: str) -> str:
        return locale.t(f"export.{key}")

    with services_of(request).db.tenant_session(user.tenant_id) as session:
        record = get_invoice(session, invoice_id)
        if record is None:
            raise PageError(404, "error.not_found")
        invoice = invoice_to_domain(record)
    number = re.sub(r"[/\\]", "_", invoice.number or invoice_id[:8])
    stem = locale.t("export.invoice_filename", number=number)
    return stem, invoice_sheet(invoice, label), invoice_lines_table(invoice, label)


@router.get("/invoices/{invoice_id}/export.xlsx")
def invoice_xlsx(request: Request, invoice_id: str, user: Viewer) -> Response:
    stem, sheet, _ = _invoice(request, user, invoice_id)
    data = xlsx_bytes(sheet, _style(_locale(user)))
    return Response(data, media_type=XLSX, headers=_headers(f"{stem}.xlsx", XLSX))


@router.get("/invoices/{invoice_id}/export.csv")
def invoice_csv(request: Request, invoice_id: str, user: Viewer) -> Response:
    stem, _, table = _invoice(request, user, invoice_id)
    data = csv_bytes(table, _style(_locale(user)))
    return Response(data, media_type=CSV, headers=_headers(f"{stem}.csv", CSV))


# ---------------------------------------------------------------------- the inbox list


def matching_invoices(
    db: Database,
    tenant_id: str,
    filters: InvoiceFilter,
    *,
    sort: InvoiceSort,
    descending: bool,
    batch: int = BATCH,
) -> Iterator[InvoiceRecord]:
    """Every invoice ``filters`` match, in the inbox's order, ``batch`` rows per query."""
    with db.tenant_session(tenant_id) as session:
        cursor: str | None = None
        while True:
            page = list_invoices(
                session, filters, limit=batch, cursor=cursor, sort=sort, descending=descending
            )
            yield from page.items
            session.expunge_all()
            if page.next_cursor is None:
                return
            cursor = page.next_cursor


def _list_row(record: InvoiceRecord, status: Callable[[str], str]) -> list[Cell]:
    received = record.created_at.astimezone(DISPLAY_ZONE).replace(tzinfo=None)
    return [
        received,
        record.number,
        record.supplier_name,
        record.supplier_ico,
        record.supplier_vat_id,
        record.issue_date,
        record.due_date,
        record.currency,
        record.total_net,
        record.total_vat,
        record.total_gross,
        status(str(record.status)),
        len(record.warnings),
    ]


def _list_table(request: Request, user: SignedIn, locale: Locale) -> Table:
    query = InboxQuery.from_params(request.query_params)
    filters, query = query.filters()
    records = matching_invoices(
        services_of(request).db,
        user.tenant_id,
        filters,
        sort=query.sort,
        descending=query.descending,
    )

    def status(value: str) -> str:
        return locale.t(f"status.{value}")

    return Table(
        columns=[Column(locale.t(key), kind, width) for key, kind, width in LIST_COLUMNS],
        rows=(_list_row(record, status) for record in records),
    )


def _list_stem(locale: Locale) -> str:
    return locale.t("export.list_filename", day=date.today().isoformat())


def _file_chunks(spool: IO[bytes]) -> Iterator[bytes]:
    """The file's bytes for a streamed response; closes it once sent.

    The workbook is written completely before the response starts, so a failure is an
    error page rather than a truncated download.
    """
    with spool:
        spool.seek(0)
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk


@router.get("/invoices/export.xlsx")
def list_xlsx(request: Request, user: Viewer) -> Response:
    locale = _locale(user)
    sheet = Sheet(title=locale.t("export.sheet.list"), tables=[_list_table(request, user, locale)])
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by _file_chunks
    write_xlsx(sheet, spool, _style(locale))
    headers = _headers(f"{_list_stem(locale)}.xlsx", XLSX)
    return StreamingResponse(_file_chunks(spool), media_type=XLSX, headers=headers)


@router.get("/invoices/export.csv")
def list_csv(request: Request, user: Viewer) -> Response:
    locale = _locale(user)
    chunks = csv_chunks(_list_table(request, user, locale), _style(locale))
    headers = _headers(f"{_list_stem(locale)}.csv", CSV)
    return StreamingResponse(chunks, media_type=CSV, headers=headers)
