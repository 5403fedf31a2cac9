"""The daily summary of each tenant's invoices, and the notice to reviewers.

Both go out in the tenant's language, to the tenant's own recipients when its settings
name them (``tenants.<id>``, resolved by :meth:`~nex_automat.ops.config.Settings.for_tenant`).

**Daily summary.** Once a day at ``summary.at`` (local time) each tenant's summary goes
to its ``summary_recipients``, else ``summary.recipients``: documents received, processed
and failed, invoices approved and exported over the day before (from the previous ``at``
to this one), and how many wait for review now, each with a link to the inbox filtered to
match; then the invoices waiting for review and the documents that failed. The task runs
every minute and sends the summary that is due and not yet sent, so a summary missed
while the mail server was down goes out when it is back, and a restart does not send it
twice. A new installation's first summary is the first one due after the service starts.

**Review notice.** When invoices have needed review for longer than
``review_notice.after_hours``, the tenant's reviewers get a list of them, again after
``review_notice.repeat_hours`` while any stay overdue. Reviewers are the configured
addresses (the tenant's ``review_notice_recipients``, else ``review_notice.recipients``)
or, without any, the tenant's users of ``review_notice.roles`` whose username
is an e-mail address.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from nex_automat.ops.activity import (
    Activity,
    Capped,
    Failures,
    Period,
    WaitingInvoice,
    activity,
    failures,
    waiting_for_review,
)
from nex_automat.ops.alert_rules import active_tenants, in_effect_for
from nex_automat.ops.alerts import Event, Update, advance, settle
from nex_automat.ops.config import NotificationSettings, TenantView, is_email_address
from nex_automat.ops.letters import write_letter
from nex_automat.ops.mail import Letter, Mail, Postman
from nex_automat.ops.scheduler import DailyAt, local_now
from nex_automat.pipeline.services import Services
from nex_automat.store.models import InvoiceStatus, Tenant, User
from nex_automat.store.notifications import AlertState, load_states
from nex_automat.web.ui.i18n import Locale
from nex_automat.web.ui.inbox import ALL_TAB, FAILED_TAB, InboxQuery

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
SUMMARY_KEY = "summary"
REVIEW_KEY = "review_notice"


def inbox_link(notifications: NotificationSettings, tab: str = ALL_TAB) -> str:
    """The inbox showing ``tab`` (an invoice status, ``failed`` or ``all``)."""
    return notifications.base_url + InboxQuery(tab=tab).link()


def invoice_link(notifications: NotificationSettings, invoice_id: str) -> str:
    return f"{notifications.base_url}/invoices/{invoice_id}"


# ------------------------------------------------------------------------ daily summary


SUMMARY_ROWS: tuple[tuple[str, str], ...] = (
    ("received", ALL_TAB),
    ("processed", ALL_TAB),
    ("needs_review", InvoiceStatus.NEEDS_REVIEW),
    ("approved", InvoiceStatus.APPROVED),
    ("exported", InvoiceStatus.EXPORTED),
    ("failed", FAILED_TAB),
)
"""Each count of :class:`~nex_automat.ops.activity.Activity`, in order, and the inbox tab
its link opens."""


def latest_due(schedule: DailyAt, now: datetime) -> datetime:
    """The last time of day ``schedule`` names that is not after ``now``."""
    return schedule.next_after(now - timedelta(days=1))


def summary_letter(
    notifications: NotificationSettings,
    tenant: Tenant,
    *,
    language: str,
    period: Period,
    counts: Activity,
    waiting: Capped[WaitingInvoice],
    failed: Failures,
) -> Letter:
    locale = Locale(language)
    rows = [
        (locale.t(f"mail.summary.{name}"), getattr(counts, name), inbox_link(notifications, tab))
        for name, tab in SUMMARY_ROWS
    ]
    day = locale.date(period.end.astimezone().date())
    return write_letter(
        notifications,
        "summary",
        locale.t("mail.summary.subject", tenant=tenant.name, day=day),
        language=language,
        tenant=tenant,
        period=period,
        rows=rows,
        waiting=waiting,
        failed=failed,
        invoice_link=lambda invoice_id: invoice_link(notifications, invoice_id),
        review_link=inbox_link(notifications, InvoiceStatus.NEEDS_REVIEW),
        failed_link=inbox_link(notifications, FAILED_TAB),
    )


class DailySummary:
    """Sends each tenant's summary when it is due; :meth:`send_due` is the scheduled task."""

    def __init__(
        self,
        services: Services,
        notifications: NotificationSettings,
        *,
        postman: Postman | None = None,
        clock: Clock = local_now,
    ) -> None:
        assert notifications.summary.at is not None
        self.services = services
        self.notifications = notifications
        self.schedule = DailyAt.parse(notifications.summary.at)
        self.postman = postman or Postman(notifications.smtp)
        self.clock = clock

    def send_due(self) -> None:
        now = self.clock()
        due = latest_due(self.schedule, now).astimezone(UTC)
        period = Period(latest_due(self.schedule, due - timedelta(seconds=1)).astimezone(UTC), due)
        with self.services.db.session() as session:
            remembered = load_states(session, f"{SUMMARY_KEY}:")
        updates = []
        for tenant in active_tenants(self.services.db):
            key = f"{SUMMARY_KEY}:{tenant.id}"
            memory = remembered.get(key)
            if memory is None:
                updates.append(Update(key, tenant.id, None, AlertState(notified_at=due)))
                continue
            sent = memory.state.notified_at
            if sent is not None and sent >= due:
                continue
            settings = in_effect_for(self.services, self.notifications, tenant.id)
            mail = Mail(settings.summary_recipients, self._letter(tenant, settings, period))
            updates.append(Update(key, tenant.id, memory.state, memory.state, Event.OPENED, mail))
        settle(self.services.db, self.postman, updates, now.astimezone(UTC))

    def _letter(self, tenant: Tenant, settings: TenantView, period: Period) -> Letter:
        with self.services.db.tenant_session(tenant.id) as session:
            counts = activity(session, period)
            waiting = waiting_for_review(session)
            failed = failures(session, period)
        return summary_letter(
            self.notifications,
            tenant,
            language=settings.mail_language,
            period=period,
            counts=counts,
            waiting=waiting,
            failed=failed,
        )


# ------------------------------------------------------------------------ review notice


def reviewer_addresses(
    services: Services, notifications: NotificationSettings, tenant: TenantView
) -> tuple[str, ...]:
    """The configured reviewers, or the tenant's users of the reviewing roles named by an
    e-mail address."""
    notice = notifications.review_notice
    if tenant.review_notice_recipients:
        return tenant.review_notice_recipients
    with services.db.tenant_session(tenant.tenant_id) as session:
        names = session.scalars(
            select(User.username)
            .where(User.role.in_(notice.roles), User.disabled.is_(False))
            .order_by(User.username)
        )
        return tuple(name for name in names if is_email_address(name))


def review_letter(
    notifications: NotificationSettings,
    tenant: Tenant,
    overdue: Capped[WaitingInvoice],
    *,
    language: str,
) -> Letter:
    locale = Locale(language)
    hours = notifications.review_notice.after_hours
    return write_letter(
        notifications,
        "review",
        locale.t("mail.review.subject", tenant=tenant.name),
        language=language,
        intro=locale.t("mail.review.intro", hours=f"{hours:g}", count=overdue.total),
        waiting=overdue,
        invoice_link=lambda invoice_id: invoice_link(notifications, invoice_id),
        review_link=inbox_link(notifications, InvoiceStatus.NEEDS_REVIEW),
    )


class ReviewNotices:
    """Tells reviewers about invoices waiting too long; :meth:`check` is the scheduled task."""

    def __init__(
        self,
        services: Services,
        notifications: NotificationSettings,
        *,
        postman: Postman | None = None,
        clock: Clock = local_now,
    ) -> None:
        assert notifications.review_notice.after_hours is not None
        self.services = services
        self.notifications = notifications
        self.postman = postman or Postman(notifications.smtp)
        self.clock = clock
        notice = notifications.review_notice
        self.overdue_after = timedelta(hours=notice.after_hours or 0)
        self.repeat = timedelta(hours=notice.repeat_hours)

    def check(self) -> None:
        now = self.clock().astimezone(UTC)
        with self.services.db.session() as session:
            remembered = load_states(session, f"{REVIEW_KEY}:")
        updates = []
        for tenant in active_tenants(self.services.db):
            key = f"{REVIEW_KEY}:{tenant.id}"
            with self.services.db.tenant_session(tenant.id) as session:
                overdue = waiting_for_review(session, since_before=now - self.overdue_after)
            memory = remembered.get(key)
            before = memory.state if memory is not None else None
            title = tenant.name if overdue.total else None
            after, event = advance(before or AlertState(), title, now, self.repeat)
            mail = None
            if event in (Event.OPENED, Event.REMINDER):
                mail = self._mail(tenant, overdue)
            updates.append(Update(key, tenant.id, before, after, event, mail))
        settle(self.services.db, self.postman, updates, now)

    def _mail(self, tenant: Tenant, overdue: Capped[WaitingInvoice]) -> Mail | None:
        settings = in_effect_for(self.services, self.notifications, tenant.id)
        recipients = reviewer_addresses(self.services, self.notifications, settings)
        if not recipients:
            logger.warning(
                "%d invoice(s) of tenant %s wait for review, but no reviewer has an e-mail "
                "address: name users by their address or set "
                "notifications.review_notice.recipients (or tenants.<id>.review_notice_recipients)",
                overdue.total,
                tenant.id,
            )
            return None
        letter = review_letter(self.notifications, tenant, overdue, language=settings.mail_language)
        return Mail(recipients, letter)
