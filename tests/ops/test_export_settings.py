"""``exports:``: folder drops and webhooks, validated at start, the secret never in sight."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from nex_automat.ops.config import ConfigError, load_settings
from nex_automat.ops.export_settings import FolderExportSettings, WebhookExportSettings
from nex_automat.ops.secrets import SecretFileUnreadable
from nex_automat.ops.setup import CONFIG_TEMPLATE

SECRET = "whsec-4b1d9c0e7a6f5e3d2c1b"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("NEX_"):
            monkeypatch.delenv(name)


def write_config(data_dir: Path, text: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text(text, encoding="utf-8")


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(ConfigError) as error:
        load_settings(data_dir)
    return error.value.problems


def test_the_exports_written_by_init_are_valid_once_uncommented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = CONFIG_TEMPLATE.splitlines()
    start = lines.index("# exports:")
    end = lines.index("", start)
    block = [line.removeprefix("# ") for line in lines[start:end]]
    write_config(tmp_path, "\n".join(block) + "\n")
    folder, hook = load_settings(tmp_path).exports
    assert isinstance(folder, FolderExportSettings) and isinstance(hook, WebhookExportSettings)
    assert (folder.name, folder.path, folder.formats, folder.language) == (
        "erp-import",
        Path("/srv/erp/import"),
        ["isdoc", "csv"],
        "sk",
    )
    assert (hook.name, hook.secret_file, hook.timeout_seconds, hook.attempts) == (
        "erp-webhook",
        Path("/etc/nex-automat/webhook-secret"),
        10,
        5,
    )


def test_a_folder_drop_can_be_set_from_the_environment_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEX_EXPORTS__0__KIND", "folder")
    monkeypatch.setenv("NEX_EXPORTS__0__PATH", str(tmp_path / "erp"))
    monkeypatch.setenv("NEX_EXPORTS__0__FORMATS", "isdoc, xlsx,isdoc")
    (connector,) = load_settings(tmp_path).exports
    assert isinstance(connector, FolderExportSettings)
    assert (connector.name, connector.tenant, connector.formats) == (
        "folder",
        "default",
        ["isdoc", "xlsx"],
    )


def test_a_webhook_without_a_secret_is_refused_and_the_fix_is_named(tmp_path: Path) -> None:
    write_config(tmp_path, "exports:\n  - kind: webhook\n    url: https://erp.example.sk/h\n")
    (problem,) = problems(tmp_path)
    assert problem.startswith("exports.0: no signing secret")
    assert "NEX_EXPORTS__<index>__SECRET" in problem and "secret_file" in problem


def test_the_secret_from_the_environment_is_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, "exports:\n  - kind: webhook\n    url: https://erp.example.sk/h\n")
    monkeypatch.setenv("NEX_EXPORTS__0__SECRET", SECRET)
    (hook,) = load_settings(tmp_path).exports
    assert isinstance(hook, WebhookExportSettings)
    assert hook.signing_key() == SECRET.encode()
    assert SECRET not in repr(hook) and SECRET not in str(load_settings(tmp_path))
    monkeypatch.setenv("NEX_EXPORTS__0__SECRET_FILE", "/etc/secret")
    assert all(SECRET not in problem for problem in problems(tmp_path))


def test_a_mistyped_secret_is_reported_without_its_value(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        "exports:\n  - kind: webhook\n    url: ftp://erp.example.sk\n    secret: 982451653\n",
    )
    found = problems(tmp_path)
    assert [problem.split(":")[0] for problem in found] == ["exports.0.url", "exports.0.secret"]
    assert "(got 'ftp://erp.example.sk')" in found[0]
    assert "982451653" not in found[1]


def test_an_unknown_kind_and_bad_values_name_their_keys(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        "exports:\n"
        "  - kind: ftp\n"
        "  - kind: folder\n    path: /x\n    formats: [pdf]\n    attempts: 0\n",
    )
    found = problems(tmp_path)
    assert [problem.split(":")[0] for problem in found] == [
        "exports.0",
        "exports.1.attempts",
        "exports.1.formats.0",
    ]


def test_two_connectors_of_a_tenant_cannot_share_a_name(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        "exports:\n"
        "  - {kind: folder, name: erp, path: /a}\n"
        "  - {kind: folder, name: erp, path: /b, tenant: other}\n"
        "  - {kind: folder, name: erp, path: /c}\n",
    )
    (problem,) = problems(tmp_path)
    assert "connector names must differ within a tenant: 'erp' (tenant 'default')" in problem


def test_the_wait_doubles_after_each_failed_try_up_to_its_ceiling() -> None:
    connector = FolderExportSettings(
        kind="folder", path=Path("/x"), backoff_seconds=30, max_backoff_seconds=100
    )
    assert [connector.backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=100),
        timedelta(seconds=100),
    ]


def test_a_secret_file_that_cannot_be_read_says_where_not_what(tmp_path: Path) -> None:
    hook = WebhookExportSettings(
        kind="webhook", url="https://erp.example.sk/h", secret_file=tmp_path / "missing"
    )
    with pytest.raises(SecretFileUnreadable, match="cannot read secret_file"):
        hook.signing_key()
    (tmp_path / "empty").write_text("\n")
    empty = hook.model_copy(update={"secret_file": tmp_path / "empty"})
    with pytest.raises(SecretFileUnreadable, match="is empty"):
        empty.signing_key()
