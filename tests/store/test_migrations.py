"""The migrations build the schema the models describe, from empty, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from nex_automat.store.db import Database, alembic_config, open_database
from nex_automat.store.models import Base
from tests.databases import (
    BACKENDS,
    create_postgres_database,
    drop_postgres_database,
    sqlite_url,
)


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with nothing in it: not even the migration table."""
    if request.param == "sqlite":
        db = open_database(sqlite_url(tmp_path))
        yield db
        db.dispose()
        return
    url = create_postgres_database()
    db = open_database(url)
    yield db
    db.dispose()
    drop_postgres_database(url)


def _schema_diff(db: Database) -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_from_empty_creates_every_table(empty_database: Database) -> None:
    assert empty_database.current_revision() is None
    empty_database.upgrade()
    assert empty_database.current_revision() == empty_database.head_revision()
    tables = set(inspect(empty_database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrated_schema_matches_the_models(empty_database: Database) -> None:
    empty_database.upgrade()
    assert _schema_diff(empty_database) == []


def test_downgrade_to_base_and_up_again(empty_database: Database) -> None:
    empty_database.upgrade()
    with empty_database.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(empty_database.engine).get_table_names()) <= {"alembic_version"}
    empty_database.upgrade()
    assert _schema_diff(empty_database) == []
