"""Errors Starlette raises itself are JSON with a code too."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_an_unknown_route_is_not_found_in_json(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not Found"}}


def test_a_wrong_method_is_method_not_allowed_in_json(client: TestClient) -> None:
    response = client.delete("/health")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
