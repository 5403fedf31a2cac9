"""A service stopped with SIGTERM, as systemd stops it, ends cleanly mid-job.

The server gets a scanned invoice, whose OCR takes far longer than the half second the
configuration allows for jobs to finish on stop. It is stopped while the job runs: it
must exit 0, leave the job queued again (not ``running``, which only the next start
would notice), and the next start must process the document once.
"""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
from sqlalchemy import select

from nex_automat.store.db import open_database
from nex_automat.store.models import InvoiceRecord, Job, JobState
from tests.e2e.installation import Installation, running_server, wait_until
from tests.extract.scans import degrade_pdf_page
from tests.invoicegen import FAMILIES, generate

TIMEOUT = 60.0


def job_states(installation: Installation) -> list[JobState]:
    db = open_database(installation.effective_database_url())
    try:
        with db.session() as session:
            return list(session.scalars(select(Job.state)))
    finally:
        db.dispose()


def invoice_count(installation: Installation) -> int:
    db = open_database(installation.effective_database_url())
    try:
        with db.session() as session:
            return len(session.scalars(select(InvoiceRecord.id)).all())
    finally:
        db.dispose()


def test_sigterm_during_a_job_exits_cleanly_and_queues_the_job_again(
    installation: Installation, tmp_path: Path
) -> None:
    with (installation.data_dir / "config.yaml").open("a", encoding="utf-8") as config:
        config.write("shutdown_seconds: 0.5\nworkers: 1\n")
    scan = degrade_pdf_page(generate(4, FAMILIES[0]).pdf, 0, seed=5)
    log = tmp_path / "serve.log"

    with running_server(installation, log) as server:
        response = httpx.post(
            f"{server.url}/invoice",
            headers={"X-API-Key": installation.key},
            json={"file_b64": base64.b64encode(scan).decode(), "filename": "scan.jpg"},
            timeout=20,
        )
        assert response.status_code == 201, response.text
        wait_until(
            lambda: job_states(installation) == [JobState.RUNNING],
            TIMEOUT,
            what="the job to start",
            on_timeout=server.log,
        )
        assert server.terminate() == 0, server.log()
    assert job_states(installation) == [JobState.QUEUED], log.read_text()
    assert "queued again" in log.read_text()

    with running_server(installation, log) as server:
        wait_until(
            lambda: job_states(installation) == [JobState.DONE],
            TIMEOUT,
            what="the job to be done after the restart",
            on_timeout=server.log,
        )
        assert server.terminate() == 0, server.log()
    assert invoice_count(installation) == 1
