"""Every API route, tried with another tenant's key and ids, answers 404 and shows nothing.

The routes are enumerated from the app, so a route added later is covered without
editing this file; a new path parameter needs an id in :func:`tests.web.isolation.seed_owner`.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from nex_automat.pipeline.services import Services
from tests.web.conftest import Api
from tests.web.isolation import (
    INSTALLATION_ROUTES,
    Route,
    app_routes,
    leaked,
    owner_rows,
    path_parameters,
    seed_owner,
)


def api_routes(client: TestClient) -> list[Route]:
    routes = [r for r in app_routes(client.app) if not r.is_ui]  # type: ignore[arg-type]
    return [r for r in routes if r.path not in INSTALLATION_ROUTES]


def test_the_api_has_routes_naming_every_kind_of_row(client: TestClient) -> None:
    named = set().union(*(path_parameters(r.path) for r in api_routes(client)))
    assert {"document_id", "invoice_id", "delivery_id"} <= named


def test_every_api_route_refuses_the_other_tenants_ids(
    services: Services, client: TestClient, acme: Api, globex: Api
) -> None:
    ids = seed_owner(services)
    before = owner_rows(services)
    for route in api_routes(client):
        missing = path_parameters(route.path) - ids.keys()
        assert not missing, f"{route.path}: give the owner's id for {missing} in seed_owner"
        answer = globex.client.request(route.method, route.url(ids), headers=globex.headers)
        where = f"{route.method} {route.path}"
        assert not leaked(answer.text), where
        if path_parameters(route.path):
            assert answer.status_code == 404, f"{where}: {answer.status_code}"
            assert answer.json()["error"]["code"] == "not_found", where
        else:
            assert answer.status_code < 500, f"{where}: {answer.status_code}"
    assert owner_rows(services) == before


def test_every_api_route_wants_a_key(
    services: Services, client: TestClient, acme: Api, globex: Api
) -> None:
    ids = seed_owner(services)
    for route in api_routes(client):
        answer = client.request(route.method, route.url(ids))
        assert answer.status_code == 401, f"{route.method} {route.path}: {answer.status_code}"
        assert not leaked(answer.text)


def test_the_owners_key_reaches_the_same_rows(
    services: Services, client: TestClient, acme: Api
) -> None:
    """The ids the other tenant was refused are real: with them, the owner's requests get
    past the look-up (an ISDOC or searchable PDF may still not exist: another code)."""
    ids = seed_owner(services)
    naming = [r for r in api_routes(client) if path_parameters(r.path)]
    not_found = []
    for route in naming:
        answer = acme.client.request(route.method, route.url(ids), headers=acme.headers)
        if answer.status_code == 404 and answer.json()["error"]["code"] == "not_found":
            not_found.append(route.path)
    assert not_found == []
    assert acme.get("/api/v1/invoices").json()["items"]
