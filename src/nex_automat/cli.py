"""The ``nex-automat`` command: parses arguments and calls the rooms below it.

Each command lives in a ``cli_*`` module that imports the rooms it calls, and between them
they import nearly the whole package, which takes seconds. So the command list below names
where each command lives, and a command's module is imported only when that command runs;
``nex-automat --help`` lists every command from here without importing any of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """A command, or group of commands, that its module defines; loaded on first use."""

    module: str
    attribute: str
    summary: str
    """The line of the command list: the command's own help up to its first blank line."""

    def load(self, name: str) -> TyperCommand | TyperGroup:
        """The command as Typer builds it from the module's function or Typer app."""
        target = getattr(import_module(self.module), self.attribute)
        holder = typer.Typer(add_completion=False)
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=name)
        else:
            holder.command(name)(target)
        return typer.main.get_group(holder).commands[name]


COMMANDS: dict[str, LazyCommand] = {
    "extract": LazyCommand(
        "nex_automat.cli_extract",
        "extract",
        "Read supplier invoices and print what they say, with warnings for what looks wrong.",
    ),
    "convert": LazyCommand(
        "nex_automat.cli_extract",
        "convert",
        "Read any invoice NEX Automat understands and write it as ISDOC, UBL or CII.",
    ),
    "validate": LazyCommand(
        "nex_automat.cli_extract",
        "validate",
        "Check an e-invoice against its standard; exit 1 when it is not valid.",
    ),
    "init": LazyCommand(
        "nex_automat.cli_service",
        "init",
        "Create the data folder, a commented config file, the database and a first API key.",
    ),
    "serve": LazyCommand(
        "nex_automat.cli_processing",
        "serve",
        "Run the service: HTTP API, processing workers, mailboxes and watched folders.",
    ),
    "worker": LazyCommand(
        "nex_automat.cli_processing",
        "worker",
        "Process queued documents with the other workers sharing the PostgreSQL database.",
    ),
    "ingest": LazyCommand(
        "nex_automat.cli_processing",
        "ingest",
        "Store and process documents now, with progress, and print what became of each.",
    ),
    "doctor": LazyCommand(
        "nex_automat.cli_ops",
        "doctor",
        "Check everything the installation needs; exit 1 if anything fails.",
    ),
    "invoices": LazyCommand("nex_automat.cli_service", "invoices_app", "Look at stored invoices."),
    "apikey": LazyCommand("nex_automat.cli_service", "apikey_app", "API keys for the HTTP API."),
    "db": LazyCommand("nex_automat.cli_service", "db_app", "The database."),
    "user": LazyCommand(
        "nex_automat.cli_service", "user_app", "People who sign in to the review workspace."
    ),
    "catalog": LazyCommand(
        "nex_automat.cli_service", "catalog_app", "The product and partner catalogue."
    ),
    "config": LazyCommand(
        "nex_automat.cli_ops",
        "config_app",
        "The configuration: check it, show what is in effect.",
    ),
    "service": LazyCommand(
        "nex_automat.cli_ops",
        "service_app",
        "Run NEX Automat as a system service (systemd or WinSW).",
    ),
    "backup": LazyCommand(
        "nex_automat.cli_backup",
        "backup_app",
        "Backups: the database, document files and configuration.",
    ),
    "export": LazyCommand(
        "nex_automat.cli_export",
        "export_app",
        "The hand-over of approved invoices to the ERP.",
    ),
    "notify": LazyCommand("nex_automat.cli_notify", "notify_app", "E-mail notifications."),
    "tenant": LazyCommand(
        "nex_automat.cli_tenants",
        "tenant_app",
        "Tenants: the companies this installation serves.",
    ),
}


class _Listed(TyperCommand):
    """A command as the command list shows it, before its module is loaded."""

    def __init__(self, name: str, entry: LazyCommand) -> None:
        super().__init__(name, help=entry.summary)


class LazyCommands(TyperGroup):
    """The top-level commands of :data:`COMMANDS`, each loaded when it is looked up to run."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name, entry in COMMANDS.items():
            self.commands.setdefault(name, _Listed(name, entry))
        self._listing = False

    def get_command(self, ctx: typer.Context, cmd_name: str) -> TyperCommand | TyperGroup | None:
        command = self.commands.get(cmd_name)
        if isinstance(command, _Listed) and not self._listing:
            command = self.commands[cmd_name] = COMMANDS[cmd_name].load(cmd_name)
        return command  # type: ignore[return-value]

    def get_help(self, ctx: typer.Context) -> str:
        """The help page, its command list from :data:`COMMANDS`: nothing is loaded for it."""
        self._listing = True
        try:
            return super().get_help(ctx)
        finally:
            self._listing = False


app = typer.Typer(
    cls=LazyCommands,
    help="NEX Automat: supplier invoices in, checked structured data out.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """Keeps ``extract`` a subcommand even while it is the only one."""
