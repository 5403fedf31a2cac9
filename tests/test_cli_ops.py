"""``config``, ``service`` and ``doctor`` as an operator runs them: real processes."""

from __future__ import annotations

from pathlib import Path
from subprocess import CompletedProcess

import pytest
import yaml

from tests.e2e.installation import Installation, initialise, run_cli

WIDE = {"COLUMNS": "250"}


@pytest.fixture
def installation(tmp_path: Path) -> Installation:
    return initialise(tmp_path / "data", None)


def cli(installation: Installation, *args: str | Path, **env: str) -> CompletedProcess[str]:
    return run_cli(*args, env={**installation.env, **WIDE, **env})


def test_config_check_passes_a_good_configuration(installation: Installation) -> None:
    completed = cli(installation, "config", "check")
    assert completed.returncode == 0, completed.stderr
    assert "configuration valid" in completed.stderr


def test_config_check_names_each_bad_key_and_its_fix(installation: Installation) -> None:
    (installation.data_dir / "config.yaml").write_text(
        "port: 70000\nfolders:\n  - path: /srv/does-not-exist\n"
    )
    completed = cli(installation, "config", "check", NEX_WORKERS="none")
    assert completed.returncode == 2
    assert "port: " in completed.stderr and "NEX_PORT" in completed.stderr
    assert "workers: " in completed.stderr

    (installation.data_dir / "config.yaml").write_text("folders:\n  - path: /srv/does-not-exist\n")
    completed = cli(installation, "config", "check")
    assert completed.returncode == 2
    assert "folders.0.path: /srv/does-not-exist is not a folder" in completed.stderr


def test_config_show_prints_yaml_with_secrets_masked(installation: Installation) -> None:
    (installation.data_dir / "config.yaml").write_text(
        "mailboxes:\n  - name: faktury\n    host: imap.example.sk\n    user: f@example.sk\n"
    )
    completed = cli(installation, "config", "show", NEX_MAILBOXES__0__PASSWORD="very-secret-imap")
    assert completed.returncode == 0, completed.stderr
    assert "very-secret-imap" not in completed.stdout
    data = yaml.safe_load(completed.stdout)
    assert data["mailboxes"][0]["password"] == "********"
    assert "# NEX_MAILBOXES__0__PASSWORD" in completed.stdout


def test_service_install_status_and_uninstall_in_a_unit_folder(
    installation: Installation, tmp_path: Path
) -> None:
    units = tmp_path / "units"
    printed = cli(installation, "service", "install", "--print", "--name", "nex-acme")
    assert printed.returncode == 0, printed.stderr
    assert "[Service]" in printed.stdout and "Restart=on-failure" in printed.stdout

    dry = cli(installation, "service", "install", "--dry-run", "--unit-dir", units)
    assert dry.returncode == 0, dry.stderr
    assert "would write" in dry.stderr and "systemctl" in dry.stderr
    assert not units.exists()

    status = cli(installation, "service", "status", "--unit-dir", units)
    assert status.returncode == 4
    assert "not installed" in status.stdout

    args = ("--unit-dir", units, "--no-setup-user", "--no-enable")
    installed = cli(installation, "service", "install", *args)
    assert installed.returncode == 0, installed.stderr
    unit = units / "nex-automat.service"
    assert unit.read_text() == printed.stdout.replace("nex-acme.env", "nex-automat.env")
    assert "systemctl enable --now nex-automat" in installed.stderr

    status = cli(installation, "service", "status", "--unit-dir", units)
    assert status.returncode == 0
    assert "installed" in status.stdout

    removed = cli(installation, "service", "uninstall", "--unit-dir", units, "--no-enable")
    assert removed.returncode == 0, removed.stderr
    assert not unit.exists()


def test_service_install_for_windows_prints_a_winsw_definition(
    installation: Installation,
) -> None:
    completed = cli(installation, "service", "install", "--platform", "windows", "--print")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("<?xml")
    assert '<onfailure action="restart"' in completed.stdout


def test_doctor_prints_a_table_and_exits_by_the_worst_result(
    installation: Installation,
) -> None:
    completed = cli(installation, "doctor")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    for check in ("configuration", "database", "migrations", "Tesseract", "backup"):
        assert check in completed.stdout
    assert "PASS" in completed.stdout and "WARN" in completed.stdout

    broken = cli(
        installation,
        "doctor",
        NEX_DATABASE_URL="postgresql+psycopg://nex@127.0.0.1:9/nex?connect_timeout=2",
    )
    assert broken.returncode == 1
    assert "FAIL" in broken.stdout
