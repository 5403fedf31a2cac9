"""A real database for every storage test: SQLite in a temporary folder, and PostgreSQL.

PostgreSQL is the machine's server (``NEX_TEST_POSTGRES_URL``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``). Each test run creates its own
database with a random name, migrates it once and drops it at the end; between tests the
tables are emptied, which is much faster than migrating again.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, text

from nex_automat.store.db import Database, open_database
from nex_automat.store.models import Base
from nex_automat.store.tenants import create_tenant

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


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = create_postgres_database()
    db = open_database(url)
    db.upgrade()
    db.dispose()
    yield url
    drop_postgres_database(url)


def _empty_tables(db: Database) -> None:
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        db = open_database(sqlite_url(tmp_path))
        db.upgrade()
    else:
        db = open_database(request.getfixturevalue("postgres_url"))
        _empty_tables(db)
    yield db
    db.dispose()


@pytest.fixture
def tenants(database: Database) -> tuple[str, str]:
    """Two tenants, ``acme`` and ``globex``."""
    with database.session() as session:
        create_tenant(session, "acme", "Acme s.r.o.")
        create_tenant(session, "globex", "Globex a.s.")
    return ("acme", "globex")
