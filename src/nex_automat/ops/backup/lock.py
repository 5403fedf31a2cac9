"""One backup, prune or restore at a time.

A lock file in the backup folder keeps processes on one machine (or sharing the folder)
apart; on PostgreSQL a session advisory lock also keeps apart service instances on
different machines that share the database. Both locks end with the process that holds
them, so a killed backup never leaves the next one locked out.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import text

from nex_automat.ops.backup.errors import BackupLocked
from nex_automat.ops.backup.layout import BackupFolder
from nex_automat.store.db import Database

ADVISORY_LOCK_ID = 7_466_581_202
RETRY_SECONDS = 1.0

if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: BinaryIO) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(handle: BinaryIO) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


@contextmanager
def backup_lock(
    folder: BackupFolder, db: Database | None = None, *, wait_seconds: float = 0
) -> Iterator[None]:
    """Hold the backup lock for the block; :class:`BackupLocked` when it stays taken."""
    deadline = time.monotonic() + wait_seconds
    folder.create()
    with _file_lock(folder.lock_file, deadline):
        if db is not None and db.dialect == "postgresql":
            with _advisory_lock(db, deadline):
                yield
        else:
            yield


@contextmanager
def _file_lock(path: Path, deadline: float) -> Iterator[None]:
    handle = path.open("ab")
    handle.seek(0)
    try:
        while not _try_lock(handle):
            _wait_or_give_up(deadline, f"the lock file {path} is held")
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        yield
    finally:
        handle.close()


@contextmanager
def _advisory_lock(db: Database, deadline: float) -> Iterator[None]:
    with db.engine.connect() as connection:
        query = text("SELECT pg_try_advisory_lock(:id)")
        while not connection.scalar(query, {"id": ADVISORY_LOCK_ID}):
            connection.commit()
            _wait_or_give_up(deadline, "another instance holds the backup lock of the database")
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": ADVISORY_LOCK_ID})
            connection.commit()


def _wait_or_give_up(deadline: float, reason: str) -> None:
    if time.monotonic() >= deadline:
        raise BackupLocked(f"another backup, prune or restore is running: {reason}")
    time.sleep(RETRY_SECONDS)
