"""The recurring tasks a running service schedules, each from its part of the settings."""

from __future__ import annotations

from functools import partial

from nex_automat.catalog.sync import run_sync
from nex_automat.ops.alerts import AlertMonitor
from nex_automat.ops.backup.runs import scheduled_backup
from nex_automat.ops.catalog_sync_settings import CatalogSyncSettings
from nex_automat.ops.mail import Postman
from nex_automat.ops.scheduler import DailyAt, Every, Schedule, Scheduler
from nex_automat.ops.summary import DailySummary, ReviewNotices
from nex_automat.pipeline.services import Services
from nex_automat.store.db import Database
from nex_automat.store.tenants import accepts_work


def schedule_tasks(scheduler: Scheduler, services: Services) -> None:
    """Add every recurring task the settings ask for to ``scheduler``."""
    _schedule_catalog_syncs(scheduler, services)
    _schedule_notifications(scheduler, services)
    _schedule_backup(scheduler, services)


def catalog_sync_schedule(sync: CatalogSyncSettings) -> Schedule:
    """Daily at ``daily_at`` when given, else every ``interval_minutes`` (default 60)."""
    if sync.daily_at is not None:
        return DailyAt.parse(sync.daily_at)
    return Every(sync.every_minutes * 60)


def _schedule_catalog_syncs(scheduler: Scheduler, services: Services) -> None:
    """Each configured ERP sync; how each run went is kept in its sync state."""
    for sync in services.settings.catalog_sync:
        scheduler.add(
            f"catalog sync {sync.tenant}/{sync.name}",
            catalog_sync_schedule(sync),
            partial(_sync_unless_disabled, services.db, sync),
        )


def _sync_unless_disabled(db: Database, sync: CatalogSyncSettings) -> None:
    """A disabled tenant's ERP is not asked for anything; the sync resumes once it is enabled."""
    if accepts_work(db, sync.tenant):
        run_sync(db, sync)


SUMMARY_CHECK_SECONDS = 60.0
"""How often the daily summary looks whether it is due: it goes out within this of its time."""


def _schedule_notifications(scheduler: Scheduler, services: Services) -> None:
    """Alerts and review notices every ``alerts.check_minutes``, the summary when due."""
    notifications = services.settings.notifications
    if notifications is None:
        return
    postman = Postman(notifications.smtp)
    check = Every(notifications.alerts.check_minutes * 60)
    monitor = AlertMonitor(services, notifications, postman=postman)
    scheduler.add("alerts", check, monitor.check)
    if notifications.review_notice.after_hours is not None:
        notices = ReviewNotices(services, notifications, postman=postman)
        scheduler.add("review notices", check, notices.check)
    if notifications.summary.at is not None:
        summary = DailySummary(services, notifications, postman=postman)
        scheduler.add("daily summary", Every(SUMMARY_CHECK_SECONDS), summary.send_due)


def _schedule_backup(scheduler: Scheduler, services: Services) -> None:
    """The nightly backup, checked and pruned; its outcome is kept in the backup status."""
    daily_at = services.settings.backup.daily_at
    if daily_at is None:
        return
    scheduler.add(
        "backup",
        DailyAt.parse(daily_at),
        partial(scheduled_backup, services.settings, services.db),
    )
