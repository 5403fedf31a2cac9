"""The service's background work: workers and watched folders run together and stop together."""

from __future__ import annotations

import time
from pathlib import Path

from nex_automat.ops.config import FolderSettings, load_settings
from nex_automat.ops.serve import background_work
from nex_automat.pipeline.services import build_services
from nex_automat.store.db import Database
from nex_automat.store.documents import Arrival
from nex_automat.store.models import (
    Document,
    DocumentSource,
    DocumentState,
    InvoiceRecord,
    JobState,
)
from tests.databases import create_postgres_database, drop_postgres_database
from tests.invoicegen import FAMILIES, generate


def _wait_for(condition: object, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def test_a_file_dropped_in_a_watched_folder_is_processed_while_serving(
    tmp_path: Path, database: Database
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = load_settings(
        tmp_path / "data",
        database_url=database.engine.url.render_as_string(hide_password=False),
        folders=[FolderSettings(path=inbox, poll_seconds=0.1)],
    )
    services = build_services(settings)
    generated = generate(11, FAMILIES[4])
    try:
        with background_work(services):
            (inbox / "faktura.pdf").write_bytes(generated.pdf)

            def processed() -> bool:
                with services.db.session() as session:
                    states = [d.state for d in session.query(Document).all()]
                return states == [DocumentState.PROCESSED]

            assert _wait_for(processed), "the dropped file was not processed in time"
            assert (inbox / "processed" / "faktura.pdf").is_file()
        with services.db.session() as session:
            (document,) = session.query(Document).all()
            (invoice,) = session.query(InvoiceRecord).all()
            assert document.source == DocumentSource.FOLDER
            assert document.filename == "faktura.pdf"
            assert invoice.number == generated.invoice.number
        assert not services.runner.running
    finally:
        services.close()


def test_with_external_workers_the_service_leaves_its_queue_to_them(tmp_path: Path) -> None:
    url = create_postgres_database()
    settings = load_settings(tmp_path / "data", database_url=url, external_workers=True)
    services = build_services(settings)
    try:
        with background_work(services):
            services.intake.receive(
                "default",
                generate(12, FAMILIES[0]).pdf,
                Arrival(source=DocumentSource.UPLOAD, filename="faktura.pdf"),
            )
            time.sleep(1.5)
            assert not services.runner.running
        assert services.queue.counts() == {JobState.QUEUED: 1}
    finally:
        services.close()
        drop_postgres_database(url)
