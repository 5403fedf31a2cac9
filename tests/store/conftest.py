"""Fixtures of the storage tests; ``database`` itself is shared, in ``tests/conftest.py``."""

from __future__ import annotations

import pytest

from nex_automat.store.db import Database
from nex_automat.store.tenants import create_tenant


@pytest.fixture
def tenants(database: Database) -> tuple[str, str]:
    """Two tenants, ``acme`` and ``globex``."""
    with database.session() as session:
        create_tenant(session, "acme", "Acme s.r.o.")
        create_tenant(session, "globex", "Globex a.s.")
    return ("acme", "globex")
