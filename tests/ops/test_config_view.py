"""``config show``: the effective settings as YAML, secrets masked, each value's source."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nex_automat.ops.config import load_settings
from nex_automat.ops.config_view import masked_settings, render_settings
from nex_automat.ops.secrets import MASK

pytestmark = pytest.mark.usefixtures("no_nex_variables")

CONFIG = """\
port: 9000
database_url: postgresql+psycopg://nex:db-secret-1@db:5432/nex
mailboxes:
  - name: faktury
    host: imap.example.sk
    user: faktury@example.sk
    allowed_senders: ["@dodavatel.sk"]
backup:
  key: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
metrics:
  allow_networks: [10.0.0.0/8]
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "config.yaml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("NEX_MAILBOXES__0__PASSWORD", "imap-secret-2")
    monkeypatch.setenv("NEX_WORKERS", "4")
    return folder


def source_of(text: str, line_start: str) -> str:
    [line] = [line for line in text.splitlines() if line.startswith(line_start)]
    return line.split("  # ", 1)[1]


def test_the_output_is_yaml_of_the_effective_settings(data_dir: Path) -> None:
    settings = load_settings(data_dir)
    text = render_settings(settings)
    data = yaml.safe_load(text)
    assert data == masked_settings(settings)
    assert (data["port"], data["workers"], data["host"]) == (9000, 4, "127.0.0.1")
    assert data["mailboxes"][0]["allowed_senders"] == ["@dodavatel.sk"]
    assert data["metrics"]["allow_networks"] == ["10.0.0.0/8"]
    assert data["data_dir"] == str(data_dir)


def test_every_secret_is_masked(data_dir: Path) -> None:
    text = render_settings(load_settings(data_dir))
    for secret in ("db-secret-1", "imap-secret-2", "0123456789abcdef"):
        assert secret not in text
    data = yaml.safe_load(text)
    assert data["mailboxes"][0]["password"] == MASK
    assert data["backup"]["key"] == MASK
    assert data["database_url"] == "postgresql+psycopg://nex:***@db:5432/nex"
    assert data["backup"]["key_file"] is None


def test_each_value_says_where_it_came_from(data_dir: Path) -> None:
    text = render_settings(load_settings(data_dir))
    assert source_of(text, "port:") == "config file"
    assert source_of(text, "workers:") == "NEX_WORKERS"
    assert source_of(text, "host:") == "default"
    assert source_of(text, "data_dir:") == "--data-dir"
    assert source_of(text, "    password:") == "NEX_MAILBOXES__0__PASSWORD"
    assert source_of(text, "  - name: faktury") == "config file"
    assert source_of(text, "    folder: INBOX") == "default"


def test_sources_can_be_left_out(data_dir: Path) -> None:
    text = render_settings(load_settings(data_dir), with_sources=False)
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert not [line for line in body if "  # " in line]
    assert yaml.safe_load(text)["port"] == 9000


def test_the_data_dir_from_the_environment_is_named_as_such(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEX_DATA_DIR", str(data_dir))
    text = render_settings(load_settings())
    assert source_of(text, "data_dir:") == "NEX_DATA_DIR"


def test_each_tenants_settings_are_shown_with_their_sources(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = data_dir / "config.yaml"
    config.write_text(
        CONFIG + "tenants:\n  acme:\n    language: cs\n    api_burst: 5\n", encoding="utf-8"
    )
    monkeypatch.setenv("NEX_TENANTS__ACME__API_BURST", "9")
    monkeypatch.setenv("NEX_TENANTS__GLOBEX__ALERT_RECIPIENTS", '["it@globex.sk"]')
    text = render_settings(load_settings(data_dir))
    tenants = yaml.safe_load(text)["tenants"]
    assert tenants["acme"]["language"] == "cs"
    assert tenants["acme"]["api_burst"] == 9
    assert tenants["acme"]["summary_recipients"] == []
    assert tenants["globex"]["alert_recipients"] == ["it@globex.sk"]
    acme = text[text.index("  acme:") : text.index("  globex:")]
    assert source_of(acme, "    language:") == "config file"
    assert source_of(acme, "    api_burst:") == "NEX_TENANTS__ACME__API_BURST"
    assert source_of(acme, "    api_requests_per_minute:") == "default"
    globex = text[text.index("  globex:") :]
    assert source_of(globex, "    alert_recipients:") == "NEX_TENANTS__GLOBEX__ALERT_RECIPIENTS"


def test_a_mapping_of_settings_inside_a_list_item_is_shown_as_yaml(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync = (
        "catalog_sync:\n  - name: pohoda\n    tenant: acme\n    kinds:\n"
        "      products:\n        url: https://erp.example.sk/api/products\n"
        "        fields: {code: plu}\n"
    )
    (data_dir / "config.yaml").write_text(CONFIG + sync, encoding="utf-8")
    monkeypatch.setenv("NEX_CATALOG_SYNC__0__API_KEY", "erp-secret-3")
    text = render_settings(load_settings(data_dir))
    [item] = yaml.safe_load(text)["catalog_sync"]
    assert item["kinds"]["products"]["url"] == "https://erp.example.sk/api/products"
    assert item["kinds"]["products"]["fields"] == {"code": "plu"}
    assert item["api_key"] == MASK and "erp-secret-3" not in text
    assert source_of(text, "          code: plu") == "config file"
