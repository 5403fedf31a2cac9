"""``catalog_sync:`` settings: an ERP interface per tenant, its API key never in the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nex_automat.ops.config import ConfigError, load_settings
from nex_automat.ops.secrets import SecretFileUnreadable

SYNC = """\
catalog_sync:
  - name: pohoda
    tenant: acme
    api_key_header: X-Api-Key
{secret}
    kinds:
      products:
        url: https://erp.example.sk/api/products?sklad=1
        records: data.items
        fields: {{code: plu, name: nazov, purchase_price: ceny.nakup}}
        pagination: {{style: page, size_param: per_page, size: 500}}
      partners:
        url: https://erp.example.sk/api/partners
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("NEX_"):
            monkeypatch.delenv(name)


def write_config(data_dir: Path, text: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text(text, encoding="utf-8")


def test_a_sync_reads_its_api_key_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, SYNC.format(secret=""))
    monkeypatch.setenv("NEX_CATALOG_SYNC__0__API_KEY", "tajny-kluc-123")
    [sync] = load_settings(tmp_path).catalog_sync
    assert (sync.name, sync.tenant, sync.api_key_header) == ("pohoda", "acme", "X-Api-Key")
    assert sync.key() == "tajny-kluc-123"
    assert "tajny-kluc-123" not in repr(sync)
    products = sync.kinds["products"]
    assert (products.records, products.fields["purchase_price"]) == ("data.items", "ceny.nakup")
    assert (products.pagination.style, products.pagination.size) == ("page", 500)
    assert sync.kinds["partners"].pagination.style == "none"
    assert (sync.every_minutes, sync.daily_at, sync.skip_invalid) == (60, None, True)


def test_a_sync_reads_its_api_key_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "erp-key"
    key_file.write_text("zo-suboru-456\n", encoding="utf-8")
    write_config(
        tmp_path, SYNC.format(secret=f"    api_key_file: {key_file}\n    daily_at: '03:30'")
    )
    [sync] = load_settings(tmp_path).catalog_sync
    assert (sync.key(), sync.daily_at) == ("zo-suboru-456", "03:30")
    key_file.unlink()
    with pytest.raises(SecretFileUnreadable, match="cannot read api_key_file"):
        sync.key()


def test_a_sync_without_an_api_key_is_refused_at_start(tmp_path: Path) -> None:
    write_config(tmp_path, SYNC.format(secret=""))
    with pytest.raises(ConfigError) as refused:
        load_settings(tmp_path)
    [problem] = refused.value.problems
    assert "catalog_sync.0" in problem
    assert "NEX_CATALOG_SYNC__<index>__API_KEY" in problem


@pytest.mark.parametrize(
    ("extra", "complaint"),
    [
        ("    api_key: in-the-file\n    api_key_file: /etc/key", "either api_key or api_key_file"),
        ("    api_key: k\n    daily_at: '25:00'", "not a time of day"),
        ("    api_key: k\n    daily_at: '03:00'\n    interval_minutes: 5", "interval_minutes or"),
        ("    api_key: k\n    api_key_header: 'X Api'", "not an HTTP header name"),
    ],
)
def test_contradictory_or_malformed_sync_settings_are_refused(
    tmp_path: Path, extra: str, complaint: str
) -> None:
    write_config(tmp_path, SYNC.format(secret=extra))
    with pytest.raises(ConfigError, match=complaint) as refused:
        load_settings(tmp_path)
    assert "in-the-file" not in str(refused.value)


def test_urls_must_be_http_and_names_unique_within_a_tenant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEX_CATALOG_SYNC__0__API_KEY", "k")
    monkeypatch.setenv("NEX_CATALOG_SYNC__1__API_KEY", "k")
    write_config(
        tmp_path,
        "catalog_sync:\n"
        "  - {name: erp, kinds: {groups: {url: 'ftp://erp/groups'}}}\n"
        "  - {name: erp, kinds: {groups: {url: 'https://erp/groups'}}}\n",
    )
    with pytest.raises(ConfigError) as refused:
        load_settings(tmp_path)
    text = str(refused.value)
    assert "needs an http:// or https:// URL" in text
    write_config(
        tmp_path,
        "catalog_sync:\n"
        "  - {name: erp, kinds: {groups: {url: 'https://erp/groups'}}}\n"
        "  - {name: erp, kinds: {groups: {url: 'https://erp/groups'}}}\n",
    )
    with pytest.raises(ConfigError, match="sync names must differ within a tenant"):
        load_settings(tmp_path)


def test_the_documented_example_is_a_valid_configuration(tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "catalogue.md"
    blocks = docs.read_text(encoding="utf-8").split("```yaml\n")[1:]
    [example] = [block.split("```")[0] for block in blocks if "catalog_sync:" in block]
    key_file = tmp_path / "erp-key"
    key_file.write_text("k\n", encoding="utf-8")
    text = example.replace("/etc/nex-automat/erp-key", str(key_file))
    write_config(tmp_path, text)
    [sync] = load_settings(tmp_path).catalog_sync
    assert list(sync.kinds) == ["groups", "products", "barcodes", "partners"]
    assert sync.kinds["partners"].pagination.style == "next_link"
    assert sync.key() == "k"
