"""One backup, prune or restore at a time: on one machine, and across machines on PostgreSQL."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from nex_automat.ops.backup.errors import BackupLocked
from nex_automat.ops.backup.layout import BackupFolder
from nex_automat.ops.backup.lock import backup_lock
from nex_automat.store.db import open_database


def test_a_second_holder_is_turned_away_until_the_first_lets_go(tmp_path: Path) -> None:
    folder = BackupFolder(tmp_path / "backups")
    with (
        backup_lock(folder),
        pytest.raises(BackupLocked, match="lock file"),
        backup_lock(folder),
    ):
        pass
    with backup_lock(folder):
        pass


def test_a_waiting_holder_gets_the_lock_once_it_is_released(tmp_path: Path) -> None:
    folder = BackupFolder(tmp_path / "backups")
    held = threading.Event()
    release = threading.Event()

    def first() -> None:
        with backup_lock(folder):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(10)
    threading.Timer(0.3, release.set).start()
    started = time.monotonic()
    with backup_lock(folder, wait_seconds=10):
        waited = time.monotonic() - started
    thread.join(10)
    assert 0.3 <= waited < 10


def test_instances_sharing_a_postgresql_database_take_turns(
    postgres_url: str, tmp_path: Path
) -> None:
    one, other = open_database(postgres_url), open_database(postgres_url)
    try:
        with (
            backup_lock(BackupFolder(tmp_path / "machine-a"), one),
            pytest.raises(BackupLocked, match="another instance"),
            backup_lock(BackupFolder(tmp_path / "machine-b"), other),
        ):
            pass
        with backup_lock(BackupFolder(tmp_path / "machine-b"), other):
            pass
    finally:
        one.dispose()
        other.dispose()
