"""The service's commands as a user runs them: real processes on a real data folder.

Each test runs against the embedded SQLite and against a PostgreSQL database of its own
(``NEX_DATABASE_URL``), as an operator would configure it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest

from nex_automat.store.apikeys import PREFIX_LENGTH, authenticate
from nex_automat.store.db import open_database
from tests.databases import BACKENDS, create_postgres_database, drop_postgres_database
from tests.e2e.installation import (
    Installation,
    database_url_for,
    environment_without_settings,
    initialise,
    run_cli,
)
from tests.invoicegen import FAMILIES, GeneratedInvoice, generate

KEY_LINE = re.compile(r"nex_[A-Za-z0-9_-]{20,}\n")
Ingested = tuple[Installation, CompletedProcess[str]]
"""An installation after ``ingest``, and how that command ended."""
WIDE = {"COLUMNS": "250"}
"""Wide enough that Rich tables show every cell whole."""


def cli(installation: Installation, *args: str | Path) -> CompletedProcess[str]:
    return run_cli(*args, env={**installation.env, **WIDE})


def json_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def key_is_live(installation: Installation, secret: str) -> bool:
    db = open_database(installation.effective_database_url())
    try:
        with db.session() as session:
            return authenticate(session, secret) is not None
    finally:
        db.dispose()


@pytest.fixture(params=BACKENDS)
def uninitialised(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Installation]:
    """A data folder (and database) nobody has run ``init`` on yet."""
    with database_url_for(request.param) as url:
        yield Installation(tmp_path / "data", url, key="")


@pytest.fixture(params=BACKENDS)
def installation(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Installation]:
    with database_url_for(request.param) as url:
        yield initialise(tmp_path / "data", url)


INVOICES = [generate(seed, FAMILIES[seed % len(FAMILIES)]) for seed in (11, 12, 13)]


def write_inbox(folder: Path) -> tuple[list[GeneratedInvoice], Path]:
    """Three invoices and one PDF cut short; returns the invoices and the broken file."""
    folder.mkdir()
    for index, generated in enumerate(INVOICES):
        (folder / f"faktura-{index}.pdf").write_bytes(generated.pdf)
    broken = folder / "broken.pdf"
    whole = INVOICES[0].pdf
    broken.write_bytes(whole[: len(whole) // 3])
    return INVOICES, broken


@pytest.fixture(scope="module", params=BACKENDS)
def ingested(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Ingested]:
    """An installation after ``ingest`` of the inbox, with the ingest's completed process."""
    folder = tmp_path_factory.mktemp(f"ingested-{request.param}")
    with database_url_for(request.param) as url:
        installation = initialise(folder / "data", url)
        write_inbox(folder / "inbox")
        yield installation, cli(installation, "ingest", folder / "inbox")


# ----------------------------------------------------------------------------- init


def test_init_prints_exactly_one_key_on_stdout_and_it_works(uninitialised: Installation) -> None:
    completed = run_cli("init", env=uninitialised.env)

    assert completed.returncode == 0, completed.stderr
    assert KEY_LINE.fullmatch(completed.stdout), completed.stdout
    assert (uninitialised.data_dir / "config.yaml").is_file()
    assert (uninitialised.data_dir / "documents").is_dir()
    assert key_is_live(uninitialised, completed.stdout.strip())


def test_a_second_init_keeps_the_config_and_prints_no_key(installation: Installation) -> None:
    config = installation.data_dir / "config.yaml"
    edited = config.read_text() + "workers: 3\n"
    config.write_text(edited)

    completed = run_cli("init", env=installation.env)

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    assert "kept as it was" in completed.stderr
    assert config.read_text() == edited
    assert key_is_live(installation, installation.key)


# --------------------------------------------------------------------------- apikey


def test_apikey_create_prints_only_the_new_key(installation: Installation) -> None:
    completed = cli(installation, "apikey", "create", "--name", "n8n")

    assert completed.returncode == 0, completed.stderr
    assert KEY_LINE.fullmatch(completed.stdout), completed.stdout
    secret = completed.stdout.strip()
    assert secret != installation.key
    assert key_is_live(installation, secret)


def test_apikey_list_shows_names_and_prefixes_but_never_a_secret(
    installation: Installation,
) -> None:
    secret = cli(installation, "apikey", "create", "--name", "n8n").stdout.strip()

    completed = cli(installation, "apikey", "list")

    assert completed.returncode == 0, completed.stderr
    for name, key in (("first key", installation.key), ("n8n", secret)):
        assert name in completed.stdout
        assert key[:PREFIX_LENGTH] in completed.stdout
        assert key not in completed.stdout
        assert key[PREFIX_LENGTH:] not in completed.stdout


def listed_key_row(installation: Installation, name: str) -> str:
    listed = cli(installation, "apikey", "list").stdout.splitlines()
    return next(line for line in listed if re.search(rf"│ {name}\s+│", line))


def test_a_revoked_key_no_longer_authenticates(installation: Installation) -> None:
    secret = cli(installation, "apikey", "create", "--name", "old").stdout.strip()
    key_id = re.findall(r"\d+", listed_key_row(installation, "old"))[0]

    completed = cli(installation, "apikey", "revoke", key_id)

    assert completed.returncode == 0, completed.stderr
    assert "revoked" in completed.stderr
    assert not key_is_live(installation, secret)
    assert key_is_live(installation, installation.key)
    row = listed_key_row(installation, "old")
    assert re.search(r"\d{4}-\d\d-\d\d.*\d{4}-\d\d-\d\d", row), row


def test_revoking_an_unknown_key_fails(installation: Installation) -> None:
    completed = cli(installation, "apikey", "revoke", "99")

    assert completed.returncode == 1
    assert "no API key 99" in completed.stderr


def test_apikey_create_for_an_unknown_tenant_fails_and_prints_nothing(
    installation: Installation,
) -> None:
    completed = cli(installation, "apikey", "create", "--tenant", "nobody")

    assert completed.returncode == 2
    assert completed.stdout == ""


# --------------------------------------------------------------------------- ingest


def test_ingest_of_a_folder_with_a_broken_file_exits_1_and_lists_every_file(
    ingested: Ingested,
) -> None:
    _, completed = ingested

    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    for name in ("faktura-0.pdf", "faktura-1.pdf", "faktura-2.pdf", "broken.pdf"):
        assert name in completed.stdout
    broken_row = next(line for line in completed.stdout.splitlines() if "broken.pdf" in line)
    assert "failed" in broken_row
    assert "unreadable" in broken_row
    rows = completed.stdout.splitlines()
    for generated in INVOICES:
        row = next(line for line in rows if generated.invoice.number in line)
        assert "processed" in row


def test_invoices_list_json_gives_one_object_per_line_newest_first(
    ingested: Ingested,
) -> None:
    installation, _ = ingested

    completed = cli(installation, "invoices", "list", "--json")

    assert completed.returncode == 0, completed.stderr
    rows = json_lines(completed.stdout)
    assert sorted(row["number"] for row in rows) == sorted(g.invoice.number for g in INVOICES)
    assert [row["created_at"] for row in rows] == sorted(
        (row["created_at"] for row in rows), reverse=True
    )
    assert all(row["status"] in {"new", "needs_review"} for row in rows)


def test_invoices_list_json_filters_by_status(ingested: Ingested) -> None:
    installation, _ = ingested

    completed = cli(installation, "invoices", "list", "--json", "--status", "approved")

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""


def test_invoices_show_json_gives_the_invoice_with_its_lines(
    ingested: Ingested,
) -> None:
    installation, _ = ingested
    listed = json_lines(cli(installation, "invoices", "list", "--json").stdout)
    by_number = {g.invoice.number: g.invoice for g in INVOICES}

    for row in listed:
        completed = cli(installation, "invoices", "show", row["id"], "--json")

        assert completed.returncode == 0, completed.stderr
        (shown,) = json_lines(completed.stdout)
        expected = by_number[shown["number"]]
        assert shown["id"] == row["id"]
        assert len(shown["lines"]) == len(expected.lines)
        assert Decimal(shown["total_gross"]) == expected.total_gross
        assert shown["supplier"]["ico"] == expected.supplier.ico


def test_invoices_show_of_an_unknown_id_fails(ingested: Ingested) -> None:
    installation, _ = ingested

    completed = cli(installation, "invoices", "show", "no-such-invoice", "--json")

    assert completed.returncode == 1
    assert completed.stdout == ""


def test_db_upgrade_twice_changes_nothing(ingested: Ingested) -> None:
    installation, _ = ingested
    before = cli(installation, "invoices", "list", "--json").stdout

    first = cli(installation, "db", "upgrade")
    second = cli(installation, "db", "upgrade")

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "database at revision" in first.stderr
    assert first.stderr == second.stderr
    assert cli(installation, "invoices", "list", "--json").stdout == before


# ------------------------------------------------------------------------- isolation


@pytest.fixture(params=BACKENDS)
def two_data_dirs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[Path]]:
    """Two data folders; for PostgreSQL each config file names a database of its own."""
    folders = [tmp_path / "first", tmp_path / "second"]
    urls = [create_postgres_database() for _ in folders] if request.param == "postgresql" else []
    try:
        for folder, url in zip(folders, urls, strict=False):
            folder.mkdir()
            (folder / "config.yaml").write_text(f"database_url: {url}\n")
        yield folders
    finally:
        for url in urls:
            drop_postgres_database(url)


def test_data_dir_keeps_two_installations_apart(two_data_dirs: list[Path], tmp_path: Path) -> None:
    env = environment_without_settings() | WIDE
    first, second = two_data_dirs
    keys = [run_cli("init", "--data-dir", d, env=env).stdout.strip() for d in (first, second)]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "faktura.pdf").write_bytes(INVOICES[0].pdf)

    ingest = run_cli("ingest", inbox, "--data-dir", first, env=env)

    assert ingest.returncode == 0, ingest.stderr
    listed = [
        json_lines(run_cli("invoices", "list", "--json", "--data-dir", folder, env=env).stdout)
        for folder in (first, second)
    ]
    assert [row["number"] for row in listed[0]] == [INVOICES[0].invoice.number]
    assert listed[1] == []
    assert keys[0] != keys[1]
    second_keys = run_cli("apikey", "list", "--data-dir", second, env=env).stdout
    assert keys[1][:PREFIX_LENGTH] in second_keys
    assert keys[0][:PREFIX_LENGTH] not in second_keys


def test_worker_on_sqlite_says_workers_need_postgresql(tmp_path: Path) -> None:
    sqlite = initialise(tmp_path / "data", None)

    completed = cli(sqlite, "worker", "--concurrency", "2")

    assert completed.returncode == 2
    assert "workers need a PostgreSQL database" in completed.stderr
