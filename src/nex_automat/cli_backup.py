"""The ``nex-automat backup`` commands: take, list, check, describe, restore and prune sets.

Made for scripts as much as for people: ``create`` prints only the new set's id on stdout
(progress and remarks go to stderr), ``list --json`` and ``info --json`` print JSON, every
failure exits non-zero with its error code, and ``restore ID --yes`` asks nothing.
"""

from __future__ import annotations

import base64
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import TaskID
from rich.table import Table
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from nex_automat.cli_common import DataDir, err, settings_or_exit
from nex_automat.console import print_json_line, progress_bar
from nex_automat.errors import NexError
from nex_automat.ops.backup.catalogue import Listed, list_sets, load_set
from nex_automat.ops.backup.layout import BackupFolder, Progress
from nex_automat.ops.backup.lock import backup_lock
from nex_automat.ops.backup.manifest import BackupKind, Manifest
from nex_automat.ops.backup.prune import prune_backups
from nex_automat.ops.backup.restore import check_target, restore_backup
from nex_automat.ops.backup.runs import describe_error, take_backup
from nex_automat.ops.backup.verify import verify_backup
from nex_automat.ops.config import BACKUP_KEY_BYTES, Settings
from nex_automat.store.db import open_database

backup_app = typer.Typer(
    help="Backups: the database, document files and configuration.", no_args_is_help=True
)
BackupDir = Annotated[
    Path | None,
    typer.Option(
        "--backup-dir",
        help="The backup folder (default: backup.dir of the config, else <data dir>/backups).",
        show_default=False,
    ),
]
BackupId = Annotated[
    str | None, typer.Argument(help="A backup id from `backup list` (default: the newest).")
]
AsJson = Annotated[bool, typer.Option("--json", help="JSON on stdout.")]
LATEST = "latest"


def _backup_settings(data_dir: Path | None, backup_dir: Path | None) -> Settings:
    if backup_dir is None:
        return settings_or_exit(data_dir)
    return settings_or_exit(data_dir, backup={"dir": backup_dir})


FAILURES = (NexError, OSError, SQLAlchemyError)
"""What a backup command reports in a line and exit 1: ours, the disk's, the database's."""


def _fail(exc: Exception) -> typer.Exit:
    if isinstance(exc, NexError):
        err.print(f"[red]{exc.code}:[/red] {exc.message}", highlight=False)
    else:
        err.print(f"[red]backup_failed:[/red] {describe_error(exc)}", highlight=False)
    return typer.Exit(1)


@contextmanager
def _progress() -> Iterator[Progress]:
    """A Rich progress bar on stderr with one line per step the work reports."""
    with progress_bar(err, show=True) as bar:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int | None) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        yield report


@backup_app.command("create")
def backup_create(
    data_dir: DataDir = None,
    backup_dir: BackupDir = None,
    verify: Annotated[
        bool, typer.Option("--verify", help="Check the new backup right away (see `verify`).")
    ] = False,
) -> None:
    """Take a backup now and print its id; only new document files are copied."""
    settings = _backup_settings(data_dir, backup_dir)
    db = open_database(settings.effective_database_url())
    try:
        with _progress() as on_progress:
            manifest = take_backup(
                settings, db, kind=BackupKind.MANUAL, verify=verify, on_progress=on_progress
            )
    except FAILURES as exc:
        raise _fail(exc) from exc
    finally:
        db.dispose()
    if manifest.config is None:
        err.print(f"[yellow]warning:[/yellow] configuration {manifest.config_note}")
    err.print(
        f"backup {manifest.id} in {settings.backup_dir}: {_size(manifest.total_bytes)}, "
        f"{manifest.document_count} document files ({manifest.new_blobs} new, "
        f"{_size(manifest.new_bytes)} copied)" + (", verified" if verify else "")
    )
    sys.stdout.write(manifest.id + "\n")


@backup_app.command("list")
def backup_list(
    data_dir: DataDir = None, backup_dir: BackupDir = None, as_json: AsJson = False
) -> None:
    """The backups, newest first (with --json: one JSON object per line)."""
    settings = _backup_settings(data_dir, backup_dir)
    listed = list_sets(settings.backup_dir)
    if as_json:
        for item in listed:
            print_json_line(_listed_json(item))
        return
    table = Table(title=f"Backups in {settings.backup_dir} ({len(listed)})")
    for column in ("id", "kind", "taken", "size", "copied", "documents", "schema", "config"):
        table.add_column(column)
    for item in listed:
        manifest = item.manifest
        if manifest is None:
            table.add_row(item.id, "[red]damaged[/red]", item.problem or "", *[""] * 5)
            continue
        table.add_row(
            manifest.id,
            str(manifest.kind),
            _local(manifest.created_at),
            _size(manifest.total_bytes),
            _size(manifest.new_bytes),
            str(manifest.document_count),
            manifest.schema_revision or "",
            "yes" if manifest.config is not None else "no",
        )
    Console().print(table)


@backup_app.command("verify")
def backup_verify(
    backup_id: BackupId = None, data_dir: DataDir = None, backup_dir: BackupDir = None
) -> None:
    """Check every checksum and read the database back; exit 1 when anything is wrong."""
    settings = _backup_settings(data_dir, backup_dir)
    try:
        with _progress() as on_progress:
            report = verify_backup(settings, _id(backup_id), on_progress=on_progress)
    except FAILURES as exc:
        raise _fail(exc) from exc
    out = Console(highlight=False)
    name = report.backup_id or "the newest backup"
    for note in report.notes:
        out.print(f"[yellow]note:[/yellow] {note}")
    for finding in report.findings:
        out.print(f"[red]✗ {finding.part}:[/red] {finding.problem}")
    if not report.ok:
        out.print(f"[red]backup {name} is damaged: {len(report.findings)} problem(s)[/red]")
        raise typer.Exit(1)
    tables = report.tables or {}
    out.print(
        f"[green]✓ backup {name} is sound:[/green] every checksum matches, "
        f"{report.documents_checked} document files, the database read back with "
        f"{sum(tables.values())} rows in {len(tables)} tables as recorded"
    )


@backup_app.command("info")
def backup_info(
    backup_id: BackupId = None,
    data_dir: DataDir = None,
    backup_dir: BackupDir = None,
    as_json: AsJson = False,
) -> None:
    """What a backup holds: versions, parts with their SHA-256, rows per table."""
    settings = _backup_settings(data_dir, backup_dir)
    try:
        manifest = load_set(settings.backup_dir, _id(backup_id))
    except FAILURES as exc:
        raise _fail(exc) from exc
    if as_json:
        print_json_line(manifest.to_json())
        return
    out = Console(highlight=False)
    about = Table.grid(padding=(0, 2))
    about.add_column(style="dim")
    about.add_column()
    for label, value in _about(manifest):
        about.add_row(label, value)
    out.print(about)
    parts = Table(title="Parts")
    for column in ("file", "size", "SHA-256"):
        parts.add_column(column)
    for part in manifest.parts():
        parts.add_row(part.file, _size(part.size), part.sha256)
    out.print(parts)
    tables = Table(title="Rows per table")
    tables.add_column("table")
    tables.add_column("rows", justify="right")
    for table, rows in sorted(manifest.tables.items()):
        tables.add_row(table, str(rows))
    out.print(tables)


@backup_app.command("restore")
def backup_restore(
    backup_id: Annotated[str, typer.Argument(help="The backup's id, or 'latest'.")],
    data_dir: DataDir = None,
    backup_dir: BackupDir = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Restore a backup into an empty database and data folder, then check the result."""
    settings = _backup_settings(data_dir, backup_dir)
    try:
        manifest = load_set(settings.backup_dir, _id(backup_id))
        check_target(settings, manifest)
    except FAILURES as exc:
        raise _fail(exc) from exc
    target = make_url(settings.effective_database_url()).render_as_string(hide_password=True)
    question = (
        f"Restore backup {manifest.id} (taken {_local(manifest.created_at)}, "
        f"{manifest.document_count} document files, {_size(manifest.total_bytes)}) "
        f"into {target} and {settings.documents_dir}?"
    )
    if not yes and not typer.confirm(question, err=True):
        err.print("nothing restored")
        raise typer.Exit(1)
    try:
        with _progress() as on_progress:
            report = restore_backup(settings, manifest, on_progress=on_progress)
    except FAILURES as exc:
        err.print(
            "the target may now hold part of the backup: empty it (a new empty database, "
            "no documents folder) before trying again"
        )
        raise _fail(exc) from exc
    if report.config_written is not None:
        err.print(f"configuration written to {report.config_written}")
    else:
        err.print(f"[yellow]warning:[/yellow] configuration {report.config_note}")
    for problem in report.problems:
        err.print(f"[red]✗ {problem}[/red]")
    if report.problems:
        raise typer.Exit(1)
    err.print(
        f"backup {manifest.id} restored: the database (schema {manifest.schema_revision}, "
        f"rows as recorded) and {report.documents} document files, each checked"
    )


@backup_app.command("prune")
def backup_prune(
    data_dir: DataDir = None,
    backup_dir: BackupDir = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would go.")] = False,
) -> None:
    """Remove the backups retention does not keep, and document files no backup needs."""
    settings = _backup_settings(data_dir, backup_dir)
    try:
        with backup_lock(BackupFolder(settings.backup_dir)):
            report = prune_backups(settings, dry_run=dry_run)
    except FAILURES as exc:
        raise _fail(exc) from exc
    verb = "would remove" if dry_run else "removed"
    for backup_id in report.removed:
        err.print(f"{verb} {backup_id}")
    if report.note:
        err.print(f"[yellow]note:[/yellow] {report.note}")
    err.print(
        f"{verb} {len(report.removed)} backup(s), {report.blobs_removed} document file(s) and "
        f"{report.unfinished_removed} unfinished piece(s), {_size(report.bytes_freed)}; "
        f"{len(report.kept)} backup(s) kept"
    )


@backup_app.command("keygen")
def backup_keygen() -> None:
    """Print a new random key for the configuration's copy in backups (base64)."""
    sys.stdout.write(base64.b64encode(secrets.token_bytes(BACKUP_KEY_BYTES)).decode() + "\n")
    err.print(
        "store it in a file only the service's user can read and name it in backup.key_file "
        "(or set NEX_BACKUP__KEY); keep a copy away from the backups: without it the "
        "configuration in them cannot be opened"
    )


def _id(backup_id: str | None) -> str | None:
    return None if backup_id in (None, LATEST) else backup_id


def _listed_json(item: Listed) -> dict[str, Any]:
    manifest = item.manifest
    if manifest is None:
        return {"id": item.id, "damaged": True, "problem": item.problem}
    return {
        "id": manifest.id,
        "damaged": False,
        "kind": str(manifest.kind),
        "created_at": manifest.created_at.isoformat(),
        "finished_at": manifest.finished_at.isoformat(),
        "total_bytes": manifest.total_bytes,
        "new_bytes": manifest.new_bytes,
        "documents": manifest.document_count,
        "schema_revision": manifest.schema_revision,
        "database_kind": manifest.database_kind,
        "nex_automat_version": manifest.nex_automat_version,
        "config_included": manifest.config is not None,
    }


def _about(manifest: Manifest) -> list[tuple[str, str]]:
    return [
        ("id", manifest.id),
        ("kind", str(manifest.kind)),
        ("taken", f"{_local(manifest.created_at)} – {_local(manifest.finished_at)}"),
        ("NEX Automat", manifest.nex_automat_version),
        ("schema", manifest.schema_revision or "—"),
        ("database", f"{manifest.database_kind} {manifest.database_version}"),
        ("size", _size(manifest.total_bytes)),
        (
            "documents",
            f"{manifest.document_count} files, {_size(manifest.documents_bytes)} "
            f"({manifest.new_blobs} new, {_size(manifest.new_bytes)})",
        ),
        ("configuration", "included" if manifest.config else str(manifest.config_note)),
    ]


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def _size(count: int) -> str:
    size = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"
