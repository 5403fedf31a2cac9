"""Mail goes out through a real SMTP server (aiosmtpd): plain, STARTTLS or TLS, with or
without login, and every failure says what to fix without blocking for long."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from nex_automat.ops.mail import Letter, Mail, MailError, Postman
from tests.servers.smtp import SmtpServer, running_smtp

LETTER = Letter(
    subject="Skúška\r\nBcc: injected@example.sk", text="Dobrý deň", html="<p>Dobrý deň</p>"
)


def mail(*recipients: str) -> Mail:
    return Mail(recipients or ("uctaren@odberatel.sk",), LETTER)


def test_a_letter_arrives_with_plain_text_and_html_parts(smtp_server: SmtpServer) -> None:
    Postman(smtp_server.settings()).deliver_one(mail("eva@odberatel.sk", "jan@odberatel.sk"))
    (delivery,) = smtp_server.wait_for(1)
    assert delivery.recipients == ("eva@odberatel.sk", "jan@odberatel.sk")
    message = delivery.message
    assert message["From"] == "NEX Automat <nex@test.example.sk>"
    assert message["To"] == "eva@odberatel.sk, jan@odberatel.sk"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Bcc"] is None, "a line break in a subject must not add a header"
    assert message["Subject"] == "Skúška Bcc: injected@example.sk"
    assert delivery.part("plain").strip() == "Dobrý deň"
    assert delivery.part("html").strip() == "<p>Dobrý deň</p>"


def test_starttls_with_login(tmp_path: Path) -> None:
    with running_smtp(tmp_path, "starttls", user="nex") as server:
        Postman(server.settings()).deliver_one(mail())
        assert len(server.wait_for(1)) == 1
        assert server.logins == ["nex"]


def test_tls_from_the_first_byte_with_login(tmp_path: Path) -> None:
    with running_smtp(tmp_path, "tls", user="nex") as server:
        assert server.settings().effective_port == server.port
        Postman(server.settings()).deliver_one(mail())
        assert len(server.wait_for(1)) == 1
        assert server.logins == ["nex"]


def test_a_refused_login_is_reported_without_the_password(tmp_path: Path) -> None:
    with running_smtp(tmp_path, "starttls", user="nex") as server:
        with pytest.raises(MailError) as caught:
            Postman(server.settings(password="wrong-secret")).deliver_one(mail())
        assert "refused the login of 'nex'" in caught.value.message
        assert "wrong-secret" not in caught.value.message
        assert server.messages == []


def test_an_untrusted_certificate_is_refused_and_named(tmp_path: Path) -> None:
    with running_smtp(tmp_path, "starttls") as server:
        with pytest.raises(MailError) as caught:
            Postman(server.settings(ca_file=None)).deliver_one(mail())
        assert "certificate is not trusted" in caught.value.message
        assert "smtp.ca_file" in caught.value.message
        assert server.messages == []


def test_starttls_against_a_server_without_it_says_what_to_set(smtp_server: SmtpServer) -> None:
    with pytest.raises(MailError) as caught:
        Postman(smtp_server.settings(security="starttls")).deliver_one(mail())
    assert "does not offer STARTTLS" in caught.value.message


def test_a_server_that_is_down_fails_the_whole_batch_at_once(smtp_server: SmtpServer) -> None:
    smtp_server.stop()
    started = time.monotonic()
    outcomes = Postman(smtp_server.settings()).deliver([mail(), mail(), mail()])
    assert time.monotonic() - started < 2
    assert all(isinstance(outcome, MailError) for outcome in outcomes)
    assert len(outcomes) == 3
    assert outcomes[0] is not None and "cannot connect to 127.0.0.1" in outcomes[0].message
    smtp_server.start()
    assert Postman(smtp_server.settings()).deliver([mail(), mail()]) == [None, None]
    assert len(smtp_server.wait_for(2)) == 2


def test_checking_the_login_sends_nothing_and_names_what_fails(tmp_path: Path) -> None:
    with running_smtp(tmp_path, "tls", user="nex") as server:
        Postman(server.settings()).check_login()
        assert server.logins == ["nex"]
        with pytest.raises(MailError, match="refused the login"):
            Postman(server.settings(password="wrong-secret")).check_login()
        server.stop()
        with pytest.raises(MailError, match="cannot connect"):
            Postman(server.settings()).check_login()
        assert server.messages == []


def test_a_server_that_never_answers_costs_only_the_timeout(smtp_server: SmtpServer) -> None:
    smtp_server.stop()
    with socket.create_server((smtp_server.host, smtp_server.port)):
        started = time.monotonic()
        outcomes = Postman(smtp_server.settings(timeout_seconds=1)).deliver([mail(), mail()])
        assert time.monotonic() - started < 3
    assert all(outcome is not None for outcome in outcomes)
    assert outcomes[0] is not None
    assert "no answer within 1 s; check host, port and the firewall" in outcomes[0].message


def test_an_unreadable_password_file_is_a_mail_not_sent(tmp_path: Path) -> None:
    with running_smtp(tmp_path, "starttls", user="nex") as server:
        missing = tmp_path / "no-such-password"
        settings = server.settings(password=None, password_file=missing)
        (outcome,) = Postman(settings).deliver([mail()])
    assert outcome is not None
    assert f"cannot read password_file {missing}" in outcome.message
