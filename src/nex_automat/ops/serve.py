"""The whole service in one process: HTTP API, workers, mailboxes, folders, recurring tasks.

This is the embedded mode: one process, SQLite or PostgreSQL, no other server. Intake
threads only store documents and queue jobs; the workers process them; the API answers.
Everything stops together, letting the jobs in hand finish.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from nex_automat.ops.scheduler import Scheduler
from nex_automat.ops.tasks import schedule_tasks
from nex_automat.pipeline.folder import FolderWatcher
from nex_automat.pipeline.mailbox import MailboxPoller
from nex_automat.pipeline.services import Services
from nex_automat.web.app import create_app

logger = logging.getLogger(__name__)


@contextmanager
def background_work(services: Services) -> Iterator[None]:
    """Workers and intake threads running for the duration of the ``with`` block."""
    stop = threading.Event()
    intakes = [
        MailboxPoller(mailbox, services.intake, services.db)
        for mailbox in services.settings.mailboxes
    ] + [FolderWatcher(folder, services.intake) for folder in services.settings.folders]
    threads = [
        threading.Thread(target=intake.run, args=(stop,), name=type(intake).__name__, daemon=True)
        for intake in intakes
    ]
    scheduler = Scheduler()
    schedule_tasks(scheduler, services)
    threads.append(
        threading.Thread(target=scheduler.run_forever, args=(stop,), name="Scheduler", daemon=True)
    )
    services.runner.start()
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        services.runner.stop()


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
    app = create_app(services)
    config = uvicorn.Config(app, host=host, port=port, log_level="info", access_log=False)
    with background_work(services), sigterm_returns():
        logger.info("NEX Automat serving on http://%s:%d", host, port)
        uvicorn.Server(config).run()
