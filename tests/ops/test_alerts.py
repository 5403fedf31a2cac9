"""Alerts against a real SMTP server (aiosmtpd), on SQLite and PostgreSQL: an alert is
mailed once, not again within its cooldown, again after it, and a "resolved" mail follows
when it clears; what is remembered survives a restart; an SMTP outage delays mail but
never processing."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from nex_automat.ops.alert_rules import Finding, Inspection
from nex_automat.ops.alerts import AlertMonitor, Event, advance
from nex_automat.ops.backup.status import record_failure, record_success
from nex_automat.ops.config import MailboxSettings
from nex_automat.ops.serve import background_work
from nex_automat.pipeline.mailbox import MailboxPoller
from nex_automat.pipeline.services import Services
from nex_automat.store.db import open_database
from nex_automat.store.documents import Arrival, add_document, set_document_state
from nex_automat.store.files import sha256_hex
from nex_automat.store.models import Document, DocumentSource, DocumentState
from nex_automat.store.notifications import AlertState, load_states
from tests.invoicegen import FAMILIES, generate
from tests.servers.dovecot import running_dovecot
from tests.servers.smtp import Delivery, SmtpServer

from .conftest import INTEGRATOR, Clock, give_tenants, notification_settings

COOLDOWN = timedelta(minutes=30)


def add_failed(
    services: Services,
    tenant: str,
    filename: str,
    *,
    code: str = "unreadable_pdf",
    message: str = "the PDF could not be opened",
) -> str:
    content = f"{tenant}/{filename}".encode()
    with services.db.tenant_session(tenant) as session:
        document = add_document(
            session,
            sha256=sha256_hex(content),
            media_type="application/pdf",
            size=len(content),
            arrival=Arrival(source=DocumentSource.UPLOAD, filename=filename),
        )
        set_document_state(
            session, document, DocumentState.FAILED, error_code=code, error_message=message
        )
        return document.id


def monitor_for(
    services: Services, server: SmtpServer, clock: Clock, **changes: object
) -> AlertMonitor:
    alerts = {"cooldown_minutes": 30, "failure_window_minutes": 60, **changes}
    settings = notification_settings(server, alerts=alerts)
    return AlertMonitor(services, settings, clock=clock)


def subjects(deliveries: list[Delivery]) -> list[str]:
    return [str(delivery.message["Subject"]) for delivery in deliveries]


# ------------------------------------------------------------------------------ memory

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_new_problem_is_owed_a_mail_at_once() -> None:
    state, event = advance(AlertState(), "Low disk space", START, COOLDOWN)
    assert event is Event.OPENED
    assert (state.active, state.since, state.notified_at) == (True, START, None)


def test_an_alert_not_yet_mailed_is_owed_its_first_mail_until_it_goes() -> None:
    state, _ = advance(AlertState(), "Low disk space", START, COOLDOWN)
    _, event = advance(state, "Low disk space", START + timedelta(minutes=5), COOLDOWN)
    assert event is Event.OPENED


def test_a_cleared_alert_that_was_never_mailed_needs_no_resolved_mail() -> None:
    state, _ = advance(AlertState(), "Low disk space", START, COOLDOWN)
    state, event = advance(state, None, START + timedelta(minutes=5), COOLDOWN)
    assert event is None
    assert not state.active and not state.resolved_pending


# -------------------------------------------------------------------- with the server


def test_an_alert_is_mailed_once_reminded_after_the_cooldown_and_resolved(
    services: Services, smtp_server: SmtpServer
) -> None:
    add_failed(services, "acme", "faktura-1.pdf")
    add_failed(services, "acme", "faktura-2.pdf", code="not_an_invoice", message="no invoice")
    clock = Clock(datetime.now(UTC) + timedelta(seconds=1))
    monitor = monitor_for(services, smtp_server, clock)

    monitor.check()
    (opened,) = smtp_server.wait_for(1)
    assert opened.message["Subject"] == (
        "[NEX Automat] Alert: Documents fail to process (Acme s.r.o.)"
    )
    assert opened.recipients == (INTEGRATOR,)
    text = opened.part("plain")
    assert "Documents failed in the last 60 min: 2." in text
    assert "not_an_invoice (1)" in text and "unreadable_pdf (1)" in text
    assert "faktura-1.pdf – unreadable_pdf: the PDF could not be opened" in text
    assert "https://faktury.example.sk/invoices?status=failed" in text

    clock.advance(minutes=10)
    monitor.check()
    clock.advance(minutes=10)
    monitor.check()
    assert len(smtp_server.messages) == 1, "no repeat within the cooldown"

    clock.advance(minutes=11)
    monitor.check()
    reminder = smtp_server.wait_for(2)[1]
    assert reminder.message["Subject"] == (
        "[NEX Automat] Still active: Documents fail to process (Acme s.r.o.)"
    )

    clock.advance(minutes=40)
    monitor.check()
    resolved = smtp_server.wait_for(3)[2]
    assert resolved.message["Subject"] == (
        "[NEX Automat] Resolved: Documents fail to process (Acme s.r.o.)"
    )
    assert "It lasted from" in resolved.part("plain")

    clock.advance(minutes=40)
    monitor.check()
    assert len(smtp_server.messages) == 3, "a cleared alert stays quiet"


def test_a_restart_neither_repeats_nor_forgets_an_alert(
    services: Services, smtp_server: SmtpServer
) -> None:
    add_failed(services, "acme", "faktura.pdf")
    clock = Clock(datetime.now(UTC) + timedelta(seconds=1))
    monitor_for(services, smtp_server, clock).check()
    assert len(smtp_server.wait_for(1)) == 1

    clock.advance(minutes=5)
    monitor_for(services, smtp_server, clock).check()
    assert len(smtp_server.messages) == 1

    clock.advance(minutes=70)
    monitor_for(services, smtp_server, clock).check()
    assert subjects(smtp_server.wait_for(2))[1].startswith("[NEX Automat] Resolved:")


def test_each_tenant_has_its_own_alert_listing_only_its_documents(
    services: Services, smtp_server: SmtpServer
) -> None:
    add_failed(services, "acme", "acme-faktura.pdf")
    add_failed(services, "globex", "globex-faktura.pdf")
    monitor = monitor_for(services, smtp_server, Clock(datetime.now(UTC) + timedelta(seconds=1)))
    monitor.check()
    mails = {str(d.message["Subject"]): d.part("plain") for d in smtp_server.wait_for(2)}
    acme = mails["[NEX Automat] Alert: Documents fail to process (Acme s.r.o.)"]
    globex = mails["[NEX Automat] Alert: Documents fail to process (Globex a.s.)"]
    assert "acme-faktura.pdf" in acme and "globex-faktura.pdf" not in acme
    assert "globex-faktura.pdf" in globex and "acme-faktura.pdf" not in globex
    with services.db.session() as session:
        remembered = load_states(session, "processing_failures:")
    assert {key: r.tenant_id for key, r in remembered.items()} == {
        "processing_failures:acme": "acme",
        "processing_failures:globex": "globex",
    }


def test_a_tenants_failures_reach_its_own_people_too_in_its_language(
    services: Services, smtp_server: SmtpServer
) -> None:
    give_tenants(services, acme={"language": "cs", "alert_recipients": ["it@acme.sk"]})
    add_failed(services, "acme", "acme-faktura.pdf")
    add_failed(services, "globex", "globex-faktura.pdf")
    normal = services.settings
    services.settings = normal.model_copy(
        update={"health": normal.health.model_copy(update={"min_free_disk_mb": 10**12})}
    )
    clock = Clock(datetime.now(UTC) + timedelta(seconds=1))
    monitor = monitor_for(services, smtp_server, clock)
    monitor.check()

    mails = {str(d.message["Subject"]): d for d in smtp_server.wait_for(3)}
    acme = mails["[NEX Automat] Upozornění: Dokumenty se nedaří zpracovat (Acme s.r.o.)"]
    assert acme.recipients == (INTEGRATOR, "it@acme.sk")
    assert "Za posledních 60 min selhalo dokumentů: 1." in acme.part("plain")
    globex = mails["[NEX Automat] Alert: Documents fail to process (Globex a.s.)"]
    assert globex.recipients == (INTEGRATOR,)
    disk = mails["[NEX Automat] Alert: Low disk space"]
    assert disk.recipients == (INTEGRATOR,), "the installation's alerts stay its own"

    services.settings = normal
    clock.advance(minutes=61)
    monitor.check()
    resolved = {str(d.message["Subject"]): d for d in smtp_server.wait_for(6)[3:]}
    acme_resolved = resolved["[NEX Automat] Vyřešeno: Dokumenty se nedaří zpracovat (Acme s.r.o.)"]
    assert acme_resolved.recipients == (INTEGRATOR, "it@acme.sk")
    assert "[NEX Automat] Resolved: Low disk space" in resolved


def test_file_names_and_errors_are_escaped_in_the_html_part(
    services: Services, smtp_server: SmtpServer
) -> None:
    add_failed(
        services,
        "acme",
        "<script>alert('x')</script>.pdf",
        message='<img src=x onerror="steal()">',
    )
    monitor_for(services, smtp_server, Clock(datetime.now(UTC) + timedelta(seconds=1))).check()
    (mail,) = smtp_server.wait_for(1)
    html = mail.part("html")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;.pdf" in html
    assert "&lt;img src=x onerror=&#34;steal()&#34;&gt;" in html
    assert "<script>alert('x')</script>.pdf" in mail.part("plain")


def test_an_unreachable_database_is_mailed_without_the_database_and_resolved(
    services: Services, smtp_server: SmtpServer
) -> None:
    clock = Clock()
    monitor = monitor_for(services, smtp_server, clock)
    unreachable = open_database("postgresql+psycopg://nex@127.0.0.1:9/nex?connect_timeout=2")
    working = monitor.services
    monitor.services = replace(working, db=unreachable)
    try:
        monitor.check()
        (down,) = smtp_server.wait_for(1)
        assert down.message["Subject"] == "[NEX Automat] Alert: The database is unreachable"
        assert "Error: OperationalError" in down.part("plain")
        clock.advance(minutes=10)
        monitor.check()
        assert len(smtp_server.messages) == 1
    finally:
        unreachable.dispose()
    monitor.services = working
    clock.advance(minutes=1)
    monitor.check()
    resolved = smtp_server.wait_for(2)[1]
    assert resolved.message["Subject"] == "[NEX Automat] Resolved: The database is unreachable"


def test_a_rule_that_breaks_leaves_its_alerts_as_they_were(
    services: Services, smtp_server: SmtpServer
) -> None:
    answers: list[list[Finding] | None] = [
        [Finding("backup", "Backups fail or are late")],
        None,
        [],
    ]

    def rule(_: Inspection) -> list[Finding]:
        answer = answers.pop(0)
        if answer is None:
            raise OSError("the backup folder is on a disk that is not mounted")
        return answer

    clock = Clock()
    monitor = AlertMonitor(
        services, notification_settings(smtp_server), rules={"backup": rule}, clock=clock
    )
    monitor.check()
    clock.advance(minutes=1)
    monitor.check()
    assert subjects(smtp_server.wait_for(1)) == ["[NEX Automat] Alert: Backups fail or are late"]
    clock.advance(minutes=1)
    monitor.check()
    assert subjects(smtp_server.wait_for(2))[1] == (
        "[NEX Automat] Resolved: Backups fail or are late"
    )


def test_too_many_waiting_documents_are_a_backlog(
    services: Services, smtp_server: SmtpServer
) -> None:
    for number in range(3):
        services.intake.receive(
            "acme",
            b"%PDF-1.4 waiting " + bytes([48 + number]),
            Arrival(source=DocumentSource.UPLOAD),
        )
    monitor = monitor_for(services, smtp_server, Clock(), backlog_jobs=2)
    monitor.check()
    (mail,) = smtp_server.wait_for(1)
    assert mail.message["Subject"] == "[NEX Automat] Alert: Processing is falling behind"
    assert "Documents waiting: 3 (limit 2)" in mail.part("plain")


def test_low_disk_space_is_alerted_and_resolved_when_space_is_back(
    services: Services, smtp_server: SmtpServer
) -> None:
    clock = Clock()
    monitor = monitor_for(services, smtp_server, clock)
    normal = services.settings
    demanding = normal.model_copy(
        update={"health": normal.health.model_copy(update={"min_free_disk_mb": 10**12})}
    )
    services.settings = demanding
    monitor.check()
    (low,) = smtp_server.wait_for(1)
    assert low.message["Subject"] == "[NEX Automat] Alert: Low disk space"
    assert f"free in {services.files.root}, less than {10**12} MB" in low.part("plain")
    services.settings = normal
    clock.advance(minutes=5)
    monitor.check()
    assert subjects(smtp_server.wait_for(2))[1] == "[NEX Automat] Resolved: Low disk space"


def test_a_mailbox_without_a_good_poll_for_too_long_is_unreachable(
    services: Services, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    with running_dovecot(tmp_path / "dovecot") as dovecot:
        mailbox = MailboxSettings(
            name="faktury",
            host=dovecot.host,
            port=dovecot.port,
            security="plain",
            user=dovecot.user,
            password=dovecot.password,
            tenant="acme",
        )
        poller = MailboxPoller(mailbox, services.intake, services.db)
        services.pollers.append(poller)
        poller.poll_once()
        dovecot.stop()
        with pytest.raises(Exception, match="mailbox faktury"):
            poller.poll_once()
        clock = Clock(datetime.now(UTC))
        monitor = monitor_for(services, smtp_server, clock)
        monitor.check()
        assert smtp_server.messages == [], "a short silence is no alert"
        clock.advance(minutes=16)
        monitor.check()
        (down,) = smtp_server.wait_for(1)
        assert down.message["Subject"] == "[NEX Automat] Alert: Mailbox faktury is unreachable"
        assert "Last good poll:" in down.part("plain")
        assert "Error: mailbox_unavailable: mailbox faktury" in down.part("plain")
        dovecot.start()
        poller.poll_once()
        clock.now = datetime.now(UTC)
        monitor.check()
    resolved = smtp_server.wait_for(2)[1]
    assert resolved.message["Subject"] == "[NEX Automat] Resolved: Mailbox faktury is unreachable"


def test_a_failed_backup_is_alerted_until_a_backup_succeeds(
    services: Services, smtp_server: SmtpServer
) -> None:
    clock = Clock()
    monitor = monitor_for(services, smtp_server, clock)
    record_failure(services.settings, clock.now, "the backup disk /mnt/zaloha is missing")
    monitor.check()
    (failed,) = smtp_server.wait_for(1)
    assert failed.message["Subject"] == "[NEX Automat] Alert: Backups fail or are late"
    assert "Error: the backup disk /mnt/zaloha is missing" in failed.part("plain")
    assert "No good backup yet." in failed.part("plain")
    record_success(services.settings, "20260302-0200", clock.advance(minutes=5), 1234)
    monitor.check()
    assert (
        subjects(smtp_server.wait_for(2))[1] == "[NEX Automat] Resolved: Backups fail or are late"
    )


def test_a_new_installation_gets_its_first_backup_time_before_an_alert(
    services: Services, smtp_server: SmtpServer
) -> None:
    clock = Clock()
    monitor = monitor_for(services, smtp_server, clock)
    monitor.check()
    clock.advance(hours=20)
    monitor.check()
    assert smtp_server.messages == []
    clock.advance(hours=7)
    monitor.check()
    (stale,) = smtp_server.wait_for(1)
    assert stale.message["Subject"] == "[NEX Automat] Alert: Backups fail or are late"
    assert "The last good backup is older than 26 h." in stale.part("plain")


# ----------------------------------------------------------------------- an SMTP outage


@contextmanager
def mail_server_down(server: SmtpServer, how: str) -> Iterator[None]:
    """``stopped``: connections are refused. ``hanging``: they are accepted by the system
    but never greeted, so each try waits out the timeout, as behind a broken firewall."""
    server.stop()
    if how == "stopped":
        yield
        return
    with socket.create_server((server.host, server.port), backlog=16):
        yield


@pytest.mark.parametrize("outage", ["stopped", "hanging"])
def test_an_smtp_outage_neither_blocks_processing_nor_loses_the_alert(
    services: Services, smtp_server: SmtpServer, outage: str
) -> None:
    services.settings = services.settings.model_copy(
        update={
            "notifications": notification_settings(
                smtp_server,
                alerts={"check_minutes": 0.01},
                summary={"at": None},
                review_notice={"after_hours": None},
            )
        }
    )
    invoice = generate(3, FAMILIES[0])

    def states() -> dict[str, DocumentState]:
        with services.db.session() as session:
            return {row.id: row.state for row in session.query(Document).all()}

    with background_work(services):
        with mail_server_down(smtp_server, outage):
            good = services.intake.receive(
                "acme", invoice.pdf, Arrival(source=DocumentSource.UPLOAD)
            )
            broken = services.intake.receive(
                "acme", b"%PDF-1.4\n% broken\n", Arrival(source=DocumentSource.UPLOAD)
            )
            expected = {
                good.document_id: DocumentState.PROCESSED,
                broken.document_id: DocumentState.FAILED,
            }
            assert _wait_for(lambda: states() == expected), states()
            assert _wait_for(lambda: bool(_owed(services)))
            (owed,) = _owed(services)
            assert owed.active and owed.notified_at is None
        smtp_server.start()
        (alert,) = smtp_server.wait_for(1, timeout=30)
    assert alert.message["Subject"] == (
        "[NEX Automat] Alert: Documents fail to process (Acme s.r.o.)"
    )


def _owed(services: Services) -> list[AlertState]:
    with services.db.session() as session:
        return [r.state for r in load_states(session, "processing_failures:").values()]


def _wait_for(condition: Callable[[], bool], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
