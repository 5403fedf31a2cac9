"""Backup runs as the command line, the service's schedule and an upgrade start them."""

from __future__ import annotations

import dataclasses
from datetime import time, timedelta
from pathlib import Path

import pytest

from nex_automat.ops.backup import backup_status
from nex_automat.ops.backup.catalogue import load_set
from nex_automat.ops.backup.errors import BackupError, BackupLocked
from nex_automat.ops.backup.layout import BackupFolder
from nex_automat.ops.backup.lock import backup_lock
from nex_automat.ops.backup.manifest import BackupKind, write_manifest
from nex_automat.ops.backup.runs import scheduled_backup, take_backup
from nex_automat.ops.config import Settings
from nex_automat.ops.scheduler import DailyAt, Scheduler
from nex_automat.ops.tasks import schedule_tasks
from nex_automat.pipeline.services import build_services

from .sites import failing_backup, make_settings, opened


def test_a_backup_that_succeeds_is_recorded_with_its_size(ingested: Settings) -> None:
    with opened(ingested) as db:
        manifest = take_backup(ingested, db, kind=BackupKind.MANUAL, verify=True)

    status = backup_status(ingested)
    assert status.last_success_id == manifest.id
    assert status.last_success_at == manifest.finished_at
    assert status.last_success_bytes == manifest.total_bytes > 0
    assert status.last_failure_at is None


def test_a_backup_that_fails_is_recorded_with_its_error(site: Settings, tmp_path: Path) -> None:
    with (
        failing_backup(site, tmp_path) as (settings, db),
        pytest.raises(BackupError) as raised,
    ):
        take_backup(settings, db, kind=BackupKind.MANUAL)

    status = backup_status(settings)
    assert status.failing
    assert status.last_error is not None
    assert status.last_error == f"{raised.value.code}: {raised.value.message}"


def test_an_unreachable_backup_folder_is_recorded_as_a_failure(site: Settings) -> None:
    site.backup_dir.parent.mkdir(parents=True, exist_ok=True)
    site.backup_dir.write_text("a file where the backup folder should be")
    with opened(site) as db, pytest.raises(OSError):
        take_backup(site, db, kind=BackupKind.MANUAL)

    assert backup_status(site).failing


def test_the_nightly_run_takes_checks_and_prunes(ingested: Settings) -> None:
    settings = make_settings(
        ingested.data_dir,
        ingested.effective_database_url(),
        ingested.backup_dir,
        keep={"daily": 1, "weekly": 0, "monthly": 0},
    )
    with opened(settings) as db:
        earlier = take_backup(settings, db, kind=BackupKind.SCHEDULED)
    _age(settings, earlier.id, hours=2)

    with opened(settings) as db:
        nightly = scheduled_backup(settings, db)

    assert nightly is not None and nightly.kind == BackupKind.SCHEDULED
    assert BackupFolder(settings.backup_dir).ids() == [nightly.id]
    assert backup_status(settings).last_success_id == nightly.id


def test_the_nightly_run_leaves_it_to_a_set_taken_moments_ago(site: Settings) -> None:
    with opened(site) as db:
        just_taken = take_backup(site, db, kind=BackupKind.SCHEDULED)
        assert scheduled_backup(site, db) is None

    assert BackupFolder(site.backup_dir).ids() == [just_taken.id]


def test_the_nightly_run_steps_aside_while_another_holds_the_lock(site: Settings) -> None:
    with opened(site) as db, backup_lock(BackupFolder(site.backup_dir)):
        assert scheduled_backup(site, db) is None
        with pytest.raises(BackupLocked):
            take_backup(site, db, kind=BackupKind.MANUAL)

    assert BackupFolder(site.backup_dir).ids() == []
    assert not backup_status(site).failing


def test_the_service_schedules_the_backup_at_the_configured_time(site: Settings) -> None:
    for daily_at, expected in (("03:30", [DailyAt(time(3, 30))]), (None, [])):
        settings = make_settings(
            site.data_dir, site.effective_database_url(), site.backup_dir, daily_at=daily_at
        )
        services = build_services(settings)
        try:
            scheduler = Scheduler()
            schedule_tasks(scheduler, services)
        finally:
            services.close()
        assert [task.schedule for task in scheduler.tasks if task.name == "backup"] == expected


def _age(settings: Settings, backup_id: str, **delta: float) -> None:
    """Make a set look as if it had been taken ``delta`` earlier."""
    manifest = load_set(settings.backup_dir, backup_id)
    earlier = dataclasses.replace(
        manifest,
        created_at=manifest.created_at - timedelta(**delta),
        finished_at=manifest.finished_at - timedelta(**delta),
    )
    write_manifest(BackupFolder(settings.backup_dir).set_dir(backup_id), earlier)
