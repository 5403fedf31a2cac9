"""The commands of the service: set up, serve, ingest, look at invoices, manage keys.

Thin like ``cli.py``: each command builds the settings, calls the rooms below and prints.
Every command takes ``--data-dir`` (or ``NEX_DATA_DIR``), so several installations can
live side by side on one machine.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.progress import TaskID
from rich.table import Table
from sqlalchemy.orm import Session

from nex_automat.catalog.importing import ImportKind, import_file, load_mapping
from nex_automat.catalog.sources import (
    delete_source,
    get_source,
    list_sources,
    save_source,
    source_kind,
    source_name,
)
from nex_automat.catalog.sync import KindRun, RunState, Stage, run_sync, sync_states
from nex_automat.cli_common import DataDir, TenantOption, err, settings_or_exit
from nex_automat.console import print_json_line, progress_bar
from nex_automat.errors import NexError
from nex_automat.ops.catalog_sync_settings import CatalogSyncSettings
from nex_automat.ops.setup import initialise
from nex_automat.ops.upgrade import upgrade_database
from nex_automat.store.apikeys import create_api_key, list_api_keys, revoke_api_key
from nex_automat.store.db import Database, open_database
from nex_automat.store.invoices import (
    InvoiceFilter,
    get_invoice,
    list_invoices,
)
from nex_automat.store.models import InvoiceStatus, Role
from nex_automat.store.tenants import get_tenant
from nex_automat.store.users import LANGUAGES, create_user
from nex_automat.web.views import invoice_detail_json, invoice_summary_json

invoices_app = typer.Typer(help="Look at stored invoices.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys for the HTTP API.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
user_app = typer.Typer(help="People who sign in to the review workspace.", no_args_is_help=True)
catalog_app = typer.Typer(help="The product and partner catalogue.", no_args_is_help=True)
sources_app = typer.Typer(
    help="Saved import sources: the kind and column mapping of each ERP export.",
    no_args_is_help=True,
)
catalog_app.add_typer(sources_app, name="sources")
CLI_ACTOR = "cli"
PASSWORD_VARIABLE = "NEX_PASSWORD"


def init(data_dir: DataDir = None) -> None:
    """Create the data folder, a commented config file, the database and a first API key."""
    report = initialise(settings_or_exit(data_dir))
    state = "written" if report.config_written else "kept as it was"
    err.print(f"config file {report.config_file} {state}")
    err.print(f"database {report.database_url} up to date")
    if report.api_key is None:
        err.print("the default tenant already has API keys; create more with `apikey create`")
        return
    err.print("first API key (shown once, store it now):")
    sys.stdout.write(report.api_key + "\n")


@invoices_app.command("list")
def invoices_list(
    data_dir: DataDir = None,
    tenant: TenantOption = None,
    status: Annotated[
        list[InvoiceStatus] | None, typer.Option(help="Only these statuses (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
) -> None:
    """The newest invoices first."""
    settings = settings_or_exit(data_dir)
    db = open_database(settings.effective_database_url())
    try:
        with db.tenant_session(tenant or settings.default_tenant) as session:
            page = list_invoices(session, InvoiceFilter(statuses=status or None), limit=limit)
            rows = [invoice_summary_json(record) for record in page.items]
    finally:
        db.dispose()
    if as_json:
        for row in rows:
            print_json_line(row)
        return
    table = Table(title=f"Invoices ({len(rows)})")
    for column in ("id", "status", "number", "issued", "supplier", "total", "warnings"):
        table.add_column(column)
    for row in rows:
        total = f"{row['total_gross'] or ''} {row['currency'] or ''}".strip()
        table.add_row(
            row["id"],
            row["status"],
            row["number"] or "",
            row["issue_date"] or "",
            row["supplier"]["name"] or "",
            total,
            str(row["warnings"]),
        )
    Console().print(table)


@invoices_app.command("show")
def invoices_show(
    invoice_id: Annotated[str, typer.Argument(help="The invoice's id.")],
    data_dir: DataDir = None,
    tenant: TenantOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> None:
    """One invoice with its lines, warnings and where each value was read."""
    settings = settings_or_exit(data_dir)
    db = open_database(settings.effective_database_url())
    try:
        with db.tenant_session(tenant or settings.default_tenant) as session:
            record = get_invoice(session, invoice_id)
            detail = None if record is None else invoice_detail_json(record)
    finally:
        db.dispose()
    if detail is None:
        err.print(f"[red]no invoice {invoice_id}[/red]")
        raise typer.Exit(1)
    if as_json:
        print_json_line(detail)
    else:
        Console().print_json(data=detail)


@apikey_app.command("create")
def apikey_create(
    data_dir: DataDir = None,
    tenant: TenantOption = None,
    name: Annotated[str, typer.Option(help="What the key is for.")] = "api",
) -> None:
    """Create a key and print only the key, so a script can capture it; shown once."""
    settings = settings_or_exit(data_dir)
    db = open_database(settings.effective_database_url())
    try:
        with db.session() as session:
            tenant_id = tenant or settings.default_tenant
            if get_tenant(session, tenant_id) is None:
                err.print(f"[red]unknown tenant {tenant_id!r}; run `nex-automat init`[/red]")
                raise typer.Exit(2)
            secret = create_api_key(session, tenant_id, name).secret
    finally:
        db.dispose()
    sys.stdout.write(secret + "\n")


@apikey_app.command("list")
def apikey_list(data_dir: DataDir = None, tenant: TenantOption = None) -> None:
    """Keys with their prefix, never the secret."""
    settings = settings_or_exit(data_dir)
    db = open_database(settings.effective_database_url())
    try:
        with db.session() as session:
            keys = list_api_keys(session, tenant)
            rows = [
                (
                    str(k.id),
                    k.tenant_id,
                    k.name,
                    k.prefix,
                    str(k.created_at),
                    str(k.revoked_at or ""),
                )
                for k in keys
            ]
    finally:
        db.dispose()
    table = Table(title="API keys")
    for column in ("id", "tenant", "name", "prefix", "created", "revoked"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@apikey_app.command("revoke")
def apikey_revoke(
    key_id: Annotated[int, typer.Argument(help="The key's id from `apikey list`.")],
    data_dir: DataDir = None,
) -> None:
    """Revoke a key: requests with it are refused from now on."""
    settings = settings_or_exit(data_dir)
    db = open_database(settings.effective_database_url())
    try:
        with db.session() as session:
            revoked = revoke_api_key(session, key_id)
    finally:
        db.dispose()
    if revoked is None:
        err.print(f"[red]no API key {key_id}[/red]")
        raise typer.Exit(1)
    err.print(f"API key {key_id} ({revoked.name}) revoked")


@db_app.command("upgrade")
def db_upgrade(
    data_dir: DataDir = None,
    backup: Annotated[
        bool, typer.Option(help="Back up an existing database before changing its schema.")
    ] = True,
) -> None:
    """Bring the database schema up to date (also done on every start), backing up first,
    and move document files of the shared layout into their tenants' folders."""
    settings = settings_or_exit(data_dir)
    db = open_database(settings.effective_database_url())
    try:
        with progress_bar(err, show=True) as progress:
            task = progress.add_task("Backing up before the upgrade", total=None)
            report = upgrade_database(
                settings,
                db,
                backup=backup,
                on_progress=lambda step, done, total: progress.update(
                    task, description=step, completed=done, total=total
                ),
            )
    except NexError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(1) from exc
    finally:
        db.dispose()
    if report.backup_id is not None:
        err.print(f"backup {report.backup_id} taken before the upgrade")
    err.print(f"database at revision {report.to_revision}")
    if report.documents_moved:
        err.print(f"{report.documents_moved} document files moved into their tenants' folders")


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="The name to sign in with.")],
    role: Annotated[Role, typer.Option(help="What the user may do.")],
    data_dir: DataDir = None,
    tenant: TenantOption = None,
    language: Annotated[
        str | None,
        typer.Option(help=f"UI language: {', '.join(LANGUAGES)} (default: the tenant's)."),
    ] = None,
) -> None:
    """Create a user; the password comes from NEX_PASSWORD or is asked for twice."""
    settings = settings_or_exit(data_dir)
    tenant_id = tenant or settings.default_tenant
    password = os.environ.get(PASSWORD_VARIABLE) or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True, err=True
    )
    db = open_database(settings.effective_database_url())
    try:
        upgrade_database(settings, db)
        with db.session() as session:
            user = create_user(
                session,
                tenant_id=tenant_id,
                username=username,
                password=password,
                role=role,
                language=language or settings.for_tenant(tenant_id).ui_language,
            )
            name, tenant_id = user.username, user.tenant_id
    except NexError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(2) from exc
    finally:
        db.dispose()
    err.print(f"user {name} ({role}) created in tenant {tenant_id}")


@catalog_app.command("import")
def catalog_import(
    file: Annotated[Path, typer.Argument(help="A CSV or XLSX export of the ERP.")],
    *,
    kind: Annotated[
        ImportKind | None, typer.Option(help="What the file lists (default: the source's kind).")
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(help="YAML of field: column header (default: the source's, else by name)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="A named source (e.g. pohoda-products): its saved kind and mapping "
            "are used, and the mapping of this import is saved for the next one."
        ),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the good rows even when some rows are bad.")
    ] = False,
    data_dir: DataDir = None,
    tenant: TenantOption = None,
) -> None:
    """Upsert products, barcodes, product groups or partners from a file, with progress."""
    settings = settings_or_exit(data_dir)
    tenant_id = tenant or settings.default_tenant
    db = open_database(settings.effective_database_url())
    try:
        upgrade_database(settings, db)
        _require_tenant_in(db, tenant_id)
        columns = load_mapping(mapping) if mapping is not None else None
        with progress_bar(err, show=True) as progress, db.tenant_session(tenant_id) as session:
            saved = get_source(session, source) if source is not None else None
            chosen = source_kind(saved, kind)
            if columns is None and saved is not None:
                columns = saved.mapping
            task = progress.add_task(f"Importing {chosen}", total=None)
            report = import_file(
                session,
                file,
                chosen,
                columns,
                skip_invalid=skip_invalid,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
            if source is not None and report.imported:
                save_source(session, source, chosen, report.mapping, actor=CLI_ACTOR)
    except NexError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(2) from exc
    finally:
        db.dispose()
    for error in report.errors:
        err.print(f"row {error.row}: {error.field or '-'}: {error.message}")
    err.print(
        f"{report.rows_written} of {report.rows_read} {chosen} rows imported "
        f"in {report.seconds:.1f} s, {len(report.errors)} error(s)"
    )
    if source is not None and report.imported:
        err.print(f"mapping saved as source {source_name(source)!r}")
    raise typer.Exit(1 if report.errors else 0)


def _require_tenant_in(db: Database, tenant_id: str) -> None:
    with db.session() as session:
        if get_tenant(session, tenant_id) is None:
            err.print(f"[red]unknown tenant {tenant_id!r}[/red]")
            raise typer.Exit(2)


@contextmanager
def _tenant_catalog(data_dir: Path | None, tenant: str | None) -> Iterator[Session]:
    """A session of the tenant (default: the configured one) over an up-to-date database;
    an error the user caused ends the command with its code and message."""
    settings = settings_or_exit(data_dir)
    db = open_database(settings.effective_database_url())
    try:
        upgrade_database(settings, db)
        with db.tenant_session(tenant or settings.default_tenant) as session:
            yield session
    except NexError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(2) from exc
    finally:
        db.dispose()


@sources_app.command("list")
def catalog_sources_list(data_dir: DataDir = None, tenant: TenantOption = None) -> None:
    """Saved import sources with their kind and mapped columns."""
    with _tenant_catalog(data_dir, tenant) as session:
        rows = [
            (
                item.name,
                item.kind,
                ", ".join(f"{name}={header}" for name, header in item.mapping.items()),
                str(item.updated_at),
                item.updated_by or "",
            )
            for item in list_sources(session)
        ]
    table = Table(title=f"Import sources ({len(rows)})")
    for column in ("name", "kind", "mapping", "updated", "by"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@sources_app.command("show")
def catalog_sources_show(
    name: Annotated[str, typer.Argument(help="The source's name.")],
    data_dir: DataDir = None,
    tenant: TenantOption = None,
) -> None:
    """The source's mapping as YAML, ready to edit and pass back with --mapping."""
    with _tenant_catalog(data_dir, tenant) as session:
        found = get_source(session, name)
        if found is None:
            err.print(f"[red]no import source {name!r}[/red]")
            raise typer.Exit(1)
        heading = f"# source {found.name}: {found.kind}, updated {found.updated_at}"
        body = yaml.safe_dump(found.mapping, allow_unicode=True, sort_keys=False)
    sys.stdout.write(f"{heading}\n{body}")


@sources_app.command("delete")
def catalog_sources_delete(
    name: Annotated[str, typer.Argument(help="The source's name.")],
    data_dir: DataDir = None,
    tenant: TenantOption = None,
) -> None:
    """Forget a source's kind and mapping; the catalogue it imported stays."""
    with _tenant_catalog(data_dir, tenant) as session:
        deleted = delete_source(session, name)
    if not deleted:
        err.print(f"[red]no import source {name!r}[/red]")
        raise typer.Exit(1)
    err.print(f"import source {name!r} deleted")


@catalog_app.command("sync")
def catalog_sync(
    kind: Annotated[
        list[ImportKind] | None, typer.Option(help="Only this kind (repeatable).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Only the sync of this name.")] = None,
    status: Annotated[
        bool, typer.Option("--status", help="Show how the last runs went; sync nothing.")
    ] = False,
    data_dir: DataDir = None,
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="Only this tenant's syncs (default: all).")
    ] = None,
) -> None:
    """Sync the catalogue now from the ERP interfaces configured under catalog_sync."""
    settings = settings_or_exit(data_dir)
    syncs = [
        sync
        for sync in settings.catalog_sync
        if (tenant is None or sync.tenant == tenant) and (name is None or sync.name == name)
    ]
    if not syncs:
        err.print(
            "[red]no catalogue sync configured that fits; see catalog_sync in the config[/red]"
        )
        raise typer.Exit(2)
    db = open_database(settings.effective_database_url())
    try:
        upgrade_database(settings, db)
        if status:
            _print_sync_states(db, syncs)
            return
        results = [(sync, _run_sync_with_progress(db, sync, kind)) for sync in syncs]
    finally:
        db.dispose()
    failed = _print_sync_runs(results)
    raise typer.Exit(1 if failed else 0)


def _run_sync_with_progress(
    db: Database, sync: CatalogSyncSettings, kinds: list[ImportKind] | None
) -> list[KindRun]:
    with progress_bar(err, show=True) as progress:
        tasks: dict[tuple[ImportKind, Stage], TaskID] = {}

        def advance(kind: ImportKind, stage: Stage, done: int, total: int | None) -> None:
            task = tasks.get((kind, stage))
            if task is None:
                verb = "Reading" if stage is Stage.FETCH else "Writing"
                task = progress.add_task(f"{sync.name}: {verb} {kind}", total=total)
                tasks[(kind, stage)] = task
            progress.update(task, completed=done, total=total)

        return run_sync(db, sync, kinds=kinds, progress=advance)


def _print_sync_runs(results: list[tuple[CatalogSyncSettings, list[KindRun]]]) -> bool:
    table = Table(title="Catalogue sync")
    for column in ("sync", "kind", "state", "read", "written", "bad", "error"):
        table.add_column(column)
    failed = False
    for sync, runs in results:
        for run in runs:
            failed = failed or run.state is RunState.FAILED or bool(run.errors)
            for error in run.errors:
                err.print(
                    f"{sync.name} {run.kind} record {error.row}: "
                    f"{error.field or '-'}: {error.message}"
                )
            state = "[red]failed[/red]" if run.state is RunState.FAILED else "ok"
            table.add_row(
                sync.name,
                run.kind.value,
                state,
                str(run.records_read),
                str(run.records_written),
                str(run.records_failed),
                run.failure or "",
            )
    Console().print(table)
    return failed


def _print_sync_states(db: Database, syncs: list[CatalogSyncSettings]) -> None:
    table = Table(title="Catalogue sync state")
    for column in ("tenant", "sync", "kind", "state", "finished", "last success", "written",
                   "bad", "last error"):  # fmt: skip
        table.add_column(column)
    for tenant_id in dict.fromkeys(sync.tenant for sync in syncs):
        names = {sync.name for sync in syncs if sync.tenant == tenant_id}
        with db.tenant_session(tenant_id) as session:
            for state in sync_states(session):
                if state.name in names:
                    table.add_row(
                        tenant_id,
                        state.name,
                        state.kind,
                        state.state,
                        str(state.finished_at),
                        str(state.last_success_at or ""),
                        str(state.records_written),
                        str(state.records_failed),
                        state.last_error or "",
                    )
    Console().print(table)
