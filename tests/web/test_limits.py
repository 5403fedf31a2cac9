"""Request bodies over the upload limit are refused before or while they are read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nex_automat.pipeline.services import Services
from nex_automat.web.limits import ENVELOPE_BYTES, base64_length
from tests.web.conftest import UPLOAD_LIMIT, Api
from tests.web.samples import invoice_pdf


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        step = min(size, total - sent)
        sent += step
        yield b"A" * step


@pytest.mark.parametrize("url", ["/invoice", "/api/v1/documents", "/api/v1/invoices/x/reprocess"])
def test_a_declared_length_over_the_limit_is_refused_before_reading(
    acme: Api, services: Services, url: str
) -> None:
    response = acme.post(
        url,
        content=b"{}",
        headers={"Content-Length": str(10 * UPLOAD_LIMIT), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not any(services.files.root.rglob("*"))


def test_a_chunked_json_body_is_cut_off_at_the_limit(acme: Api, services: Services) -> None:
    limit = base64_length(UPLOAD_LIMIT) + ENVELOPE_BYTES
    body = chunks(limit + 1)
    response = acme.post("/invoice", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "too_large",
        "message": f"the request body exceeds the limit of {limit} bytes",
        "limit_bytes": limit,
    }
    assert not any(services.files.root.rglob("*"))


def test_a_multipart_upload_over_the_limit_is_too_large(acme: Api, services: Services) -> None:
    oversized = invoice_pdf(0) + b"0" * UPLOAD_LIMIT
    response = acme.post("/api/v1/documents", files={"file": ("big.pdf", oversized)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not any(services.files.root.rglob("*"))


def test_a_multipart_file_over_the_limit_within_the_envelope_is_too_large(
    acme: Api, services: Services
) -> None:
    oversized = invoice_pdf(0) + b"0" * (UPLOAD_LIMIT - len(invoice_pdf(0)) + 1)
    response = acme.post("/api/v1/documents", files={"file": ("big.pdf", oversized)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not any(services.files.root.rglob("*"))
