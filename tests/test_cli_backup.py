"""The backup commands as an integrator runs them: real processes, each kind of database.

``create`` prints only the id, so ``ID=$(nex-automat backup create)`` works; ``list
--json`` and ``info --json`` are for scripts; failures exit non-zero and say why.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
from typer.testing import CliRunner

from nex_automat.cli import app
from nex_automat.ops.backup.layout import ID_PATTERN, BackupFolder
from nex_automat.ops.config import decode_backup_key, load_settings
from tests.databases import BACKENDS
from tests.e2e.installation import Installation, database_url_for, initialise, run_cli
from tests.ops.backup.sites import KEY, document_hashes, flip_byte, ingest, table_rows

WIDE = {"COLUMNS": "250"}


def cli(installation: Installation, *args: str | Path) -> CompletedProcess[str]:
    return run_cli(*args, env={**installation.env, "NEX_BACKUP__KEY": KEY, **WIDE})


def json_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def installation(backend: str, tmp_path: Path) -> Iterator[Installation]:
    """An initialised installation with two invoices processed."""
    with database_url_for(backend) as url:
        made = initialise(tmp_path / "data", url)
        ingest(load_settings(made.data_dir, database_url=made.effective_database_url()), (1, 2))
        yield made


@pytest.fixture
def elsewhere(backend: str, tmp_path: Path) -> Iterator[Installation]:
    """A new, empty data folder (and database) to restore into."""
    with database_url_for(backend) as url:
        yield Installation(tmp_path / "restored", url, key="")


def test_create_prints_only_the_id_and_list_and_info_describe_it(
    installation: Installation,
) -> None:
    created = cli(installation, "backup", "create")

    assert created.returncode == 0, created.stderr
    backup_id = created.stdout.strip()
    assert ID_PATTERN.fullmatch(backup_id) and created.stdout == backup_id + "\n"
    [listed] = json_lines(cli(installation, "backup", "list", "--json").stdout)
    assert listed["id"] == backup_id and listed["config_included"] is True
    assert listed["kind"] == "manual" and listed["documents"] >= 2
    [info] = json_lines(cli(installation, "backup", "info", backup_id, "--json").stdout)
    assert info["tables"]["invoices"] == 2 and info["tables"]["api_keys"] == 1


def test_verify_passes_then_names_a_damaged_part_and_exits_1(installation: Installation) -> None:
    backup_id = cli(installation, "backup", "create").stdout.strip()
    sound = cli(installation, "backup", "verify", backup_id)
    assert sound.returncode == 0, sound.stdout + sound.stderr
    assert "is sound" in sound.stdout

    directory = BackupFolder(installation.data_dir / "backups").set_dir(backup_id)
    [database] = [p for p in directory.iterdir() if p.name.startswith("database.")]
    flip_byte(database)
    damaged = cli(installation, "backup", "verify")

    assert damaged.returncode == 1
    assert f"✗ {database.name}: SHA-256" in damaged.stdout


def test_restore_yes_brings_it_all_back_and_a_second_restore_is_refused(
    installation: Installation, elsewhere: Installation
) -> None:
    backup_id = cli(installation, "backup", "create").stdout.strip()
    rows = table_rows(installation.effective_database_url())
    documents = document_hashes(installation.data_dir / "documents")
    backups = installation.data_dir / "backups"

    restored = cli(elsewhere, "backup", "restore", backup_id, "--yes", "--backup-dir", backups)

    assert restored.returncode == 0, restored.stderr
    assert f"backup {backup_id} restored" in restored.stderr
    assert table_rows(elsewhere.effective_database_url()) == rows
    assert document_hashes(elsewhere.data_dir / "documents") == documents
    again = cli(elsewhere, "backup", "restore", "latest", "--yes", "--backup-dir", backups)
    assert again.returncode == 1
    assert "restore_refused" in again.stderr and "not empty" in again.stderr


def test_restore_asks_first_and_no_means_nothing_is_restored(
    installation: Installation, elsewhere: Installation
) -> None:
    backup_id = cli(installation, "backup", "create").stdout.strip()
    env = {**elsewhere.env, "NEX_BACKUP__KEY": KEY}
    backups = str(installation.data_dir / "backups")

    answered = CliRunner().invoke(
        app, ["backup", "restore", backup_id, "--backup-dir", backups], input="n\n", env=env
    )

    assert answered.exit_code == 1
    assert f"Restore backup {backup_id}" in answered.output
    assert "nothing restored" in answered.output
    assert not (elsewhere.data_dir / "documents").exists()


def test_keygen_prints_a_key_the_settings_accept() -> None:
    made = run_cli("backup", "keygen")
    assert made.returncode == 0
    assert len(decode_backup_key(made.stdout)) == 32
    assert made.stdout != run_cli("backup", "keygen").stdout


def test_prune_reports_what_it_removed(installation: Installation) -> None:
    first = cli(installation, "backup", "create").stdout.strip()
    made = cli(installation, "backup", "create")
    assert made.returncode == 0, made.stderr
    second = made.stdout.strip()

    pruned = cli(installation, "backup", "prune")

    assert pruned.returncode == 0, pruned.stderr
    assert f"removed {first}" in pruned.stderr
    assert [
        row["id"] for row in json_lines(cli(installation, "backup", "list", "--json").stdout)
    ] == [second]
