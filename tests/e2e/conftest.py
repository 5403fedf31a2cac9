"""An initialised installation of each kind: SQLite in its data folder, or its own PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import BACKENDS
from tests.e2e.installation import Installation, database_url_for, initialise


@pytest.fixture(params=BACKENDS)
def installation(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Installation]:
    with database_url_for(request.param) as url:
        yield initialise(tmp_path / "data", url)
