"""The hand-over in the workspace: approval delivers, failures show, approvers retry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from nex_automat.pipeline.export.handover import HANDOVER_JOB
from nex_automat.pipeline.services import Services
from nex_automat.store.db import Database
from nex_automat.store.exports import deliveries_of
from nex_automat.store.invoices import get_invoice
from nex_automat.store.models import DeliveryState, InvoiceStatus, Job, JobState, Role
from tests.catalog.catalogue import seed_catalogue
from tests.pipeline.export.approved import (
    approve,
    matched_invoice,
    run_jobs,
    services_exporting,
)
from tests.web.ui.conftest import Browser, Workspace

RECEIPT = "FV2024_0815-36123456-receipt.isdoc"


@pytest.fixture
def erp(tmp_path: Path) -> Path:
    """The ERP's import folder; it does not exist until a test creates it."""
    return tmp_path / "erp-import"


@pytest.fixture
def services(database: Database, tmp_path: Path, erp: Path) -> Iterator[Services]:
    connector = {"kind": "folder", "name": "erp", "tenant": "acme", "path": str(erp)}
    exports = [{**connector, "attempts": 1}]
    with services_exporting(database, tmp_path / "data", exports) as built:
        yield built


def matched(workspace: Workspace) -> str:
    """An invoice matched to the catalogue, waiting for approval."""
    with workspace.services.db.tenant_session("acme") as session:
        return matched_invoice(session, seed_catalogue(session)).id


@pytest.fixture
def failed(workspace: Workspace) -> str:
    """An approved invoice whose hand-over failed: the ERP's folder was missing."""
    with workspace.services.db.tenant_session("acme") as session:
        record = matched_invoice(session, seed_catalogue(session))
        approve(session, record)
        invoice_id = record.id
    run_jobs(workspace.services)
    return invoice_id


def state(workspace: Workspace, invoice_id: str) -> tuple[InvoiceStatus, list[DeliveryState]]:
    with workspace.services.db.tenant_session("acme") as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        return record.status, [d.state for d in deliveries_of(session, invoice_id)]


def delivery_id(workspace: Workspace, invoice_id: str) -> int:
    with workspace.services.db.tenant_session("acme") as session:
        (delivery,) = deliveries_of(session, invoice_id)
        return delivery.id


def test_approving_hands_the_invoice_to_the_erp_and_the_page_says_so(
    workspace: Workspace, signed_in: Callable[..., Browser], erp: Path
) -> None:
    erp.mkdir()
    invoice_id = matched(workspace)
    browser = signed_in("eva", Role.APPROVER)
    assert browser.post_form(f"/invoices/{invoice_id}/approve").status_code == 303
    with workspace.services.db.tenant_session("acme") as session:
        jobs = [
            (j.kind, j.state) for j in session.scalars(select(Job).where(Job.kind == HANDOVER_JOB))
        ]
    assert jobs == [(HANDOVER_JOB, JobState.QUEUED)]
    assert run_jobs(workspace.services) == 1
    assert (erp / RECEIPT).is_file()
    assert state(workspace, invoice_id) == (InvoiceStatus.EXPORTED, [DeliveryState.DELIVERED])
    page = browser.get(f"/invoices/{invoice_id}").text
    assert 'data-delivery-state="delivered"' in page
    assert RECEIPT in page
    assert "odovzdané do ERP" in page
    assert "data-retry-delivery" not in page


def test_a_failed_delivery_shows_its_error_and_an_approver_retries_it(
    workspace: Workspace, signed_in: Callable[..., Browser], failed: str, erp: Path
) -> None:
    browser = signed_in("eva", Role.APPROVER)
    page = browser.get(f"/invoices/{failed}").text
    assert 'data-delivery-state="failed"' in page
    assert f"the export folder {erp} does not exist" in page
    target = delivery_id(workspace, failed)
    assert f'data-retry-delivery="{target}"' in page
    erp.mkdir()
    answer = browser.post_form(f"/deliveries/{target}/retry", {"back": "invoice"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/invoices/{failed}?done=delivery_retried#deliveries"
    assert state(workspace, failed) == (InvoiceStatus.APPROVED, [DeliveryState.PENDING])
    assert run_jobs(workspace.services) == 1
    assert state(workspace, failed) == (InvoiceStatus.EXPORTED, [DeliveryState.DELIVERED])
    page = browser.get(f"/invoices/{failed}?done=delivery_retried").text
    assert "Odovzdanie sa skúsi znova." in page
    assert "odovzdanie do ERP znova" in page


def test_an_operator_sees_no_retry_and_cannot_retry(
    workspace: Workspace, signed_in: Callable[..., Browser], failed: str
) -> None:
    browser = signed_in("ola")
    page = browser.get(f"/invoices/{failed}").text
    assert 'data-delivery-state="failed"' in page
    assert "data-retry-delivery" not in page
    target = delivery_id(workspace, failed)
    assert browser.post_form(f"/deliveries/{target}/retry").status_code == 403
    assert state(workspace, failed)[1] == [DeliveryState.FAILED]


def test_a_retry_without_the_sessions_token_is_refused(
    workspace: Workspace, signed_in: Callable[..., Browser], failed: str
) -> None:
    browser = signed_in("eva", Role.APPROVER)
    target = delivery_id(workspace, failed)
    assert browser.post(f"/deliveries/{target}/retry", {"back": "invoice"}).status_code == 403
    forged = browser.post(f"/deliveries/{target}/retry", {"csrf_token": "forged"})
    assert forged.status_code == 403
    assert state(workspace, failed)[1] == [DeliveryState.FAILED]


def test_a_reopened_invoice_is_not_retried_but_handed_over_by_its_next_approval(
    workspace: Workspace, signed_in: Callable[..., Browser], failed: str
) -> None:
    browser = signed_in("eva", Role.APPROVER)
    assert browser.post_form(f"/invoices/{failed}/reopen").status_code == 303
    refused = browser.post_form(f"/deliveries/{delivery_id(workspace, failed)}/retry")
    assert refused.status_code == 409
    assert "do ERP sa odovzdá, keď ju znova schválite" in refused.text


def test_the_admin_list_shows_failed_deliveries_to_retry(
    workspace: Workspace, signed_in: Callable[..., Browser], failed: str, erp: Path
) -> None:
    admin = signed_in("ada", Role.ADMIN, language="en")
    assert "/admin/deliveries" in admin.get("/admin").text
    page = admin.get("/admin/deliveries").text
    assert "Hand-overs to the ERP" in page
    assert f'href="/invoices/{failed}#deliveries">FV2024/0815</a>' in page
    assert 'data-delivery-state="failed"' in page
    assert "does not exist" in page
    erp.mkdir()
    target = delivery_id(workspace, failed)
    answer = admin.post_form(f"/deliveries/{target}/retry", {"back": "admin"})
    assert answer.headers["location"] == "/admin/deliveries?done=delivery_retried"
    assert "No hand-overs." in admin.get("/admin/deliveries").text
    assert 'data-delivery-state="pending"' in admin.get("/admin/deliveries?show=pending").text
    assert "The hand-over will be tried again." in admin.get(answer.headers["location"]).text


def test_only_administrators_see_the_list(
    workspace: Workspace, signed_in: Callable[..., Browser], failed: str
) -> None:
    assert signed_in("eva", Role.APPROVER).get("/admin/deliveries").status_code == 403


def test_another_tenants_delivery_is_not_found(
    workspace: Workspace, signed_in: Callable[..., Browser], failed: str
) -> None:
    workspace.add_user("gus", Role.ADMIN, tenant="globex")
    other = workspace.signed_in("gus")
    target = delivery_id(workspace, failed)
    assert other.post_form(f"/deliveries/{target}/retry").status_code == 404
    assert "FV2024/0815" not in other.get("/admin/deliveries?show=all").text
    assert state(workspace, failed)[1] == [DeliveryState.FAILED]
