"""``/health`` says the process is alive; ``/ready`` whether database and storage work."""

from __future__ import annotations

import dataclasses
import shutil

from fastapi.testclient import TestClient

from nex_automat.pipeline.services import Services
from nex_automat.store.db import open_database
from nex_automat.web.app import create_app


def test_health_needs_no_key(client: TestClient) -> None:
    response = client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_ready_when_database_and_storage_work(client: TestClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {
            "database": {"ok": True, "error": None},
            "storage": {"ok": True, "error": None},
        },
    }


def test_not_ready_when_the_storage_cannot_take_files(services: Services) -> None:
    root = services.files.root
    shutil.rmtree(root, ignore_errors=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    root.write_text("a file where the documents folder belongs")
    response = TestClient(create_app(services)).get("/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert body["error"]["code"] == "not_ready"
    assert "storage" in body["error"]["message"]


def test_not_ready_when_the_database_is_unreachable(services: Services) -> None:
    unreachable = open_database("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2")
    broken = dataclasses.replace(services, db=unreachable)
    response = TestClient(create_app(broken)).get("/ready")
    unreachable.dispose()
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["error"]
    assert body["checks"]["storage"]["ok"] is True
