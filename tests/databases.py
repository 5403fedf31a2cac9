"""Real databases for tests: SQLite in a temporary folder, and the machine's PostgreSQL.

PostgreSQL is ``NEX_TEST_POSTGRES_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``). A test run creates its own
database with a random name, migrates it once and drops it at the end; between tests the
tables are emptied, which is much faster than migrating again.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import psycopg
from sqlalchemy import make_url, text

from nex_automat.store.db import Database
from nex_automat.store.models import Base

POSTGRES_ADMIN_URL = os.environ.get(
    "NEX_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]


def _admin_conninfo() -> str:
    return (
        make_url(POSTGRES_ADMIN_URL)
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )


def create_postgres_database() -> str:
    """A new empty database; returns its SQLAlchemy URL."""
    name = f"nex_test_{secrets.token_hex(6)}"
    with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'nex.db'}"


def empty_tables(db: Database) -> None:
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
