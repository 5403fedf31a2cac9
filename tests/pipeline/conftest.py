"""The pipeline on a real database of each kind, with document files in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from nex_automat.extract.document import ExtractOptions
from nex_automat.pipeline.intake import Intake
from nex_automat.pipeline.process import DocumentProcessor
from nex_automat.store.db import Database
from nex_automat.store.files import DocumentFiles
from nex_automat.store.jobs import JobQueue
from nex_automat.store.tenants import create_tenant

TENANT = "acme"
OTHER_TENANT = "globex"
MAX_BYTES = 2 * 1024 * 1024


@pytest.fixture
def tenant(database: Database) -> str:
    with database.session() as session:
        create_tenant(session, TENANT, "Acme s.r.o.")
        create_tenant(session, OTHER_TENANT, "Globex a.s.")
    return TENANT


@pytest.fixture
def files(tmp_path: Path) -> DocumentFiles:
    return DocumentFiles(tmp_path / "documents")


@pytest.fixture
def queue(database: Database) -> JobQueue:
    return JobQueue(database)


@pytest.fixture
def intake(database: Database, files: DocumentFiles, queue: JobQueue, tenant: str) -> Intake:
    return Intake(database, files, queue, max_bytes=MAX_BYTES)


@pytest.fixture
def processor(database: Database, files: DocumentFiles) -> DocumentProcessor:
    return DocumentProcessor(database, files, templates=None, options=ExtractOptions())
