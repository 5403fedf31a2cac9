"""The ``export`` commands: the hand-over to the ERP seen from the command line.

``export list`` shows deliveries (failed ones by default) and ``export retry`` asks for
another try of some, or of every failed one after an ERP outage. The running service
makes the tries: a retry here only queues them, as the retry button in the workspace does.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nex_automat.cli_common import DataDir, TenantOption, settings_or_exit
from nex_automat.pipeline.export.handover import HandoverWorker
from nex_automat.store.db import open_database
from nex_automat.store.exports import DeliveryNotFound, DeliveryNotRetryable, list_deliveries
from nex_automat.store.models import DeliveryState
from nex_automat.web.api_exports import delivery_json

CLI_ACTOR = "cli"
MAX_LISTED = 1000

err = Console(stderr=True)
export_app = typer.Typer(
    help="The hand-over of approved invoices to the ERP.", no_args_is_help=True
)


@export_app.command("list")
def export_list(
    data_dir: DataDir = None,
    tenant: TenantOption = None,
    state: Annotated[
        list[DeliveryState] | None,
        typer.Option(help="Only these states (repeatable); default: failed."),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Every state.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=MAX_LISTED)] = 100,
) -> None:
    """Deliveries, most recently changed first."""
    settings = settings_or_exit(data_dir)
    states = () if show_all else tuple(state or (DeliveryState.FAILED,))
    db = open_database(settings.effective_database_url())
    try:
        with db.tenant_session(tenant or settings.default_tenant) as session:
            rows = list_deliveries(session, states=states, limit=limit)
            items = [(row.invoice_number, delivery_json(row.delivery)) for row in rows]
    finally:
        db.dispose()
    table = Table(title=f"Deliveries ({len(items)})")
    for column in ("id", "invoice", "connector", "format", "state", "tries", "error"):
        table.add_column(column)
    for number, item in items:
        table.add_row(
            str(item["id"]),
            number or item["invoice_id"],
            item["connector"],
            item["format"],
            item["state"],
            str(item["attempts"]),
            escape(item["last_error"] or ""),
        )
    Console().print(table)


@export_app.command("retry")
def export_retry(
    delivery_ids: Annotated[
        list[int] | None, typer.Argument(help="Deliveries to try again (see `export list`).")
    ] = None,
    all_failed: Annotated[
        bool, typer.Option("--all-failed", help="Every failed delivery of the tenant.")
    ] = False,
    data_dir: DataDir = None,
    tenant: TenantOption = None,
) -> None:
    """Queue another try now; the running service makes it."""
    if not delivery_ids and not all_failed:
        err.print("name deliveries to retry, or give --all-failed")
        raise typer.Exit(2)
    settings = settings_or_exit(data_dir)
    tenant_id = tenant or settings.default_tenant
    db = open_database(settings.effective_database_url())
    refused = 0
    try:
        worker = HandoverWorker(db, settings.exports)
        with db.tenant_session(tenant_id) as session:
            wanted = list(delivery_ids or [])
            if all_failed:
                failed = list_deliveries(session, states=(DeliveryState.FAILED,), limit=MAX_LISTED)
                wanted += [row.delivery.id for row in failed]
            for delivery_id in dict.fromkeys(wanted):
                try:
                    worker.retry(session, delivery_id, actor=CLI_ACTOR)
                except (DeliveryNotFound, DeliveryNotRetryable) as error:
                    err.print(f"[red]{delivery_id}:[/red] {escape(error.message)}")
                    refused += 1
                    continue
                err.print(f"{delivery_id}: queued")
    finally:
        db.dispose()
    if refused:
        raise typer.Exit(1)
