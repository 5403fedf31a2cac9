"""Alerts: problems looked for on a schedule, mailed once, reminded, and mailed when cleared.

Each rule looks at one kind of problem and returns a :class:`Finding` for every instance
of it that is active now (a tenant's failing documents, one unreachable mailbox). What a
rule found is compared with what is remembered of the previous checks (:func:`advance`):

* newly active: mail "Alert: …" at once;
* still active: mail again ("Still active: …") only when ``alerts.cooldown_minutes`` have
  passed since the last mail about it;
* no longer found: mail "Resolved: …", when anything was mailed about it at all.

The memory lives in the database (``notification_states``), so a restart neither repeats
an alert nor forgets one. "The database is unreachable" cannot be remembered there: it is
kept in memory, checked first, and mailed without touching the database; while it lasts
the other rules, which all need the database, wait.

An alert about one tenant (its documents failing) goes to that tenant's
``alert_recipients`` as well as the installation's, in the tenant's language; every other
alert (disk, database, backups, queue, mailboxes) is the installation's alone.

A mail that cannot be sent leaves what is owed as it was (the alert stays "not yet
mailed", the resolution "pending"), so the next check sends it: an SMTP outage delays
alerts, it never loses them, and it never touches document processing, which runs in
other threads. A rule that breaks is logged and its alerts are left as they were, neither
resolved nor repeated.

The rules themselves are in :mod:`nex_automat.ops.alert_rules`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from nex_automat.ops.alert_rules import RULES, Finding, Inspection, Rule, in_effect_for, rule_of
from nex_automat.ops.config import NotificationSettings
from nex_automat.ops.letters import write_letter
from nex_automat.ops.mail import Letter, Mail, Postman
from nex_automat.ops.readiness import database_problem
from nex_automat.pipeline.services import Services
from nex_automat.store.db import Database
from nex_automat.store.notifications import AlertState, load_states, save_state
from nex_automat.web.ui.i18n import Locale

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
DATABASE_KEY = "database"


def utc_now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------------------ memory


class Event(StrEnum):
    OPENED = "opened"
    REMINDER = "reminder"
    RESOLVED = "resolved"


def advance(
    state: AlertState, title: str | None, now: datetime, cooldown: timedelta
) -> tuple[AlertState, Event | None]:
    """The state after a check that found the problem (``title``) or not (``None``), and
    the mail now owed about it, if any."""
    if title is not None:
        if not state.active:
            return AlertState(active=True, title=title, since=now), Event.OPENED
        current = replace(state, title=title)
        if state.notified_at is None:
            return current, Event.OPENED
        if now - state.notified_at >= cooldown:
            return current, Event.REMINDER
        return current, None
    if state.active:
        mailed = state.notified_at is not None
        cleared = replace(state, active=False, cleared_at=now, resolved_pending=mailed)
        return cleared, Event.RESOLVED if mailed else None
    if state.resolved_pending:
        return state, Event.RESOLVED
    return state, None


def delivered(state: AlertState, event: Event, now: datetime) -> AlertState:
    """The state once the mail about ``event`` went out."""
    if event is Event.RESOLVED:
        return replace(state, resolved_pending=False)
    return replace(state, notified_at=now)


# ------------------------------------------------------------------------------ letters


def alert_letter(
    notifications: NotificationSettings,
    event: Event,
    state: AlertState,
    finding: Finding | None,
    *,
    language: str | None = None,
) -> Letter:
    """The mail about ``event`` in ``language`` (else the configured one); a resolution has
    no finding, only the remembered title."""
    language = language or notifications.language
    locale = Locale(language)
    title = finding.title if finding is not None else state.title or ""
    moments = {
        Event.OPENED: locale.t("mail.alert.opened", since=locale.datetime(state.since)),
        Event.REMINDER: locale.t("mail.alert.reminder", since=locale.datetime(state.since)),
        Event.RESOLVED: locale.t(
            "mail.alert.resolved",
            since=locale.datetime(state.since),
            cleared=locale.datetime(state.cleared_at),
        ),
    }
    cooldown = f"{notifications.alerts.cooldown_minutes:g}"
    return write_letter(
        notifications,
        "alert",
        locale.t(f"mail.alert.subject.{event}", title=title),
        language=language,
        moment=moments[event],
        facts=finding.facts if finding is not None else (),
        link=finding.link if finding is not None else None,
        next=None if event is Event.RESOLVED else locale.t("mail.alert.next", minutes=cooldown),
    )


# ------------------------------------------------------------------------------ settle


@dataclass(frozen=True, slots=True)
class Update:
    """One key's state before and after a check, and the mail owed for ``event``.

    ``mail`` ``None`` with an event means nothing needs sending (no one to tell, or a
    resolution nobody is told about): the event counts as delivered.
    """

    key: str
    tenant_id: str | None
    before: AlertState | None
    after: AlertState
    event: Event | None = None
    mail: Mail | None = None


def settle(db: Database, postman: Postman, updates: list[Update], now: datetime) -> None:
    """Save what changed, send what is owed, then remember what was delivered.

    State is saved before sending, so a crash in between sends again at the next check
    rather than never; a mail that fails is owed again at the next check.
    """
    with db.session() as session:
        for update in updates:
            if update.after != update.before:
                save_state(session, update.key, update.tenant_id, update.after)
    owed = [u for u in updates if u.event is not None and u.mail is not None]
    outcomes = postman.deliver([u.mail for u in owed if u.mail is not None])
    done = [u for u, outcome in zip(owed, outcomes, strict=True) if outcome is None]
    done += [u for u in updates if u.event is not None and u.mail is None]
    if not done:
        return
    with db.session() as session:
        for update in done:
            assert update.event is not None
            save_state(
                session, update.key, update.tenant_id, delivered(update.after, update.event, now)
            )
    for update in done:
        logger.info("notification %s: %s", update.key, update.event)


# ------------------------------------------------------------------------------ monitor


class AlertMonitor:
    """Runs the rules and mails what changed; :meth:`check` is the scheduled task."""

    def __init__(
        self,
        services: Services,
        notifications: NotificationSettings,
        *,
        postman: Postman | None = None,
        rules: dict[str, Rule] | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.services = services
        self.notifications = notifications
        self.postman = postman or Postman(notifications.smtp)
        self.rules = RULES if rules is None else rules
        self.clock = clock
        self.database_state = AlertState()
        """"The database is unreachable", remembered here because it cannot be there."""

    @property
    def recipients(self) -> tuple[str, ...]:
        """Of installation-wide alerts; one tenant's go to its own too (:meth:`_mail`)."""
        alerts = self.notifications.alerts
        return tuple(alerts.recipients or self.notifications.recipients)

    @property
    def cooldown(self) -> timedelta:
        return timedelta(minutes=self.notifications.alerts.cooldown_minutes)

    def check(self) -> None:
        """Look for every problem once and send the mail that is owed."""
        now = self.clock()
        if not self._database_answers(now):
            return
        findings, broken = self._inspect(now)
        settle(self.services.db, self.postman, self._updates(findings, broken, now), now)

    def _mail(
        self,
        event: Event | None,
        state: AlertState,
        finding: Finding | None,
        tenant_id: str | None = None,
    ) -> Mail | None:
        """The mail owed for ``event``; about one tenant, to its recipients in its language."""
        if event is None:
            return None
        if tenant_id is None:
            return Mail(self.recipients, alert_letter(self.notifications, event, state, finding))
        tenant = in_effect_for(self.services, self.notifications, tenant_id)
        letter = alert_letter(
            self.notifications, event, state, finding, language=tenant.mail_language
        )
        return Mail(tenant.alert_recipients, letter)

    # ----------------------------------------------------------------------- database

    def _database_answers(self, now: datetime) -> bool:
        problem = database_problem(self.services.db)
        finding = None
        if problem is not None:
            locale = Locale(self.notifications.language)
            finding = Finding(
                DATABASE_KEY,
                locale.t("mail.alert.database"),
                (locale.t("mail.alert.error", error=problem),),
            )
        state, event = advance(
            self.database_state, None if finding is None else finding.title, now, self.cooldown
        )
        mail = self._mail(event, state, finding)
        if event is not None and mail is not None:
            (outcome,) = self.postman.deliver([mail])
            if outcome is None:
                state = delivered(state, event, now)
        self.database_state = state
        return problem is None

    # ------------------------------------------------------------------------- others

    def _inspect(self, now: datetime) -> tuple[dict[str, Finding], set[str]]:
        inspection = Inspection(self.services, self.notifications, now)
        findings: dict[str, Finding] = {}
        broken: set[str] = set()
        for name, rule in self.rules.items():
            try:
                for finding in rule(inspection):
                    findings[finding.key] = finding
            except Exception:  # one broken rule must not silence the others
                logger.exception("alert rule %s could not be checked", name)
                broken.add(name)
        return findings, broken

    def _updates(
        self, findings: dict[str, Finding], broken: set[str], now: datetime
    ) -> list[Update]:
        """Every alert found now or remembered as open, advanced by this check."""
        with self.services.db.session() as session:
            remembered = load_states(session)
        open_keys = {
            key
            for key, memory in remembered.items()
            if (memory.state.active or memory.state.resolved_pending)
            and rule_of(key) in self.rules
            and rule_of(key) not in broken
        }
        updates = []
        for key in sorted(set(findings) | open_keys):
            finding = findings.get(key)
            memory = remembered.get(key)
            before = memory.state if memory is not None else None
            tenant_id = finding.tenant_id if finding else memory.tenant_id if memory else None
            title = None if finding is None else finding.title
            after, event = advance(before or AlertState(), title, now, self.cooldown)
            mail = self._mail(event, after, finding, tenant_id)
            updates.append(Update(key, tenant_id, before, after, event, mail))
        return updates
