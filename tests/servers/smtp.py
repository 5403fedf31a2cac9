"""A real SMTP server (aiosmtpd) for tests, private to one test and gone when it ends.

It listens on loopback on a free port, in one of three ways: ``plain``, ``starttls``
(plain, offering STARTTLS) or ``tls`` (TLS from the first byte), the last two with a
self-signed certificate for ``127.0.0.1``. With a user, it offers AUTH (after TLS only)
and takes that one user with a random password. Every message it accepts is kept,
parsed, in :attr:`SmtpServer.messages`. :meth:`SmtpServer.stop` and
:meth:`SmtpServer.start` take it away and bring it back on the same port, for tests of an
unreachable server.
"""

from __future__ import annotations

import email
import email.policy
import secrets
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from nex_automat.ops.config import SmtpSettings
from tests.servers.dovecot import free_port, self_signed_certificate

Security = Literal["plain", "starttls", "tls"]
WAIT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Delivery:
    """One accepted message: the envelope's addresses and the parsed message."""

    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        """The ``text/<subtype>`` part's text (``plain`` or ``html``), with ``\n`` line ends."""
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None and body.get_content_subtype() == subtype, subtype
        return str(body.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


class _Sink:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        delivery = Delivery(
            sender=str(envelope.mail_from), recipients=tuple(envelope.rcpt_tos), message=message
        )
        with self.arrived:
            self.deliveries.append(delivery)
            self.arrived.notify_all()
        return "250 Message accepted"


@dataclass
class SmtpServer:
    """One private server; :meth:`settings` gives the matching ``notifications.smtp``."""

    root: Path
    host: str
    port: int
    security: Security
    user: str | None = None
    password: str | None = None
    logins: list[str] = field(default_factory=list)
    """Usernames that logged in successfully, in order."""
    _sink: _Sink = field(default_factory=_Sink, repr=False)
    _controller: Controller | None = field(default=None, repr=False)

    @property
    def cert_file(self) -> Path:
        return self.root / "cert.pem"

    @property
    def messages(self) -> list[Delivery]:
        with self._sink.arrived:
            return list(self._sink.deliveries)

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is not None:
            return
        options: dict[str, Any] = {}
        if self.security == "starttls":
            options["tls_context"] = self._tls_context()
        if self.user is not None:
            options["authenticator"] = self._authenticate
            # aiosmtpd knows only STARTTLS as TLS; a "tls" server is encrypted from the start
            options["auth_require_tls"] = self.security == "starttls"
        controller = Controller(
            self._sink,
            hostname=self.host,
            port=self.port,
            ssl_context=self._tls_context() if self.security == "tls" else None,
            server_hostname="nex-test-smtp",
            ready_timeout=WAIT_SECONDS,
            **options,
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        """Take the server away: connections are refused until :meth:`start`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = WAIT_SECONDS) -> list[Delivery]:
        """The messages once at least ``count`` have arrived; fails the test otherwise."""
        deadline = time.monotonic() + timeout
        with self._sink.arrived:
            while len(self._sink.deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"{len(self._sink.deliveries)} of {count} messages arrived")
                self._sink.arrived.wait(left)
            return list(self._sink.deliveries)

    def settings(self, **overrides: Any) -> SmtpSettings:
        """Settings that reach this server, trusting its certificate."""
        values: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "security": self.security,
            "sender": "NEX Automat <nex@test.example.sk>",
            "timeout_seconds": 5,
        }
        if self.security != "plain":
            values["ca_file"] = self.cert_file
        if self.user is not None:
            values["user"] = self.user
            values["password"] = self.password
        return SmtpSettings(**(values | overrides))

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.root / "key.pem")
        return context

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = data.login.decode(), data.password.decode()
        ok = user == self.user and secrets.compare_digest(password, self.password or "")
        if ok:
            self.logins.append(user)
        return AuthResult(success=ok, handled=False)


@contextmanager
def running_smtp(
    root: Path, security: Security = "plain", *, user: str | None = None
) -> Iterator[SmtpServer]:
    """Start a private SMTP server in ``root`` (created if missing) and stop it on exit."""
    root.mkdir(parents=True, exist_ok=True)
    if security != "plain":
        self_signed_certificate(root)
    server = SmtpServer(
        root=root,
        host="127.0.0.1",
        port=free_port(),
        security=security,
        user=user,
        password=secrets.token_urlsafe(16) if user is not None else None,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[SmtpServer]:
    """A running private SMTP server without encryption or login; see :func:`running_smtp`."""
    with running_smtp(tmp_path / "smtp") as server:
        yield server
