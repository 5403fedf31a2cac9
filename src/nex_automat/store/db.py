"""Opening the database, sessions, and schema migrations.

SQLite (``sqlite:///path``) is the embedded default: WAL mode so readers never wait for
the writer, foreign keys on, a busy timeout so concurrent writers queue instead of
failing, and ``synchronous=FULL`` because an acknowledged document must survive a power
cut. PostgreSQL (``postgresql+psycopg://``) is the production database. Migrations run
with Alembic from :mod:`nex_automat.store.migrations`, programmatically, and are safe to
run on every start.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from nex_automat.store import tenancy

SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = "nex_automat.store:migrations"
_MIGRATION_LOCK_ID = 7_466_581_201
"""PostgreSQL advisory lock held while migrating, so two starting processes take turns."""


class StoreSession(Session):
    """The session class of the store; tenant scoping is attached to it alone."""


tenancy.install(StoreSession)


def _unicode_lower(value: str | None) -> str | None:
    """SQLite's own ``lower()`` knows only ASCII; Slovak names need ``Š`` → ``š``."""
    return None if value is None else unicodedata.normalize("NFC", value).lower()


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


@contextmanager
def _transactional_ddl(connection: Connection) -> Iterator[None]:
    """Let the upgrade's transaction hold DDL on SQLite too, as it does on PostgreSQL.

    Python's sqlite3 begins a transaction only before INSERT, UPDATE and DELETE, so a
    ``CREATE TABLE`` outside one is committed on the spot and a migration failing half-way
    would leave half a schema. With the driver's own handling off, the upgrade says
    ``BEGIN`` itself and everything up to the commit can be rolled back.
    """
    if connection.dialect.name != "sqlite":
        with connection.begin():
            yield
        return
    driver = connection.connection.driver_connection
    previous = driver.isolation_level
    driver.isolation_level = None
    try:
        with connection.begin():
            connection.exec_driver_sql("BEGIN")
            yield
    finally:
        driver.isolation_level = previous


@dataclass(frozen=True)
class Database:
    engine: Engine
    sessions: sessionmaker[StoreSession]
    migrations: str = MIGRATIONS
    """Where the Alembic scripts are; another place only to test the migration machinery."""

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[StoreSession]:
        """A unit of work over all tenants: committed on success, rolled back on error."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def tenant_session(self, tenant_id: str) -> Iterator[StoreSession]:
        """A unit of work that sees and writes only ``tenant_id``'s rows."""
        with self.sessions.begin() as session:
            tenancy.bind_tenant(session, tenant_id)
            yield session

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision``; a no-op when it is already there.

        All steps run in one transaction: when one fails, the schema stays as it was.
        """
        with self.engine.connect() as connection, _transactional_ddl(connection):
            if self.dialect == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
                )
            config = alembic_config(self.migrations)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def head_revision(self) -> str | None:
        return ScriptDirectory.from_config(alembic_config(self.migrations)).get_current_head()

    def knows_revision(self, revision: str) -> bool:
        """Whether ``revision`` is one of this version's migrations (not a newer one's)."""
        scripts = ScriptDirectory.from_config(alembic_config(self.migrations))
        try:
            return scripts.get_revision(revision) is not None
        except CommandError:
            return False

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(migrations: str = MIGRATIONS) -> Config:
    config = Config()
    config.set_main_option("script_location", migrations)
    return config


def open_database(url: str, *, migrations: str = MIGRATIONS) -> Database:
    """Connect to ``url``; call :meth:`Database.upgrade` before first use."""
    engine = _create_engine(url)
    sessions = sessionmaker(engine, class_=StoreSession, expire_on_commit=False)
    return Database(engine=engine, sessions=sessions, migrations=migrations)
