"""A key of one tenant never reaches another tenant's documents or invoices."""

from __future__ import annotations

from typing import Any

from nex_automat.pipeline.services import Services
from nex_automat.store.tenants import set_tenant_disabled
from tests.web.conftest import Api
from tests.web.samples import invoice_pdf


def test_another_tenants_ids_are_not_found(acme: Api, globex: Api, process: Any) -> None:
    document_id = acme.post_invoice(invoice_pdf(0)).json()["id"]
    process()
    invoice_id = acme.get(f"/api/v1/documents/{document_id}").json()["invoice_id"]
    assert invoice_id is not None
    for url in (
        f"/api/v1/documents/{document_id}",
        f"/api/v1/invoices/{invoice_id}",
        f"/api/v1/invoices/{invoice_id}/isdoc",
        f"/api/v1/invoices/{invoice_id}/original",
    ):
        response = globex.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    for url in (
        f"/api/v1/invoices/{invoice_id}/reprocess",
        f"/api/v1/documents/{document_id}/reprocess",
    ):
        assert globex.post(url).status_code == 404, url
    assert globex.get("/api/v1/invoices").json() == {"items": [], "next_cursor": None}
    assert acme.get(f"/api/v1/invoices/{invoice_id}").status_code == 200


def test_a_disabled_tenants_key_is_refused_at_once_and_the_other_tenant_carries_on(
    services: Services, acme: Api, globex: Api
) -> None:
    assert acme.get("/api/v1/invoices").status_code == 200
    with services.db.session() as session:
        set_tenant_disabled(session, "acme", True)
    refused = acme.get("/api/v1/invoices")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"
    assert acme.post_invoice(invoice_pdf(1)).status_code == 401
    assert globex.get("/api/v1/invoices").status_code == 200

    with services.db.session() as session:
        set_tenant_disabled(session, "acme", False)
    assert acme.get("/api/v1/invoices").status_code == 200
