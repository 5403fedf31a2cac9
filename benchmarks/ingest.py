"""Speed of taking invoices in over HTTP, on SQLite and PostgreSQL, measured in one run.

Run from the repository root: ``python benchmarks/ingest.py [--count N] [--clients C]``.
Starts ``nex-automat serve`` on a fresh installation (embedded SQLite, then a fresh
PostgreSQL database), has C concurrent clients post N different text PDFs to
``POST /invoice`` (base64 JSON, as the n8n workflow does) and reports acknowledged invoices
per second, p50/p95 latency of the POST and the time until every one is processed.

The baseline is the framework floor measured in the same run: the same POSTs, same
clients, answered by a bare FastAPI app under uvicorn that only validates the JSON and
decodes the base64 (``python benchmarks/ingest.py --echo-server PORT``).
"""

from __future__ import annotations

import argparse
import base64
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nex_automat.store.db import open_database
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import JobState
from tests.e2e.installation import (
    ServerProcess,
    database_url_for,
    environment_without_settings,
    free_port,
    initialise,
    wait_until,
)
from tests.invoicegen import FAMILIES, generate

WARM_UP = 8
PROCESS_TIMEOUT = 900.0


@dataclass
class Run:
    """One batch of POSTs: latencies of the acknowledged ones, and the wall time."""

    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    seconds: float = 0.0
    processed_after: float | None = None

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def invoice_bodies(count: int, first_seed: int) -> list[dict[str, str]]:
    bodies = []
    for i in range(count):
        pdf = generate(first_seed + i, FAMILIES[i % len(FAMILIES)]).pdf
        bodies.append({"file_b64": base64.b64encode(pdf).decode(), "filename": f"f-{i}.pdf"})
    return bodies


def post_all(url: str, key: str, bodies: list[dict[str, str]], clients: int) -> Run:
    """``clients`` threads, each with its own connection, posting until none is left."""
    run = Run()
    lock = threading.Lock()
    pending = iter(bodies)

    def client() -> None:
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60) as http:
            while True:
                with lock:
                    body = next(pending, None)
                if body is None:
                    return
                started = time.perf_counter()
                response = http.post("/invoice", json=body)
                elapsed = time.perf_counter() - started
                with lock:
                    if response.status_code in (200, 201):
                        run.latencies.append(elapsed)
                    else:
                        run.failures += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    return run


def queue_drained(queue: JobQueue) -> bool:
    counts = queue.counts()
    return counts.get(JobState.QUEUED, 0) + counts.get(JobState.RUNNING, 0) == 0


def measure_service(backend: str, bodies: list[dict[str, str]], clients: int) -> Run:
    with tempfile.TemporaryDirectory() as folder, database_url_for(backend) as url:
        installation = initialise(Path(folder) / "data", url)
        server = ServerProcess(installation, Path(folder) / "serve.log")
        db = open_database(installation.effective_database_url())
        queue = JobQueue(db)
        try:
            server.start()
            post_all(server.url, installation.key, invoice_bodies(WARM_UP, 90_000), clients)
            wait_until(lambda: queue_drained(queue), PROCESS_TIMEOUT, what="the warm-up")
            started = time.perf_counter()
            run = post_all(server.url, installation.key, bodies, clients)
            wait_until(lambda: queue_drained(queue), PROCESS_TIMEOUT, what="the processing")
            run.processed_after = time.perf_counter() - started
            server.terminate()
        finally:
            server.kill()
            db.dispose()
        return run


def measure_echo(bodies: list[dict[str, str]], clients: int) -> Run:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, __file__, "--echo-server", str(port)],
        env=environment_without_settings(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(url), 30, what="the echo app")
        post_all(url, "", bodies[:WARM_UP], clients)
        return post_all(url, "", bodies, clients)
    finally:
        process.kill()
        process.wait(10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


class EchoBody(BaseModel):
    file_b64: str
    filename: str | None = None


def serve_echo(port: int) -> None:
    """The floor: FastAPI validating the n8n body and decoding its base64, nothing stored."""
    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/invoice", status_code=201)
    def echo(body: EchoBody) -> dict[str, object]:
        return {"filename": body.filename, "size": len(base64.b64decode(body.file_b64))}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200, help="invoices posted per database")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--echo-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo_server:
        serve_echo(args.echo_server)
        return

    console = Console()
    bodies = invoice_bodies(args.count, 0)
    size = statistics.mean(len(b["file_b64"]) * 3 // 4 for b in bodies) / 1024
    console.print(f"{args.count} text PDFs (mean {size:.0f} KiB), {args.clients} clients")
    runs = {
        "SQLite": measure_service("sqlite", bodies, args.clients),
        "PostgreSQL": measure_service("postgresql", bodies, args.clients),
        "bare FastAPI echo": measure_echo(bodies, args.clients),
    }

    table = Table(title="POST /invoice (higher per second, lower latency is better)")
    table.add_column("")
    for name in runs:
        table.add_column(name, justify="right")
    rows: dict[str, Callable[[Run], str]] = {
        "acknowledged / s": lambda r: f"{r.per_second:.1f}",
        "POST p50 ms": lambda r: f"{r.percentile(50):.1f}",
        "POST p95 ms": lambda r: f"{r.percentile(95):.1f}",
        "errors": lambda r: str(r.failures),
        "all processed after s": lambda r: (
            "—" if r.processed_after is None else f"{r.processed_after:.1f}"
        ),
        "processed / s": lambda r: (
            "—" if r.processed_after is None else f"{len(r.latencies) / r.processed_after:.1f}"
        ),
    }
    for label, cell in rows.items():
        table.add_row(label, *(cell(run) for run in runs.values()))
    console.print(table)

    floor = runs["bare FastAPI echo"]
    for name in ("SQLite", "PostgreSQL"):
        run = runs[name]
        console.print(
            f"{name}: {run.per_second / floor.per_second:.0%} of the framework floor's "
            f"throughput, p50 {run.percentile(50) / floor.percentile(50):.1f}× its latency"
        )


if __name__ == "__main__":
    main()
