"""``/admin/catalog``: importing the catalogue from files, saved sources, the ERP syncs' state.

An import takes three steps, as the CLI's does in one: upload a CSV or XLSX export and
say what it lists and which source it comes from; check the columns (pre-filled from the
source's saved mapping, else by header name, each one changeable) against a preview of
the first rows and every bad row with its row number; import. The import is the CLI's:
upserted, all or nothing, and a named source keeps the mapping for the next file. Each
import and each changed source is written to the audit log with the administrator.

Administrators only; every POST carries the session's CSRF token. The upload is limited
by ``upload_max_bytes``. Reading a large file and writing 100 000 rows takes seconds, so
the work of each step runs in a worker thread (``run_in_threadpool``), never in the
server's event loop. Everything is read and written in the administrator's tenant.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from nex_automat.catalog.importing import (
    FIELDS,
    ImportFileError,
    ImportKind,
    ImportReport,
    MappingProblem,
    Preview,
    RowError,
    import_file,
    preview,
)
from nex_automat.catalog.sources import (
    SourceError,
    get_source,
    list_sources,
    save_source,
    source_name,
)
from nex_automat.catalog.sync import SYNC_ORDER, sync_states
from nex_automat.store.audit import record_audit
from nex_automat.store.models import AuditEntry, CatalogueSource, CatalogueSync
from nex_automat.web.deps import services_of
from nex_automat.web.ui.catalog_uploads import (
    UploadRefused,
    find_upload,
    remove_upload,
    store_upload,
)
from nex_automat.web.ui.csrf import CsrfUser
from nex_automat.web.ui.rendering import render
from nex_automat.web.ui.roles import Permission, requires
from nex_automat.web.ui.sessions import SignedIn

router = APIRouter(include_in_schema=False)

Admin = Annotated[SignedIn, Depends(requires(Permission.ADMIN))]

PAGE = "/admin/catalog"
KINDS: tuple[ImportKind, ...] = SYNC_ORDER
ERRORS_SHOWN = 100
HISTORY = 20
AUDIT_ENTITIES = ("catalog_import", "catalog_source")
MAPPING_FIELD = "map."
"""Form fields ``map.<field>`` carry the chosen column of each field."""
NOTICES: dict[str, str] = {"discarded": "catalog.discarded"}


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One line of the columns form: a field, its chosen column, what is wrong with it."""

    name: str
    required: bool
    header: str
    problem: MappingProblem | None


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded file waiting for its import, and what it was said to be."""

    token: str
    path: Path
    filename: str
    kind: ImportKind
    source: str
    """The source's name; empty: the mapping is not saved."""
    source_saved: bool
    """Whether the source exists already (its mapping filled the columns)."""


@dataclass(frozen=True, slots=True)
class Step:
    """The columns-and-preview step of one uploaded file."""

    upload: Upload
    headers: list[str]
    fields: list[FieldRow]
    shown_fields: list[str]
    rows: list[dict[str, Any]]
    errors: list[RowError]
    error_count: int
    total_rows: int


@dataclass(frozen=True, slots=True)
class SyncRow:
    name: str
    schedule_key: str
    schedule: dict[str, str]
    kind: ImportKind
    state: CatalogueSync | None


@dataclass(slots=True)
class Outcome:
    """What an import ended with, for the page."""

    report: ImportReport
    saved_source: str | None = None

    @property
    def seconds(self) -> Decimal:
        return Decimal(f"{self.report.seconds:.1f}")


def _mapping_text(mapping: dict[str, Any]) -> str:
    return ", ".join(f"{name}={header}" for name, header in mapping.items())


def _sync_rows(request: Request, tenant_id: str, states: list[CatalogueSync]) -> list[SyncRow]:
    by_key = {(state.name, state.kind): state for state in states}
    rows: list[SyncRow] = []
    for sync in services_of(request).settings.catalog_sync:
        if sync.tenant != tenant_id:
            continue
        if sync.daily_at is not None:
            key, values = "catalog.schedule_daily", {"time": sync.daily_at}
        else:
            key, values = "catalog.schedule_every", {"minutes": str(sync.every_minutes)}
        rows.extend(
            SyncRow(sync.name, key, values, kind, by_key.get((sync.name, kind.value)))
            for kind in SYNC_ORDER
            if kind.value in sync.kinds
        )
    return rows


def _page(
    request: Request,
    user: SignedIn,
    *,
    step: Step | None = None,
    outcome: Outcome | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    with services_of(request).db.tenant_session(user.tenant_id) as session:
        sources = list_sources(session)
        states = sync_states(session)
        history = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity.in_(AUDIT_ENTITIES))
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .limit(HISTORY)
            )
        )
    source_names = {str(source.id): source.name for source in sources}
    limit = services_of(request).settings.upload_max_bytes
    return render(
        request,
        "catalog.html",
        user=user,
        status_code=status_code,
        kinds=KINDS,
        sources=sources,
        source_names=source_names,
        mapping_text=_mapping_text,
        syncs=_sync_rows(request, user.tenant_id, states),
        history=history,
        megabytes=f"{limit / 1024 / 1024:.0f}",
        step=step,
        outcome=outcome,
        error=error,
        notice=NOTICES.get(request.query_params.get("done", "")),
    )


async def _page_async(request: Request, user: SignedIn, **options: Any) -> Response:
    return await run_in_threadpool(lambda: _page(request, user, **options))


@router.get(PAGE, response_class=HTMLResponse)
async def catalog_page(request: Request, user: Admin) -> Response:
    return await _page_async(request, user)


# ------------------------------------------------------------------------------ steps


def _kind(text: str) -> ImportKind | None:
    try:
        return ImportKind(text)
    except ValueError:
        return None


def _step(upload: Upload, shown: Preview, errors: list[RowError] | None = None) -> Step:
    problems = {problem.field: problem for problem in shown.problems}
    fields = [
        FieldRow(
            spec.name, spec.required, shown.mapping.get(spec.name, ""), problems.get(spec.name)
        )
        for spec in FIELDS[upload.kind]
    ]
    found = shown.errors if errors is None else errors
    return Step(
        upload=upload,
        headers=shown.headers,
        fields=fields,
        shown_fields=[spec.name for spec in FIELDS[upload.kind] if spec.name in shown.mapping],
        rows=shown.rows,
        errors=found[:ERRORS_SHOWN],
        error_count=len(found),
        total_rows=shown.total_rows,
    )


def _first_step(
    request: Request, admin: SignedIn, file: UploadFile, kind: ImportKind, source: str
) -> Step:
    """Keep the upload and preview it with the source's mapping, else headers by name."""
    settings = services_of(request).settings
    filename = file.filename or ""
    token = store_upload(settings.data_dir, admin.tenant_id, filename, file.file)
    path = find_upload(settings.data_dir, admin.tenant_id, token)
    assert path is not None
    with services_of(request).db.tenant_session(admin.tenant_id) as session:
        saved = get_source(session, source) if source else None
        mapping = dict(saved.mapping) if saved is not None else None
        chosen = ImportKind(saved.kind) if saved is not None else kind
    upload = Upload(token, path, filename, chosen, source, saved is not None)
    try:
        return _step(upload, preview(path, chosen, mapping))
    except ImportFileError:
        remove_upload(path)
        raise


@router.post(f"{PAGE}/upload", response_class=HTMLResponse)
async def upload_file(
    request: Request,
    admin: Admin,
    _: CsrfUser,
    *,
    file: Annotated[UploadFile | None, File()] = None,
    kind: Annotated[str, Form()] = ImportKind.PRODUCTS.value,
    source: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    chosen = _kind(kind)
    if chosen is None:
        return await _page_async(request, admin, error="catalog.bad_kind", status_code=400)
    try:
        name = source_name(source) if source.strip() else ""
    except SourceError:
        return await _page_async(request, admin, error="catalog.bad_source", status_code=400)
    if file is None or not file.filename:
        return await _page_async(request, admin, error="catalog.upload_missing", status_code=400)
    if (file.size or 0) > services_of(request).settings.upload_max_bytes:
        return await _page_async(request, admin, error="catalog.too_large", status_code=413)
    try:
        step = await run_in_threadpool(_first_step, request, admin, file, chosen, name)
    except UploadRefused as refused:
        return await _page_async(request, admin, error=refused.message_key, status_code=400)
    except ImportFileError:
        return await _page_async(request, admin, error="catalog.unreadable", status_code=400)
    return await _page_async(request, admin, step=step)


def _import(request: Request, admin: SignedIn, upload: Upload, mapping: dict[str, str]) -> Outcome:
    """The import, as the CLI runs it; the source and the audit log in the same transaction."""
    with services_of(request).db.tenant_session(admin.tenant_id) as session:
        report = import_file(session, upload.path, upload.kind, mapping)
        if not report.imported:
            return Outcome(report)
        outcome = Outcome(report)
        if upload.source:
            outcome.saved_source = _save_source(session, admin, upload, report.mapping)
        record_audit(
            session,
            entity="catalog_import",
            entity_id=upload.kind.value,
            action="imported",
            actor=admin.username,
            field=upload.source or None,
            new_value=f"{upload.filename}: {report.rows_written}/{report.rows_read}",
        )
    remove_upload(upload.path)
    return outcome


def _save_source(session: Session, admin: SignedIn, upload: Upload, mapping: dict[str, str]) -> str:
    existing: CatalogueSource | None = get_source(session, upload.source)
    before = _mapping_text(existing.mapping) if existing is not None else None
    saved = save_source(session, upload.source, upload.kind, mapping, actor=admin.username)
    after = _mapping_text(saved.mapping)
    if before != after:
        record_audit(
            session,
            entity="catalog_source",
            entity_id=str(saved.id),
            action="saved",
            actor=admin.username,
            field="mapping",
            old_value=before,
            new_value=after,
        )
    return saved.name


@router.post(f"{PAGE}/uploads/{{token}}", response_class=HTMLResponse)
async def upload_step(
    request: Request,
    token: str,
    admin: Admin,
    _: CsrfUser,
    *,
    kind: Annotated[str, Form()] = "",
    source: Annotated[str, Form(max_length=200)] = "",
    filename: Annotated[str, Form(max_length=500)] = "",
    action: Annotated[str, Form()] = "preview",
) -> Response:
    path = find_upload(services_of(request).settings.data_dir, admin.tenant_id, token)
    if path is None:
        return await _page_async(request, admin, error="catalog.upload_gone", status_code=404)
    chosen = _kind(kind)
    if chosen is None:
        return await _page_async(request, admin, error="catalog.bad_kind", status_code=400)
    if action == "discard":
        remove_upload(path)
        return RedirectResponse(f"{PAGE}?done=discarded", status_code=303)
    try:
        name = source_name(source) if source.strip() else ""
    except SourceError:
        return await _page_async(request, admin, error="catalog.bad_source", status_code=400)
    form = await request.form()
    mapping = {
        spec.name: value
        for spec in FIELDS[chosen]
        if isinstance(value := form.get(MAPPING_FIELD + spec.name), str) and value
    }
    upload = Upload(token, path, filename, chosen, name, source_saved=False)
    return await run_in_threadpool(_mapping_step, request, admin, upload, mapping, action)


def _mapping_step(
    request: Request, admin: SignedIn, upload: Upload, mapping: dict[str, str], action: str
) -> Response:
    """Preview with the chosen columns, or import with them and show the report."""
    try:
        shown = preview(upload.path, upload.kind, mapping)
    except ImportFileError:
        return _page(request, admin, error="catalog.unreadable", status_code=400)
    if upload.source:
        with services_of(request).db.tenant_session(admin.tenant_id) as session:
            exists = get_source(session, upload.source) is not None
        upload = replace(upload, source_saved=exists)
    step = _step(upload, shown)
    if action != "import":
        return _page(request, admin, step=step)
    if shown.problems:
        return _page(request, admin, step=step, error="catalog.refused", status_code=400)
    outcome = _import(request, admin, upload, mapping)
    if not outcome.report.imported:
        refused = _step(upload, shown, outcome.report.errors)
        return _page(request, admin, step=refused, error="catalog.refused", status_code=400)
    return _page(request, admin, outcome=outcome)
