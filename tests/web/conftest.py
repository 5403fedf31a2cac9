"""The API under test: the real app over real services, on SQLite and on PostgreSQL.

Documents are processed synchronously with ``run_pending`` where a test needs the result,
instead of worker threads, so every test sees a settled state.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from nex_automat.ops.config import load_settings
from nex_automat.pipeline.runner import run_pending
from nex_automat.pipeline.services import Services, build_services
from nex_automat.store.apikeys import create_api_key
from nex_automat.store.db import Database
from nex_automat.store.tenants import create_tenant
from nex_automat.web.app import create_app
from tests.web.samples import b64

UPLOAD_LIMIT = 512 * 1024


@pytest.fixture
def services(database: Database, tmp_path: Path) -> Iterator[Services]:
    url = database.engine.url.render_as_string(hide_password=False)
    settings = load_settings(
        tmp_path / "data", database_url=url, upload_max_bytes=UPLOAD_LIMIT, workers=1
    )
    built = build_services(settings)
    yield built
    built.close()


@dataclass(frozen=True)
class Api:
    """A client acting for one tenant, with the few calls most tests make."""

    client: TestClient
    key: str
    tenant: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key}

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(url, headers=self.headers, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.post(
            url, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def post_invoice(self, data: bytes, **fields: Any) -> httpx.Response:
        body = {"file_b64": b64(data), "filename": "faktura.pdf", **fields}
        return self.post("/invoice", json=body)


def _tenant_key(services: Services, tenant_id: str) -> str:
    with services.db.session() as session:
        create_tenant(session, tenant_id, tenant_id.title())
        return create_api_key(session, tenant_id, "tests").secret


@pytest.fixture
def client(services: Services) -> TestClient:
    return TestClient(create_app(services))


@pytest.fixture
def acme(services: Services, client: TestClient) -> Api:
    return Api(client, _tenant_key(services, "acme"), "acme")


@pytest.fixture
def globex(services: Services, client: TestClient) -> Api:
    return Api(client, _tenant_key(services, "globex"), "globex")


@pytest.fixture
def process(services: Services) -> Any:
    """Run every queued job now; returns how many ran."""

    def run() -> int:
        return run_pending(
            services.queue, services.processor, worker_id="tests", handlers=services.runner.handlers
        )

    return run
