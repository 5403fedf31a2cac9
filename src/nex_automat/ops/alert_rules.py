"""What alerts look for: each rule finds the instances of one kind of problem active now.

A rule gets an :class:`Inspection` (the running services, the notification settings and
the time of the check) and returns a :class:`Finding` for each instance: a tenant whose
documents fail, a mailbox that is not polled, the disk that is filling. A finding's key
starts with its rule's name, so an alert remembered under ``mailbox:faktury`` belongs to
the ``mailbox`` rule. Titles and facts are written in the notifications' language, or in
the tenant's own for a finding about one tenant.

Thresholds shared with ``/ready`` (free disk, queue wait, mailbox silence, backup age)
come from ``health`` and the checks of :mod:`nex_automat.ops.readiness`, so an alert, the
readiness answer and ``doctor`` always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from nex_automat.ops.activity import Period, failures
from nex_automat.ops.backup import backup_status
from nex_automat.ops.config import NotificationSettings, TenantView
from nex_automat.ops.readiness import (
    MEGABYTE,
    backup_problem,
    check_disk,
    check_queue,
    mailbox_silence,
    mailbox_stale_after,
)
from nex_automat.pipeline.services import Services
from nex_automat.store.db import Database
from nex_automat.store.models import Tenant
from nex_automat.store.tenants import list_tenants
from nex_automat.web.ui.i18n import Locale
from nex_automat.web.ui.inbox import FAILED_TAB, InboxQuery


def active_tenants(db: Database) -> list[Tenant]:
    """The tenants mail is about: every one not disabled."""
    with db.session() as session:
        return [tenant for tenant in list_tenants(session) if not tenant.disabled]


def in_effect_for(
    services: Services, notifications: NotificationSettings, tenant_id: str
) -> TenantView:
    """``tenant_id``'s settings (:meth:`~nex_automat.ops.config.Settings.for_tenant`) with
    the notifications a mail task was given, which are the service's own when it runs."""
    settings = services.settings.model_copy(update={"notifications": notifications})
    return settings.for_tenant(tenant_id)


@dataclass(frozen=True, slots=True)
class Finding:
    """One active problem. ``key`` starts with its rule's name: ``mailbox:faktury``.

    ``title`` stays the same while the problem lasts; ``facts`` say how it stands now.
    Both may hold text from outside (file names, error messages): letters escape them.
    """

    key: str
    title: str
    facts: tuple[str, ...] = ()
    tenant_id: str | None = None
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Inspection:
    """What a rule looks at."""

    services: Services
    notifications: NotificationSettings
    now: datetime

    @property
    def locale(self) -> Locale:
        return Locale(self.notifications.language)

    def tenants(self) -> list[Tenant]:
        return active_tenants(self.services.db)

    def tenant_locale(self, tenant_id: str) -> Locale:
        """The language of findings about ``tenant_id`` alone: its mail's."""
        return Locale(in_effect_for(self.services, self.notifications, tenant_id).mail_language)


Rule = Callable[[Inspection], list[Finding]]


def processing_failures(inspection: Inspection) -> list[Finding]:
    """Per tenant: documents that ended failed within ``alerts.failure_window_minutes``,
    written in the tenant's language."""
    window = inspection.notifications.alerts.failure_window_minutes
    period = Period(inspection.now - timedelta(minutes=window), inspection.now)
    link = inspection.notifications.base_url + InboxQuery(tab=FAILED_TAB).link()
    found = []
    for tenant in inspection.tenants():
        with inspection.services.db.tenant_session(tenant.id) as session:
            failed = failures(session, period)
        if not failed.documents.total:
            continue
        t = inspection.tenant_locale(tenant.id).t
        codes = ", ".join(f"{code or '?'} ({count})" for code, count in failed.by_code)
        facts = [
            t("mail.alert.failures_count", minutes=f"{window:g}", count=failed.documents.total),
            t("mail.alert.failures_by_code", codes=codes),
            *(
                f"{document.filename or document.id} – {document.code}: {document.message}"
                for document in failed.documents.items
            ),
        ]
        if failed.documents.more:
            facts.append(t("mail.alert.failures_more", count=failed.documents.more))
        found.append(
            Finding(
                key=f"processing_failures:{tenant.id}",
                title=t("mail.alert.processing_failures", tenant=tenant.name),
                facts=tuple(facts),
                tenant_id=tenant.id,
                link=link,
            )
        )
    return found


def backlog(inspection: Inspection) -> list[Finding]:
    """Documents waiting too long for processing, or too many of them."""
    health = inspection.services.settings.health
    limit = inspection.notifications.alerts.backlog_jobs
    check = check_queue(inspection.services.queue, health, inspection.now)
    if not check.details:
        raise RuntimeError(f"the queue cannot be read: {check.error}")
    queued = int(check.details["queued"])
    if check.ok and queued <= limit:
        return []
    facts = inspection.locale.t(
        "mail.alert.backlog_facts",
        count=queued,
        limit=limit,
        minutes=f"{check.details['oldest_wait_seconds'] / 60:.0f}",
        wait_limit=f"{health.max_queue_wait_minutes:g}",
    )
    return [Finding("backlog", inspection.locale.t("mail.alert.backlog"), (facts,))]


def low_disk(inspection: Inspection) -> list[Finding]:
    """Less free space where the documents are kept than ``health.min_free_disk_mb``."""
    root = inspection.services.files.root
    check = check_disk(root, inspection.services.settings.health)
    if check.ok:
        return []
    t = inspection.locale.t
    if "free_bytes" in check.details:
        fact = t(
            "mail.alert.low_disk_facts",
            path=str(root),
            free=check.details["free_bytes"] // MEGABYTE,
            minimum=check.details["min_free_bytes"] // MEGABYTE,
        )
    else:
        fact = t("mail.alert.error", error=check.error)
    return [Finding("low_disk", t("mail.alert.low_disk"), (fact,))]


def unreachable_mailboxes(inspection: Inspection) -> list[Finding]:
    """Each mailbox without a good poll for longer than ``health.mailbox_stale_minutes``."""
    health = inspection.services.settings.health
    locale = inspection.locale
    found = []
    for poller in inspection.services.pollers:
        if mailbox_silence(poller, inspection.now) <= mailbox_stale_after(poller, health):
            continue
        if poller.last_poll_ok_at is None:
            facts = [locale.t("mail.alert.mailbox_never_ok")]
        else:
            facts = [
                locale.t("mail.alert.mailbox_last_ok", at=locale.datetime(poller.last_poll_ok_at))
            ]
        if poller.last_error is not None:
            facts.append(locale.t("mail.alert.error", error=poller.last_error))
        title = locale.t("mail.alert.mailbox", name=poller.name)
        found.append(Finding(f"mailbox:{poller.name}", title, tuple(facts)))
    return found


def failing_backups(inspection: Inspection) -> list[Finding]:
    """The last backup failed, or the last good one is older than
    ``health.backup_stale_hours``; a new installation gets that long for its first."""
    settings = inspection.services.settings
    status = backup_status(settings)
    if backup_problem(status, settings.health, inspection.now) is None:
        return []
    stale_after = timedelta(hours=settings.health.backup_stale_hours)
    if status.last_success_at is None and not status.failing:
        installed = min((tenant.created_at for tenant in inspection.tenants()), default=None)
        if installed is None or inspection.now - installed <= stale_after:
            return []
    locale = inspection.locale
    if status.failing:
        facts = [
            locale.t("mail.alert.backup_failed", at=locale.datetime(status.last_failure_at)),
            locale.t("mail.alert.error", error=status.last_error or "?"),
        ]
    else:
        facts = [
            locale.t("mail.alert.backup_stale", hours=f"{settings.health.backup_stale_hours:g}")
        ]
    if status.last_success_at is None:
        facts.append(locale.t("mail.alert.backup_never_ok"))
    else:
        facts.append(
            locale.t("mail.alert.backup_last_ok", at=locale.datetime(status.last_success_at))
        )
    return [Finding("backup", locale.t("mail.alert.backup"), tuple(facts))]


RULES: dict[str, Rule] = {
    "processing_failures": processing_failures,
    "backlog": backlog,
    "low_disk": low_disk,
    "mailbox": unreachable_mailboxes,
    "backup": failing_backups,
}
"""Rule name → rule; the name is the first part of its findings' keys."""


def rule_of(key: str) -> str:
    return key.partition(":")[0]
