"""The database part of a set, whichever kind: copy it, check a copy, restore it.

Row counts and the schema revision are read from exactly what was copied: SQLite's copy
itself, and on PostgreSQL the snapshot ``pg_dump`` is told to use, exported by the
transaction that counts. Counts and dump are therefore of the same moment even while the
service keeps writing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from nex_automat.ops.backup import postgres, sqlite
from nex_automat.ops.backup.blobs import copy_checked
from nex_automat.ops.backup.errors import BackupError, RestoreRefused
from nex_automat.ops.backup.layout import POSTGRES_DUMP, SQLITE_COPY
from nex_automat.ops.backup.manifest import Manifest
from nex_automat.store.db import Database


@dataclass(frozen=True, slots=True)
class DatabaseCopy:
    file: str
    kind: str
    version: str
    revision: str | None
    tables: dict[str, int]


@dataclass(frozen=True, slots=True)
class CopyCheck:
    """What a copy holds when opened: rows per table, revision, and anything broken."""

    tables: dict[str, int]
    revision: str | None
    problems: list[str]


def copy_database(db: Database, url: str, folder: Path, *, tools: Path | None) -> DatabaseCopy:
    """Copy the database of ``url`` (open as ``db``) into the set folder ``folder``."""
    if db.dialect == "sqlite":
        target = folder / SQLITE_COPY
        sqlite.copy_database(sqlite.database_path(url), target)
        with sqlite.read_only(target) as connection:
            return DatabaseCopy(
                file=SQLITE_COPY,
                kind="sqlite",
                version=sqlite3.sqlite_version,
                revision=sqlite.schema_revision(connection),
                tables=sqlite.count_rows(connection),
            )
    if db.dialect != "postgresql":
        raise BackupError(f"backups of {db.dialect} databases are not supported")
    with db.engine.connect() as live:
        snapshot_holder = live.execution_options(isolation_level="REPEATABLE READ")
        with snapshot_holder.begin():
            snapshot = snapshot_holder.scalar(text("SELECT pg_export_snapshot()"))
            tables = postgres.count_rows(snapshot_holder)
            revision = postgres.schema_revision(snapshot_holder)
            version = postgres.server_version(snapshot_holder)
            postgres.dump(url, folder / POSTGRES_DUMP, snapshot=snapshot, tools=tools)
    return DatabaseCopy(POSTGRES_DUMP, "postgresql", version, revision, tables)


def check_copy(manifest: Manifest, folder: Path, url: str, *, tools: Path | None) -> CopyCheck:
    """Open the set's database copy and read it back.

    SQLite's copy is checked in place with ``PRAGMA integrity_check``; a PostgreSQL dump
    is restored into a scratch database on the server of ``url``, which is dropped after.
    """
    path = folder / manifest.database.file
    if manifest.database_kind == "sqlite":
        with sqlite.read_only(path) as connection:
            problems = integrity = sqlite.integrity_problems(connection)
            if integrity:
                return CopyCheck({}, None, problems)
            return CopyCheck(sqlite.count_rows(connection), sqlite.schema_revision(connection), [])
    with postgres.scratch_database(url) as scratch_url:
        postgres.restore(scratch_url, path, tools=tools)
        return count_live(scratch_url)


def count_live(url: str) -> CopyCheck:
    """Rows per table and revision of the database at ``url``, as it is now."""
    if _kind(url) == "sqlite":
        with sqlite.read_only(sqlite.database_path(url)) as connection:
            return CopyCheck(sqlite.count_rows(connection), sqlite.schema_revision(connection), [])
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return CopyCheck(
                postgres.count_rows(connection), postgres.schema_revision(connection), []
            )
    finally:
        engine.dispose()


def refuse_unless_empty(url: str) -> None:
    """:class:`RestoreRefused` unless the database at ``url`` holds nothing at all."""
    if _kind(url) == "sqlite":
        path = sqlite.database_path(url)
        if not sqlite.is_empty(path):
            raise RestoreRefused(
                f"the database {path} is not empty; restore into a new data folder, or move "
                "the old database file away first"
            )
        return
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            relations = postgres.relation_count(connection)
    except Exception as error:  # the target must exist and answer before anything is written
        raise RestoreRefused(
            f"cannot connect to the target database: {error}; create it first "
            "(e.g. `createdb -O <user> <name>`)"
        ) from None
    finally:
        engine.dispose()
    if relations:
        raise RestoreRefused(
            f"the database {_shown(url)} is not empty ({relations} tables, views or "
            "sequences); restore into a new empty database (`createdb`)"
        )


def restore_copy(manifest: Manifest, folder: Path, url: str, *, tools: Path | None) -> None:
    """Put the set's database into the empty database at ``url``."""
    kind = _kind(url)
    if kind != manifest.database_kind:
        raise RestoreRefused(
            f"the backup holds a {manifest.database_kind} database and the target is {kind}; "
            "set database_url to a database of the same kind"
        )
    source = folder / manifest.database.file
    if kind == "sqlite":
        target = sqlite.database_path(url)
        for stale in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm"))):
            stale.unlink(missing_ok=True)
        copy_checked(source, target, manifest.database.sha256)
        return
    postgres.restore(url, source, tools=tools)


def _kind(url: str) -> str:
    return make_url(url).get_backend_name()


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
