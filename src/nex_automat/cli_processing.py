"""Commands that process documents: the service, distributed workers, and ingesting files
from the command line with progress.

They wire the whole pipeline (:func:`~nex_automat.pipeline.services.build_services`), so
they live apart from the commands that only read or change the database, which then start
without it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from nex_automat.cli_common import DataDir, TenantOption, err, settings_or_exit
from nex_automat.console import progress_bar
from nex_automat.errors import NexError
from nex_automat.filenames import safe_filename
from nex_automat.files import expand_documents
from nex_automat.ops.logging import configure_logging
from nex_automat.pipeline.runner import run_pending
from nex_automat.pipeline.services import Services, build_services
from nex_automat.pipeline.workers import WorkerNode, WorkersNeedPostgres, libpq_url
from nex_automat.store.documents import Arrival, get_document
from nex_automat.store.invoices import get_invoice_for_document
from nex_automat.store.models import DocumentSource
from nex_automat.store.tenants import get_tenant


def serve(
    data_dir: DataDir = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Run the service: HTTP API, processing workers, mailboxes and watched folders."""
    # The web stack and the scheduled tasks load only for the command that runs them, so
    # the other commands (extract above all) start without them.
    from nex_automat.ops.serve import serve as serve_forever  # noqa: PLC0415

    settings = settings_or_exit(data_dir, host=host, port=port)
    services = build_services(settings)
    try:
        serve_forever(services, host=settings.host, port=settings.port)
    finally:
        services.close()


def worker(
    data_dir: DataDir = None,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Jobs this process runs at once (one per CPU core).")
    ] = 1,
) -> None:
    """Process queued documents with the other workers sharing the PostgreSQL database."""
    settings = settings_or_exit(data_dir)
    try:
        libpq_url(settings.effective_database_url())
    except WorkersNeedPostgres as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    configure_logging(settings)
    services = build_services(settings)
    try:
        WorkerNode(services, concurrency=concurrency).run()
    finally:
        services.close()


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files, or folders of documents.")],
    data_dir: DataDir = None,
    tenant: TenantOption = None,
) -> None:
    """Store and process documents now, with progress, and print what became of each."""
    settings = settings_or_exit(data_dir)
    tenant_id = tenant or settings.default_tenant
    services = build_services(settings)
    try:
        _require_tenant(services, tenant_id)
        files = list(expand_documents(paths))
        received: list[tuple[Path, str | None, str | None]] = []
        with progress_bar(err, show=True) as progress:
            task = progress.add_task("Storing", total=len(files))
            for path in files:
                received.append((path, *_receive(services, tenant_id, path)))
                progress.advance(task)
            queued = services.queue.counts().get("queued", 0)
            task = progress.add_task("Processing", total=queued)
            run_pending(
                services.queue,
                services.processor,
                on_done=lambda: progress.advance(task),
                handlers=services.runner.handlers,
            )
        failed = _print_ingest_summary(services, tenant_id, received)
    finally:
        services.close()
    raise typer.Exit(1 if failed else 0)


def _require_tenant(services: Services, tenant_id: str) -> None:
    with services.db.session() as session:
        if get_tenant(session, tenant_id) is None:
            err.print(f"[red]unknown tenant {tenant_id!r}[/red]")
            raise typer.Exit(2)


def _receive(services: Services, tenant_id: str, path: Path) -> tuple[str | None, str | None]:
    """The document id, or the error that kept the file out."""
    arrival = Arrival(
        source=DocumentSource.CLI, filename=safe_filename(path.name), received_at=datetime.now(UTC)
    )
    try:
        receipt = services.intake.receive(tenant_id, path.read_bytes(), arrival)
    except NexError as exc:
        return None, f"{exc.code}: {exc.message}"
    except OSError as exc:
        return None, f"file_not_found: {exc.strerror}"
    return receipt.document_id, None


def _print_ingest_summary(
    services: Services, tenant_id: str, received: list[tuple[Path, str | None, str | None]]
) -> bool:
    table = Table(title="Ingested documents")
    for column in ("file", "state", "invoice", "supplier", "total", "warnings / error"):
        table.add_column(column)
    failed = False
    with services.db.tenant_session(tenant_id) as session:
        for path, document_id, refused in received:
            if document_id is None:
                failed = True
                table.add_row(path.name, "[red]refused[/red]", "", "", "", refused or "")
                continue
            document = get_document(session, document_id)
            assert document is not None
            record = get_invoice_for_document(session, document_id)
            state = str(document.state)
            if document.error_code:
                failed = True
                table.add_row(path.name, f"[red]{state}[/red]", "", "", "", document.error_code)
                continue
            number = record.number if record else None
            supplier = record.supplier_name if record else None
            total = f"{record.total_gross or record.amount_due or ''} {record.currency or ''}"
            notes = ", ".join(sorted({w["code"] for w in record.warnings})) if record else ""
            table.add_row(path.name, state, number or "", supplier or "", total, notes)
    Console().print(table)
    return failed
