"""Installations to back up and ways to look at them: settings with a backup folder and a
key, invoices ingested through the pipeline, every row and every document file."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from nex_automat.ops.config import Settings, load_settings
from nex_automat.pipeline.runner import run_pending
from nex_automat.pipeline.services import build_services
from nex_automat.store.db import Database, open_database
from tests.databases import create_postgres_database, drop_postgres_database
from tests.pipeline.documents import arrival, invoice_pdf

CONFIG_TEXT = "# a test installation\nworkers: 1\nsession_hours: 9\n"
KEY = base64.b64encode(secrets.token_bytes(32)).decode()
"""A key made for this test run, as ``nex-automat backup keygen`` makes one."""


@contextmanager
def database_for(backend: str, data_dir: Path) -> Iterator[str]:
    """SQLite in ``data_dir``, or a PostgreSQL database of its own, dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{data_dir / 'nex-automat.db'}"
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


def make_settings(
    data_dir: Path, url: str, backup_dir: Path, *, key: str | None = KEY, **backup: object
) -> Settings:
    values: dict[str, object] = {"dir": backup_dir, **backup}
    if key is not None:
        values["key"] = key
    return load_settings(data_dir, database_url=url, workers=1, backup=values)


def ingest(settings: Settings, seeds: tuple[int, ...]) -> None:
    """Receive and process one generated invoice per seed, as the service would."""
    services = build_services(settings)
    try:
        for seed in seeds:
            services.intake.receive(settings.default_tenant, invoice_pdf(seed), arrival())
        run_pending(services.queue, services.processor)
    finally:
        services.close()


@contextmanager
def opened(settings: Settings) -> Iterator[Database]:
    db = open_database(settings.effective_database_url())
    try:
        yield db
    finally:
        db.dispose()


def table_rows(url: str) -> dict[str, list[str]]:
    """Every row of every table, each table's rows in a stable order."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: sorted(
                    repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{table}"'))
                )
                for table in inspect(connection).get_table_names()
            }
    finally:
        engine.dispose()


def document_hashes(folder: Path) -> dict[str, str]:
    """Every file of a documents folder by its relative path, with its SHA-256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def flip_byte(path: Path) -> None:
    """Change one bit of the byte in the middle of the file (again to undo it)."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@contextmanager
def failing_backup(site: Settings, folder: Path) -> Iterator[tuple[Settings, Database]]:
    """Settings and a database a backup fails on: ``pg_dump`` nowhere to be found on
    PostgreSQL, a database file that is not there on SQLite."""
    no_tools = folder / "no-tools"
    no_tools.mkdir()
    url = site.effective_database_url()
    settings = make_settings(site.data_dir, url, site.backup_dir, pg_tools_dir=no_tools)
    if url.startswith("sqlite"):
        url = f"sqlite:///{folder / 'gone' / 'nex-automat.db'}"
    db = open_database(url)
    try:
        yield settings, db
    finally:
        db.dispose()
