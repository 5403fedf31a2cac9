"""Settings from ``<data_dir>/config.yaml``, ``NEX_*`` variables and code, in that rising order."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from nex_automat.ops.catalog_sync_settings import CatalogSyncSettings
from nex_automat.ops.config import (
    BackupSettings,
    ConfigError,
    MailboxSettings,
    Settings,
    SmtpSettings,
    load_settings,
)
from nex_automat.ops.export_settings import WebhookExportSettings
from nex_automat.ops.secrets import SecretFileUnreadable
from nex_automat.ops.setup import CONFIG_TEMPLATE


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("NEX_"):
            monkeypatch.delenv(name)


def write_config(data_dir: Path, text: str) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


MAILBOX = """\
mailboxes:
  - name: faktury
    host: imap.example.sk
    user: faktury@example.sk
"""


def test_without_a_config_file_everything_has_its_default(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.data_dir == tmp_path
    assert settings.documents_dir == tmp_path / "documents"
    assert settings.effective_database_url() == f"sqlite:///{tmp_path.resolve()}/nex-automat.db"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.upload_max_bytes == 25 * 1024 * 1024
    assert (settings.max_pages, settings.workers, settings.default_tenant) == (300, 2, "default")
    assert settings.mailboxes == []
    assert settings.folders == []


def test_data_dir_comes_from_nex_data_dir_when_not_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path / "elsewhere", "port: 8100\n")
    monkeypatch.setenv("NEX_DATA_DIR", str(tmp_path / "elsewhere"))
    settings = load_settings()
    assert settings.data_dir == tmp_path / "elsewhere"
    assert settings.port == 8100


def test_data_dir_defaults_to_data_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings().data_dir == Path("data")


def test_values_in_the_config_file_are_used(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        "host: 0.0.0.0\nport: 9000\nupload_max_bytes: 1000\n"
        "database_url: postgresql+psycopg://nex@db/nex\n"
        "folders:\n  - path: /srv/inbox\n    tenant: acme\n",
    )
    settings = load_settings(tmp_path)
    assert (settings.host, settings.port, settings.upload_max_bytes) == ("0.0.0.0", 9000, 1000)
    assert settings.effective_database_url() == "postgresql+psycopg://nex@db/nex"
    assert settings.folders[0].path == Path("/srv/inbox")
    assert settings.folders[0].tenant == "acme"
    assert settings.folders[0].poll_seconds == 5.0


def test_environment_overrides_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, "port: 9000\nworkers: 4\n")
    monkeypatch.setenv("NEX_PORT", "9100")
    settings = load_settings(tmp_path)
    assert settings.port == 9100
    assert settings.workers == 4


def test_values_given_in_code_override_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEX_PORT", "9100")
    assert load_settings(tmp_path, port=9200, host=None).port == 9200


def test_a_mailbox_password_comes_from_the_environment_by_list_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, MAILBOX)
    monkeypatch.setenv("NEX_MAILBOXES__0__PASSWORD", "tajne-heslo")
    (mailbox,) = load_settings(tmp_path).mailboxes
    assert mailbox.host == "imap.example.sk"
    assert mailbox.secret() == "tajne-heslo"
    assert (mailbox.port, mailbox.security, mailbox.folder) == (993, "ssl", "INBOX")
    assert (mailbox.processed_folder, mailbox.rejected_folder) == ("Processed", "Rejected")
    assert mailbox.allowed_senders == []
    assert mailbox.tenant == "default"


def test_a_mailbox_password_can_be_read_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "imap-password"
    secret.write_text("zo-suboru\n")
    write_config(tmp_path, MAILBOX + f"    password_file: {secret}\n")
    (mailbox,) = load_settings(tmp_path).mailboxes
    assert mailbox.secret() == "zo-suboru"


def test_a_mailbox_without_a_password_is_refused_naming_the_variable(tmp_path: Path) -> None:
    write_config(tmp_path, MAILBOX)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert caught.value.code == "invalid_config"
    assert "mailboxes.0" in caught.value.message
    assert "NEX_MAILBOXES__<index>__PASSWORD" in caught.value.message
    assert "password_file" in caught.value.message


def test_external_workers_need_a_postgresql_database(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="external_workers needs a PostgreSQL"):
        load_settings(tmp_path, external_workers=True)
    shared = load_settings(
        tmp_path, external_workers=True, database_url="postgresql+psycopg://db.local/nex"
    )
    assert shared.external_workers


def test_the_password_is_never_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path, MAILBOX)
    monkeypatch.setenv("NEX_MAILBOXES__0__PASSWORD", "tajne-heslo")
    settings = load_settings(tmp_path)
    assert "tajne-heslo" not in repr(settings)
    assert "tajne-heslo" not in str(settings.model_dump())


def test_an_unreadable_password_file_names_the_mailbox(tmp_path: Path) -> None:
    write_config(tmp_path, MAILBOX + f"    password_file: {tmp_path / 'missing'}\n")
    (mailbox,) = load_settings(tmp_path).mailboxes
    with pytest.raises(SecretFileUnreadable, match=r"faktury.*password_file"):
        mailbox.secret()


def test_an_empty_password_file_is_refused_not_sent_as_an_empty_password(
    tmp_path: Path,
) -> None:
    empty = tmp_path / "password"
    empty.write_text("\n")
    write_config(tmp_path, MAILBOX + f"    password_file: {empty}\n")
    (mailbox,) = load_settings(tmp_path).mailboxes
    with pytest.raises(SecretFileUnreadable, match=r"faktury.*is empty"):
        mailbox.secret()


@pytest.mark.parametrize(
    ("model", "fields", "secret", "secret_file"),
    [
        (
            MailboxSettings,
            {"name": "faktury", "host": "imap.example.sk", "user": "f"},
            "password",
            "password_file",
        ),
        (
            SmtpSettings,
            {"host": "smtp.example.sk", "user": "nex", "sender": "nex@example.sk"},
            "password",
            "password_file",
        ),
        (BackupSettings, {}, "key", "key_file"),
        (
            WebhookExportSettings,
            {"kind": "webhook", "url": "https://erp.example.sk/hook"},
            "secret",
            "secret_file",
        ),
        (
            CatalogSyncSettings,
            {"name": "erp", "kinds": {"products": {"url": "https://erp.example.sk/p"}}},
            "api_key",
            "api_key_file",
        ),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_every_secret_is_given_as_a_value_or_a_file_never_both(
    model: type[BaseModel], fields: dict[str, object], secret: str, secret_file: str, tmp_path: Path
) -> None:
    key = "A" * 43 + "="  # 32 bytes of base64, a well-formed backup key
    both = {**fields, secret: key, secret_file: str(tmp_path / "secret")}
    with pytest.raises(ValidationError, match=f"give either {secret} or {secret_file}, not both"):
        model.model_validate(both)
    model.model_validate({**fields, secret: key})
    model.model_validate({**fields, secret_file: str(tmp_path / "secret")})


def test_a_bad_value_names_the_key_the_file_and_the_variable(tmp_path: Path) -> None:
    config = write_config(tmp_path, "port: 70000\nworkers: zero\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    problems = caught.value.problems
    assert len(problems) == 2
    assert problems[0].startswith("port: ")
    assert "70000" in problems[0]
    assert str(config) in problems[0]
    assert "NEX_PORT" in problems[0]
    assert problems[1].startswith("workers: ")
    assert "NEX_WORKERS" in problems[1]


def test_a_bad_value_in_a_list_item_names_its_path(tmp_path: Path) -> None:
    write_config(tmp_path, MAILBOX + "    password: x\n    security: tls\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    (problem,) = caught.value.problems
    assert problem.startswith("mailboxes.0.security: ")
    assert "NEX_MAILBOXES__0__SECURITY" in problem


def test_an_unknown_key_is_reported_as_a_likely_misspelling(tmp_path: Path) -> None:
    write_config(tmp_path, "prot: 9000\n")
    with pytest.raises(ConfigError, match=r"prot: not a setting.*spelling"):
        load_settings(tmp_path)


def test_malformed_yaml_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, "port: [9000\n")
    with pytest.raises(ConfigError, match="not valid YAML") as caught:
        load_settings(tmp_path)
    assert str(config) in caught.value.message


def test_a_config_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    write_config(tmp_path, "- port\n- 9000\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_settings(tmp_path)


def test_the_data_dir_cannot_be_set_in_the_file_it_locates(tmp_path: Path) -> None:
    write_config(tmp_path, "data_dir: /elsewhere\n")
    with pytest.raises(ConfigError, match="NEX_DATA_DIR"):
        load_settings(tmp_path)


def test_list_items_from_the_environment_must_not_leave_gaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEX_FOLDERS__1__PATH", "/srv/inbox")
    with pytest.raises(ConfigError, match="from 0 without gaps"):
        load_settings(tmp_path)


def test_list_items_can_be_given_wholly_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEX_FOLDERS__0__PATH", "/srv/inbox")
    monkeypatch.setenv("NEX_FOLDERS__0__TENANT", "acme")
    (folder,) = load_settings(tmp_path).folders
    assert (folder.path, folder.tenant) == (Path("/srv/inbox"), "acme")


def test_settings_built_directly_read_the_same_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, "port: 9000\n")
    monkeypatch.setenv("NEX_DATA_DIR", str(tmp_path))
    assert Settings().port == 9000


# ------------------------------------------------------------------------ notifications

NOTIFICATIONS = """\
notifications:
  base_url: https://faktury.example.sk/
  recipients: [spravca@integrator.sk]
  smtp:
    host: smtp.example.sk
    user: nex@example.sk
    sender: "NEX Automat <nex@example.sk>"
"""


def test_no_mail_is_configured_without_a_notifications_section(tmp_path: Path) -> None:
    assert load_settings(tmp_path).notifications is None


def test_notifications_take_their_defaults_and_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, NOTIFICATIONS)
    monkeypatch.setenv("NEX_NOTIFICATIONS__SMTP__PASSWORD", "smtp-secret")
    notifications = load_settings(tmp_path).notifications
    assert notifications is not None
    assert notifications.base_url == "https://faktury.example.sk"
    assert notifications.language == "sk"
    smtp = notifications.smtp
    assert (smtp.security, smtp.effective_port, smtp.timeout_seconds) == ("starttls", 587, 30)
    assert smtp.secret() == "smtp-secret"
    assert "smtp-secret" not in repr(notifications)
    assert notifications.summary.at == "07:00"
    assert notifications.alerts.cooldown_minutes == 60
    assert notifications.review_notice.after_hours == 24
    assert [str(role) for role in notifications.review_notice.roles] == ["operator", "approver"]


def test_the_smtp_password_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text("from-a-file\n", encoding="utf-8")
    write_config(tmp_path, NOTIFICATIONS + f"    password_file: {secret}\n    security: tls\n")
    notifications = load_settings(tmp_path).notifications
    assert notifications is not None
    assert notifications.smtp.secret() == "from-a-file"
    assert notifications.smtp.effective_port == 465


def test_an_smtp_login_without_a_password_names_the_variable_to_set(tmp_path: Path) -> None:
    write_config(tmp_path, NOTIFICATIONS)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    (problem,) = caught.value.problems
    assert problem.startswith("notifications.smtp: no password for user 'nex@example.sk'")
    assert "NEX_NOTIFICATIONS__SMTP__PASSWORD" in problem


def test_each_mistake_in_notifications_is_named_with_its_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(
        tmp_path,
        "notifications:\n"
        "  base_url: faktury.example.sk\n"
        "  recipients: []\n"
        "  language: de\n"
        "  smtp: {host: relay, security: plain, user: nex, sender: nex}\n"
        "  summary: {at: 7:00}\n"
        "  alerts: {recipients: [spravca]}\n",
    )
    monkeypatch.setenv("NEX_NOTIFICATIONS__SMTP__PASSWORD", "smtp-secret")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    problems = {problem.split(":")[0]: problem for problem in caught.value.problems}
    assert set(problems) == {
        "notifications.base_url",
        "notifications.recipients",
        "notifications.language",
        "notifications.smtp.sender",
        "notifications.summary.at",
        "notifications.alerts.recipients.0",
    }
    assert "write it as https://faktury.example.sk" in problems["notifications.base_url"]
    assert "at least one address" in problems["notifications.recipients"]
    assert 'in quotes, e.g. "07:00"' in problems["notifications.summary.at"]
    assert "name@example.sk" in problems["notifications.smtp.sender"]
    assert "smtp-secret" not in str(caught.value)

    write_config(
        tmp_path,
        NOTIFICATIONS.replace(
            "    host: smtp.example.sk\n", "    host: relay\n    security: plain\n"
        ),
    )
    with pytest.raises(ConfigError, match="plain would send the password unencrypted"):
        load_settings(tmp_path)


def test_the_notifications_written_by_init_are_valid_once_uncommented(tmp_path: Path) -> None:
    lines = CONFIG_TEMPLATE.splitlines()
    start = lines.index("# notifications:")
    block = []
    for line in lines[start:]:
        if not line.startswith("#"):
            break
        block.append(line.removeprefix("# "))
    write_config(tmp_path, "\n".join(block) + "\n")
    notifications = load_settings(tmp_path).notifications
    assert notifications is not None
    assert notifications.smtp.password_file == Path("/etc/nex-automat/smtp-password")
    assert notifications.summary.at == "07:00"
    assert notifications.recipients == ["spravca@integrator.sk"]


def test_backups_default_to_a_folder_in_the_data_dir_nightly_at_two(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.backup_dir == tmp_path / "backups"
    assert settings.backup.daily_at == "02:00"
    keep = settings.backup.keep
    assert (keep.daily, keep.weekly, keep.monthly, keep.pre_upgrade) == (7, 4, 12, 2)
    assert settings.backup.encryption_key() is None


def test_the_backup_key_is_read_as_hex_or_base64_from_the_environment_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = bytes(range(32))
    monkeypatch.setenv("NEX_BACKUP__KEY", key.hex())
    assert load_settings(tmp_path).backup.encryption_key() == key
    monkeypatch.delenv("NEX_BACKUP__KEY")
    key_file = tmp_path / "backup-key"
    key_file.write_text(base64.b64encode(key).decode() + "\n")
    write_config(tmp_path, f"backup:\n  key_file: {key_file}\n")
    assert load_settings(tmp_path).backup.encryption_key() == key


def test_a_bad_backup_key_is_named_without_showing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEX_BACKUP__KEY", "too-short-to-be-a-key")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    [problem] = caught.value.problems
    assert problem.startswith("backup.key: a backup key is 32 bytes")
    assert "backup keygen" in problem and "NEX_BACKUP__KEY" in problem
    assert "too-short-to-be-a-key" not in str(caught.value)


def test_an_unquoted_backup_time_is_refused_with_the_fix(tmp_path: Path) -> None:
    write_config(tmp_path, "backup:\n  daily_at: 2:00\n")
    with pytest.raises(ConfigError, match=r"backup\.daily_at: write the time of day in quotes"):
        load_settings(tmp_path)
    write_config(tmp_path, 'backup:\n  daily_at: "25:00"\n')
    with pytest.raises(ConfigError, match=r"backup\.daily_at: not a time of day"):
        load_settings(tmp_path)


def test_the_backup_section_written_by_init_is_valid_once_uncommented(tmp_path: Path) -> None:
    lines = CONFIG_TEMPLATE.splitlines()
    start = lines.index("# backup:")
    block = []
    for line in lines[start:]:
        if not line.startswith("#"):
            break
        block.append(line.removeprefix("# "))
    write_config(tmp_path, "\n".join(block) + "\n")
    settings = load_settings(tmp_path)
    assert settings.backup_dir == Path("/mnt/backup/nex-automat")
    assert settings.backup.key_file == Path("/etc/nex-automat/backup-key")
    assert settings.backup.keep.monthly == 12


TENANTS = """\
api_requests_per_minute: 1200
api_burst: 300
tenants:
  acme:
    language: cs
    summary_recipients: [uctaren@acme.sk]
    review_notice_recipients: [nakup@acme.sk]
    alert_recipients: [it@acme.sk, spravca@integrator.sk]
    api_requests_per_minute: 60
    api_burst: 5
  globex: {}
"""


def test_a_tenant_gets_its_own_settings_over_the_installations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, NOTIFICATIONS + TENANTS)
    monkeypatch.setenv("NEX_NOTIFICATIONS__SMTP__PASSWORD", "smtp-secret")
    acme = load_settings(tmp_path).for_tenant("acme")
    assert (acme.tenant_id, acme.mail_language, acme.ui_language) == ("acme", "cs", "cs")
    assert acme.summary_recipients == ("uctaren@acme.sk",)
    assert acme.review_notice_recipients == ("nakup@acme.sk",)
    assert acme.alert_recipients == ("spravca@integrator.sk", "it@acme.sk"), (
        "the installation's people first, each address once"
    )
    assert (acme.api_requests_per_minute, acme.api_burst) == (60, 5)


def test_a_tenant_without_settings_of_its_own_gets_the_installations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(
        tmp_path,
        NOTIFICATIONS
        + "  language: en\n  summary: {recipients: [denne@integrator.sk]}\n"
        + "  review_notice: {recipients: [kontrola@integrator.sk]}\n"
        + "  alerts: {recipients: [noc@integrator.sk]}\n"
        + TENANTS,
    )
    monkeypatch.setenv("NEX_NOTIFICATIONS__SMTP__PASSWORD", "smtp-secret")
    settings = load_settings(tmp_path)
    for tenant_id in ("globex", "initech"):
        tenant = settings.for_tenant(tenant_id)
        assert (tenant.mail_language, tenant.ui_language) == ("en", "sk")
        assert tenant.summary_recipients == ("denne@integrator.sk",)
        assert tenant.review_notice_recipients == ("kontrola@integrator.sk",)
        assert tenant.alert_recipients == ("noc@integrator.sk",)
        assert (tenant.api_requests_per_minute, tenant.api_burst) == (1200, 300)


def test_without_notifications_a_tenant_has_no_recipients(tmp_path: Path) -> None:
    write_config(tmp_path, TENANTS)
    acme = load_settings(tmp_path).for_tenant("acme")
    assert (acme.summary_recipients, acme.review_notice_recipients) == ((), ())
    assert acme.alert_recipients == ()
    assert acme.ui_language == "cs"


def test_a_tenants_settings_come_from_the_environment_by_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, TENANTS)
    monkeypatch.setenv("NEX_TENANTS__ACME__LANGUAGE", "en")
    monkeypatch.setenv("NEX_TENANTS__INITECH__API_BURST", "9")
    settings = load_settings(tmp_path)
    acme = settings.for_tenant("acme")
    assert (acme.ui_language, acme.api_burst) == ("en", 5), "the file's other keys stay"
    assert settings.for_tenant("initech").api_burst == 9


def test_each_mistake_in_a_tenants_settings_is_named_with_its_fix(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        "tenants:\n"
        "  Acme: {}\n"
        "  globex:\n"
        "    language: de\n"
        "    alert_recipients: [it]\n"
        "    api_burst: 0\n"
        "    currency: EUR\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    problems = {problem.split(": ")[0]: problem for problem in caught.value.problems}
    assert set(problems) == {
        "tenants.Acme.[key]",
        "tenants.globex.language",
        "tenants.globex.alert_recipients.0",
        "tenants.globex.api_burst",
        "tenants.globex.currency",
    }
    assert "lower-case letters, digits" in problems["tenants.Acme.[key]"]
    assert "one of sk, cs, en" in problems["tenants.globex.language"]
    assert "NEX_TENANTS__GLOBEX__LANGUAGE" in problems["tenants.globex.language"]
    assert "name@example.sk" in problems["tenants.globex.alert_recipients.0"]
    assert "not a setting" in problems["tenants.globex.currency"]


def test_a_tenant_id_of_digits_is_an_id_not_a_list_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, "tenants:\n  2024:\n    language: en\n")
    monkeypatch.setenv("NEX_TENANTS__2024__API_BURST", "7")
    monkeypatch.setenv("NEX_TENANTS__7__LANGUAGE", "cs")
    settings = load_settings(tmp_path)
    assert set(settings.tenants) == {"2024", "7"}
    tenant = settings.for_tenant("2024")
    assert (tenant.ui_language, tenant.api_burst) == ("en", 7)
    assert settings.for_tenant("7").ui_language == "cs"


def test_the_tenants_written_by_init_are_valid_once_uncommented(tmp_path: Path) -> None:
    lines = CONFIG_TEMPLATE.splitlines()
    start = lines.index("# tenants:")
    block = []
    for line in lines[start:]:
        if not line.startswith("#"):
            break
        block.append(line.removeprefix("# "))
    write_config(tmp_path, "\n".join(block) + "\n")
    stavmat = load_settings(tmp_path).for_tenant("stavmat")
    assert (stavmat.ui_language, stavmat.api_requests_per_minute, stavmat.api_burst) == (
        "cs",
        600,
        100,
    )
