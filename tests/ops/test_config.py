"""Settings from ``<data_dir>/config.yaml``, ``NEX_*`` variables and code, in that rising order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nex_automat.ops.config import ConfigError, Settings, load_settings


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


def test_the_password_is_never_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path, MAILBOX)
    monkeypatch.setenv("NEX_MAILBOXES__0__PASSWORD", "tajne-heslo")
    settings = load_settings(tmp_path)
    assert "tajne-heslo" not in repr(settings)
    assert "tajne-heslo" not in str(settings.model_dump())


def test_an_unreadable_password_file_names_the_mailbox(tmp_path: Path) -> None:
    write_config(tmp_path, MAILBOX + f"    password_file: {tmp_path / 'missing'}\n")
    (mailbox,) = load_settings(tmp_path).mailboxes
    with pytest.raises(ConfigError, match=r"faktury.*password_file"):
        mailbox.secret()


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
