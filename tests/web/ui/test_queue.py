"""The processing queue page: administrators see their tenant's jobs, waiting and failed."""

from __future__ import annotations

from collections.abc import Callable

from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import Role
from tests.store.factories import add_pdf
from tests.web.ui.conftest import Browser, Workspace


def queued_document(workspace: Workspace, tenant: str, content: bytes, filename: str) -> int:
    """A document of ``tenant`` with a queued processing job; returns the job's id."""
    db = workspace.services.db
    with db.tenant_session(tenant) as session:
        document = add_pdf(session, content)
        document.filename = filename
        return JobQueue.add(
            session, tenant_id=tenant, document_id=document.id, kind="process", priority=10
        ).id


def test_the_queue_shows_waiting_running_and_failed_jobs_with_their_worker_and_error(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    queue = JobQueue(workspace.services.db)
    waiting = queued_document(workspace, "acme", b"%PDF-a", "waiting.pdf")
    running = queued_document(workspace, "acme", b"%PDF-b", "running.pdf")
    broken = queued_document(workspace, "acme", b"%PDF-c", "broken.pdf")
    assert queue.claim_job(running, "host-1:4242") is not None
    assert queue.claim_job(broken, "host-2:77") is not None
    queue.fail(broken, "internal_error: disk full")
    admin = signed_in("ada", Role.ADMIN, language="en")

    assert "/admin/queue" in admin.get("/admin").text
    page = admin.get("/admin/queue").text
    assert "Processing queue" in page
    threads = workspace.services.settings.workers
    assert f"Processing: worker processes 0, service threads {threads}" in page
    assert 'data-count="queued">1<' in page
    assert 'data-count="running">1<' in page
    assert 'data-count="failed">1<' in page
    assert f'data-job="{waiting}"' in page and "waiting.pdf" in page
    assert f'data-job="{running}"' in page and "host-1:4242" in page
    assert f'data-job="{broken}"' not in page
    failed = admin.get("/admin/queue?show=failed").text
    assert f'data-job="{broken}"' in failed
    assert "internal_error: disk full" in failed
    assert f'data-job="{waiting}"' not in failed
    assert all(
        f'data-job="{job}"' in admin.get("/admin/queue?show=all").text
        for job in (waiting, running, broken)
    )


def test_only_administrators_see_the_queue(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    assert signed_in("eva", Role.APPROVER).get("/admin/queue").status_code == 403


def test_another_tenants_jobs_are_neither_listed_nor_counted(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    theirs = queued_document(workspace, "acme", b"%PDF-acme", "acme-secret.pdf")
    workspace.add_user("gus", Role.ADMIN, tenant="globex")
    page = workspace.signed_in("gus").get("/admin/queue?show=all").text
    assert f'data-job="{theirs}"' not in page
    assert "acme-secret.pdf" not in page
    assert 'data-count="queued">0<' in page
