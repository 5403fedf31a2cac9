"""``nex-automat doctor``: everything an installation needs, checked before it is needed.

Each check ends *pass*, *warn* (works, but look at it) or *fail* (something will not
work), with a sentence saying what was found or what to do. The checks talk to the real
things: the database, the file system, Tesseract, the SMTP server and every mailbox.
They never change anything: no migration, no mail sent, no message taken.

A configuration that does not load stops the run after the first row: nothing else can
be checked without it. A database that does not answer skips the checks that need it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import select

from nex_automat.errors import NexError
from nex_automat.extract.ocr import LANGUAGES
from nex_automat.ops.backup import backup_status
from nex_automat.ops.config import MailboxSettings, Settings, SmtpSettings
from nex_automat.ops.config_check import check_configuration
from nex_automat.ops.mail import Postman
from nex_automat.ops.readiness import (
    MEGABYTE,
    as_aware,
    backup_problem,
    database_problem,
    free_bytes,
    installation_started,
    writable_problem,
)
from nex_automat.ops.secrets import mask_url
from nex_automat.pipeline.mailbox import check_mailbox
from nex_automat.store.db import Database, alembic_config, open_database
from nex_automat.store.jobs import live_worker_processes
from nex_automat.store.models import ApiKey, Tenant
from nex_automat.store.tenant_folders import has_shared_files

TESSERACT = "tesseract"
TESSERACT_TIMEOUT_SECONDS = 20.0
REQUIRED_LANGUAGES = tuple(LANGUAGES.split("+"))
DISK_WARNING_FACTOR = 2
"""Free space under this many times ``health.min_free_disk_mb`` is worth a warning."""


class Verdict(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    verdict: Verdict
    detail: str


def passed(check: str, detail: str) -> Finding:
    return Finding(check, Verdict.PASS, detail)


def warned(check: str, detail: str) -> Finding:
    return Finding(check, Verdict.WARN, detail)


def failed(check: str, detail: str) -> Finding:
    return Finding(check, Verdict.FAIL, detail)


def any_failed(findings: list[Finding]) -> bool:
    return any(finding.verdict is Verdict.FAIL for finding in findings)


def examine(data_dir: Path | None = None, *, now: datetime | None = None) -> Iterator[Finding]:
    """Every check, in order, each as soon as it is done (so a caller can show progress)."""
    report = check_configuration(data_dir)
    if report.settings is None or report.problems:
        yield failed("configuration", "; ".join(report.problems))
        if report.settings is None:
            return
    else:
        yield passed("configuration", f"{report.config_file} is valid")
    settings = report.settings
    now = now or datetime.now(UTC)
    db = open_database(settings.effective_database_url())
    try:
        yield from _database_checks(db, settings)
        installed_at = _installed_at(db)
    finally:
        db.dispose()
    yield _storage(settings)
    yield _disk(settings)
    yield tesseract_check()
    yield smtp_check(settings.notifications.smtp if settings.notifications else None)
    yield from mailbox_checks(settings.mailboxes)
    yield backup_check(settings, now, installed_at)


# ------------------------------------------------------------------------------ database


def _database_checks(db: Database, settings: Settings) -> Iterator[Finding]:
    where = mask_url(settings.effective_database_url())
    problem = database_problem(db)
    if problem is not None:
        yield failed("database", f"{where} does not answer: {problem}")
        return
    yield passed("database", f"{db.dialect} at {where} answers")
    yield migration_check(db)
    yield _api_keys(db)
    yield workers_check(db, settings)


def workers_check(db: Database, settings: Settings) -> Finding:
    """Who processes the documents: the service's own threads, or worker processes."""
    if not settings.external_workers:
        return passed(
            "workers", f"the service processes documents with {settings.workers} thread(s)"
        )
    alive = live_worker_processes(db, settings.worker_stalled_after)
    if alive == 0:
        return warned(
            "workers",
            "external_workers is set but no `nex-automat worker` process runs: documents "
            "wait in the queue; start `nex-automat worker --concurrency N`",
        )
    return passed("workers", f"{alive} worker process(es) alive")


def migration_check(db: Database) -> Finding:
    """The schema at the newest revision this version knows; behind is fixed on start."""
    scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_current_head()
    current = db.current_revision()
    if current == head:
        return passed("migrations", f"schema at {head}, the latest")
    if current is None:
        return warned(
            "migrations",
            f"no schema yet; `nex-automat init` or the service's start creates it ({head})",
        )
    try:
        known = scripts.get_revision(current) is not None
    except CommandError:
        known = False
    if not known:
        return failed(
            "migrations",
            f"schema at {current}, which this version does not know (newest here: {head}): "
            "a newer NEX Automat upgraded it; reinstall that version, or restore the "
            "backup taken before the upgrade (docs/recovery.md)",
        )
    return warned(
        "migrations",
        f"schema at {current}, behind {head}; the service upgrades it on start "
        "(after a backup), or run `nex-automat db upgrade`",
    )


def _api_keys(db: Database) -> Finding:
    with db.session() as session:
        live = session.scalars(
            select(ApiKey.id)
            .join(Tenant, Tenant.id == ApiKey.tenant_id)
            .where(ApiKey.revoked_at.is_(None), Tenant.disabled.is_(False))
        ).all()
    if not live:
        return warned(
            "API key",
            "no live API key: the HTTP API refuses every call; create one with "
            "`nex-automat apikey create`",
        )
    return passed("API key", f"{len(live)} live key(s)")


# ---------------------------------------------------------------------------- the disk


def _storage(settings: Settings) -> Finding:
    problem = writable_problem(settings.documents_dir)
    if problem is not None:
        return failed("storage", f"{problem}; give the service's user the right to write there")
    if has_shared_files(settings.documents_dir):
        return warned(
            "storage",
            f"{settings.documents_dir} still holds files of the layout before tenant folders; "
            "`nex-automat db upgrade` (or the next start) moves them",
        )
    return passed("storage", f"{settings.documents_dir} is writable")


def _disk(settings: Settings) -> Finding:
    try:
        free = free_bytes(settings.documents_dir)
    except OSError as error:
        return failed("free disk", f"{settings.documents_dir}: {error.strerror or error}")
    minimum = settings.health.min_free_disk_mb * MEGABYTE
    shown = f"{free / (1024 * MEGABYTE):.1f} GB free where the documents are kept"
    if free < minimum:
        return failed(
            "free disk",
            f"{shown}, under health.min_free_disk_mb ({settings.health.min_free_disk_mb} MB)",
        )
    if free < DISK_WARNING_FACTOR * minimum:
        return warned("free disk", f"{shown}, close to health.min_free_disk_mb")
    return passed("free disk", shown)


# ------------------------------------------------------------------------------ outside


def tesseract_check(command: str = TESSERACT) -> Finding:
    """Tesseract runs and has the Slovak, Czech and English models."""
    install = "apt install tesseract-ocr " + " ".join(
        f"tesseract-ocr-{language}" for language in REQUIRED_LANGUAGES
    )
    executable = shutil.which(command)
    if executable is None:
        return failed("Tesseract", f"not installed: scans cannot be read ({install})")
    try:
        version = _run([executable, "--version"])
        listing = _run([executable, "--list-langs"])
    except (OSError, subprocess.SubprocessError) as error:
        return failed("Tesseract", f"{executable} does not run: {error}")
    languages = installed_languages(listing)
    missing = [language for language in REQUIRED_LANGUAGES if language not in languages]
    first_line = version.splitlines()[0] if version else executable
    if missing:
        return failed(
            "Tesseract", f"{first_line}: languages missing: {', '.join(missing)} ({install})"
        )
    return passed("Tesseract", f"{first_line} with {', '.join(REQUIRED_LANGUAGES)}")


def _run(command: list[str]) -> str:
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=TESSERACT_TIMEOUT_SECONDS, check=True
    )
    return completed.stdout + completed.stderr


def installed_languages(listing: str) -> set[str]:
    """The language codes ``tesseract --list-langs`` prints, one a line after its header."""
    return {
        line.strip()
        for line in listing.splitlines()
        if line.strip() and not line.startswith("List of available languages")
    }


def smtp_check(smtp: SmtpSettings | None) -> Finding:
    """Connect, secure and log in to the SMTP server, sending nothing."""
    if smtp is None:
        return warned(
            "SMTP",
            "no notifications configured: alerts reach no one (docs/operations.md, E-mail setup)",
        )
    server = f"{smtp.host}:{smtp.effective_port}"
    try:
        Postman(smtp).check_login()
    except NexError as error:
        return failed("SMTP", error.message)
    login = f"logged in as {smtp.user}" if smtp.user else "no login needed"
    return passed("SMTP", f"{server} ({smtp.security}) answers, {login}")


def mailbox_checks(mailboxes: list[MailboxSettings]) -> Iterator[Finding]:
    if not mailboxes:
        yield passed("mailboxes", "none configured: documents come by upload or folder")
        return
    for mailbox in mailboxes:
        yield mailbox_check(mailbox)


def mailbox_check(settings: MailboxSettings) -> Finding:
    """Log in to the mailbox and open its folder, taking nothing."""
    check = f"mailbox {settings.name}"
    where = f"{settings.user} at {settings.host}:{settings.port} ({settings.security})"
    try:
        check_mailbox(settings)
    except NexError as error:
        return failed(check, error.message)
    return passed(check, f"{where}: logged in, folder {settings.folder} open")


def _installed_at(db: Database) -> datetime | None:
    try:
        return installation_started(db)
    except Exception:  # the database row already says why
        return None


def backup_check(settings: Settings, now: datetime, installed_at: datetime | None) -> Finding:
    """The last backup good and recent; a new installation's first is only a warning."""
    try:
        status = backup_status(settings)
    except Exception as error:
        return failed("backup", f"cannot read the backup status: {error}")
    problem = backup_problem(status, settings.health, now, installed_at)
    if status.last_success_at is None and not status.failing:
        if problem is None:
            return warned("backup", "no backup yet; run `nex-automat backup create`")
        return failed("backup", problem)
    if problem is not None:
        return failed("backup", problem)
    assert status.last_success_at is not None
    age = (now - as_aware(status.last_success_at)).total_seconds() / 3600
    size = (status.last_success_bytes or 0) / MEGABYTE
    return passed("backup", f"last good backup {age:.1f} h ago ({size:.0f} MB)")
