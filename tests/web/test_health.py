"""``/health`` says the process is alive; ``/ready`` whether it can take and keep documents
(503 when not) and what needs attention while it can (200 ``degraded``)."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text, update

from nex_automat.ops.backup.status import record_failure, record_success
from nex_automat.ops.config import MailboxSettings, load_settings
from nex_automat.ops.readiness import free_bytes
from nex_automat.pipeline.mailbox import MailboxPoller
from nex_automat.pipeline.services import Services, build_services
from nex_automat.pipeline.workers import install_schema
from nex_automat.store.db import open_database
from nex_automat.store.models import Job, Tenant
from nex_automat.web.app import create_app
from tests.databases import create_postgres_database, drop_postgres_database
from tests.pipeline.documents import arrival
from tests.web.conftest import Api
from tests.web.samples import invoice_pdf

CHECKS = ["database", "storage", "disk", "queue", "mailboxes", "backup"]


def now() -> datetime:
    """Read per use: a module-level moment would age by the length of the whole run."""
    return datetime.now(UTC)


def ready(services: Services) -> tuple[int, dict]:
    response = TestClient(create_app(services)).get("/ready")
    return response.status_code, response.json()


def make_installation_old(services: Services, days: int = 3) -> None:
    with services.db.session() as session:
        session.execute(update(Tenant).values(created_at=now() - timedelta(days=days)))


def test_health_needs_no_key(client: TestClient) -> None:
    response = client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_a_new_installation_is_ready_with_every_check_listed(client: TestClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert list(body["checks"]) == CHECKS
    assert all(check["ok"] and check["error"] is None for check in body["checks"].values())
    assert body["checks"]["disk"]["free_bytes"] > 0
    assert body["checks"]["queue"] == {
        "ok": True,
        "critical": False,
        "error": None,
        "queued": 0,
        "running": 0,
        "held": 0,
        "oldest_wait_seconds": 0.0,
    }
    assert body["checks"]["backup"]["last_success_at"] is None


def test_not_ready_when_the_storage_cannot_take_files(services: Services) -> None:
    root = services.files.root
    shutil.rmtree(root, ignore_errors=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    root.write_text("a file where the documents folder belongs")
    status, body = ready(services)
    assert status == 503
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert body["error"]["code"] == "not_ready"
    assert "storage" in body["error"]["message"]


def test_not_ready_when_the_database_is_unreachable(services: Services) -> None:
    unreachable = open_database("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2")
    broken = dataclasses.replace(services, db=unreachable)
    status, body = ready(broken)
    unreachable.dispose()
    assert status == 503
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["error"]
    assert body["checks"]["storage"]["ok"] is True


def test_not_ready_when_free_disk_is_below_the_threshold(services: Services) -> None:
    free_mb = free_bytes(services.files.root) // (1024 * 1024)
    health = services.settings.health.model_copy(update={"min_free_disk_mb": free_mb + 10_000})
    settings = services.settings.model_copy(update={"health": health})
    status, body = ready(dataclasses.replace(services, settings=settings))
    assert status == 503
    disk = body["checks"]["disk"]
    assert disk["ok"] is False
    assert disk["critical"] is True
    assert "health.min_free_disk_mb" in disk["error"]
    assert disk["min_free_bytes"] == (free_mb + 10_000) * 1024 * 1024
    assert "disk" in body["error"]["message"]


def test_a_document_waiting_too_long_makes_the_queue_backlogged(
    services: Services, acme: Api
) -> None:
    assert acme.post_invoice(invoice_pdf()).status_code in (200, 201)
    with services.db.session() as session:
        session.execute(update(Job).values(run_after=now() - timedelta(minutes=45)))
    status, body = ready(services)
    assert (status, body["status"]) == (200, "degraded")
    queue = body["checks"]["queue"]
    assert (queue["ok"], queue["queued"], queue["running"]) == (False, 1, 0)
    assert 45 * 60 <= queue["oldest_wait_seconds"] < 50 * 60
    assert "health.max_queue_wait_minutes" in queue["error"]


def test_documents_waiting_for_worker_processes_that_do_not_run_degrade(
    tmp_path: Path,
) -> None:
    url = create_postgres_database()
    settings = load_settings(tmp_path / "data", database_url=url, external_workers=True)
    services = build_services(settings)
    try:
        install_schema(services.db)
        status, body = ready(services)
        assert body["checks"]["workers"] == {
            "ok": True,
            "critical": False,
            "error": None,
            "processes": 0,
        }
        services.intake.receive(settings.default_tenant, invoice_pdf(), arrival())
        status, body = ready(services)
        assert (status, body["status"]) == (200, "degraded")
        workers = body["checks"]["workers"]
        assert (workers["ok"], workers["processes"]) == (False, 0)
        assert "no `nex-automat worker` process runs" in workers["error"]
        with services.db.engine.begin() as connection:
            connection.execute(text("INSERT INTO procrastinate_workers DEFAULT VALUES"))
        status, body = ready(services)
        assert body["checks"]["workers"]["ok"] and body["checks"]["workers"]["processes"] == 1
    finally:
        services.close()
        drop_postgres_database(url)


def test_a_mailbox_without_a_good_poll_for_too_long_is_reported(services: Services) -> None:
    mailbox = MailboxSettings(
        name="faktury", host="127.0.0.1", port=9, user="u", password="p", poll_seconds=60
    )
    poller = MailboxPoller(mailbox, services.intake, services.db)
    fresh = MailboxPoller(mailbox.model_copy(update={"name": "nova"}), services.intake, services.db)
    poller.created_at = now() - timedelta(hours=2)
    poller.last_poll_ok_at = now() - timedelta(minutes=20)
    poller.last_error = "mailbox_unavailable: mailbox faktury: ConnectionRefusedError"
    status, body = ready(dataclasses.replace(services, pollers=[poller, fresh]))
    assert (status, body["status"]) == (200, "degraded")
    check = body["checks"]["mailboxes"]
    assert check["ok"] is False
    assert "faktury" in check["error"] and "ConnectionRefusedError" in check["error"]
    assert check["mailboxes"]["faktury"]["ok"] is False
    assert 20 * 60 <= check["mailboxes"]["faktury"]["seconds_since_good_poll"] < 25 * 60
    assert check["mailboxes"]["nova"]["ok"] is True
    assert check["mailboxes"]["nova"]["last_poll_ok_at"] is None


def test_a_stale_backup_degrades_and_a_recent_one_is_reported(services: Services) -> None:
    settings = services.settings
    record_success(settings, "20260101-020000", now() - timedelta(hours=30), 123_456)
    status, body = ready(services)
    assert (status, body["status"]) == (200, "degraded")
    backup = body["checks"]["backup"]
    assert backup["ok"] is False
    assert "health.backup_stale_hours" in backup["error"]
    assert backup["last_success_bytes"] == 123_456
    assert 30 <= backup["age_hours"] < 31

    record_success(settings, "20260102-020000", now() - timedelta(hours=2), 234_567)
    status, body = ready(services)
    assert (status, body["status"]) == (200, "ready")
    assert body["checks"]["backup"]["last_success_bytes"] == 234_567


def test_a_failed_backup_degrades_with_its_error(services: Services) -> None:
    record_success(services.settings, "20260101-020000", now() - timedelta(hours=5), 1000)
    record_failure(services.settings, now() - timedelta(hours=1), "the backup disk is missing")
    status, body = ready(services)
    assert (status, body["status"]) == (200, "degraded")
    assert "the backup disk is missing" in body["checks"]["backup"]["error"]


def test_an_installation_never_backed_up_is_degraded_only_after_its_grace(
    services: Services,
) -> None:
    assert ready(services)[1]["checks"]["backup"]["ok"] is True
    make_installation_old(services)
    status, body = ready(services)
    assert (status, body["status"]) == (200, "degraded")
    assert "no backup has been made yet" in body["checks"]["backup"]["error"]
