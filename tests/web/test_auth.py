"""Every data route needs a live API key in ``X-API-Key``; the key decides the tenant."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from nex_automat.pipeline.services import Services
from nex_automat.store.apikeys import list_api_keys, revoke_api_key
from tests.web.conftest import Api
from tests.web.samples import b64, invoice_pdf

PROTECTED = [
    ("POST", "/invoice"),
    ("POST", "/api/v1/documents"),
    ("GET", "/api/v1/documents/x"),
    ("GET", "/api/v1/invoices"),
    ("GET", "/api/v1/invoices/x"),
    ("GET", "/api/v1/invoices/x/isdoc"),
    ("GET", "/api/v1/invoices/x/original"),
    ("POST", "/api/v1/invoices/x/reprocess"),
]


@pytest.mark.parametrize(("method", "url"), PROTECTED)
def test_a_request_without_a_key_is_unauthorized(client: TestClient, method: str, url: str) -> None:
    response = client.request(method, url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert "X-API-Key" in response.json()["error"]["message"]


def test_a_wrong_key_is_unauthorized_and_stores_nothing(
    client: TestClient, acme: Api, services: Services
) -> None:
    for key in ("nope", acme.key[:-1] + ("A" if acme.key[-1] != "A" else "B")):
        response = client.post(
            "/invoice", json={"file_b64": b64(invoice_pdf())}, headers={"X-API-Key": key}
        )
        assert response.status_code == 401
        assert response.json() == {
            "error": {
                "code": "unauthorized",
                "message": "a valid API key is required in the X-API-Key header",
            }
        }
    assert not any(services.files.root.rglob("*"))


def test_a_revoked_key_is_unauthorized(acme: Api, services: Services) -> None:
    with services.db.session() as session:
        (key,) = list_api_keys(session, "acme")
        revoke_api_key(session, key.id)
    assert acme.get("/api/v1/invoices").status_code == 401


def test_the_openapi_document_declares_the_api_key_scheme(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "A key from `nex-automat apikey create`; it decides the tenant.",
    }
    assert spec["paths"]["/api/v1/invoices"]["get"]["security"] == [{"ApiKey": []}]
    assert "security" not in spec["paths"]["/health"]["get"]
    assert client.get("/docs").status_code == 200
