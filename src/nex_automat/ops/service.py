"""Running NEX Automat as a system service: a systemd unit on Linux, WinSW on Windows.

Both run ``nex-automat serve --data-dir …`` from the installation's own environment,
restart it when it fails, and stop it with the signal it shuts down cleanly on (SIGTERM
from systemd, Ctrl+C from WinSW), giving it time to finish the jobs in hand
(``shutdown_seconds``). Several installations live side by side under different names.

On Linux the unit runs as a dedicated system user that owns the data folder and may write
nowhere else (``ProtectSystem=strict`` with ``ReadWritePaths``), with the usual hardening:
no new privileges, private /tmp, no home directories, no capabilities, no kernel tuning.
Secrets go in an environment file only root can read (``/etc/nex-automat/<name>.env``,
``NEX_…=`` lines), which systemd reads before dropping privileges.

On Windows the service definition is a WinSW XML file beside WinSW's executable, renamed
to ``<name>.exe``; the account is ``NT AUTHORITY\\LocalService``, which must be granted
the data folder.

Installing is a plan of :class:`Action` s, so ``--dry-run`` shows exactly what would be
done and the tests check the plan without touching the machine.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from nex_automat.files import write_atomically
from nex_automat.ops.config import Settings
from nex_automat.ops.logging import log_file_path

if sys.platform != "win32":
    import pwd

LINUX = "linux"
WINDOWS = "windows"
PLATFORMS = (LINUX, WINDOWS)
DEFAULT_NAME = "nex-automat"
DEFAULT_USER = "nex-automat"
SYSTEMD_UNIT_DIR = Path("/etc/systemd/system")
ENV_DIR = Path("/etc/nex-automat")
WINDOWS_ACCOUNT = "NT AUTHORITY\\LocalService"
STOP_MARGIN_SECONDS = 15
"""Beyond twice ``shutdown_seconds`` (requests, then jobs), for the intake threads."""
PRIVILEGED_PORTS = 1024
HOME_TREES = (Path("/home"), Path("/root"), Path("/run/user"))


def current_platform() -> str:
    return WINDOWS if sys.platform.startswith("win") else LINUX


@dataclass(frozen=True)
class ServiceSpec:
    """What the service runs and may touch, worked out from the settings."""

    name: str
    user: str
    data_dir: Path
    command: tuple[str, ...]
    writable: tuple[Path, ...]
    port: int
    stop_seconds: int

    @property
    def env_file(self) -> Path:
        return ENV_DIR / f"{self.name}.env"


def serve_command(data_dir: Path, platform: str) -> tuple[str, ...]:
    """``nex-automat serve`` of the environment this runs in, for ``data_dir``."""
    scripts = Path(sys.executable).parent
    executable = scripts / ("nex-automat.exe" if platform == WINDOWS else "nex-automat")
    if executable.is_file():
        return (str(executable), "serve", "--data-dir", str(data_dir))
    return (sys.executable, "-m", "nex_automat", "serve", "--data-dir", str(data_dir))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def writable_paths(settings: Settings) -> tuple[Path, ...]:
    """The data folder and whatever else the service writes: backups, log, watched folders."""
    data_dir = settings.data_dir.absolute()
    candidates = [settings.backup_dir.absolute(), *(f.path.absolute() for f in settings.folders)]
    log_file = log_file_path(settings)
    if log_file is not None:
        candidates.append(log_file.absolute().parent)
    paths = [data_dir]
    for path in candidates:
        if not any(_inside(path, kept) for kept in paths):
            paths.append(path)
    return tuple(paths)


def service_spec(
    settings: Settings,
    *,
    name: str = DEFAULT_NAME,
    user: str = DEFAULT_USER,
    platform: str | None = None,
) -> ServiceSpec:
    platform = platform or current_platform()
    data_dir = settings.data_dir.absolute()
    return ServiceSpec(
        name=name,
        user=user,
        data_dir=data_dir,
        command=serve_command(data_dir, platform),
        writable=writable_paths(settings),
        port=settings.port,
        stop_seconds=math.ceil(2 * settings.shutdown_seconds) + STOP_MARGIN_SECONDS,
    )


# ------------------------------------------------------------------------------ systemd


def _systemd_quote(word: str) -> str:
    """One word of a unit file line: specifiers and variables escaped, quoted if needed."""
    escaped = word.replace("%", "%%").replace("$", "$$")
    if any(c.isspace() or c in "\"'\\;" for c in escaped):
        return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return escaped


def _systemd_words(words: Sequence[str | Path]) -> str:
    return " ".join(_systemd_quote(str(word)) for word in words)


def _read_write_paths(spec: ServiceSpec) -> list[str]:
    """The data folder, then the rest marked ``-``: a folder missing at start (a backup
    disk not mounted) must not keep the service from starting; its own check reports it."""
    data_dir, *others = spec.writable
    return [str(data_dir), *(f"-{path}" for path in others)]


def systemd_unit(spec: ServiceSpec) -> str:
    """The unit file (see the module docstring for what it grants and forbids)."""
    protect_home = "yes"
    touched = [*spec.writable, Path(spec.command[0])]
    if any(_inside(path, tree) for path in touched for tree in HOME_TREES):
        protect_home = "read-only"
    capabilities = ""
    if spec.port < PRIVILEGED_PORTS:
        capabilities = "CAP_NET_BIND_SERVICE"
    lines = [
        "# Written by `nex-automat service install`; run it again rather than editing.",
        "[Unit]",
        f"Description=NEX Automat: supplier invoices ({spec.data_dir})",
        "After=network-online.target postgresql.service",
        "Wants=network-online.target",
        "",
        "[Service]",
        "Type=exec",
        f"User={spec.user}",
        f"Group={spec.user}",
        f"EnvironmentFile=-{spec.env_file}",
        "WorkingDirectory=" + str(spec.data_dir).replace("%", "%%"),
        f"ExecStart={_systemd_words(spec.command)}",
        "Restart=on-failure",
        "RestartSec=5",
        "KillSignal=SIGTERM",
        "KillMode=mixed",
        f"TimeoutStopSec={spec.stop_seconds}",
        "UMask=0027",
        "",
        "# Hardening: write only where the data lives, no privileges, nothing else visible.",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        f"ReadWritePaths={_systemd_words(_read_write_paths(spec))}",
        f"ProtectHome={protect_home}",
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectKernelLogs=yes",
        "ProtectControlGroups=yes",
        "ProtectClock=yes",
        "ProtectHostname=yes",
        "RestrictSUIDSGID=yes",
        "RestrictRealtime=yes",
        "RestrictNamespaces=yes",
        "LockPersonality=yes",
        "RemoveIPC=yes",
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
        "SystemCallArchitectures=native",
        "SystemCallFilter=@system-service",
        f"CapabilityBoundingSet={capabilities}",
        f"AmbientCapabilities={capabilities}",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
    ]
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------------------- WinSW


def winsw_xml(spec: ServiceSpec) -> str:
    """The WinSW service definition: Ctrl+C to stop, restarts on failure, rolled logs."""
    root = ElementTree.Element("service")

    def add(tag: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
        element = ElementTree.SubElement(root, tag, attributes)
        element.text = text
        return element

    data_dir = str(spec.data_dir)
    add("id", spec.name)
    add("name", f"NEX Automat ({spec.name})")
    add("description", f"NEX Automat: supplier invoices in, checked data out ({data_dir}).")
    add("executable", spec.command[0])
    for argument in spec.command[1:]:
        add("argument", argument)
    add("workingdirectory", data_dir)
    add("env", name="NEX_DATA_DIR", value=data_dir)
    add("startmode", "Automatic")
    add("delayedAutoStart", "true")
    for delay in ("10 sec", "30 sec", "60 sec"):
        add("onfailure", action="restart", delay=delay)
    add("resetfailure", "1 hour")
    add("stoptimeout", f"{spec.stop_seconds} sec")
    log = add("log", mode="roll-by-size")
    ElementTree.SubElement(log, "sizeThreshold").text = "10240"
    ElementTree.SubElement(log, "keepFiles").text = "8"
    add("logpath", str(spec.data_dir / "service-logs"))
    account = add("serviceaccount")
    ElementTree.SubElement(account, "username").text = WINDOWS_ACCOUNT
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# --------------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class Action:
    """One step of an install or uninstall: write a file, remove one, or run a command."""

    summary: str
    command: tuple[str, ...] | None = None
    path: Path | None = None
    content: str | None = None
    remove: bool = False

    def perform(self) -> None:
        if self.path is not None and self.content is not None:
            write_atomically(self.path, self.content.encode("utf-8"), mode=0o644)
        elif self.path is not None and self.remove:
            self.path.unlink(missing_ok=True)
        elif self.command is not None:
            subprocess.run(self.command, check=True, capture_output=True, text=True)


@dataclass(frozen=True)
class Plan:
    actions: list[Action]
    notes: list[str] = field(default_factory=list)
    """What is left for the operator to do by hand."""

    def perform(self) -> None:
        for action in self.actions:
            action.perform()


def unit_path(spec: ServiceSpec, unit_dir: Path) -> Path:
    return unit_dir / f"{spec.name}.service"


def winsw_paths(spec: ServiceSpec, service_dir: Path) -> tuple[Path, Path]:
    """The XML and the WinSW executable it belongs to (same name, side by side)."""
    return service_dir / f"{spec.name}.xml", service_dir / f"{spec.name}.exe"


def default_unit_dir(platform: str) -> Path:
    """systemd's folder for units; on Windows the environment's folder (beside the install)."""
    return SYSTEMD_UNIT_DIR if platform == LINUX else Path(sys.prefix)


def _user_exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


def _useradd(spec: ServiceSpec) -> tuple[str, ...]:
    """A system user and group of its own, no login, its home the data folder."""
    return (
        *("useradd", "--system", "--user-group", "--no-create-home"),
        *("--home-dir", str(spec.data_dir), "--shell", "/usr/sbin/nologin"),
        spec.user,
    )


def linux_install(spec: ServiceSpec, unit_dir: Path, *, setup_user: bool, enable: bool) -> Plan:
    actions: list[Action] = []
    if setup_user:
        if not _user_exists(spec.user):
            actions.append(Action(f"create the system user {spec.user}", command=_useradd(spec)))
        for path in spec.writable:
            if not path.exists():
                actions.append(Action(f"create {path}", command=("mkdir", "-p", str(path))))
            actions.append(
                Action(
                    f"give {spec.user} {path}",
                    command=("chown", "-R", f"{spec.user}:{spec.user}", str(path)),
                )
            )
    path = unit_path(spec, unit_dir)
    actions.append(Action(f"write {path}", path=path, content=systemd_unit(spec)))
    notes = [
        f"secrets (NEX_…=value lines) go in {spec.env_file}, owned by root, mode 600",
    ]
    if enable:
        actions.append(Action("reload systemd", command=("systemctl", "daemon-reload")))
        actions.append(
            Action(
                f"enable and start {spec.name}",
                command=("systemctl", "enable", "--now", f"{spec.name}.service"),
            )
        )
    else:
        notes.append(
            f"enable and start it: systemctl daemon-reload && systemctl enable --now {spec.name}"
        )
    return Plan(actions, notes)


def linux_uninstall(spec: ServiceSpec, unit_dir: Path, *, enable: bool) -> Plan:
    actions: list[Action] = []
    if enable:
        actions.append(
            Action(
                f"stop and disable {spec.name}",
                command=("systemctl", "disable", "--now", f"{spec.name}.service"),
            )
        )
    path = unit_path(spec, unit_dir)
    actions.append(Action(f"remove {path}", path=path, remove=True))
    if enable:
        actions.append(Action("reload systemd", command=("systemctl", "daemon-reload")))
    notes = [f"the user {spec.user} and the data in {spec.data_dir} are kept"]
    return Plan(actions, notes)


def windows_install(spec: ServiceSpec, service_dir: Path, *, enable: bool) -> Plan:
    xml, executable = winsw_paths(spec, service_dir)
    actions = [Action(f"write {xml}", path=xml, content=winsw_xml(spec))]
    grant = f'icacls "{spec.data_dir}" /grant "{WINDOWS_ACCOUNT}:(OI)(CI)M"'
    notes = [f"let the service's account write the data folder: {grant}"]
    if executable.is_file():
        actions.append(Action(f"install {spec.name}", command=(str(executable), "install")))
        if enable:
            actions.append(Action(f"start {spec.name}", command=(str(executable), "start")))
    else:
        notes.insert(
            0,
            f"save WinSW (WinSW-x64.exe, from its releases) as {executable}, then run "
            f'"{executable}" install and "{executable}" start in an administrator prompt',
        )
    return Plan(actions, notes)


def windows_uninstall(spec: ServiceSpec, service_dir: Path) -> Plan:
    xml, executable = winsw_paths(spec, service_dir)
    actions: list[Action] = []
    if executable.is_file():
        actions.append(Action(f"stop {spec.name}", command=(str(executable), "stop")))
        actions.append(Action(f"uninstall {spec.name}", command=(str(executable), "uninstall")))
    actions.append(Action(f"remove {xml}", path=xml, remove=True))
    return Plan(actions, [f"the data in {spec.data_dir} is kept"])


# -------------------------------------------------------------------------------- status


@dataclass(frozen=True)
class ServiceStatus:
    installed: bool
    definition: Path
    """The unit file or WinSW XML."""
    running: bool | None
    """``None`` when the service manager cannot be asked (no systemd running here)."""
    details: dict[str, str] = field(default_factory=dict)


SYSTEMD_PROPERTIES = (
    "LoadState",
    "ActiveState",
    "SubState",
    "MainPID",
    "ExecMainStartTimestamp",
    "NRestarts",
    "UnitFileState",
)


def systemd_running() -> bool:
    """Whether this machine's init is systemd (so ``systemctl`` can answer)."""
    return Path("/run/systemd/system").is_dir() and shutil.which("systemctl") is not None


def linux_status(spec: ServiceSpec, unit_dir: Path) -> ServiceStatus:
    path = unit_path(spec, unit_dir)
    if not systemd_running():
        return ServiceStatus(path.is_file(), path, None)
    properties = "--property=" + ",".join(SYSTEMD_PROPERTIES)
    command = ["systemctl", "show", f"{spec.name}.service", properties]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    details = dict(line.split("=", 1) for line in completed.stdout.splitlines() if "=" in line)
    installed = path.is_file() or details.get("LoadState") == "loaded"
    return ServiceStatus(installed, path, details.get("ActiveState") == "active", details)


WINSW_RUNNING = ("active", "started")
"""How WinSW 3 ("Active (running)") and WinSW 2 ("Started") say the service runs."""


def windows_status(spec: ServiceSpec, service_dir: Path) -> ServiceStatus:
    xml, executable = winsw_paths(spec, service_dir)
    if not executable.is_file():
        return ServiceStatus(xml.is_file(), xml, None)
    completed = subprocess.run(
        [str(executable), "status"], capture_output=True, text=True, check=False
    )
    state = completed.stdout.strip()
    running = state.lower().startswith(WINSW_RUNNING)
    return ServiceStatus(xml.is_file(), xml, running, {"WinSW": state})


def can_write(folder: Path) -> bool:
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return os.access(existing, os.W_OK)
