"""What every installation command shares: the ``--data-dir`` and ``--tenant`` options and
settings that end the command with exit 2 when they cannot be loaded.

Kept apart from the command modules so that a command imports only its own module and this.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from nex_automat.errors import NexError
from nex_automat.ops.config import Settings, load_settings

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="NEX_DATA_DIR",
        help="The installation's data folder (default ./data).",
        show_default=False,
    ),
]
TenantOption = Annotated[
    str | None, typer.Option("--tenant", help="Tenant (default: the configured default).")
]

err = Console(stderr=True)


def settings_or_exit(data_dir: Path | None, **overrides: Any) -> Settings:
    try:
        return load_settings(data_dir, **overrides)
    except NexError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(2) from exc
