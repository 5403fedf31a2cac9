"""``nex-automat tenant``: the companies one installation serves.

Thin like ``cli.py``: it reads the settings, calls :mod:`nex_automat.store.tenants` and
prints. A tenant's API keys and users are made with ``apikey create --tenant`` and
``user create --tenant``; its mailboxes, folders and syncs name it in the config file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nex_automat.cli_common import DataDir
from nex_automat.errors import NexError
from nex_automat.ops.config import load_settings
from nex_automat.ops.upgrade import upgrade_database
from nex_automat.store.db import StoreSession, open_database
from nex_automat.store.tenants import create_tenant, set_tenant_disabled, tenant_overviews

INVALID = 2
"""Exit code when the tenant named cannot be created or changed."""

err = Console(stderr=True, highlight=False, markup=False)
"""Messages quote ids and names as given: never read as markup."""
tenant_app = typer.Typer(
    help="Tenants: the companies this installation serves.", no_args_is_help=True
)
TenantId = Annotated[
    str, typer.Argument(help="The tenant's id: a short slug such as acme or stavmat-sk.")
]


@contextmanager
def _installation(data_dir: Path | None) -> Iterator[StoreSession]:
    """A cross-tenant session over the installation's up-to-date database; a store error
    becomes its message and exit code 2."""
    try:
        settings = load_settings(data_dir)
        db = open_database(settings.effective_database_url())
    except NexError as exc:
        err.print(f"{exc.code}: {exc.message}")
        raise typer.Exit(INVALID) from exc
    try:
        upgrade_database(settings, db)
        with db.session() as session:
            yield session
    except NexError as exc:
        err.print(f"{exc.code}: {exc.message}")
        raise typer.Exit(INVALID) from exc
    finally:
        db.dispose()


@tenant_app.command("create")
def tenant_create(
    tenant_id: TenantId,
    name: Annotated[str, typer.Option("--name", help="The company's name.")],
    data_dir: DataDir = None,
) -> None:
    """Add a tenant; then give it API keys and users of its own."""
    with _installation(data_dir) as session:
        create_tenant(session, tenant_id, name)
    err.print(f"tenant {tenant_id} ({name}) created")
    err.print(
        f"next: `nex-automat apikey create --tenant {tenant_id}` and "
        f"`nex-automat user create NAME --role admin --tenant {tenant_id}`"
    )


@tenant_app.command("list")
def tenant_list(data_dir: DataDir = None) -> None:
    """Every tenant, whether it is active, and how many users and live API keys it has."""
    with _installation(data_dir) as session:
        rows = [
            (
                o.tenant.id,
                escape(o.tenant.name),
                "disabled" if o.tenant.disabled else "active",
                str(o.users),
                str(o.live_api_keys),
                o.tenant.created_at.strftime("%Y-%m-%d %H:%M"),
            )
            for o in tenant_overviews(session)
        ]
    table = Table(title="Tenants")
    for column in ("id", "name", "state", "users", "API keys", "created"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    Console(highlight=False).print(table)


@tenant_app.command("disable")
def tenant_disable(tenant_id: TenantId, data_dir: DataDir = None) -> None:
    """Refuse the tenant's API keys and users, stop polling its mailboxes, folders and syncs.

    Nothing is deleted: ``tenant enable`` brings it all back.
    """
    with _installation(data_dir) as session:
        set_tenant_disabled(session, tenant_id, True)
    err.print(f"tenant {tenant_id} disabled: its API keys and users are refused")


@tenant_app.command("enable")
def tenant_enable(tenant_id: TenantId, data_dir: DataDir = None) -> None:
    """Let a disabled tenant's keys and users in again and resume its intake."""
    with _installation(data_dir) as session:
        set_tenant_disabled(session, tenant_id, False)
    err.print(f"tenant {tenant_id} enabled")
