"""The commands that run an installation: ``config``, ``service`` and ``doctor``.

Thin like ``cli.py``: each parses, calls :mod:`nex_automat.ops` and prints. Problems go
to stderr; what a script reads (``config show``, ``service install --print``) to stdout.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nex_automat.cli_common import DataDir
from nex_automat.console import progress_bar
from nex_automat.errors import NexError
from nex_automat.ops import service
from nex_automat.ops.config import Settings, load_settings
from nex_automat.ops.config_check import check_configuration
from nex_automat.ops.config_view import render_settings
from nex_automat.ops.doctor import Finding, Verdict, any_failed, examine

INVALID_CONFIG = 2
NOT_RUNNING = 3
"""``service status`` for an installed service that is not running, as ``systemctl`` says."""

err = Console(stderr=True)
config_app = typer.Typer(help="The configuration: check it, show what is in effect.")
service_app = typer.Typer(help="Run NEX Automat as a system service (systemd or WinSW).")
for sub_app in (config_app, service_app):
    sub_app.info.no_args_is_help = True


def _settings(data_dir: Path | None) -> Settings:
    try:
        return load_settings(data_dir)
    except NexError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(INVALID_CONFIG) from exc


# ------------------------------------------------------------------------------- config


@config_app.command("check")
def config_check(data_dir: DataDir = None) -> None:
    """Validate the config file and NEX_* variables, and what they point to."""
    report = check_configuration(data_dir)
    if report.ok:
        err.print(f"[green]configuration valid:[/green] {report.config_file}")
        return
    err.print(f"[red]configuration invalid[/red] ({report.config_file}):", highlight=False)
    for problem in report.problems:
        err.print(f"  - {problem}", highlight=False, markup=False)
    raise typer.Exit(INVALID_CONFIG)


@config_app.command("show")
def config_show(
    data_dir: DataDir = None,
    sources: Annotated[
        bool, typer.Option(help="Comment each value with where it came from.")
    ] = True,
) -> None:
    """Print the effective settings as YAML, every secret masked."""
    sys.stdout.write(render_settings(_settings(data_dir), with_sources=sources))


# ------------------------------------------------------------------------------ service

NameOption = Annotated[
    str, typer.Option("--name", help="The service's name; one per installation.")
]
UnitDirOption = Annotated[
    Path | None,
    typer.Option(
        "--unit-dir",
        help="Where the unit (Linux) or WinSW XML (Windows) goes; default: "
        "/etc/systemd/system, or the environment's folder on Windows.",
        show_default=False,
    ),
]
PlatformOption = Annotated[
    str | None,
    typer.Option(
        "--platform",
        help="linux or windows (default: this machine's), to prepare the other's file.",
        show_default=False,
    ),
]
EnableOption = Annotated[
    bool,
    typer.Option(help="Tell the service manager: enable and start (or stop and disable)."),
]


def _platform(given: str | None) -> str:
    platform = given or service.current_platform()
    if platform not in service.PLATFORMS:
        err.print(f"[red]--platform must be one of {', '.join(service.PLATFORMS)}[/red]")
        raise typer.Exit(INVALID_CONFIG)
    return platform


def _show_plan(plan: service.Plan, *, done: bool) -> None:
    for action in plan.actions:
        mark = "[green]✓[/green]" if done else "[dim]would[/dim]"
        command = " ".join(action.command) if action.command else ""
        err.print(f"{mark} {action.summary}", f"[dim]({command})[/dim]" if command else "")
    for note in plan.notes:
        err.print(f"[yellow]→[/yellow] {note}", highlight=False)


def _carry_out(plan: service.Plan, unit_dir: Path, *, dry_run: bool) -> None:
    """Show the plan (``--dry-run``) or perform it and show what was done."""
    if dry_run:
        _show_plan(plan, done=False)
        return
    if not service.can_write(unit_dir):
        err.print(f"[red]cannot write {unit_dir}[/red]; run as root (sudo) or as an administrator")
        raise typer.Exit(1)
    try:
        plan.perform()
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", None) or exc
        err.print(f"[red]failed:[/red] {detail}", highlight=False)
        raise typer.Exit(1) from exc
    _show_plan(plan, done=True)


@service_app.command("install")
def service_install(
    *,
    data_dir: DataDir = None,
    name: NameOption = service.DEFAULT_NAME,
    user: Annotated[
        str, typer.Option(help="Linux: the dedicated user the service runs as.")
    ] = service.DEFAULT_USER,
    unit_dir: UnitDirOption = None,
    platform: PlatformOption = None,
    setup_user: Annotated[
        bool, typer.Option(help="Linux: create the user if missing and give it the data.")
    ] = True,
    enable: EnableOption = True,
    print_only: Annotated[
        bool, typer.Option("--print", help="Only print the unit or XML to stdout.")
    ] = False,
    dry_run: Annotated[bool, typer.Option(help="Show what would be done, do nothing.")] = False,
) -> None:
    """Install the service: systemd unit (Linux) or WinSW definition (Windows)."""
    chosen = _platform(platform)
    spec = service.service_spec(_settings(data_dir), name=name, user=user, platform=chosen)
    if print_only:
        text = service.systemd_unit(spec) if chosen == service.LINUX else service.winsw_xml(spec)
        sys.stdout.write(text)
        return
    folder = unit_dir or service.default_unit_dir(chosen)
    if chosen == service.LINUX:
        plan = service.linux_install(spec, folder, setup_user=setup_user, enable=enable)
    else:
        plan = service.windows_install(spec, folder, enable=enable)
    _carry_out(plan, folder, dry_run=dry_run)


@service_app.command("uninstall")
def service_uninstall(
    *,
    data_dir: DataDir = None,
    name: NameOption = service.DEFAULT_NAME,
    unit_dir: UnitDirOption = None,
    platform: PlatformOption = None,
    enable: EnableOption = True,
    dry_run: Annotated[bool, typer.Option(help="Show what would be done, do nothing.")] = False,
) -> None:
    """Stop the service and remove its definition; the data stays."""
    chosen = _platform(platform)
    spec = service.service_spec(_settings(data_dir), name=name, platform=chosen)
    folder = unit_dir or service.default_unit_dir(chosen)
    if chosen == service.LINUX:
        plan = service.linux_uninstall(spec, folder, enable=enable)
    else:
        plan = service.windows_uninstall(spec, folder)
    _carry_out(plan, folder, dry_run=dry_run)


@service_app.command("status")
def service_status(
    data_dir: DataDir = None,
    name: NameOption = service.DEFAULT_NAME,
    unit_dir: UnitDirOption = None,
) -> None:
    """Whether the service is installed and running (exit 0 running, 3 not, 4 not installed)."""
    platform = service.current_platform()
    spec = service.service_spec(_settings(data_dir), name=name, platform=platform)
    folder = unit_dir or service.default_unit_dir(platform)
    if platform == service.LINUX:
        status = service.linux_status(spec, folder)
    else:
        status = service.windows_status(spec, folder)
    out = Console(highlight=False)
    if not status.installed:
        out.print(f"{spec.name}: not installed ({status.definition} does not exist)")
        raise typer.Exit(4)
    for key, value in status.details.items():
        out.print(f"{key}: {value}")
    if status.running is None:
        out.print(f"{spec.name}: installed ({status.definition}); no service manager to ask")
        return
    out.print(f"{spec.name}: {'running' if status.running else 'not running'}")
    raise typer.Exit(0 if status.running else NOT_RUNNING)


# ------------------------------------------------------------------------------- doctor

VERDICT_STYLES = {Verdict.PASS: "green", Verdict.WARN: "yellow", Verdict.FAIL: "red bold"}


def doctor(data_dir: DataDir = None) -> None:
    """Check everything the installation needs; exit 1 if anything fails."""
    findings: list[Finding] = []
    with progress_bar(err, show=True) as progress:
        task = progress.add_task("Checking", total=None)
        for finding in examine(data_dir):
            findings.append(finding)
            progress.update(task, description=f"Checked {finding.check}")
    table = Table(title="NEX Automat doctor")
    for column in ("check", "result", "detail"):
        table.add_column(column)
    for finding in findings:
        style = VERDICT_STYLES[finding.verdict]
        table.add_row(
            escape(finding.check), f"[{style}]{finding.verdict.upper()}[/]", escape(finding.detail)
        )
    Console().print(table)
    raise typer.Exit(1 if any_failed(findings) else 0)
