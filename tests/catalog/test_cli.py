"""``nex-automat catalog import``, ``sources`` and ``sync`` as an operator runs them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from sqlalchemy import select

from nex_automat.catalog.sources import list_sources
from nex_automat.store.db import Database, open_database
from nex_automat.store.models import Product, ProductGroup
from tests.e2e.installation import environment_without_settings
from tests.servers.erp import Feed, erp_server
from tests.test_cli import run


def test_catalog_import_writes_groups_and_reports_bad_rows(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run("init", "--data-dir", data_dir).returncode == 0
    groups = tmp_path / "groups.csv"
    groups.write_text("Kód;Názov;Marža\nCEM;Cementy;25\nTEH;Tehly;veľa\n", encoding="utf-8")
    mapping = tmp_path / "groups.yaml"
    mapping.write_text("code: Kód\nname: Názov\ndefault_margin: Marža\n", encoding="utf-8")

    refused = run("catalog", "import", groups, "--kind", "groups", "--data-dir", data_dir)
    assert refused.returncode == 1
    assert "row 3: default_margin" in refused.stderr
    partial = run(
        "catalog", "import", groups, "--kind", "groups", "--mapping", mapping,
        "--skip-invalid", "--data-dir", data_dir,
    )  # fmt: skip
    assert partial.returncode == 1
    assert "1 of 2 groups rows imported" in partial.stderr

    db = open_database(f"sqlite:///{data_dir / 'nex-automat.db'}")
    try:
        with db.tenant_session("default") as session:
            assert session.scalars(select(ProductGroup.code)).all() == ["CEM"]
    finally:
        db.dispose()


def test_a_source_remembers_kind_and_mapping_for_the_next_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run("init", "--data-dir", data_dir).returncode == 0
    groups = tmp_path / "skupiny.csv"
    groups.write_text("Číslo;Popis\nCEM;Cementy\n", encoding="utf-8")
    mapping = tmp_path / "skupiny.yaml"
    mapping.write_text("code: Číslo\nname: Popis\n", encoding="utf-8")
    first = run(
        "catalog", "import", groups, "--kind", "groups", "--mapping", mapping,
        "--source", "pohoda-skupiny", "--data-dir", data_dir,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert "mapping saved as source 'pohoda-skupiny'" in first.stderr

    groups.write_text("Číslo;Popis\nCEM;Cement\nTEH;Tehly\n", encoding="utf-8")
    again = run("catalog", "import", groups, "--source", "pohoda-skupiny", "--data-dir", data_dir)
    assert again.returncode == 0, again.stderr
    assert "2 of 2 groups rows imported" in again.stderr

    listed = run("catalog", "sources", "list", "--data-dir", data_dir)
    assert "pohoda-skupiny" in listed.stdout and "code=Číslo" in listed.stdout
    shown = run("catalog", "sources", "show", "pohoda-skupiny", "--data-dir", data_dir)
    assert shown.returncode == 0
    assert yaml.safe_load(shown.stdout) == {"code": "Číslo", "name": "Popis"}
    deleted = run("catalog", "sources", "delete", "pohoda-skupiny", "--data-dir", data_dir)
    assert deleted.returncode == 0, deleted.stderr
    with _database(data_dir) as db, db.tenant_session("default") as session:
        rows = session.execute(select(ProductGroup.code, ProductGroup.name)).all()
        assert sorted(rows) == [("CEM", "Cement"), ("TEH", "Tehly")]
        assert list_sources(session) == []


def test_catalog_sync_reads_the_erp_and_reports_each_bad_record(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = environment_without_settings() | {"COLUMNS": "200"}
    assert run("init", "--data-dir", data_dir, env=env).returncode == 0
    products = [{"code": f"P{n}", "name": f"Produkt {n}", "vat_rate": 23} for n in range(5)]
    products.insert(3, {"code": "P9", "name": "Zlý", "vat_rate": "veľa"})
    feeds = {"groups": Feed([{"code": "CEM", "name": "Cementy"}], style="none"),
             "products": Feed(products, style="page")}  # fmt: skip
    with erp_server(**feeds) as erp:
        (data_dir / "config.yaml").write_text(
            "catalog_sync:\n"
            "  - name: erp\n"
            "    api_key_header: X-Api-Key\n"
            "    kinds:\n"
            f"      groups: {{url: '{erp.url('/groups')}'}}\n"
            f"      products: {{url: '{erp.url('/products')}', records: data.items,\n"
            "                  pagination: {style: page, size_param: per_page, size: 2}}\n",
            encoding="utf-8",
        )
        env["NEX_CATALOG_SYNC__0__API_KEY"] = erp.api_key
        synced = run("catalog", "sync", "--data-dir", data_dir, env=env)
        only_groups = run("catalog", "sync", "--kind", "groups", "--data-dir", data_dir, env=env)
    assert synced.returncode == 1, synced.stderr
    assert "erp products record 4: vat_rate: not a number: 'veľa'" in synced.stderr
    assert erp.api_key not in synced.stdout + synced.stderr
    assert only_groups.returncode == 0, only_groups.stderr
    status = run("catalog", "sync", "--status", "--data-dir", data_dir, env=env)
    assert status.returncode == 0
    assert "products" in status.stdout and "record 4" in status.stdout
    with _database(data_dir) as db, db.tenant_session("default") as session:
        assert sorted(session.scalars(select(Product.code))) == ["P0", "P1", "P2", "P3", "P4"]
        assert session.scalars(select(ProductGroup.code)).all() == ["CEM"]


def test_catalog_sync_without_a_configured_sync_says_so(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = environment_without_settings()
    assert run("init", "--data-dir", data_dir, env=env).returncode == 0
    refused = run("catalog", "sync", "--data-dir", data_dir, env=env)
    assert refused.returncode == 2
    assert "no catalogue sync configured" in refused.stderr


@contextmanager
def _database(data_dir: Path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{data_dir / 'nex-automat.db'}")
    try:
        yield db
    finally:
        db.dispose()
