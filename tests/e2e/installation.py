"""Installations and server processes for tests and benchmarks that run the real service.

An :class:`Installation` is a data folder (and, for PostgreSQL, a database of its own)
prepared with ``nex-automat init``; a :class:`ServerProcess` is ``nex-automat serve`` on a
free loopback port, its output in a log file so a failing test can show it. Every wait is
bounded, and a server is always killed in the end, whatever happened.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from nex_automat.pipeline.intake import Intake
from nex_automat.store.db import open_database
from nex_automat.store.documents import Arrival
from nex_automat.store.files import DocumentFiles
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import DocumentSource
from tests.databases import create_postgres_database, drop_postgres_database

CLI_TIMEOUT = 120.0
START_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0


def run_cli(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = CLI_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """``python -m nex_automat ARGS`` as a user runs it (``env=None``: this process's)."""
    return subprocess.run(
        [sys.executable, "-m", "nex_automat", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )


def environment_without_settings() -> dict[str, str]:
    """This process's environment minus every ``NEX_*`` variable, which would be settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith("NEX_")}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def database_url_for(backend: str) -> Iterator[str | None]:
    """``None`` (the embedded SQLite default) or a fresh PostgreSQL database, dropped after."""
    if backend == "sqlite":
        yield None
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


@dataclass(frozen=True)
class Installation:
    data_dir: Path
    database_url: str | None
    key: str
    """The API key ``init`` printed."""

    @property
    def env(self) -> dict[str, str]:
        """The environment a user of this installation runs commands in."""
        env = environment_without_settings()
        env["NEX_DATA_DIR"] = str(self.data_dir)
        if self.database_url is not None:
            env["NEX_DATABASE_URL"] = self.database_url
        return env

    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'nex-automat.db'}"


def initialise(data_dir: Path, database_url: str | None) -> Installation:
    """``nex-automat init`` on a new data folder; returns the installation with its key."""
    bare = Installation(data_dir, database_url, key="")
    completed = run_cli("init", env=bare.env)
    assert completed.returncode == 0, completed.stderr
    return Installation(data_dir, database_url, key=completed.stdout.strip())


class ServerProcess:
    """``nex-automat serve`` for one installation, on a free port."""

    def __init__(self, installation: Installation, log_file: Path) -> None:
        self.installation = installation
        self.log_file = log_file
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start the process and return once ``/health`` answers."""
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "nex_automat", "serve", "--port", str(self.port)],
                env=self.installation.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._healthy, timeout, what=f"{self.url}/health", on_timeout=self.log)

    def _healthy(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.log()}")
        try:
            return httpx.get(f"{self.url}/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def terminate(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM, as a service manager stops it; returns the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def kill(self) -> None:
        """SIGKILL the server and anything it started: a crash, nothing is cleaned up."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(STOP_TIMEOUT)

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")[-6000:]


@contextmanager
def running_server(installation: Installation, log_file: Path) -> Iterator[ServerProcess]:
    """A started server, killed on the way out unless the block stopped it already."""
    server = ServerProcess(installation, log_file)
    try:
        server.start()
        yield server
    finally:
        server.kill()


def queue_documents(installation: Installation, documents: Sequence[bytes], *, suffix: str) -> None:
    """Take ``documents`` in for the default tenant as a watched folder does (bulk)."""
    db = open_database(installation.effective_database_url())
    try:
        intake = Intake(
            db,
            DocumentFiles(installation.data_dir / "documents"),
            JobQueue(db),
            max_bytes=100 * 1024 * 1024,
        )
        for index, data in enumerate(documents):
            arrival = Arrival(
                source=DocumentSource.FOLDER,
                filename=f"document-{index}{suffix}",
                received_at=datetime.now(UTC),
            )
            intake.receive("default", data, arrival)
    finally:
        db.dispose()


class WorkerProcess:
    """``nex-automat worker`` for one installation, its output in a log file."""

    def __init__(
        self,
        installation: Installation,
        log_file: Path,
        *,
        concurrency: int = 1,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.installation = installation
        self.log_file = log_file
        self.concurrency = concurrency
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def name(self) -> str:
        """What the worker writes as ``locked_by`` on the jobs it holds."""
        return f"worker:{socket.gethostname()}:{self.pid}"

    def start(self) -> None:
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "nex_automat",
                    "worker",
                    "--concurrency",
                    str(self.concurrency),
                ],
                env={**self.installation.env, **self.extra_env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def terminate(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM, as a service manager stops it; returns the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def kill(self) -> None:
        """SIGKILL the worker: a crash, nothing is cleaned up."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(STOP_TIMEOUT)

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")[-6000:]


@contextmanager
def running_workers(
    installation: Installation,
    log_dir: Path,
    count: int,
    *,
    concurrency: int = 1,
    extra_env: dict[str, str] | None = None,
) -> Iterator[list[WorkerProcess]]:
    """``count`` started workers, killed on the way out unless the block stopped them."""
    workers = [
        WorkerProcess(
            installation,
            log_dir / f"worker-{index}.log",
            concurrency=concurrency,
            extra_env=extra_env,
        )
        for index in range(count)
    ]
    try:
        for worker in workers:
            worker.start()
        yield workers
    finally:
        for worker in workers:
            worker.kill()


def wait_until(
    condition: Callable[[], bool],
    timeout: float,
    *,
    what: str,
    interval: float = 0.1,
    on_timeout: Callable[[], str] | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            detail = f"\n{on_timeout()}" if on_timeout is not None else ""
            raise AssertionError(f"waited {timeout:.0f} s for {what}{detail}")
        time.sleep(interval)
