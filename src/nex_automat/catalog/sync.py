"""Keeping a tenant's catalogue current from an ERP's HTTP JSON interface.

A sync reads each configured kind in the order the catalogue needs them (groups before
the products in them, products before their barcodes), every page of it, and only then
writes: through :func:`~nex_automat.catalog.importing.import_rows`, the same checks and
upserts as a file import, in one transaction per kind. So:

- a page that cannot be read (no answer, HTTP 500, not JSON) fails its kind and writes
  nothing of it; the kinds after it are still synced;
- a bad record is reported with its number in the feed (1 for the first record of the
  first page) and left out, the good ones written; with ``skip_invalid: false`` a bad
  record fails its kind instead, as a bad row fails a file import.

How each kind's last run went is kept in ``catalogue_syncs`` (see :func:`record_run`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import httpx
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from nex_automat.catalog.feed import (
    Cells,
    fetch_pages,
    record_cells,
    record_keys,
)
from nex_automat.catalog.importing import (
    ImportKind,
    RawRow,
    RowError,
    import_rows,
    resolve_mapping,
)
from nex_automat.errors import NexError
from nex_automat.ops.catalog_sync_settings import CatalogSyncSettings, SyncFeedSettings
from nex_automat.store.db import Database
from nex_automat.store.models import CatalogueSync
from nex_automat.store.sqltypes import utcnow

logger = logging.getLogger(__name__)

SYNC_ORDER: tuple[ImportKind, ...] = (
    ImportKind.GROUPS,
    ImportKind.PRODUCTS,
    ImportKind.BARCODES,
    ImportKind.PARTNERS,
)
ERRORS_KEPT = 5
"""Bad records quoted in the stored state; the CLI prints them all."""


class RunState(StrEnum):
    OK = "ok"
    FAILED = "failed"


class Stage(StrEnum):
    FETCH = "fetch"
    WRITE = "write"


SyncProgress = Callable[[ImportKind, Stage, int, int | None], None]
"""Told (kind, stage, records so far, records in all when known)."""


@dataclass(slots=True)
class KindRun:
    """What one kind's run did."""

    kind: ImportKind
    state: RunState
    started_at: datetime
    records_read: int = 0
    records_written: int = 0
    errors: list[RowError] = field(default_factory=list)
    failure: str | None = None

    @property
    def records_failed(self) -> int:
        return len({error.row for error in self.errors})

    def summary(self) -> str | None:
        """What the stored state says went wrong: the failure, else the first bad records."""
        if self.failure is not None:
            return self.failure
        if not self.errors:
            return None
        lines = [
            f"record {e.row}: {e.field or '-'}: {e.message}" for e in self.errors[:ERRORS_KEPT]
        ]
        if len(self.errors) > ERRORS_KEPT:
            lines.append(f"… {len(self.errors) - ERRORS_KEPT} more")
        return "\n".join(lines)


def run_sync(
    db: Database,
    settings: CatalogSyncSettings,
    *,
    kinds: Collection[ImportKind] | None = None,
    progress: SyncProgress | None = None,
) -> list[KindRun]:
    """Sync every configured kind (or those of ``kinds``) and record how each went."""
    chosen = [
        kind
        for kind in SYNC_ORDER
        if kind.value in settings.kinds and (kinds is None or kind in kinds)
    ]
    runs: list[KindRun] = []
    try:
        headers = {settings.api_key_header: settings.key()}
    except NexError as error:
        for kind in chosen:
            run = KindRun(kind, RunState.FAILED, utcnow(), failure=error.message)
            record_run(db, settings, run)
            runs.append(run)
        return runs
    with httpx.Client(
        headers=headers, timeout=settings.timeout_seconds, follow_redirects=False
    ) as client:
        for kind in chosen:
            run = sync_kind(db, settings, kind, client, progress)
            record_run(db, settings, run)
            if run.state is RunState.FAILED:
                logger.warning("catalogue sync %s: %s failed: %s", settings.name, kind, run.failure)
            runs.append(run)
    return runs


def sync_kind(
    db: Database,
    settings: CatalogSyncSettings,
    kind: ImportKind,
    client: httpx.Client,
    progress: SyncProgress | None = None,
) -> KindRun:
    """Read every page of one kind, then write it in one transaction (see the module)."""
    run = KindRun(kind, RunState.OK, utcnow())
    feed = settings.kinds[kind.value]
    try:
        rows, errors, fields = _read(client, kind, feed, progress)
        with db.tenant_session(settings.tenant) as session:
            report = import_rows(
                session,
                kind,
                rows,
                fields,
                errors=errors,
                skip_invalid=settings.skip_invalid,
                progress=_writing(kind, progress),
            )
    except NexError as error:
        run.state, run.failure = RunState.FAILED, error.message
        return run
    except SQLAlchemyError as error:
        first_line = str(error).splitlines()[0] if str(error) else ""
        run.state, run.failure = RunState.FAILED, f"database: {type(error).__name__}: {first_line}"
        return run
    run.records_read, run.records_written, run.errors = (
        report.rows_read,
        report.rows_written,
        report.errors,
    )
    if report.errors and not settings.skip_invalid:
        run.state = RunState.FAILED
        run.failure = (
            f"{run.records_failed} bad record(s), nothing written (skip_invalid is off); "
            f"first: {run.errors[0].row}: {run.errors[0].field or '-'}: {run.errors[0].message}"
        )
    return run


def _read(
    client: httpx.Client,
    kind: ImportKind,
    feed: SyncFeedSettings,
    progress: SyncProgress | None,
) -> tuple[list[RawRow], list[RowError], dict[str, str]]:
    """Every record of the feed as text cells, the records that could not be read, and the
    field → JSON path mapping (configured, or the records' keys named like the fields)."""
    rows: list[RawRow] = []
    errors: list[RowError] = []
    paths: dict[str, str] | None = None
    number = 0
    configured = dict(feed.fields) or None
    if configured is not None:
        paths = resolve_mapping(kind, list(configured.values()), configured)
    for page in fetch_pages(client, feed):
        if paths is None and page.records:
            paths = resolve_mapping(kind, record_keys(page.records), None)
        for record in page.records:
            number += 1
            assert paths is not None
            cells = _cells(number, record, paths, errors)
            if cells is not None:
                rows.append((number, cells))
        if progress is not None:
            progress(kind, Stage.FETCH, number, page.total)
    return rows, errors, paths or {}


def _cells(
    number: int, record: object, paths: dict[str, str], errors: list[RowError]
) -> Cells | None:
    def problem(name: str | None, code: str, value: str) -> None:
        errors.append(RowError(number, name, code, {"value": value}))

    return record_cells(record, paths, problem)


def _writing(kind: ImportKind, progress: SyncProgress | None) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(kind, Stage.WRITE, done, total)


def record_run(db: Database, settings: CatalogSyncSettings, run: KindRun) -> CatalogueSync:
    """Keep how the run went as the kind's sync state; a success also sets
    ``last_success_at``, a failure leaves the previous one standing."""
    with db.tenant_session(settings.tenant) as session:
        state = session.scalars(
            select(CatalogueSync).where(
                CatalogueSync.name == settings.name, CatalogueSync.kind == run.kind.value
            )
        ).one_or_none()
        if state is None:
            state = CatalogueSync(name=settings.name, kind=run.kind.value)
            session.add(state)
        finished = utcnow()
        state.state = run.state.value
        state.started_at = run.started_at
        state.finished_at = finished
        if run.state is RunState.OK:
            state.last_success_at = finished
        state.records_read = run.records_read
        state.records_written = run.records_written
        state.records_failed = run.records_failed
        state.last_error = run.summary()
        session.flush()
        return state


def sync_states(session: Session) -> list[CatalogueSync]:
    """The session's tenant's sync states, by sync name and then in sync order."""
    order = {kind.value: position for position, kind in enumerate(SYNC_ORDER)}
    states = session.scalars(select(CatalogueSync)).all()
    return sorted(states, key=lambda s: (s.name, order.get(s.kind, len(order))))
