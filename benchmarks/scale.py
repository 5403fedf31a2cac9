"""Throughput of 1, 2 and 4 ``nex-automat worker`` processes on one machine.

Run from the repository root: ``python benchmarks/scale.py [--pdfs N] [--scans N]
[--workers 1,2,4]``. For each kind of document (generated text PDFs, and scans of them
that need OCR) and each number of workers, a fresh PostgreSQL installation gets the same
documents queued; the queue is held until every worker has started (so start-up is not
measured), then released, and the clock runs until the last job has ended. The table
shows documents per second and the speed-up over one worker, overall and per worker
(1.0 per worker is perfect scaling; on a machine with fewer free cores than workers it
cannot be reached).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nex_automat.store.db import Database, open_database
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import Job, JobState
from nex_automat.store.sqltypes import utcnow
from tests.e2e.installation import (
    WorkerProcess,
    database_url_for,
    initialise,
    queue_documents,
    running_workers,
    wait_until,
)
from tests.extract.scans import degrade_pdf_page
from tests.invoicegen import FAMILIES, generate

START_TIMEOUT = 120.0
RUN_TIMEOUT = 3600.0
HELD = timedelta(days=1)
READY_MARK = "Starting worker"


@dataclass(frozen=True)
class Result:
    kind: str
    workers: int
    documents: int
    seconds: float
    failed: int

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds


def text_pdfs(count: int) -> list[bytes]:
    return [generate(500 + i, FAMILIES[i % len(FAMILIES)]).pdf for i in range(count)]


def scans(count: int) -> list[bytes]:
    return [
        degrade_pdf_page(generate(800 + i, FAMILIES[i % len(FAMILIES)]).pdf, 0, seed=i)
        for i in range(count)
    ]


def hold_queue(db: Database, until_now: bool) -> None:
    """Make every queued job due far in the future, or (``until_now``) due right away."""
    run_after = utcnow() if until_now else utcnow() + HELD
    with db.session() as session:
        session.execute(update(Job).where(Job.state == JobState.QUEUED).values(run_after=run_after))


def ended(db: Database, total: int) -> bool:
    counts = JobQueue(db).counts()
    return counts.get(JobState.DONE, 0) + counts.get(JobState.FAILED, 0) >= total


def ready(worker: WorkerProcess) -> bool:
    if not worker.alive():
        raise AssertionError(f"a worker exited early:\n{worker.log()}")
    return READY_MARK in worker.log()


def measure(kind: str, documents: list[bytes], workers: int, root: Path) -> Result:
    folder = Path(tempfile.mkdtemp(prefix=f"{kind}-{workers}-", dir=root))
    with database_url_for("postgresql") as url:
        installation = initialise(folder / "data", url)
        queue_documents(installation, documents, suffix=".pdf")
        db = open_database(installation.effective_database_url())
        try:
            hold_queue(db, until_now=False)
            with running_workers(installation, folder, workers) as processes:
                for worker in processes:
                    wait_until(lambda w=worker: ready(w), START_TIMEOUT, what="a worker to start")
                hold_queue(db, until_now=True)
                started = time.monotonic()
                wait_until(
                    lambda: ended(db, len(documents)),
                    RUN_TIMEOUT,
                    what="every job to end",
                    interval=0.05,
                )
                seconds = time.monotonic() - started
                for worker in processes:
                    worker.terminate()
            failed = JobQueue(db).counts().get(JobState.FAILED, 0)
        finally:
            db.dispose()
    return Result(kind, workers, len(documents), seconds, failed)


def report(results: list[Result]) -> Table:
    table = Table(title="Workers on one machine (PostgreSQL, concurrency 1 each)")
    for column in ("documents", "workers", "seconds", "docs/s", "speed-up", "per worker", "failed"):
        table.add_column(column, justify="right")
    baseline = {r.kind: r.per_second for r in results if r.workers == 1}
    for r in results:
        speed_up = r.per_second / baseline[r.kind] if r.kind in baseline else float("nan")
        table.add_row(
            f"{r.documents} {r.kind}",
            str(r.workers),
            f"{r.seconds:.1f}",
            f"{r.per_second:.2f}",
            f"{speed_up:.2f}×",
            f"{speed_up / r.workers:.2f}",
            str(r.failed),
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=int, default=60, help="text PDFs per run")
    parser.add_argument("--scans", type=int, default=12, help="scans per run")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    kinds = {"text PDFs": text_pdfs(args.pdfs), "scans": scans(args.scans)}
    results = []
    with tempfile.TemporaryDirectory(prefix="nex-scale-") as root:
        for kind, documents in kinds.items():
            if not documents:
                continue
            for workers in counts:
                result = measure(kind, documents, workers, Path(root))
                Console(stderr=True).print(
                    f"{kind}: {workers} worker(s) {result.per_second:.2f} docs/s"
                )
                results.append(result)
    Console().print(report(results))


if __name__ == "__main__":
    main()
