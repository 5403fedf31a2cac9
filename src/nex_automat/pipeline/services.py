"""The pieces of a running installation, built once from the settings and wired together."""

from __future__ import annotations

from dataclasses import dataclass, field

from nex_automat.catalog.cache import CatalogueCache
from nex_automat.extract.document import ExtractOptions
from nex_automat.ops.config import Settings
from nex_automat.ops.metrics import Metrics, StateCollector
from nex_automat.ops.upgrade import upgrade_database
from nex_automat.pipeline.export.handover import HANDOVER_JOB, HandoverWorker
from nex_automat.pipeline.intake import Intake
from nex_automat.pipeline.mailbox import MailboxPoller
from nex_automat.pipeline.process import DocumentProcessor
from nex_automat.pipeline.runner import InProcessRunner
from nex_automat.pipeline.tenant_templates import TenantTemplates
from nex_automat.store.db import Database, open_database
from nex_automat.store.files import DocumentFiles
from nex_automat.store.jobs import JobQueue
from nex_automat.store.tenants import ensure_tenant


@dataclass
class Services:
    settings: Settings
    db: Database
    files: DocumentFiles
    queue: JobQueue
    intake: Intake
    processor: DocumentProcessor
    runner: InProcessRunner
    catalogue: CatalogueCache
    handover: HandoverWorker
    metrics: Metrics = field(default_factory=Metrics)
    pollers: list[MailboxPoller] = field(default_factory=list)
    """One per configured mailbox; the service runs them, health and metrics read them."""

    def close(self, timeout: float = 10) -> None:
        """Stop the workers (letting jobs in hand finish) and close the database."""
        self.runner.stop(timeout)
        self.db.dispose()


def build_services(settings: Settings) -> Services:
    """Open and migrate the database and wire the pipeline; the workers are not started.

    Migrating an existing database takes a backup first (see :mod:`nex_automat.ops.upgrade`).
    """
    db = open_database(settings.effective_database_url())
    upgrade_database(settings, db)
    ensure_tenant(db, settings.default_tenant)
    files = DocumentFiles(settings.documents_dir)
    queue = JobQueue(db)
    metrics = Metrics()
    catalogue = CatalogueCache(db)
    processor = DocumentProcessor(
        db,
        files,
        templates=TenantTemplates(settings.templates_dir),
        options=ExtractOptions(max_pages=settings.max_pages, max_bytes=settings.upload_max_bytes),
        catalogue=catalogue,
        events=metrics,
    )
    handover = HandoverWorker(db, settings.exports)
    runner = InProcessRunner(
        db,
        files,
        queue,
        processor,
        workers=settings.workers,
        handlers={HANDOVER_JOB: handover.run_job},
        lease=settings.worker_stalled_after,
    )
    intake = Intake(
        db,
        files,
        queue,
        max_bytes=settings.upload_max_bytes,
        on_queued=runner.wake,
        events=metrics,
    )
    pollers = [MailboxPoller(mailbox, intake, db) for mailbox in settings.mailboxes]
    metrics.watch(StateCollector(settings, db, queue, pollers))
    return Services(
        settings=settings,
        db=db,
        files=files,
        queue=queue,
        intake=intake,
        processor=processor,
        runner=runner,
        catalogue=catalogue,
        handover=handover,
        metrics=metrics,
        pollers=pollers,
    )
