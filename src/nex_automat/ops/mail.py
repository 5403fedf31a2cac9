"""Sending e-mail through the configured SMTP server: STARTTLS, TLS or plain, login optional.

Mail goes out from the scheduler's thread, never from a worker's or a request's, so a mail
server that is down or slow costs that thread its timeout and nothing else. A batch shares
one connection; when the server cannot be reached, every letter of the batch is reported
undelivered at once (the callers keep what they owe and try again on their next run)
instead of waiting out the timeout once per letter.

Certificates are always verified: against the system's store, plus ``smtp.ca_file`` for a
relay with a CA of its own. Errors say what to change, and never carry the password.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from nex_automat.errors import NexError
from nex_automat.ops.config import SmtpSettings
from nex_automat.ops.secrets import SecretFileUnreadable

logger = logging.getLogger(__name__)


class MailError(NexError):
    """The mail server could not be used, or it refused a letter."""

    code = "smtp_failed"


@dataclass(frozen=True, slots=True)
class Letter:
    """What a mail says: a one-line subject, plain text, and the same as HTML."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class Mail:
    """A letter and who it goes to."""

    recipients: tuple[str, ...]
    letter: Letter


def compose(settings: SmtpSettings, mail: Mail) -> EmailMessage:
    """The message: plain text first, HTML as the alternative mail clients prefer."""
    message = EmailMessage()
    message["Subject"] = " ".join(mail.letter.subject.split())
    message["From"] = settings.sender
    message["To"] = ", ".join(mail.recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(settings.sender)[1].rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.letter.text)
    message.add_alternative(mail.letter.html, subtype="html")
    return message


class Postman:
    """Delivers mail through one SMTP server."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def deliver(self, mails: Sequence[Mail]) -> list[MailError | None]:
        """Send each mail over one connection; ``None`` for each delivered, else why not.

        Never raises: what was not delivered is logged and returned.
        """
        if not mails:
            return []
        outcomes: list[MailError | None] = []
        try:
            with self._connection() as smtp:
                for mail in mails:
                    outcomes.append(self._send(smtp, mail))
        except MailError as error:
            logger.warning("mail not sent: %s", error.message)
            outcomes.extend([error] * (len(mails) - len(outcomes)))
        return outcomes

    def deliver_one(self, mail: Mail) -> None:
        """Send one mail; raises :class:`MailError` saying why it could not go."""
        (outcome,) = self.deliver([mail])
        if outcome is not None:
            raise outcome

    def check_login(self) -> None:
        """Connect, secure and log in as for sending, then leave without sending anything;
        raises :class:`MailError` saying why not (``nex-automat doctor``)."""
        with self._connection():
            return

    def _send(self, smtp: smtplib.SMTP, mail: Mail) -> MailError | None:
        try:
            refused = smtp.send_message(compose(self.settings, mail))
        except smtplib.SMTPRecipientsRefused as error:
            return self._refused(mail, _refusals(error.recipients))
        except smtplib.SMTPResponseException as error:
            return self._refused(mail, f"{error.smtp_code} {_text(error.smtp_error)}")
        except smtplib.SMTPServerDisconnected as error:
            raise MailError(f"{self._server}: the connection was closed: {error}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"{self._server}: {_describe(error)}") from error
        if refused:
            logger.warning("mail %r: some recipients refused: %s", mail.letter.subject, refused)
        return None

    def _refused(self, mail: Mail, why: str) -> MailError:
        error = MailError(f"{self._server} refused the mail to {', '.join(mail.recipients)}: {why}")
        logger.warning("mail %r not sent: %s", mail.letter.subject, error.message)
        return error

    @property
    def _server(self) -> str:
        return f"{self.settings.host}:{self.settings.effective_port}"

    @contextmanager
    def _connection(self) -> Iterator[smtplib.SMTP]:
        smtp = self._connect()
        try:
            self._secure(smtp)
            self._login(smtp)
            yield smtp
        finally:
            _quit_quietly(smtp)

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        try:
            if settings.security == "tls":
                return smtplib.SMTP_SSL(
                    settings.host,
                    settings.effective_port,
                    timeout=settings.timeout_seconds,
                    context=self._tls_context(),
                )
            return smtplib.SMTP(
                settings.host, settings.effective_port, timeout=settings.timeout_seconds
            )
        except ssl.SSLCertVerificationError as error:
            raise MailError(
                f"{self._server}: the server's certificate is not trusted "
                f"({error.verify_message}); give its CA in smtp.ca_file"
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            if _timed_out(error):
                raise MailError(
                    f"{self._server}: no answer within {settings.timeout_seconds:g} s; "
                    "check host, port and the firewall"
                ) from error
            raise MailError(f"cannot connect to {self._server}: {_describe(error)}") from error

    def _secure(self, smtp: smtplib.SMTP) -> None:
        if self.settings.security != "starttls":
            return
        try:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise MailError(
                    f"{self._server} does not offer STARTTLS; set smtp.security to tls "
                    "(usually port 465), or to plain for a relay without encryption"
                )
            smtp.starttls(context=self._tls_context())
            smtp.ehlo()
        except ssl.SSLCertVerificationError as error:
            raise MailError(
                f"{self._server}: the server's certificate is not trusted "
                f"({error.verify_message}); give its CA in smtp.ca_file"
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"{self._server}: STARTTLS failed: {_describe(error)}") from error

    def _login(self, smtp: smtplib.SMTP) -> None:
        user = self.settings.user
        if user is None:
            return
        try:
            password = self.settings.secret()
        except SecretFileUnreadable as error:
            raise MailError(error.message) from error
        assert password is not None
        try:
            smtp.login(user, password)
        except smtplib.SMTPAuthenticationError as error:
            raise MailError(
                f"{self._server} refused the login of {user!r}: "
                f"{error.smtp_code} {_text(error.smtp_error)}; check smtp.user and the password"
            ) from error
        except smtplib.SMTPNotSupportedError as error:
            raise MailError(
                f"{self._server} offers no login; remove smtp.user to send without one"
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"{self._server}: login failed: {_describe(error)}") from error

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.settings.ca_file is not None:
            try:
                context.load_verify_locations(cafile=self.settings.ca_file)
            except (OSError, ssl.SSLError) as error:
                raise MailError(
                    f"smtp.ca_file {self.settings.ca_file}: cannot be read as PEM "
                    f"certificates: {error}"
                ) from error
        return context


def _timed_out(error: BaseException) -> bool:
    """A timeout, also where smtplib reports it as a closed connection."""
    return isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError)


def _refusals(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(
        f"{address}: {code} {_text(reply)}" for address, (code, reply) in recipients.items()
    )


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    """Say goodbye when the connection still works; a dead one needs only closing."""
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
