"""Mailbox intake: invoices attached to e-mail, taken from an IMAP folder on an interval.

A poll logs in, takes the messages not yet taken, hands each invoice attachment to
:class:`~nex_automat.pipeline.intake.Intake`, and only then files the message away: a
keyword (:data:`TAKEN_KEYWORD`, plus ``\\Seen``) and a move to the processed folder, or to
the rejected folder when the sender is not allowed or nothing in it is an invoice.

"Never twice" does not rest on the server. Flags and moves can be lost (the connection
drops between receiving and filing, a mail client clears flags, moving is disabled), so
before an attachment is received the database is asked whether this tenant already has a
document with the same message id and the same bytes; if so it is not received again.
Filing happens after receiving, so a crash in between means the message is looked at once
more, never that an attachment is lost.

A server that is down costs nothing but time: :meth:`MailboxPoller.run` retries with
exponential backoff (capped), logs each failure with the mailbox's name, and never lets
an error end its thread. :attr:`MailboxPoller.last_poll_ok_at` and
:attr:`MailboxPoller.last_error` (with :attr:`~MailboxPoller.poll_errors`, the count of failed
polls) tell readiness checks and metrics how the mailbox fares.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from imap_tools import (
    BaseMailBox,
    ImapToolsError,
    MailBox,
    MailboxFlagError,
    MailboxFolderSelectError,
    MailboxLoginError,
    MailBoxStartTls,
    MailBoxUnencrypted,
    MailMessage,
)
from imap_tools.utils import check_command_status

from nex_automat.errors import (
    DocumentError,
    MailboxError,
    MailboxLoginFailed,
    MailboxUnavailable,
    NexError,
)
from nex_automat.pipeline.mail_parts import MailContent, ZipLimits, read_mail, sender_allowed
from nex_automat.store.documents import Arrival, find_documents_by_message_id
from nex_automat.store.files import sha256_hex
from nex_automat.store.models import DocumentSource
from nex_automat.store.tenants import accepts_work

if TYPE_CHECKING:
    from nex_automat.ops.config import MailboxSettings
    from nex_automat.pipeline.intake import Intake
    from nex_automat.store.db import Database

logger = logging.getLogger(__name__)

TAKEN_KEYWORD = "NexAutomatTaken"
"""IMAP keyword set on every message this intake has dealt with."""
SEEN = "\\Seen"
CONNECT_TIMEOUT_SECONDS = 30.0
MESSAGES_PER_POLL = 50
"""A large backlog is taken over several polls, so one poll never runs for too long."""
RETRY_FIRST_SECONDS = 5.0
RETRY_MAX_SECONDS = 300.0

_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (OSError, imaplib.IMAP4.abort)
"""What an unreachable server or a dropped connection raises (``ssl.SSLError`` and timeouts
are ``OSError``)."""
_SERVER_ERRORS: tuple[type[BaseException], ...] = (imaplib.IMAP4.error, ImapToolsError)
"""What a server that answers but refuses a command raises."""


class Verdict(StrEnum):
    PROCESSED = "processed"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class PollReport:
    messages: int = 0
    documents: int = 0
    """Attachments handed to intake in this poll."""
    already_received: int = 0
    """Attachments skipped because this message's copy was received before."""
    rejected: int = 0


@dataclass(slots=True)
class _Tally:
    messages: int = 0
    documents: int = 0
    already_received: int = 0
    rejected: int = 0

    def report(self) -> PollReport:
        return PollReport(self.messages, self.documents, self.already_received, self.rejected)


class _RawMailMessage(MailMessage):
    """imap-tools' message, keeping the exact bytes the server sent for our own parser."""

    def __init__(self, fetch_data: list[object]) -> None:
        super().__init__(fetch_data)
        self.raw: bytes = self._get_message_data_parts(fetch_data)[0]


def _ssl_box(settings: MailboxSettings) -> BaseMailBox:
    return MailBox(
        settings.host,
        settings.port,
        timeout=CONNECT_TIMEOUT_SECONDS,
        ssl_context=ssl.create_default_context(),
    )


def _starttls_box(settings: MailboxSettings) -> BaseMailBox:
    return MailBoxStartTls(
        settings.host,
        settings.port,
        timeout=CONNECT_TIMEOUT_SECONDS,
        ssl_context=ssl.create_default_context(),
    )


def _plain_box(settings: MailboxSettings) -> BaseMailBox:
    return MailBoxUnencrypted(settings.host, settings.port, timeout=CONNECT_TIMEOUT_SECONDS)


CONNECTORS: dict[str, Callable[[MailboxSettings], BaseMailBox]] = {
    "ssl": _ssl_box,
    "starttls": _starttls_box,
    "plain": _plain_box,
}
"""How each ``security`` setting connects; certificates are always verified."""


def retry_delay(failures: int, first: float, maximum: float) -> float:
    """Seconds to wait after ``failures`` failed polls in a row: doubling, capped."""
    if failures <= 0:
        return 0.0
    return min(maximum, first * 2 ** min(failures - 1, 32))


class MailboxPoller:
    """Takes invoices from one configured mailbox into one tenant."""

    def __init__(
        self,
        settings: MailboxSettings,
        intake: Intake,
        db: Database,
        *,
        zip_limits: ZipLimits | None = None,
        messages_per_poll: int = MESSAGES_PER_POLL,
        retry_first_seconds: float = RETRY_FIRST_SECONDS,
        retry_max_seconds: float = RETRY_MAX_SECONDS,
    ) -> None:
        self.settings = settings
        self.intake = intake
        self.db = db
        self.zip_limits = zip_limits or ZipLimits()
        self.messages_per_poll = messages_per_poll
        self.retry_first_seconds = retry_first_seconds
        self.retry_max_seconds = retry_max_seconds
        self.last_poll_ok_at: datetime | None = None
        self.last_error: str | None = None
        """The last failed poll's error (``code: message``); cleared by a good poll."""
        self.last_error_at: datetime | None = None
        self.consecutive_failures = 0
        self.poll_errors = 0
        """Failed polls since the poller was made, for metrics."""
        self.created_at = datetime.now(UTC)
        """Before its first good poll, a mailbox's silence is measured from here."""

    @property
    def name(self) -> str:
        return self.settings.name

    # ------------------------------------------------------------------------- the loop

    def run(self, stop_event: threading.Event) -> None:
        """Poll until ``stop_event`` is set; meant to be a thread's target."""
        logger.info(
            "mailbox %s: watching %s on %s", self.name, self.settings.folder, self.settings.host
        )
        while not stop_event.is_set():
            try:
                report = self.poll_once()
            except NexError:
                delay = self.next_delay()
                logger.warning(
                    "mailbox %s: poll failed (%s); retrying in %.1f s",
                    self.name,
                    self.last_error,
                    delay,
                )
            except Exception:
                delay = self.next_delay()
                logger.exception("mailbox %s: poll failed; retrying in %.1f s", self.name, delay)
            else:
                delay = self.settings.poll_seconds
                if report.messages:
                    logger.info(
                        "mailbox %s: %d message(s), %d document(s) received, %d rejected",
                        self.name,
                        report.messages,
                        report.documents,
                        report.rejected,
                    )
            stop_event.wait(delay)

    def next_delay(self) -> float:
        """Seconds until the next poll given the failures so far."""
        if self.consecutive_failures == 0:
            return self.settings.poll_seconds
        return retry_delay(
            self.consecutive_failures, self.retry_first_seconds, self.retry_max_seconds
        )

    def poll_once(self) -> PollReport:
        """One poll; raises :class:`MailboxError` (recorded in :attr:`last_error`) when the
        server cannot be used, and whatever intake raises besides refusing a document.

        A disabled tenant's mailbox is not opened at all: the poll reports nothing."""
        if not accepts_work(self.db, self.settings.tenant):
            return PollReport()
        tally = _Tally()
        try:
            self._poll(tally)
        except (*_CONNECTION_ERRORS, *_SERVER_ERRORS) as error:
            raise self._failed(_mailbox_error(self.name, error)) from error
        except NexError as error:
            self._failed(error)
            raise
        except Exception as error:
            self._failed(MailboxError(f"mailbox {self.name}: {_describe(error)}"))
            raise
        self.last_poll_ok_at = datetime.now(UTC)
        self.last_error = None
        self.consecutive_failures = 0
        return tally.report()

    def _failed(self, error: NexError) -> NexError:
        self.last_error = f"{error.code}: {error.message}"
        self.last_error_at = datetime.now(UTC)
        self.consecutive_failures += 1
        self.poll_errors += 1
        return error

    # ------------------------------------------------------------------------- one poll

    def _poll(self, tally: _Tally) -> None:
        mailbox = CONNECTORS[self.settings.security](self.settings)
        try:
            mailbox.email_message_class = _RawMailMessage
            mailbox.login(self.settings.user, self.settings.secret(), initial_folder=None)
            mailbox.folder.set(self.settings.folder)
            criteria = self._untaken_criteria(mailbox)
            messages = mailbox.fetch(
                criteria, charset=None, mark_seen=False, limit=self.messages_per_poll
            )
            for message in messages:
                assert isinstance(message, _RawMailMessage)
                tally.messages += 1
                verdict = self._take(message.raw, tally)
                self._file(mailbox, message.uid, verdict)
        finally:
            _logout_quietly(mailbox)

    def _untaken_criteria(self, mailbox: BaseMailBox) -> str:
        """Unkeyworded messages where the server keeps keywords, else unseen ones."""
        permanent = mailbox.client.untagged_responses.get("PERMANENTFLAGS", [b""])
        if any(b"\\*" in flags for flags in permanent if isinstance(flags, bytes)):
            return f"UNDELETED UNKEYWORD {TAKEN_KEYWORD}"
        return "UNDELETED UNSEEN"

    def _take(self, raw: bytes, tally: _Tally) -> Verdict:
        content = read_mail(raw, self.zip_limits)
        if not sender_allowed(content.sender, self.settings.allowed_senders):
            logger.info(
                "mailbox %s: rejected %s from %s: sender not allowed",
                self.name,
                content.message_id,
                content.sender,
            )
            tally.rejected += 1
            return Verdict.REJECTED
        for part in content.skipped:
            logger.info(
                "mailbox %s: %s: skipped %r: %s",
                self.name,
                content.message_id,
                part.filename,
                part.reason,
            )
        usable = self._receive_documents(content, tally)
        if usable == 0:
            logger.info(
                "mailbox %s: rejected %s from %s: no usable attachment",
                self.name,
                content.message_id,
                content.sender,
            )
            tally.rejected += 1
            return Verdict.REJECTED
        return Verdict.PROCESSED

    def _receive_documents(self, content: MailContent, tally: _Tally) -> int:
        """Receive each attachment not received before; how many this message has in all."""
        known = self._received_hashes(content.message_id)
        usable = 0
        for part in content.documents:
            sha256 = sha256_hex(part.data)
            if sha256 in known:
                tally.already_received += 1
                usable += 1
                continue
            arrival = Arrival(
                source=DocumentSource.MAILBOX,
                filename=part.filename,
                sender=content.sender,
                subject=content.subject,
                message_id=content.message_id,
                received_at=_aware(content.sent_at),
            )
            try:
                self.intake.receive(self.settings.tenant, part.data, arrival)
            except DocumentError as error:
                logger.info(
                    "mailbox %s: %s: refused %r: %s",
                    self.name,
                    content.message_id,
                    part.filename,
                    error.code,
                )
                continue
            known.add(sha256)
            tally.documents += 1
            usable += 1
        return usable

    def _received_hashes(self, message_id: str) -> set[str]:
        with self.db.tenant_session(self.settings.tenant) as session:
            return {doc.sha256 for doc in find_documents_by_message_id(session, message_id)}

    def _file(self, mailbox: BaseMailBox, uid: str | None, verdict: Verdict) -> None:
        if uid is None:
            return
        result = mailbox.client.uid("STORE", uid, "+FLAGS", f"({SEEN} {TAKEN_KEYWORD})")
        check_command_status(result, MailboxFlagError)
        target = (
            self.settings.processed_folder
            if verdict is Verdict.PROCESSED
            else self.settings.rejected_folder
        )
        if target and target != self.settings.folder:
            if not mailbox.folder.exists(target):
                mailbox.folder.create(target)
            mailbox.move(uid, target)


def check_mailbox(settings: MailboxSettings) -> None:
    """Log in and open the folder, taking nothing; raises :class:`MailboxError` saying what
    failed (``nex-automat doctor``)."""
    try:
        mailbox = CONNECTORS[settings.security](settings)
        try:
            mailbox.login(settings.user, settings.secret(), initial_folder=None)
            mailbox.folder.set(settings.folder)
        finally:
            _logout_quietly(mailbox)
    except MailboxFolderSelectError as error:
        message = f"mailbox {settings.name}: no folder {settings.folder!r}; correct its folder"
        raise MailboxError(message) from error
    except (*_CONNECTION_ERRORS, *_SERVER_ERRORS) as error:
        raise _mailbox_error(settings.name, error) from error


def _mailbox_error(name: str, error: BaseException) -> MailboxError:
    """What a connection or server error means for the mailbox ``name``."""
    if isinstance(error, MailboxLoginError):
        return MailboxLoginFailed(f"mailbox {name}: login refused: {error}")
    if isinstance(error, _CONNECTION_ERRORS):
        return MailboxUnavailable(f"mailbox {name}: {_describe(error)}")
    return MailboxError(f"mailbox {name}: the server refused: {_describe(error)}")


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _logout_quietly(mailbox: BaseMailBox) -> None:
    """Leave politely when the connection still works; a dead one needs only closing."""
    try:
        mailbox.logout()
    except (*_CONNECTION_ERRORS, *_SERVER_ERRORS, ValueError):
        try:
            mailbox.client.shutdown()
        except (OSError, imaplib.IMAP4.error):
            return
