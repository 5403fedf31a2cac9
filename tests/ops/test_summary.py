"""The daily summary and the review notice against a real SMTP server, on SQLite and
PostgreSQL: the right counts of the right period, links into the inbox filtered to match,
every outside value escaped in HTML; sent once when due, late when the server was down."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from nex_automat.ops.scheduler import DailyAt
from nex_automat.ops.summary import DailySummary, ReviewNotices, latest_due
from nex_automat.pipeline.services import Services
from nex_automat.store.documents import set_document_state
from nex_automat.store.invoices import save_invoice, set_status
from nex_automat.store.models import (
    Document,
    DocumentState,
    InvoiceRecord,
    InvoiceStatus,
    Role,
)
from nex_automat.store.users import create_user, disable_user, find_user
from tests.servers.smtp import Delivery, SmtpServer
from tests.store.factories import add_pdf, make_invoice, make_result

from .conftest import BASE_URL, INTEGRATOR, Clock, give_tenants, notification_settings

SCRIPT_SUPPLIER = "<script>alert('x')</script> Stavebniny s.r.o."
PASSWORD = "correct horse battery"


def add_invoice(
    services: Services,
    tenant: str,
    number: str,
    *,
    status: InvoiceStatus = InvoiceStatus.NEW,
    supplier: str = "Stavebniny Žilina s.r.o.",
) -> str:
    with services.db.tenant_session(tenant) as session:
        document = add_pdf(session, f"{tenant}/{number}".encode())
        invoice = make_invoice(number, supplier_name=supplier, total_gross=Decimal("1234.50"))
        record = save_invoice(session, document.id, make_result(invoice), status=status)
        set_document_state(session, document, DocumentState.PROCESSED)
        return record.id


def move(services: Services, tenant: str, invoice_id: str, *statuses: InvoiceStatus) -> None:
    with services.db.tenant_session(tenant) as session:
        record = session.get(InvoiceRecord, invoice_id)
        assert record is not None
        for status in statuses:
            set_status(session, record, status, actor="eva")


def add_failed_document(services: Services, tenant: str, filename: str) -> None:
    with services.db.tenant_session(tenant) as session:
        document = add_pdf(session, filename.encode())
        document.filename = filename
        set_document_state(
            session,
            document,
            DocumentState.FAILED,
            error_code="not_an_invoice",
            error_message="no invoice <b>number</b> found",
        )


def backdate(services: Services, invoice_id: str, moment: datetime) -> None:
    """Move an invoice and its document to ``moment``, as if they came then."""
    with services.db.session() as session:
        document_id = session.get(InvoiceRecord, invoice_id).document_id  # type: ignore[union-attr]
        session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(created_at=moment, updated_at=moment)
        )
        session.execute(
            update(InvoiceRecord)
            .where(InvoiceRecord.id == invoice_id)
            .values(created_at=moment, updated_at=moment, status_changed_at=moment)
        )


def summary_of(deliveries: list[Delivery], tenant_name: str) -> Delivery:
    (found,) = [d for d in deliveries if tenant_name in str(d.message["Subject"])]
    return found


@pytest.fixture
def due() -> datetime:
    """The first 07:00 after now: the period of its summary holds everything made now."""
    return DailyAt.parse("07:00").next_after(datetime.now().astimezone())


def test_the_latest_due_time_is_today_once_it_has_passed() -> None:
    schedule = DailyAt.parse("07:00")
    morning = datetime(2026, 3, 2, 6, 59).astimezone()
    assert latest_due(schedule, morning) == datetime(2026, 3, 1, 7, 0).astimezone()
    later = datetime(2026, 3, 2, 7, 0).astimezone()
    assert latest_due(schedule, later) == later


def test_the_summary_counts_the_day_and_links_the_inbox(
    services: Services, smtp_server: SmtpServer, due: datetime
) -> None:
    review_1 = add_invoice(
        services, "acme", "R1", status=InvoiceStatus.NEEDS_REVIEW, supplier=SCRIPT_SUPPLIER
    )
    add_invoice(services, "acme", "R2", status=InvoiceStatus.NEEDS_REVIEW)
    approved = add_invoice(services, "acme", "A1")
    move(services, "acme", approved, InvoiceStatus.APPROVED)
    exported = add_invoice(services, "acme", "E1")
    move(services, "acme", exported, InvoiceStatus.APPROVED, InvoiceStatus.EXPORTED)
    add_failed_document(services, "acme", "<img src=x onerror=alert(1)>.pdf")
    older = add_invoice(services, "acme", "OLD", status=InvoiceStatus.NEEDS_REVIEW)
    backdate(services, older, due - timedelta(days=3))
    add_invoice(services, "globex", "G1", status=InvoiceStatus.NEEDS_REVIEW)

    clock = Clock(due - timedelta(minutes=1))
    summary = DailySummary(services, notification_settings(smtp_server), clock=clock)
    summary.send_due()
    assert smtp_server.messages == [], "the first summary is the first one due after start"
    clock.now = due + timedelta(seconds=30)
    summary.send_due()

    deliveries = smtp_server.wait_for(3)
    mail = summary_of(deliveries, "Acme s.r.o.")
    assert mail.recipients == (INTEGRATOR,)
    text = mail.part("plain")
    expected = {
        "Documents received": (5, "/invoices"),
        "Processed": (4, "/invoices"),
        "Waiting for review (now)": (3, "/invoices?status=needs_review"),
        "Approved": (2, "/invoices?status=approved"),
        "Exported": (1, "/invoices?status=exported"),
        "Failed": (1, "/invoices?status=failed"),
    }
    for label, (count, link) in expected.items():
        assert f"{label}: {count}\n  {BASE_URL}{link}\n" in text, label
    assert f"{BASE_URL}/invoices/{review_1}" in text
    assert f"{BASE_URL}/invoices/{older}" in text
    assert "G1" not in text, "another tenant's invoice"
    assert "Documents received: 0" in summary_of(deliveries, "– default,").part("plain")
    assert "Documents received: 1" in summary_of(deliveries, "Globex a.s.").part("plain")

    html = mail.part("html")
    assert f'<a href="{BASE_URL}/invoices?status=needs_review"' in html
    assert f'<a href="{BASE_URL}/invoices/{review_1}"' in html
    assert "<script>" not in html and "<img" not in html and "<b>number" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Stavebniny s.r.o." in html
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in html
    assert SCRIPT_SUPPLIER in text

    summary.send_due()
    assert len(smtp_server.messages) == 3, "sent once a day"
    clock.now = due + timedelta(days=1, seconds=30)
    summary.send_due()
    tomorrow = summary_of(smtp_server.wait_for(6)[3:], "Acme s.r.o.").part("plain")
    assert "Documents received: 0" in tomorrow
    assert "Waiting for review (now): 3" in tomorrow


def test_the_summary_is_written_in_the_configured_language(
    services: Services, smtp_server: SmtpServer, due: datetime
) -> None:
    add_invoice(services, "acme", "S1", status=InvoiceStatus.NEEDS_REVIEW)
    add_invoice(services, "acme", "S2")
    settings = notification_settings(smtp_server, language="sk")
    clock = Clock(due - timedelta(minutes=1))
    summary = DailySummary(services, settings, clock=clock)
    summary.send_due()
    clock.now = due
    summary.send_due()
    mail = summary_of(smtp_server.wait_for(3), "Acme s.r.o.")
    assert str(mail.message["Subject"]).startswith("[NEX Automat] Denný prehľad faktúr – Acme")
    text = mail.part("plain")
    assert "Prijaté dokumenty: 2" in text
    assert "Čakajú na kontrolu (teraz): 1" in text
    assert "1\u00a0234,50 EUR" in text, "amounts as Slovaks write them"


def test_a_summary_missed_while_the_mail_server_was_down_goes_out_when_it_is_back(
    services: Services, smtp_server: SmtpServer, due: datetime
) -> None:
    clock = Clock(due - timedelta(minutes=1))
    summary = DailySummary(services, notification_settings(smtp_server), clock=clock)
    summary.send_due()
    smtp_server.stop()
    clock.now = due
    summary.send_due()
    clock.now = due + timedelta(minutes=1)
    summary.send_due()
    smtp_server.start()
    clock.now = due + timedelta(minutes=2)
    summary.send_due()
    assert len(smtp_server.wait_for(3)) == 3
    clock.now = due + timedelta(minutes=3)
    summary.send_due()
    assert len(smtp_server.messages) == 3


# ------------------------------------------------------------------------ review notice


def add_users(services: Services) -> None:
    people = [
        ("acme", "eva@acme.sk", Role.OPERATOR),
        ("acme", "jan@acme.sk", Role.APPROVER),
        ("acme", "boss@acme.sk", Role.ADMIN),
        ("acme", "marek", Role.OPERATOR),
        ("acme", "odisiel@acme.sk", Role.OPERATOR),
        ("globex", "petra@globex.sk", Role.OPERATOR),
    ]
    with services.db.session() as session:
        for tenant, username, role in people:
            create_user(session, tenant_id=tenant, username=username, password=PASSWORD, role=role)
        gone = find_user(session, "odisiel@acme.sk")
        assert gone is not None
        disable_user(session, gone)


def test_reviewers_are_told_of_invoices_waiting_too_long_and_reminded(
    services: Services, smtp_server: SmtpServer
) -> None:
    add_users(services)
    waiting = add_invoice(
        services, "acme", "W1", status=InvoiceStatus.NEEDS_REVIEW, supplier=SCRIPT_SUPPLIER
    )
    add_invoice(services, "globex", "G1", status=InvoiceStatus.NEW)
    settings = notification_settings(smtp_server, review_notice={"after_hours": 24})
    clock = Clock()
    notices = ReviewNotices(services, settings, clock=clock)
    notices.check()
    clock.advance(hours=23)
    notices.check()
    assert smtp_server.messages == [], "not overdue yet"

    clock.advance(hours=2)
    notices.check()
    (notice,) = smtp_server.wait_for(1)
    assert notice.recipients == ("eva@acme.sk", "jan@acme.sk")
    assert notice.message["Subject"] == ("[NEX Automat] Invoices waiting for review – Acme s.r.o.")
    text = notice.part("plain")
    assert "Invoices waiting for review longer than 24 h: 1." in text
    assert f"{BASE_URL}/invoices/{waiting}" in text
    assert f"{BASE_URL}/invoices?status=needs_review" in text
    assert "&lt;script&gt;" in notice.part("html") and "<script>" not in notice.part("html")

    clock.advance(hours=2)
    notices.check()
    assert len(smtp_server.messages) == 1
    clock.advance(hours=23)
    notices.check()
    assert len(smtp_server.wait_for(2)) == 2, "reminded after repeat_hours"

    move(services, "acme", waiting, InvoiceStatus.APPROVED)
    clock.advance(hours=30)
    notices.check()
    assert len(smtp_server.messages) == 2, "nothing is said when the wait is over"


def test_configured_reviewers_replace_the_users(
    services: Services, smtp_server: SmtpServer
) -> None:
    add_users(services)
    add_invoice(services, "acme", "W1", status=InvoiceStatus.NEEDS_REVIEW)
    settings = notification_settings(
        smtp_server, review_notice={"after_hours": 1, "recipients": ["uctaren@acme.sk"]}
    )
    clock = Clock()
    ReviewNotices(services, settings, clock=clock).check()
    clock.advance(hours=2)
    ReviewNotices(services, settings, clock=clock).check()
    (notice,) = smtp_server.wait_for(1)
    assert notice.recipients == ("uctaren@acme.sk",)


def test_a_tenants_summary_goes_to_its_own_people_in_its_language(
    services: Services, smtp_server: SmtpServer, due: datetime
) -> None:
    give_tenants(services, acme={"language": "cs", "summary_recipients": ["uctaren@acme.sk"]})
    add_invoice(services, "acme", "R1", status=InvoiceStatus.NEEDS_REVIEW)
    add_invoice(services, "globex", "G1", status=InvoiceStatus.NEEDS_REVIEW)
    clock = Clock(due - timedelta(minutes=1))
    summary = DailySummary(services, notification_settings(smtp_server), clock=clock)
    summary.send_due()
    clock.now = due + timedelta(seconds=30)
    summary.send_due()

    deliveries = smtp_server.wait_for(3)
    acme = summary_of(deliveries, "Acme s.r.o.")
    assert acme.recipients == ("uctaren@acme.sk",)
    assert str(acme.message["Subject"]).startswith("[NEX Automat] Denní přehled faktur – Acme")
    assert "Čekají na kontrolu (nyní)" in acme.part("plain")
    globex = summary_of(deliveries, "Globex a.s.")
    assert globex.recipients == (INTEGRATOR,), "a tenant without its own people: as before"
    assert str(globex.message["Subject"]).startswith("[NEX Automat] Daily invoice summary")


def test_a_tenants_own_reviewers_are_told_in_its_language(
    services: Services, smtp_server: SmtpServer
) -> None:
    add_users(services)
    give_tenants(services, acme={"language": "cs", "review_notice_recipients": ["nakup@acme.sk"]})
    add_invoice(services, "acme", "W1", status=InvoiceStatus.NEEDS_REVIEW)
    add_invoice(services, "globex", "G1", status=InvoiceStatus.NEEDS_REVIEW)
    settings = notification_settings(smtp_server, review_notice={"after_hours": 1})
    clock = Clock()
    notices = ReviewNotices(services, settings, clock=clock)
    notices.check()
    clock.advance(hours=2)
    notices.check()

    deliveries = smtp_server.wait_for(2)
    acme = summary_of(deliveries, "Acme s.r.o.")
    assert acme.recipients == ("nakup@acme.sk",)
    assert acme.message["Subject"] == "[NEX Automat] Faktury čekají na kontrolu – Acme s.r.o."
    globex = summary_of(deliveries, "Globex a.s.")
    assert globex.recipients == ("petra@globex.sk",), "the other tenant's users, as before"
    assert globex.message["Subject"] == "[NEX Automat] Invoices waiting for review – Globex a.s."
