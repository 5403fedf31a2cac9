"""``doctor``: each check against the real thing (database, disk, Tesseract, an SMTP server,
Dovecot mailboxes, the backup record), pass / warn / fail with what to do."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text, update

from nex_automat.ops.backup.status import record_failure, record_success
from nex_automat.ops.config import load_settings
from nex_automat.ops.doctor import (
    Finding,
    Verdict,
    any_failed,
    backup_check,
    examine,
    migration_check,
    tesseract_check,
    workers_check,
)
from nex_automat.ops.setup import initialise
from nex_automat.pipeline.workers import install_schema
from nex_automat.store.db import Database, open_database
from nex_automat.store.files import sha256_hex
from nex_automat.store.models import ApiKey
from nex_automat.store.sqltypes import utcnow
from tests.databases import create_postgres_database, drop_postgres_database
from tests.servers.dovecot import DovecotServer, running_dovecot
from tests.servers.smtp import running_smtp

pytestmark = pytest.mark.usefixtures("no_nex_variables")

NOW = datetime.now(UTC)


def installed(data_dir: Path, config: str = "") -> Path:
    """A data folder with ``config`` after ``nex-automat init``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text(config, encoding="utf-8")
    initialise(load_settings(data_dir))
    return data_dir


def verdicts(findings: list[Finding]) -> dict[str, Verdict]:
    return {finding.check: finding.verdict for finding in findings}


def detail(findings: list[Finding], check: str) -> str:
    [found] = [finding.detail for finding in findings if finding.check == check]
    return found


def secret_file(folder: Path, name: str, secret: str) -> Path:
    path = folder / name
    path.write_text(secret + "\n")
    return path


def test_a_new_installation_passes_with_warnings_for_what_is_not_set_up(
    tmp_path: Path, database: Database
) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    findings = list(examine(installed(tmp_path / "data", f"database_url: {url}\n")))
    assert verdicts(findings) == {
        "configuration": Verdict.PASS,
        "database": Verdict.PASS,
        "migrations": Verdict.PASS,
        "API key": Verdict.PASS,
        "workers": Verdict.PASS,
        "storage": Verdict.PASS,
        "free disk": Verdict.PASS,
        "Tesseract": Verdict.PASS,
        "SMTP": Verdict.WARN,
        "mailboxes": Verdict.PASS,
        "backup": Verdict.WARN,
    }
    assert not any_failed(findings)
    assert "slk, ces, eng" in detail(findings, "Tesseract")
    assert "E-mail setup" in detail(findings, "SMTP")
    assert database.dialect in detail(findings, "database")
    assert "the service processes documents with" in detail(findings, "workers")


def test_a_configuration_that_does_not_load_stops_the_checks(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "config.yaml").write_text("port: many\n")
    [finding] = list(examine(data_dir))
    assert (finding.check, finding.verdict) == ("configuration", Verdict.FAIL)
    assert finding.detail.startswith("port: ")


def test_an_unreachable_database_fails_and_skips_what_needs_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "config.yaml").write_text(
        "database_url: postgresql+psycopg://nex:pw-77@127.0.0.1:9/nex?connect_timeout=2\n"
    )
    findings = list(examine(data_dir))
    assert verdicts(findings)["database"] is Verdict.FAIL
    assert "does not answer" in detail(findings, "database")
    assert "pw-77" not in detail(findings, "database")
    assert "migrations" not in verdicts(findings)
    assert "API key" not in verdicts(findings)
    assert any_failed(findings)


def test_the_migration_level_is_compared_with_this_version(database: Database) -> None:
    head = database.head_revision()
    assert migration_check(database).verdict is Verdict.PASS
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    behind = migration_check(database)
    assert behind.verdict is Verdict.WARN
    assert f"behind {head}" in behind.detail
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    ahead = migration_check(database)
    assert ahead.verdict is Verdict.FAIL
    assert "a newer NEX Automat upgraded it" in ahead.detail
    with database.engine.begin() as connection:
        connection.execute(text(f"UPDATE alembic_version SET version_num = '{head}'"))


def test_without_a_live_api_key_the_api_is_unusable(tmp_path: Path) -> None:
    data_dir = installed(tmp_path / "data")
    db = open_database(load_settings(data_dir).effective_database_url())
    with db.session() as session:
        session.execute(update(ApiKey).values(revoked_at=utcnow()))
    db.dispose()
    findings = list(examine(data_dir))
    assert verdicts(findings)["API key"] is Verdict.WARN
    assert "apikey create" in detail(findings, "API key")


def test_worker_processes_are_looked_for_when_processing_is_left_to_them(
    tmp_path: Path,
) -> None:
    url = create_postgres_database()
    database = open_database(url)
    settings = load_settings(tmp_path / "data", database_url=url, external_workers=True)
    try:
        database.upgrade()
        install_schema(database)
        none_alive = workers_check(database, settings)
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO procrastinate_workers DEFAULT VALUES"))
        one_alive = workers_check(database, settings)
    finally:
        database.dispose()
        drop_postgres_database(url)

    assert none_alive.verdict is Verdict.WARN
    assert "nex-automat worker --concurrency" in none_alive.detail
    assert (one_alive.verdict, one_alive.detail) == (Verdict.PASS, "1 worker process(es) alive")


def test_files_of_the_layout_before_tenant_folders_are_pointed_out(tmp_path: Path) -> None:
    data_dir = installed(tmp_path / "data")
    content = b"%PDF-1.7 kept by an earlier version"
    sha256 = sha256_hex(content)
    shared = load_settings(data_dir).documents_dir / sha256[:2] / sha256[2:4] / sha256
    shared.parent.mkdir(parents=True)
    shared.write_bytes(content)

    findings = list(examine(data_dir))

    assert verdicts(findings)["storage"] is Verdict.WARN
    assert "`nex-automat db upgrade`" in detail(findings, "storage")
    shared.unlink()
    assert verdicts(list(examine(data_dir)))["storage"] is Verdict.PASS


def test_tesseract_missing_or_without_a_language_fails(tmp_path: Path) -> None:
    missing = tesseract_check(str(tmp_path / "no-tesseract"))
    assert missing.verdict is Verdict.FAIL
    assert "tesseract-ocr-slk" in missing.detail

    partial = tmp_path / "tesseract"
    partial.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--version" ]; then echo "tesseract 5.3.0"; exit 0; fi\n'
        "echo 'List of available languages in \"/usr/share/tessdata/\" (2):'\n"
        "echo eng\necho osd\n"
    )
    partial.chmod(partial.stat().st_mode | stat.S_IXUSR)
    without = tesseract_check(str(partial))
    assert without.verdict is Verdict.FAIL
    assert "languages missing: slk, ces" in without.detail


def test_every_mailbox_is_logged_into_and_its_folder_opened(tmp_path: Path) -> None:
    with running_dovecot(tmp_path / "dovecot") as server:
        good = secret_file(tmp_path, "good", server.password)
        bad = secret_file(tmp_path, "bad", "not-the-password")
        config = "mailboxes:\n" + "".join(
            mailbox(server, name, password_file, folder)
            for name, password_file, folder in (
                ("faktury", good, "INBOX"),
                ("stara", bad, "INBOX"),
                ("archiv", good, "Archiv2019"),
            )
        )
        findings = list(examine(installed(tmp_path / "data", config)))
    assert verdicts(findings)["mailbox faktury"] is Verdict.PASS
    assert "folder INBOX open" in detail(findings, "mailbox faktury")
    assert verdicts(findings)["mailbox stara"] is Verdict.FAIL
    assert "login refused" in detail(findings, "mailbox stara")
    assert "not-the-password" not in detail(findings, "mailbox stara")
    assert verdicts(findings)["mailbox archiv"] is Verdict.FAIL
    assert "no folder 'Archiv2019'" in detail(findings, "mailbox archiv")


def mailbox(server: DovecotServer, name: str, password_file: Path, folder: str) -> str:
    return (
        f"  - name: {name}\n    host: {server.host}\n    port: {server.port}\n"
        f"    security: plain\n    user: {server.user}\n"
        f"    password_file: {password_file}\n    folder: {folder}\n"
    )


def test_a_stopped_mail_server_fails_its_mailbox(tmp_path: Path) -> None:
    with running_dovecot(tmp_path / "dovecot") as server:
        good = secret_file(tmp_path, "good", server.password)
        data_dir = installed(
            tmp_path / "data", "mailboxes:\n" + mailbox(server, "f", good, "INBOX")
        )
        server.stop()
        findings = list(examine(data_dir))
    assert verdicts(findings)["mailbox f"] is Verdict.FAIL
    assert "ConnectionRefusedError" in detail(findings, "mailbox f")


def smtp_config(server_settings: dict[str, object], password_file: Path) -> str:
    return (
        "notifications:\n  smtp:\n"
        f"    host: {server_settings['host']}\n    port: {server_settings['port']}\n"
        f"    security: starttls\n    user: {server_settings['user']}\n"
        f"    password_file: {password_file}\n    ca_file: {server_settings['ca_file']}\n"
        "    sender: nex@test.example.sk\n    timeout_seconds: 5\n"
        "  recipients: [spravca@integrator.sk]\n  base_url: https://faktury.example.sk\n"
    )


def test_the_smtp_login_is_tried_without_sending_anything(tmp_path: Path) -> None:
    with running_smtp(tmp_path / "smtp", "starttls", user="nex") as server:
        values = server.settings().model_dump()
        good = secret_file(tmp_path, "smtp-good", server.password or "")
        findings = list(examine(installed(tmp_path / "good", smtp_config(values, good))))
        assert verdicts(findings)["SMTP"] is Verdict.PASS
        assert "logged in as nex" in detail(findings, "SMTP")
        assert server.logins == ["nex"]

        bad = secret_file(tmp_path, "smtp-bad", "wrong-smtp-password")
        findings = list(examine(installed(tmp_path / "bad", smtp_config(values, bad))))
        assert verdicts(findings)["SMTP"] is Verdict.FAIL
        assert "refused the login" in detail(findings, "SMTP")
        assert "wrong-smtp-password" not in detail(findings, "SMTP")
        assert server.messages == []


@pytest.mark.parametrize(
    ("successes", "failure", "installed_days", "expected", "words"),
    [
        ([], None, 0, Verdict.WARN, "no backup yet"),
        ([], None, 3, Verdict.FAIL, "no backup has been made yet"),
        ([5], None, 3, Verdict.PASS, "last good backup 5.0 h ago"),
        ([30], None, 3, Verdict.FAIL, "health.backup_stale_hours"),
        ([5], 1, 3, Verdict.FAIL, "the last backup failed: disk full"),
    ],
)
def test_the_backup_must_be_recent_and_the_last_run_good(
    tmp_path: Path,
    *,
    successes: list[int],
    failure: int | None,
    installed_days: int,
    expected: Verdict,
    words: str,
) -> None:
    settings = load_settings(installed(tmp_path / "data"))
    for hours in successes:
        record_success(settings, "set", NOW - timedelta(hours=hours), 10 * 1024 * 1024)
    if failure is not None:
        record_failure(settings, NOW - timedelta(hours=failure), "disk full")
    finding = backup_check(settings, NOW, NOW - timedelta(days=installed_days))
    assert finding.verdict is expected
    assert words in finding.detail
