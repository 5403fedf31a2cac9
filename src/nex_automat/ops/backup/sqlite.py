"""SQLite's part of a backup: a consistent copy made with the online backup API.

The copy is taken while the service runs (readers never block the writer in WAL mode)
and is left in rollback-journal mode, so it is one self-contained file whose checksum
holds. Checking and counting open it read-only and immutable, never changing a byte.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import make_url

from nex_automat.ops.backup.errors import BackupError
from nex_automat.store.db import SQLITE_BUSY_TIMEOUT_MS

REVISION_TABLE = "alembic_version"


def database_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(f"an in-memory SQLite database cannot be backed up ({url})")
    return Path(database)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the live database ``source`` at ``target``."""
    if not source.is_file():
        raise BackupError(f"no database to back up at {source}; run `nex-automat init` first")
    with (
        closing(sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)) as live,
        closing(sqlite3.connect(target)) as copy,
    ):
        live.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.commit()


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot change the file, not even its journal."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        yield connection


def integrity_problems(connection: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA integrity_check`` finds; empty when the file is sound."""
    try:
        rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [] if rows == ["ok"] else rows


def count_rows(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        str(row[0])
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: int(connection.execute(f'SELECT count(*) FROM "{_quoted(name)}"').fetchone()[0])
        for name in names
    }


def schema_revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute(f"SELECT version_num FROM {REVISION_TABLE}").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])


def is_empty(path: Path) -> bool:
    """No file, an empty file, or a database without tables."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    with closing(sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)) as connection:
        try:
            row = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()
        except sqlite3.DatabaseError:
            return False
    return int(row[0]) == 0


def _quoted(name: str) -> str:
    return name.replace('"', '""')
