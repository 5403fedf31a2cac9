"""``/api/v1``: an invoice's deliveries to the ERP, the failed ones, and retrying one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nex_automat.pipeline.services import Services
from nex_automat.store.db import Database
from nex_automat.store.invoices import get_invoice
from nex_automat.store.models import InvoiceStatus
from tests.catalog.catalogue import seed_catalogue
from tests.pipeline.export.approved import (
    approve,
    matched_invoice,
    run_jobs,
    services_exporting,
)
from tests.web.conftest import Api


def folder_connector(path: Path) -> dict[str, object]:
    """One try only, so a missing folder fails the delivery at once."""
    return {"kind": "folder", "name": "erp", "tenant": "acme", "path": str(path), "attempts": 1}


@pytest.fixture
def erp(tmp_path: Path) -> Path:
    """The ERP's import folder; it does not exist until a test creates it."""
    return tmp_path / "erp-import"


@pytest.fixture
def services(database: Database, tmp_path: Path, erp: Path) -> Iterator[Services]:
    with services_exporting(database, tmp_path / "data", [folder_connector(erp)]) as built:
        yield built


@pytest.fixture
def failed_invoice(services: Services, acme: Api) -> str:
    """An approved invoice whose hand-over failed: the ERP's folder was missing."""
    with services.db.tenant_session("acme") as session:
        record = matched_invoice(session, seed_catalogue(session))
        approve(session, record)
        invoice_id = record.id
    run_jobs(services)
    return invoice_id


def test_an_invoices_deliveries_show_the_failure(acme: Api, failed_invoice: str, erp: Path) -> None:
    answer = acme.get(f"/api/v1/invoices/{failed_invoice}/deliveries")
    assert answer.status_code == 200
    (item,) = answer.json()["items"]
    assert {
        k: item[k] for k in ("connector", "format", "state", "attempts", "next_attempt_at")
    } == {
        "connector": "erp",
        "format": "isdoc",
        "state": "failed",
        "attempts": 1,
        "next_attempt_at": None,
    }
    assert item["last_error"] == f"the export folder {erp} does not exist"


def test_the_failed_deliveries_are_listed_with_their_invoice(
    acme: Api, failed_invoice: str
) -> None:
    failed = acme.get("/api/v1/deliveries", params={"state": "failed"}).json()["items"]
    assert [(item["invoice_id"], item["invoice_number"]) for item in failed] == [
        (failed_invoice, "FV2024/0815")
    ]
    assert acme.get("/api/v1/deliveries", params={"state": "delivered"}).json()["items"] == []


def test_a_retry_delivers_once_the_folder_is_there_and_the_invoice_is_exported(
    services: Services, acme: Api, failed_invoice: str, erp: Path
) -> None:
    (item,) = acme.get(f"/api/v1/invoices/{failed_invoice}/deliveries").json()["items"]
    erp.mkdir()
    answer = acme.post(f"/api/v1/deliveries/{item['id']}/retry")
    assert answer.status_code == 202
    assert (answer.json()["state"], answer.json()["attempts"]) == ("pending", 0)
    assert run_jobs(services) == 1
    (done,) = acme.get(f"/api/v1/invoices/{failed_invoice}/deliveries").json()["items"]
    assert (done["state"], done["target"]) == ("delivered", "FV2024_0815-36123456-receipt.isdoc")
    assert (erp / done["target"]).is_file()
    with services.db.tenant_session("acme") as session:
        record = get_invoice(session, failed_invoice)
        assert record is not None and record.status is InvoiceStatus.EXPORTED
    again = acme.post(f"/api/v1/deliveries/{item['id']}/retry")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "delivery_not_retryable"
    assert again.json()["error"]["reason"] == "delivered"


def test_another_tenant_cannot_see_or_retry_the_deliveries(
    acme: Api, globex: Api, failed_invoice: str
) -> None:
    (item,) = acme.get(f"/api/v1/invoices/{failed_invoice}/deliveries").json()["items"]
    assert globex.get(f"/api/v1/invoices/{failed_invoice}/deliveries").status_code == 404
    assert globex.get("/api/v1/deliveries").json()["items"] == []
    refused = globex.post(f"/api/v1/deliveries/{item['id']}/retry")
    assert refused.status_code == 404
    (unchanged,) = acme.get(f"/api/v1/invoices/{failed_invoice}/deliveries").json()["items"]
    assert unchanged["state"] == "failed"


def test_the_deliveries_need_an_api_key(acme: Api, failed_invoice: str) -> None:
    assert acme.client.get("/api/v1/deliveries").status_code == 401
    assert acme.client.post("/api/v1/deliveries/1/retry").status_code == 401
