"""``config check``: beyond loading, what the settings point to is there and usable; every
problem names its key and the fix."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nex_automat.ops.config_check import check_configuration
from nex_automat.store.db import Database
from nex_automat.store.tenants import create_tenant, set_tenant_disabled

pytestmark = pytest.mark.usefixtures("no_nex_variables")


def installation(tmp_path: Path, config: str = "") -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "config.yaml").write_text(config, encoding="utf-8")
    return data_dir


def mailbox(password_file: Path) -> str:
    return (
        "mailboxes:\n  - name: faktury\n    host: imap.example.sk\n"
        f"    user: f@example.sk\n    password_file: {password_file}\n"
    )


def test_a_plain_installation_is_valid(tmp_path: Path) -> None:
    report = check_configuration(installation(tmp_path))
    assert report.ok
    assert report.problems == []
    assert report.config_file == tmp_path / "data" / "config.yaml"


def test_a_setting_that_does_not_load_is_reported_with_its_key(tmp_path: Path) -> None:
    report = check_configuration(installation(tmp_path, "port: 70000\nworkrs: 2\n"))
    assert report.settings is None
    assert not report.ok
    assert [p.split(":")[0] for p in report.problems] == ["port", "workrs"]
    assert "NEX_PORT" in report.problems[0]
    assert "spelling" in report.problems[1]


def test_a_missing_data_folder_says_to_run_init(tmp_path: Path) -> None:
    report = check_configuration(tmp_path / "nowhere")
    assert report.problems == [
        f"data_dir: {tmp_path / 'nowhere'} does not exist; run `nex-automat init` "
        "or point --data-dir (NEX_DATA_DIR) at the installation"
    ]


def test_secret_files_must_be_readable_and_not_empty(tmp_path: Path) -> None:
    missing = tmp_path / "imap-password"
    report = check_configuration(installation(tmp_path, mailbox(missing)))
    [problem] = report.problems
    assert problem.startswith(f"mailboxes.0.password_file: cannot read {missing}: ")
    assert "the service's user may read it" in problem

    missing.write_text("\n")
    [problem] = check_configuration(tmp_path / "data").problems
    assert problem == f"mailboxes.0.password_file: {missing} is empty; write the secret into it"

    missing.write_text("imap-secret\n")
    assert check_configuration(tmp_path / "data").ok


def test_a_malformed_backup_key_file_says_how_to_make_one(tmp_path: Path) -> None:
    key_file = tmp_path / "backup.key"
    key_file.write_text("not a key\n")
    [problem] = check_configuration(
        installation(tmp_path, f"backup:\n  key_file: {key_file}\n")
    ).problems
    assert problem.startswith("backup.key_file: ")
    assert "nex-automat backup keygen" in problem


def test_folders_templates_and_the_database_url_are_checked(tmp_path: Path) -> None:
    config = (
        "database_url: mysql://nex@db/nex\n"
        f"templates_dir: {tmp_path / 'templates'}\n"
        f"folders:\n  - path: {tmp_path / 'inbox'}\n"
    )
    problems = check_configuration(installation(tmp_path, config)).problems
    assert problems == [
        "database_url: mysql is not supported; use PostgreSQL or SQLite",
        f"templates_dir: {tmp_path / 'templates'} is not a folder; create it or correct the path",
        f"folders.0.path: {tmp_path / 'inbox'} is not a folder; create it or correct the path",
    ]


def test_a_broken_supplier_template_is_named(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "dodavatel.yaml").write_text("issuer: [unclosed\n")
    [problem] = check_configuration(
        installation(tmp_path, f"templates_dir: {templates}\n")
    ).problems
    assert problem.startswith("templates_dir: ")
    assert "dodavatel.yaml" in problem


def test_a_log_file_where_nothing_can_be_written_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the log folder should be")
    report = check_configuration(
        installation(tmp_path, f"logging:\n  file: {blocker / 'nex' / 'nex.log'}\n")
    )
    [problem] = report.problems
    assert problem.startswith(f"logging.file: {blocker / 'nex'} cannot be created or written")


def test_a_broken_template_of_a_tenant_is_named_with_its_tenant(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "acme").mkdir(parents=True)
    (templates / "globex").mkdir()
    (templates / "acme" / "dodavatel.yaml").write_text("issuer: [unclosed\n")
    (templates / "globex" / "dodavatel.yaml").write_text(
        "name: Dodavatel\nmatch:\n  ids: ['12345678']\n"
    )
    [problem] = check_configuration(
        installation(tmp_path, f"templates_dir: {templates}\n")
    ).problems
    assert problem.startswith("templates_dir: tenant acme: ")
    assert str(templates / "acme" / "dodavatel.yaml") in problem


TENANT_CONFIG = """\
default_tenant: acme
tenants:
  acme: {language: cs}
  initech: {language: en}
folders:
  - path: PATH
    tenant: globex
  - path: PATH
    tenant: initech
"""


def _tenant_config(tmp_path: Path, database: Database) -> str:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    url = database.engine.url.render_as_string(hide_password=False)
    return f"database_url: {url}\n" + TENANT_CONFIG.replace("PATH", str(inbox))


def test_tenants_named_but_missing_in_the_database_are_reported_disabled_ones_are_not(
    tmp_path: Path, database: Database
) -> None:
    with database.session() as session:
        create_tenant(session, "acme", "Acme s.r.o.")
        create_tenant(session, "globex", "Globex a.s.")
        set_tenant_disabled(session, "globex", True)
    problems = check_configuration(
        installation(tmp_path, _tenant_config(tmp_path, database))
    ).problems
    assert problems == [
        "tenants.initech, folders.1.tenant: no tenant 'initech' in the database; "
        "create it with `nex-automat tenant create initech --name NAME` or correct the id",
    ]

    with database.session() as session:
        create_tenant(session, "initech", "Initech s.r.o.")
    assert check_configuration(tmp_path / "data").ok


def test_tenants_are_not_checked_before_the_database_exists(tmp_path: Path) -> None:
    data_dir = installation(tmp_path, "default_tenant: acme\ntenants:\n  initech: {}\n")
    assert check_configuration(data_dir).ok
    assert not (data_dir / "nex-automat.db").exists(), "checking creates no database"


def test_a_database_that_cannot_be_read_does_not_fail_the_check(tmp_path: Path) -> None:
    unmigrated = tmp_path / "empty.db"
    sqlite3.connect(unmigrated).close()
    data_dir = installation(tmp_path, f"database_url: sqlite:///{unmigrated}\n")
    assert check_configuration(data_dir).ok
    (tmp_path / "unreachable").mkdir()
    silent = installation(
        tmp_path / "unreachable",
        "database_url: postgresql+psycopg://nobody@127.0.0.1:1/nex\ndefault_tenant: acme\n",
    )
    assert check_configuration(silent).ok
