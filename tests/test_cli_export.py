"""``nex-automat export``: the failed hand-overs listed, and retried after an ERP outage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from sqlalchemy import select

from nex_automat.ops.export_settings import FolderExportSettings
from nex_automat.pipeline.export.handover import HANDOVER_JOB, HandoverWorker
from nex_automat.store.db import Database, open_database
from nex_automat.store.exports import deliveries_of
from nex_automat.store.models import DeliveryState, Job, JobState
from nex_automat.store.sqltypes import utcnow
from tests.catalog.catalogue import seed_catalogue
from tests.e2e.installation import Installation, database_url_for, initialise, run_cli
from tests.pipeline.export.approved import approve, matched_invoice

WIDE = {"COLUMNS": "250"}


def cli(installation: Installation, *args: str) -> CompletedProcess[str]:
    return run_cli(*args, env={**installation.env, **WIDE})


@pytest.fixture
def installation(tmp_path: Path) -> Iterator[Installation]:
    """An installation whose one connector drops files into a folder that is missing.

    The embedded SQLite only: the commands are thin over the store, whose tests run on
    both databases.
    """
    with database_url_for("sqlite") as url:
        installed = initialise(tmp_path / "data", url)
        (installed.data_dir / "config.yaml").write_text(
            f"exports:\n  - {{kind: folder, name: erp, path: {tmp_path / 'erp'}, attempts: 1}}\n"
        )
        yield installed


@pytest.fixture
def database(installation: Installation) -> Iterator[Database]:
    db = open_database(installation.effective_database_url())
    yield db
    db.dispose()


@pytest.fixture
def invoice_id(installation: Installation, database: Database, tmp_path: Path) -> str:
    """An approved invoice whose hand-over failed."""
    with database.tenant_session("default") as session:
        record = matched_invoice(session, seed_catalogue(session))
        approve(session, record)
        invoice_id, document_id = record.id, record.document_id
    connector = FolderExportSettings(kind="folder", name="erp", path=tmp_path / "erp", attempts=1)
    HandoverWorker(database, [connector]).hand_over("default", document_id)
    return invoice_id


def test_the_failed_deliveries_are_listed_with_their_error(
    installation: Installation, invoice_id: str
) -> None:
    listed = cli(installation, "export", "list")
    assert listed.returncode == 0, listed.stderr
    assert "FV2024/0815" in listed.stdout
    assert "failed" in listed.stdout and "does not exist" in listed.stdout
    delivered = cli(installation, "export", "list", "--state", "delivered")
    assert "FV2024/0815" not in delivered.stdout


def test_every_failed_delivery_is_queued_again(
    installation: Installation, database: Database, invoice_id: str
) -> None:
    retried = cli(installation, "export", "retry", "--all-failed")
    assert retried.returncode == 0, retried.stderr
    with database.tenant_session("default") as session:
        (delivery,) = deliveries_of(session, invoice_id)
        assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 0)
        assert f"{delivery.id}: queued" in retried.stderr
        due = session.scalars(
            select(Job.run_after).where(Job.kind == HANDOVER_JOB, Job.state == JobState.QUEUED)
        )
        assert [when <= utcnow() for when in due] == [True]


def test_a_delivery_that_is_not_there_is_refused(
    installation: Installation, invoice_id: str
) -> None:
    refused = cli(installation, "export", "retry", "999999")
    assert refused.returncode == 1
    assert "no delivery 999999" in refused.stderr
    assert cli(installation, "export", "retry").returncode == 2
