"""The API keeps the promises of its OpenAPI schema, for any request the schema allows.

Schemathesis reads ``/openapi.json`` from the app and generates requests for every
operation, sent in-process to the ASGI app of a temporary SQLite installation with a real
API key and a few processed documents, so list and detail answers carry real data. Every
answer must be no server error, have a documented status code and content type, and a
body that conforms to the documented schema. Seeds are fixed (``derandomize``) and the
examples per operation bounded, so the run is repeatable and quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from nex_automat.ops.config import load_settings
from nex_automat.pipeline.runner import run_pending
from nex_automat.pipeline.services import Services, build_services
from nex_automat.store.apikeys import create_api_key
from nex_automat.store.tenants import create_tenant
from nex_automat.web.app import create_app
from tests.databases import sqlite_url
from tests.web.samples import invoice_pdf, isdoc_needing_review

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, str]]:
    """A migrated SQLite installation with one tenant, its API key and two processed
    documents (a PDF and an ISDOC), so answers carry real invoices."""
    folder: Path = tmp_path_factory.mktemp("openapi")
    settings = load_settings(
        folder / "data",
        database_url=sqlite_url(folder),
        upload_max_bytes=512 * 1024,
        workers=1,
        api_burst=100_000,
    )
    services = build_services(settings)
    services.db.upgrade()
    with services.db.session() as session:
        create_tenant(session, "acme", "Acme")
        key = create_api_key(session, "acme", "schemathesis").secret
    client = TestClient(create_app(services))
    for name, data in (("faktura.pdf", invoice_pdf(0)), ("faktura.isdoc", isdoc_needing_review())):
        answer = client.post(
            "/api/v1/documents", headers={"X-API-Key": key}, files={"file": (name, data)}
        )
        assert answer.status_code == 201, answer.text
    run_pending(services.queue, services.processor, worker_id="openapi")
    yield services, key
    services.close()


def operations(services: Services) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(services))
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize(
    ("mode", "examples"),
    [(GenerationMode.POSITIVE, 25), (GenerationMode.NEGATIVE, 15)],
    ids=["valid_requests", "invalid_requests"],
)
def test_every_operation_keeps_its_schema(
    installation: tuple[Services, str], mode: GenerationMode, examples: int
) -> None:
    """Valid requests and invalid ones (which must be refused as documented, 4xx)."""
    services, key = installation
    found = operations(services)
    assert len(found) >= 8
    failures: list[str] = []
    for operation in found:
        strategy = operation.as_strategy(generation_mode=mode, headers={"X-API-Key": key})

        @settings(
            max_examples=examples,
            derandomize=True,
            deadline=timedelta(seconds=10),
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=strategy)
        def conforms(case: Case) -> None:
            case.call_and_validate(checks=CHECKS)

        try:
            conforms()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, operation.label  # nothing to make invalid
        except (AssertionError, BaseExceptionGroup) as failure:
            failures.append(f"{operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)
