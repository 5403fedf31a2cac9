"""The service definitions: a hardened systemd unit that systemd itself accepts, a WinSW
XML that restarts on failure, and install plans that touch only what they say."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from nex_automat.ops.config import Settings, load_settings
from nex_automat.ops.service import (
    LINUX,
    WINDOWS,
    linux_install,
    linux_status,
    linux_uninstall,
    service_spec,
    systemd_unit,
    windows_install,
    winsw_xml,
)

pytestmark = pytest.mark.usefixtures("no_nex_variables")

HARDENING = (
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectControlGroups=yes",
    "RestrictSUIDSGID=yes",
    "LockPersonality=yes",
    "CapabilityBoundingSet=",
)


def settings_for(data_dir: Path, config: str = "") -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text(config, encoding="utf-8")
    return load_settings(data_dir)


def unit_lines(unit: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in unit.splitlines() if "=" in line)


def verify_with_systemd(unit_file: Path) -> str:
    """What ``systemd-analyze verify`` complains about (nothing for a good unit)."""
    completed = subprocess.run(
        ["systemd-analyze", "verify", str(unit_file)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return (completed.stdout + completed.stderr).strip()


def test_the_unit_runs_serve_for_the_data_folder_as_a_dedicated_user(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data")
    spec = service_spec(settings, name="nex-acme", user="nex-acme", platform=LINUX)
    unit = systemd_unit(spec)
    values = unit_lines(unit)
    data_dir = str((tmp_path / "data").absolute())
    assert values["ExecStart"].endswith(f"serve --data-dir {data_dir}")
    assert values["ExecStart"].split()[0].startswith(str(Path(sys.executable).parent))
    assert (values["User"], values["Group"]) == ("nex-acme", "nex-acme")
    assert values["Restart"] == "on-failure"
    assert values["KillSignal"] == "SIGTERM"
    assert values["TimeoutStopSec"] == str(2 * 20 + 15)
    assert values["ReadWritePaths"] == data_dir
    assert values["ProtectHome"] == "yes"
    assert values["EnvironmentFile"] == "-/etc/nex-automat/nex-acme.env"
    assert values["WantedBy"] == "multi-user.target"
    for line in HARDENING:
        assert line in unit.splitlines()


def test_systemd_accepts_the_unit_as_written(tmp_path: Path) -> None:
    assert shutil.which("systemd-analyze"), "systemd's tools are part of the test machine"
    settings = settings_for(
        tmp_path / "data folder",
        f"port: 80\nfolders:\n  - path: {tmp_path / 'in box'}\n"
        f"backup:\n  dir: {tmp_path / 'backups'}\n",
    )
    unit_file = tmp_path / "nex-automat.service"
    unit_file.write_text(systemd_unit(service_spec(settings, platform=LINUX)))
    assert verify_with_systemd(unit_file) == ""


def test_whatever_the_service_writes_outside_the_data_folder_is_made_writable(
    tmp_path: Path,
) -> None:
    settings = settings_for(
        tmp_path / "data folder",
        f"folders:\n  - path: {tmp_path / 'in box'}\n  - path: {tmp_path / 'data folder/drop'}\n"
        f"backup:\n  dir: {tmp_path / 'backups'}\n"
        f"logging:\n  file: {tmp_path / 'logs' / 'nex.log'}\n",
    )
    spec = service_spec(settings, platform=LINUX)
    assert spec.writable == (
        (tmp_path / "data folder").absolute(),
        tmp_path / "backups",
        tmp_path / "in box",
        tmp_path / "logs",
    )
    paths = unit_lines(systemd_unit(spec))["ReadWritePaths"]
    assert f'"{tmp_path / "data folder"}"' in paths
    assert f'"-{tmp_path / "in box"}"' in paths, "a folder missing at start is skipped"
    assert f"-{tmp_path / 'backups'}" in paths


def test_a_privileged_port_gets_only_the_capability_to_bind_it(tmp_path: Path) -> None:
    values = unit_lines(systemd_unit(service_spec(settings_for(tmp_path, "port: 443\n"))))
    assert values["CapabilityBoundingSet"] == "CAP_NET_BIND_SERVICE"
    assert values["AmbientCapabilities"] == "CAP_NET_BIND_SERVICE"


def test_data_under_home_keeps_home_readable(tmp_path: Path) -> None:
    spec = service_spec(settings_for(tmp_path / "data"), platform=LINUX)
    at_home = dataclasses.replace(spec, writable=(Path("/home/eva/nex"),))
    assert unit_lines(systemd_unit(at_home))["ProtectHome"] == "read-only"


def test_the_winsw_definition_restarts_on_failure_and_stops_gently(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "R&D data")
    xml = winsw_xml(service_spec(settings, name="nex-acme", platform=WINDOWS))
    root = ElementTree.fromstring(xml)
    assert root.findtext("id") == "nex-acme"
    arguments = [element.text for element in root.findall("argument")]
    assert arguments[-3:] == ["serve", "--data-dir", str((tmp_path / "R&D data").absolute())]
    assert [e.get("action") for e in root.findall("onfailure")] == ["restart"] * 3
    assert root.findtext("stoptimeout") == "55 sec"
    assert root.findtext("startmode") == "Automatic"
    assert root.findtext("serviceaccount/username") == "NT AUTHORITY\\LocalService"
    assert root.find("env").get("name") == "NEX_DATA_DIR"
    assert "&amp;" in xml


def test_the_install_plan_creates_a_missing_user_and_gives_it_the_data(tmp_path: Path) -> None:
    spec = service_spec(settings_for(tmp_path / "data"), user="nex-nobody-here", platform=LINUX)
    plan = linux_install(spec, tmp_path / "units", setup_user=True, enable=True)
    commands = [action.command for action in plan.actions if action.command]
    assert commands[0][:2] == ("useradd", "--system")
    assert commands[0][-1] == "nex-nobody-here"
    assert ("chown", "-R", "nex-nobody-here:nex-nobody-here", str(spec.data_dir)) in commands
    assert commands[-2:] == [
        ("systemctl", "daemon-reload"),
        ("systemctl", "enable", "--now", "nex-automat.service"),
    ]
    existing = service_spec(settings_for(tmp_path / "data"), user="root", platform=LINUX)
    plan = linux_install(existing, tmp_path / "units", setup_user=True, enable=False)
    assert not [a for a in plan.actions if a.command and a.command[0] == "useradd"]


def test_install_and_uninstall_write_and_remove_only_the_unit(tmp_path: Path) -> None:
    spec = service_spec(settings_for(tmp_path / "data"), platform=LINUX)
    units = tmp_path / "units"
    plan = linux_install(spec, units, setup_user=False, enable=False)
    assert [action.command for action in plan.actions] == [None]
    plan.perform()
    unit = units / "nex-automat.service"
    assert unit.read_text() == systemd_unit(spec)
    assert oct(unit.stat().st_mode & 0o777) == "0o644"
    status = linux_status(spec, units)
    assert status.installed
    linux_uninstall(spec, units, enable=False).perform()
    assert not unit.exists()
    assert not linux_status(spec, units).installed
    assert (tmp_path / "data" / "config.yaml").exists()


def test_on_windows_without_winsw_the_plan_says_how_to_finish(tmp_path: Path) -> None:
    spec = service_spec(settings_for(tmp_path / "data"), platform=WINDOWS)
    plan = windows_install(spec, tmp_path, enable=True)
    assert [action.path for action in plan.actions] == [tmp_path / "nex-automat.xml"]
    assert "WinSW" in plan.notes[0] and str(tmp_path / "nex-automat.exe") in plan.notes[0]
    assert "icacls" in plan.notes[1]
