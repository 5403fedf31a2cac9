"""``nex-automat catalog import`` as an operator runs it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nex_automat.store.db import open_database
from nex_automat.store.models import ProductGroup
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
