"""The service's numbers for Prometheus, served on ``/metrics``.

Every running service has its own registry (:class:`Metrics`, built with the services),
never prometheus-client's global one, so two services in one process count apart.

Two kinds of number:

* Events, counted in this process as they happen: documents received by source,
  processing time by method (text, ocr, xml), failures by error code, HTTP requests and
  their latency by route *template* (``/api/v1/invoices/{invoice_id}``, never the raw path,
  so ids make no new series). They start from zero when the process does, as Prometheus
  counters do; ``rate()`` and ``increase()`` see through restarts.
* State, read when scraped (:class:`StateCollector`): the job queue (with the jobs held
  for disabled tenants, the worker processes alive on every machine and this service's
  own worker threads), invoices by status
  and documents by state from the database (so they survive restarts; totals over all
  tenants, never one tenant's), free disk space, each mailbox's failed polls and last good
  poll, and the last backup. A database that does not answer gives ``nex_database_up 0``
  instead of a failed scrape.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from nex_automat import __version__
from nex_automat.ops.backup import backup_status
from nex_automat.ops.readiness import free_bytes
from nex_automat.pipeline.events import PipelineEvents
from nex_automat.store.jobs import live_worker_processes
from nex_automat.store.models import (
    Document,
    DocumentSource,
    DocumentState,
    InvoiceRecord,
    InvoiceStatus,
    JobState,
)

if TYPE_CHECKING:
    from nex_automat.ops.config import Settings
    from nex_automat.pipeline.mailbox import MailboxPoller
    from nex_automat.store.db import Database
    from nex_automat.store.jobs import JobQueue

logger = logging.getLogger(__name__)

PREFIX = "nex"
METHODS = ("text", "ocr", "xml")
PROCESSING_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)
"""Seconds: an e-invoice takes a fraction of a second, a scanned many-page one minutes."""
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
QUEUE_STATES = (JobState.QUEUED, JobState.RUNNING, JobState.FAILED)
"""Done jobs are history, not depth."""


class Metrics(PipelineEvents):
    """The registry of one running service and the instruments the pipeline and HTTP feed."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.documents_received = Counter(
            f"{PREFIX}_documents_received",
            "Documents stored and recorded, duplicates included, by how they came in.",
            ["source"],
            registry=self.registry,
        )
        self.processing_seconds = Histogram(
            f"{PREFIX}_processing_duration_seconds",
            "Time to turn a document into an invoice, by how it was read.",
            ["method"],
            buckets=PROCESSING_BUCKETS,
            registry=self.registry,
        )
        self.failures = Counter(
            f"{PREFIX}_processing_failures",
            "Documents that failed, and attempts that broke and will be retried, by code.",
            ["code"],
            registry=self.registry,
        )
        self.http_requests = Counter(
            f"{PREFIX}_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_seconds = Histogram(
            f"{PREFIX}_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            buckets=HTTP_BUCKETS,
            registry=self.registry,
        )
        for source in DocumentSource:
            self.documents_received.labels(source=source.value)
        for method in METHODS:
            self.processing_seconds.labels(method=method)

    def watch(self, collector: Collector) -> None:
        """Add numbers read at scrape time (see :class:`StateCollector`)."""
        self.registry.register(collector)

    def exposition(self) -> bytes:
        """Everything, in the Prometheus text format."""
        return generate_latest(self.registry)

    # ----------------------------------------------------------------- pipeline events

    def document_received(self, source: str) -> None:
        self.documents_received.labels(source=str(source)).inc()

    def document_processed(self, method: str, seconds: float) -> None:
        self.processing_seconds.labels(method=method).observe(seconds)

    def processing_failed(self, code: str) -> None:
        self.failures.labels(code=code).inc()

    # ---------------------------------------------------------------------------- HTTP

    def request_answered(self, method: str, route: str, status: int, seconds: float) -> None:
        self.http_requests.labels(method=method, route=route, status=str(status)).inc()
        self.http_seconds.labels(method=method, route=route).observe(seconds)


def _timestamp(moment: datetime | None) -> float:
    """Seconds since the epoch; 0 for never, so ``time() - x`` is huge, as it should be."""
    if moment is None:
        return 0.0
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.timestamp()


class StateCollector(Collector):
    """The numbers read when ``/metrics`` is scraped (see the module docstring)."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        queue: JobQueue,
        pollers: Sequence[MailboxPoller],
    ) -> None:
        self.settings = settings
        self.db = db
        self.queue = queue
        self.pollers = pollers

    def collect(self) -> Iterator[Metric]:
        info = GaugeMetricFamily(
            f"{PREFIX}_build_info", "The running version of NEX Automat.", labels=["version"]
        )
        info.add_metric([__version__], 1)
        yield info
        yield from self._database()
        yield from self._storage()
        yield from self._mailboxes()
        yield from self._backup()

    def _database(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(f"{PREFIX}_database_up", "1 when the database answers.")
        try:
            families = list(self._database_state())
        except Exception as error:
            logger.warning("metrics: the database did not answer: %s", error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _database_state(self) -> Iterator[Metric]:
        counts = self.queue.counts()
        jobs = GaugeMetricFamily(
            f"{PREFIX}_queue_jobs",
            "Processing jobs by state: queued ones are the queue's depth.",
            labels=["state"],
        )
        for state in QUEUE_STATES:
            jobs.add_metric([state.value], counts.get(state, 0))
        held = GaugeMetricFamily(
            f"{PREFIX}_queue_held_jobs",
            "Jobs of disabled tenants, kept until the tenant is enabled again.",
        )
        held.add_metric([], self.queue.held())
        workers = GaugeMetricFamily(
            f"{PREFIX}_worker_processes",
            "nex-automat worker processes sending heartbeats, on every machine.",
        )
        workers.add_metric([], live_worker_processes(self.db, self.settings.worker_stalled_after))
        threads = GaugeMetricFamily(
            f"{PREFIX}_service_worker_threads",
            "Worker threads of this service (0 when processing is left to worker processes).",
        )
        threads.add_metric([], self.settings.service_worker_threads)
        oldest = self.queue.oldest_due()
        wait = GaugeMetricFamily(
            f"{PREFIX}_queue_oldest_wait_seconds",
            "How long the longest-waiting due job has waited; 0 when none waits.",
        )
        waited = 0.0 if oldest is None else datetime.now(UTC).timestamp() - _timestamp(oldest)
        wait.add_metric([], max(waited, 0.0))
        with self.db.session() as session:
            statuses = dict(
                session.execute(
                    select(InvoiceRecord.status, func.count()).group_by(InvoiceRecord.status)
                ).all()
            )
            states = dict(
                session.execute(select(Document.state, func.count()).group_by(Document.state)).all()
            )
        invoices = GaugeMetricFamily(
            f"{PREFIX}_invoices", "Invoices by status, over all tenants.", labels=["status"]
        )
        for status in InvoiceStatus:
            invoices.add_metric([status.value], statuses.get(status, 0))
        documents = GaugeMetricFamily(
            f"{PREFIX}_documents", "Documents by state, over all tenants.", labels=["state"]
        )
        for state in DocumentState:
            documents.add_metric([state.value], states.get(state, 0))
        yield from (jobs, held, workers, threads, wait, invoices, documents)

    def _storage(self) -> Iterator[Metric]:
        try:
            free = free_bytes(self.settings.documents_dir)
        except OSError as error:
            logger.warning("metrics: cannot measure free space: %s", error)
            return
        gauge = GaugeMetricFamily(
            f"{PREFIX}_storage_free_bytes",
            "Free space on the file system that keeps the documents.",
        )
        gauge.add_metric([], free)
        yield gauge

    def _mailboxes(self) -> Iterator[Metric]:
        errors = CounterMetricFamily(
            f"{PREFIX}_mailbox_poll_errors",
            "Failed polls of each mailbox since the service started.",
            labels=["mailbox"],
        )
        last = GaugeMetricFamily(
            f"{PREFIX}_mailbox_last_success_timestamp_seconds",
            "When each mailbox was last polled successfully; 0 for not yet.",
            labels=["mailbox"],
        )
        for poller in self.pollers:
            errors.add_metric([poller.name], poller.poll_errors)
            last.add_metric([poller.name], _timestamp(poller.last_poll_ok_at))
        yield from (errors, last)

    def _backup(self) -> Iterator[Metric]:
        try:
            status = backup_status(self.settings)
        except Exception as error:
            logger.warning("metrics: cannot read the backup status: %s", error)
            return
        families = (
            ("last_success_timestamp_seconds", "When the last good backup finished; 0 for never.",
             _timestamp(status.last_success_at)),
            ("last_success_bytes", "Size of the last good backup set.",
             float(status.last_success_bytes or 0)),
            ("last_failure_timestamp_seconds", "When a backup last failed; 0 for never.",
             _timestamp(status.last_failure_at)),
        )  # fmt: skip
        for name, description, value in families:
            gauge = GaugeMetricFamily(f"{PREFIX}_backup_{name}", description)
            gauge.add_metric([], value)
            yield gauge
