"""Mailbox intake against a real Dovecot: what is taken, what is refused, and never twice.

Every test starts its own Dovecot (``tests/servers/dovecot.py``) and runs on SQLite and
PostgreSQL. Attachments only need to pass intake's content check, so small PDFs stand in
for invoices: processing is not part of intake.
"""

from __future__ import annotations

import io
import logging
import signal
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from pydantic import SecretStr

from nex_automat.errors import MailboxError
from nex_automat.ops.config import MailboxSettings
from nex_automat.pipeline.intake import Intake, Receipt
from nex_automat.pipeline.mailbox import TAKEN_KEYWORD, MailboxPoller, PollReport
from nex_automat.store.db import Database
from nex_automat.store.documents import Arrival
from nex_automat.store.models import DocumentSource
from nex_automat.store.tenants import set_tenant_disabled
from tests.servers.dovecot import DovecotServer, running_dovecot

from .conftest import MAX_BYTES
from .documents import documents

SUPPLIER = "faktury@dodavatel.sk"
ISDOC = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<Invoice xmlns="http://isdoc.cz/namespace/2013" version="6.0.2">'
    b"<ID>FV-2024-0042</ID></Invoice>"
)
MEDIA_TYPES = {".pdf": ("application", "pdf"), ".zip": ("application", "zip")}


def pdf(label: str) -> bytes:
    return b"%PDF-1.4\n% " + label.encode() + b"\n%%EOF\n"


def mail(
    *attachments: tuple[str, bytes],
    sender: str = SUPPLIER,
    subject: str = "Faktúry za október",
    message_id: str = "<20241031.1@dodavatel.sk>",
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Dodávateľ s.r.o. <{sender}>"
    message["To"] = "faktury@odberatel.sk"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Thu, 31 Oct 2024 09:15:00 +0100"
    message.set_content("Dobrý deň, v prílohe posielame faktúry.")
    for name, data in attachments:
        maintype, subtype = MEDIA_TYPES.get(Path(name).suffix, ("application", "octet-stream"))
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DovecotServer]:
    with running_dovecot(tmp_path / "dovecot") as running:
        yield running


@pytest.fixture
def make_poller(
    server: DovecotServer, intake: Intake, database: Database, tenant: str
) -> Callable[..., MailboxPoller]:
    """A poller of the test server's mailbox; keyword arguments change its settings."""

    def build(
        *, receiver: object = None, retry: tuple[float, float] = (5, 300), **changes: object
    ) -> MailboxPoller:
        values: dict[str, object] = {
            "name": "faktury",
            "host": server.host,
            "port": server.port,
            "security": "plain",
            "user": server.user,
            "password": SecretStr(server.password),
            "tenant": tenant,
            "poll_seconds": 0.1,
        }
        values.update(changes)
        settings = MailboxSettings.model_validate(values)
        return MailboxPoller(
            settings,
            receiver or intake,  # type: ignore[arg-type]
            database,
            retry_first_seconds=retry[0],
            retry_max_seconds=retry[1],
        )

    return build


@pytest.fixture
def poller(make_poller: Callable[..., MailboxPoller]) -> MailboxPoller:
    return make_poller()


def test_message_with_two_invoices_becomes_two_documents_with_sender_subject_and_message_id(
    server: DovecotServer, poller: MailboxPoller, database: Database, tenant: str
) -> None:
    server.append(mail(("FV-41.pdf", pdf("41")), ("FV-42.pdf", pdf("42"))))

    report = poller.poll_once()

    assert (report.messages, report.documents, report.rejected) == (1, 2, 0)
    received = documents(database)
    assert sorted(doc.filename or "" for doc in received) == ["FV-41.pdf", "FV-42.pdf"]
    for doc in received:
        assert (doc.tenant_id, doc.source, doc.sender, doc.subject, doc.message_id) == (
            tenant,
            DocumentSource.MAILBOX,
            SUPPLIER,
            "Faktúry za október",
            "<20241031.1@dodavatel.sk>",
        )
        assert doc.received_at is not None
    assert server.message_ids("INBOX") == []
    assert server.message_ids("Processed") == ["<20241031.1@dodavatel.sk>"]
    assert poller.last_poll_ok_at is not None and poller.last_error is None


def test_a_disabled_tenants_mailbox_is_not_opened_until_it_is_enabled(
    server: DovecotServer, poller: MailboxPoller, database: Database, tenant: str
) -> None:
    server.append(mail(("FV-45.pdf", pdf("45"))))
    with database.session() as session:
        set_tenant_disabled(session, tenant, True)

    assert poller.poll_once() == PollReport()
    assert server.message_ids("INBOX") == ["<20241031.1@dodavatel.sk>"]
    assert documents(database) == []

    with database.session() as session:
        set_tenant_disabled(session, tenant, False)
    assert poller.poll_once().documents == 1
    assert server.message_ids("Processed") == ["<20241031.1@dodavatel.sk>"]


def test_message_without_attachments_is_moved_to_a_new_rejected_folder_and_nothing_received(
    server: DovecotServer,
    poller: MailboxPoller,
    database: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.append(mail(message_id="<bez-prilohy@dodavatel.sk>"))
    assert server.message_ids("Rejected") == []

    with caplog.at_level(logging.INFO, logger="nex_automat.pipeline.mailbox"):
        report = poller.poll_once()

    assert (report.messages, report.documents, report.rejected) == (1, 0, 1)
    assert documents(database) == []
    assert server.message_ids("Rejected") == ["<bez-prilohy@dodavatel.sk>"]
    assert server.message_ids("INBOX") == []
    assert "faktury" in caplog.text and "no usable attachment" in caplog.text


def test_attachments_that_are_no_invoice_or_too_large_count_as_none(
    server: DovecotServer, poller: MailboxPoller, database: Database
) -> None:
    oversized = pdf("velky") + bytes(MAX_BYTES)
    server.append(mail(("logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64)), ("FV-1.pdf", oversized)))

    assert poller.poll_once().rejected == 1
    assert documents(database) == []
    assert server.message_ids("Rejected") == ["<20241031.1@dodavatel.sk>"]


def test_sender_not_allowed_is_rejected_and_allowed_domain_and_address_are_taken(
    server: DovecotServer,
    make_poller: Callable[..., MailboxPoller],
    database: Database,
) -> None:
    poller = make_poller(allowed_senders=["@dodavatel.sk", "uctaren@partner.cz"])
    server.append(mail(("a.pdf", pdf("a")), sender="iny@dodavatel.sk", message_id="<1@x>"))
    server.append(mail(("b.pdf", pdf("b")), sender="UCTAREN@partner.cz", message_id="<2@x>"))
    server.append(mail(("c.pdf", pdf("c")), sender="spam@dodavatel.sk.evil", message_id="<3@x>"))
    server.append(mail(("d.pdf", pdf("d")), sender="info@partner.cz", message_id="<4@x>"))

    report = poller.poll_once()

    assert (report.messages, report.documents, report.rejected) == (4, 2, 2)
    assert sorted(doc.filename or "" for doc in documents(database)) == ["a.pdf", "b.pdf"]
    assert sorted(server.message_ids("Rejected")) == ["<3@x>", "<4@x>"]
    assert sorted(server.message_ids("Processed")) == ["<1@x>", "<2@x>"]


def test_isdoc_and_each_pdf_of_a_zip_are_received(
    server: DovecotServer, poller: MailboxPoller, database: Database
) -> None:
    archive = zip_of({"faktury/FV-1.pdf": pdf("1"), "FV-2.pdf": pdf("2"), "precitaj.txt": b"x"})
    server.append(mail(("FV-0.isdoc", ISDOC), ("faktury.zip", archive)))

    report = poller.poll_once()

    assert report.documents == 3
    received = {doc.filename: doc.media_type for doc in documents(database)}
    assert received == {
        "FV-0.isdoc": "application/xml",
        "FV-1.pdf": "application/pdf",
        "FV-2.pdf": "application/pdf",
    }


def test_isdocx_attachment_is_received_whole(
    server: DovecotServer, poller: MailboxPoller, database: Database
) -> None:
    isdocx = zip_of({"FV-7.isdoc": ISDOC, "prilohy/FV-7.pdf": pdf("7")})
    server.append(mail(("FV-7.isdocx", isdocx)))

    poller.poll_once()

    [document] = documents(database)
    assert (document.filename, document.media_type, document.size) == (
        "FV-7.isdocx",
        "application/zip",
        len(isdocx),
    )


def test_same_message_seen_twice_is_received_once(
    server: DovecotServer,
    make_poller: Callable[..., MailboxPoller],
    database: Database,
) -> None:
    poller = make_poller(processed_folder=None, rejected_folder=None)
    message = mail(("FV-41.pdf", pdf("41")), ("FV-42.pdf", pdf("42")))
    server.append(message)
    assert poller.poll_once().documents == 2

    with server.connect() as client:
        client.flag(client.uids("ALL"), ["\\Seen", TAKEN_KEYWORD], False)
    server.append(message)
    again = poller.poll_once()

    assert (again.messages, again.documents, again.already_received) == (2, 0, 4)
    assert len(documents(database)) == 2
    assert server.message_ids("INBOX") == [
        "<20241031.1@dodavatel.sk>",
        "<20241031.1@dodavatel.sk>",
    ]
    assert poller.poll_once().messages == 0


def test_message_without_message_id_is_recognised_by_its_bytes(
    server: DovecotServer,
    make_poller: Callable[..., MailboxPoller],
    database: Database,
) -> None:
    poller = make_poller(processed_folder=None)
    message = mail(("FV-1.pdf", pdf("1"))).replace(b"Message-ID: <20241031.1@dodavatel.sk>\n", b"")
    assert b"Message-ID" not in message
    server.append(message)
    poller.poll_once()
    with server.connect() as client:
        client.flag(client.uids("ALL"), ["\\Seen", TAKEN_KEYWORD], False)

    poller.poll_once()

    [document] = documents(database)
    assert (document.message_id or "").endswith("@nex-automat.invalid>")


class _ServerDiesAfterFirstDocument:
    """Intake as usual, but the IMAP server is killed right after the first document."""

    def __init__(self, intake: Intake, server: DovecotServer) -> None:
        self.intake = intake
        self.server = server

    def receive(
        self, tenant_id: str, data: bytes, arrival: Arrival, *, priority: int = 0
    ) -> Receipt:
        receipt = self.intake.receive(tenant_id, data, arrival, priority=priority)
        self.server.stop(signal.SIGKILL)
        return receipt


def test_server_going_away_mid_poll_loses_nothing_and_doubles_nothing(
    server: DovecotServer,
    make_poller: Callable[..., MailboxPoller],
    intake: Intake,
    database: Database,
) -> None:
    server.append(mail(("FV-1.pdf", pdf("1")), ("FV-2.pdf", pdf("2")), message_id="<1@x>"))
    server.append(mail(("FV-3.pdf", pdf("3")), message_id="<2@x>"))
    poller = make_poller(receiver=_ServerDiesAfterFirstDocument(intake, server), retry=(2, 30))

    with pytest.raises(MailboxError) as raised:
        poller.poll_once()

    assert raised.value.code == "mailbox_unavailable"
    assert poller.last_error is not None and poller.last_error.startswith("mailbox_unavailable")
    assert "faktury" in poller.last_error
    assert poller.consecutive_failures == 1
    assert poller.next_delay() == 2
    with pytest.raises(MailboxError):
        poller.poll_once()
    assert (poller.consecutive_failures, poller.next_delay()) == (2, 4)

    server.start()
    recovered = make_poller()
    report = recovered.poll_once()

    assert sorted(doc.filename or "" for doc in documents(database)) == [
        "FV-1.pdf",
        "FV-2.pdf",
        "FV-3.pdf",
    ]
    assert (report.messages, report.documents, report.already_received) == (2, 1, 2)
    assert sorted(server.message_ids("Processed")) == ["<1@x>", "<2@x>"]


def test_run_backs_off_while_the_server_is_down_and_takes_mail_once_it_is_back(
    server: DovecotServer,
    make_poller: Callable[..., MailboxPoller],
    database: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.stop()
    poller = make_poller(poll_seconds=0.05, retry=(0.02, 0.1))
    stop = threading.Event()
    thread = threading.Thread(target=poller.run, args=(stop,), daemon=True)
    with caplog.at_level(logging.WARNING, logger="nex_automat.pipeline.mailbox"):
        thread.start()
        try:
            _wait_for(lambda: poller.consecutive_failures >= 4)
            assert poller.last_poll_ok_at is None
            assert (poller.last_error or "").startswith("mailbox_unavailable")
            assert poller.next_delay() == 0.1

            server.start()
            server.append(mail(("FV-9.pdf", pdf("9"))))
            _wait_for(lambda: len(documents(database)) == 1 and poller.last_error is None)
            time.sleep(0.3)
        finally:
            stop.set()
            thread.join(timeout=10)

    assert not thread.is_alive()
    assert len(documents(database)) == 1
    assert poller.consecutive_failures == 0 and poller.last_poll_ok_at is not None
    assert "mailbox faktury: poll failed (mailbox_unavailable" in caplog.text


def _wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def test_wrong_password_is_reported_as_a_refused_login(
    server: DovecotServer,
    make_poller: Callable[..., MailboxPoller],
    database: Database,
) -> None:
    poller = make_poller(password=SecretStr("zle-heslo"))

    with pytest.raises(MailboxError) as raised:
        poller.poll_once()

    assert raised.value.code == "mailbox_login_failed"
    assert "zle-heslo" not in (poller.last_error or "")


def test_password_file_is_read_at_each_poll(
    server: DovecotServer,
    make_poller: Callable[..., MailboxPoller],
    database: Database,
    tmp_path: Path,
) -> None:
    secret = tmp_path / "mailbox-password"
    secret.write_text("stare-heslo\n")
    poller = make_poller(password=None, password_file=secret)
    with pytest.raises(MailboxError):
        poller.poll_once()

    secret.write_text(server.password + "\n")

    assert poller.poll_once().messages == 0
    assert poller.last_error is None


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_connection_verifies_the_server_certificate(
    security: str,
    server: DovecotServer,
    make_poller: Callable[..., MailboxPoller],
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = server.ssl_port if security == "ssl" else server.port
    poller = make_poller(security=security, port=port)
    server.append(mail(("FV-5.pdf", pdf("5"))))
    monkeypatch.setenv("SSL_CERT_FILE", str(server.root / "no-such-ca.pem"))

    with pytest.raises(MailboxError) as untrusted:
        poller.poll_once()
    assert untrusted.value.code == "mailbox_unavailable"
    assert "CERTIFICATE_VERIFY_FAILED" in (poller.last_error or "")

    monkeypatch.setenv("SSL_CERT_FILE", str(server.cert_file))
    assert poller.poll_once().documents == 1
