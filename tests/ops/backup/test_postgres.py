"""``pg_dump`` and ``pg_restore`` see the connection, never the password in argv or env."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nex_automat.ops.backup import postgres
from nex_automat.ops.backup.errors import BackupToolFailed

URL = "postgresql+psycopg://nex:ta:jne\\heslo@db.example.sk:5433/nex?sslmode=require"


def test_the_connection_string_keeps_everything_but_the_password() -> None:
    info = postgres.conninfo(URL)
    assert "heslo" not in info
    for part in ("host=db.example.sk", "port=5433", "user=nex", "dbname=nex", "sslmode=require"):
        assert part in info


def test_the_password_reaches_the_tool_only_through_a_private_password_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PGPASSWORD", "from-the-environment")
    with postgres.tool_environment(URL) as env:
        passfile = Path(env["PGPASSFILE"])
        mode = stat.S_IMODE(passfile.stat().st_mode)
        content = passfile.read_text()
        assert "PGPASSWORD" not in env
        assert not any("heslo" in value for name, value in env.items() if name != "PGPASSFILE")
    assert mode == 0o600
    assert content == "*:*:*:*:ta\\:jne\\\\heslo\n"
    assert not passfile.exists()
    assert os.environ["PGPASSWORD"] == "from-the-environment"


def test_without_a_password_no_password_file_is_made() -> None:
    with postgres.tool_environment("postgresql+psycopg://nex@db/nex") as env:
        assert env.get("PGPASSFILE") == os.environ.get("PGPASSFILE")


def test_a_missing_tool_says_where_it_was_looked_for(tmp_path: Path) -> None:
    with pytest.raises(BackupToolFailed, match=r"pg_dump not found in .*backup.pg_tools_dir"):
        postgres.tool("pg_dump", tmp_path)


def test_a_dump_restores_into_a_scratch_database_that_is_dropped_after(
    postgres_url: str, tmp_path: Path
) -> None:
    dump = tmp_path / "database.dump"
    postgres.dump(postgres_url, dump, snapshot=None, tools=None)

    with postgres.scratch_database(postgres_url) as scratch:
        postgres.restore(scratch, dump, tools=None)
        engine = create_engine(scratch)
        with engine.connect() as connection:
            assert "invoices" in postgres.count_rows(connection)
            assert postgres.schema_revision(connection) is not None
        engine.dispose()
        name = scratch.rsplit("/", 1)[1]

    admin = create_engine(postgres_url)
    with admin.connect() as connection:
        left = connection.scalar(
            text("SELECT count(*) FROM pg_database WHERE datname = :name"), {"name": name}
        )
    admin.dispose()
    assert left == 0


def test_a_failing_tool_reports_its_own_words(postgres_url: str, tmp_path: Path) -> None:
    garbage = tmp_path / "database.dump"
    garbage.write_bytes(b"PGDMP but not really")
    with (
        postgres.scratch_database(postgres_url) as scratch,
        pytest.raises(BackupToolFailed, match=r"pg_restore failed: .+"),
    ):
        postgres.restore(scratch, garbage, tools=None)
