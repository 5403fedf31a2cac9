"""The whole service in one process: HTTP API, workers, mailboxes, folders, recurring tasks.

This is the embedded mode: one process, SQLite or PostgreSQL, no other server. Intake
threads only store documents and queue jobs; the workers process them; the API answers.
Everything stops together on Ctrl+C or SIGTERM (what systemd and WinSW send): the HTTP
server stops taking connections and lets open requests finish, the intake threads end
their current poll, and the workers get ``shutdown_seconds`` to finish the jobs in hand;
a job not finished by then is queued again for the next start (or another instance).

With ``external_workers`` set (PostgreSQL only) the service runs no workers: it takes
documents and queues their jobs, and ``nex-automat worker`` processes on any machine
sharing the database and the document folder run them (:mod:`nex_automat.pipeline.workers`).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from nex_automat.ops.logging import configure_logging
from nex_automat.ops.scheduler import Scheduler
from nex_automat.ops.tasks import schedule_tasks
from nex_automat.pipeline.folder import FolderWatcher
from nex_automat.pipeline.services import Services
from nex_automat.web.app import create_app

logger = logging.getLogger(__name__)


@contextmanager
def background_work(services: Services) -> Iterator[None]:
    """Workers and intake threads running for the duration of the ``with`` block."""
    stop = threading.Event()
    intakes = [
        *services.pollers,
        *(FolderWatcher(folder, services.intake) for folder in services.settings.folders),
    ]
    threads = [
        threading.Thread(target=intake.run, args=(stop,), name=type(intake).__name__, daemon=True)
        for intake in intakes
    ]
    scheduler = Scheduler()
    schedule_tasks(scheduler, services)
    threads.append(
        threading.Thread(target=scheduler.run_forever, args=(stop,), name="Scheduler", daemon=True)
    )
    if not services.settings.external_workers:
        services.runner.start()
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        services.runner.stop(services.settings.shutdown_seconds)
        for thread in threads:
            thread.join(timeout=10)


@contextmanager
def sigterm_returns() -> Iterator[None]:
    """Let a SIGTERM end ``uvicorn.Server.run`` by returning, not by ending the process.

    uvicorn shuts down on SIGTERM and then raises the signal again for the handler that
    was there before it; the default one ends the process on the spot, before the workers
    are stopped. A handler that does nothing lets the shutdown below it run.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(services: Services, *, host: str, port: int) -> None:
    """Run until interrupted (Ctrl+C or SIGTERM), then shut down cleanly."""
    configure_logging(services.settings)
    app = create_app(services)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=max(int(services.settings.shutdown_seconds), 1),
    )
    with background_work(services), sigterm_returns():
        logger.info("NEX Automat serving on http://%s:%d", host, port)
        uvicorn.Server(config).run()
