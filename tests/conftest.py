"""Fixtures shared by every test room."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nex_automat.store.db import Database, open_database
from tests.databases import (
    BACKENDS,
    create_postgres_database,
    drop_postgres_database,
    empty_tables,
    sqlite_url,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert SHARED.is_dir(), f"the shared material is expected at {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def contract_schema(shared_dir: Path) -> dict[str, Any]:
    return json.loads((shared_dir / "contract" / "extract-result.schema.json").read_text())


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One migrated PostgreSQL database for the whole test run."""
    url = create_postgres_database()
    db = open_database(url)
    db.upgrade()
    db.dispose()
    yield url
    drop_postgres_database(url)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database of each kind (see :mod:`tests.databases`)."""
    if request.param == "sqlite":
        db = open_database(sqlite_url(tmp_path))
        db.upgrade()
    else:
        db = open_database(request.getfixturevalue("postgres_url"))
        empty_tables(db)
    yield db
    db.dispose()
