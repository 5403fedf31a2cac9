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
from nex_automat.store.models import Base, exists_on
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
    """Differences between the database and the models' items built on its dialect."""
    with db.engine.connect() as connection:

        def only_here(item: object, *_: object) -> bool:
            return exists_on(item, connection.dialect.name)

        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": only_here}
        )
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


def test_free_text_search_has_trigram_indexes_on_postgresql_only(
    empty_database: Database,
) -> None:
    empty_database.upgrade()
    inspector = inspect(empty_database.engine)
    names = {
        index["name"]
        for table in ("invoices", "invoice_lines")
        for index in inspector.get_indexes(table)
    }
    trigram = {
        "ix_invoices_number_trgm",
        "ix_invoices_supplier_name_trgm",
        "ix_invoice_lines_description_trgm",
    }
    expected = trigram if empty_database.engine.dialect.name == "postgresql" else set()
    assert names & trigram == expected
