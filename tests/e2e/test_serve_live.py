"""``nex-automat serve`` as a real process: documents in over HTTP, invoices out.

One server per database kind serves the tests of this module; each test sends invoices of
its own, so none depends on another's. Every response any test gets is recorded, and no
test may see a 5xx.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pypdfium2
import pytest

from nex_automat.store.db import open_database
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import JobState
from tests.databases import BACKENDS
from tests.e2e.installation import (
    Installation,
    database_url_for,
    initialise,
    running_server,
    wait_until,
)
from tests.invoicegen import FAMILIES, GeneratedInvoice, generate

SETTLE_TIMEOUT = 30.0
SETTLED = {"processed", "failed", "duplicate"}


class Api:
    """An HTTP client of the live server that remembers every status it was answered."""

    def __init__(self, url: str, key: str) -> None:
        self.statuses: list[tuple[str, int]] = []
        self.client = httpx.Client(
            base_url=url,
            headers={"X-API-Key": key},
            timeout=20,
            event_hooks={"response": [self._record]},
        )

    def _record(self, response: httpx.Response) -> None:
        request = response.request
        self.statuses.append((f"{request.method} {request.url.path}", response.status_code))

    def server_errors(self) -> list[tuple[str, int]]:
        return [(call, status) for call, status in self.statuses if status >= 500]

    def post_invoice(self, data: bytes, **fields: Any) -> httpx.Response:
        body = {"file_b64": base64.b64encode(data).decode(), "filename": "faktura.pdf", **fields}
        return self.client.post("/invoice", json=body)

    def document(self, document_id: str) -> dict[str, Any]:
        response = self.client.get(f"/api/v1/documents/{document_id}")
        assert response.status_code == 200, response.text
        return response.json()

    def settled(self, document_id: str) -> dict[str, Any]:
        """The document once processing is over for it, however it ended."""
        seen: dict[str, Any] = {}

        def done() -> bool:
            seen.update(self.document(document_id))
            return seen["status"] in SETTLED

        wait_until(done, SETTLE_TIMEOUT, what=f"document {document_id} to be processed")
        return seen

    def invoice(self, invoice_id: str) -> dict[str, Any]:
        response = self.client.get(f"/api/v1/invoices/{invoice_id}")
        assert response.status_code == 200, response.text
        return response.json()

    def invoices_numbered(self, number: str) -> list[dict[str, Any]]:
        response = self.client.get("/api/v1/invoices", params={"q": number, "limit": 100})
        assert response.status_code == 200, response.text
        return [item for item in response.json()["items"] if item["number"] == number]


@pytest.fixture(scope="module", params=BACKENDS)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Installation, str]]:
    folder = tmp_path_factory.mktemp(f"live-{request.param}")
    with database_url_for(request.param) as url:
        installation = initialise(folder / "data", url)
        with running_server(installation, folder / "serve.log") as server:
            yield installation, server.url


@pytest.fixture
def api(live: tuple[Installation, str]) -> Iterator[Api]:
    installation, url = live
    api = Api(url, installation.key)
    yield api
    api.client.close()
    assert api.server_errors() == []


def invoice(seed: int) -> GeneratedInvoice:
    return generate(seed, FAMILIES[seed % len(FAMILIES)])


def resaved(pdf: bytes) -> bytes:
    """The same pages written out again by another PDF library: other bytes, same invoice."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        buffer = io.BytesIO()
        document.save(buffer, version=17)
    finally:
        document.close()
    return buffer.getvalue()


def test_an_n8n_post_is_acknowledged_processed_and_read_back(api: Api) -> None:
    sent = invoice(4101)
    response = api.post_invoice(
        sent.pdf,
        **{"from": "fakturacia@dodavatel.sk"},
        subject="Faktúra",
        message_id="<4101@dodavatel.sk>",
        received_date="Tue, 05 Mar 2024 10:15:00 +0100",
    )
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["duplicate"] is False

    document = api.settled(receipt["id"])
    assert document["status"] == "processed"
    assert document["sender"] == "fakturacia@dodavatel.sk"
    assert document["message_id"] == "<4101@dodavatel.sk>"
    stored = api.invoice(document["invoice_id"])
    assert stored["number"] == sent.invoice.number
    assert stored["document_id"] == receipt["id"]
    assert Decimal(stored["total_gross"]) == sent.invoice.total_gross


def test_a_multipart_upload_of_two_files_gives_two_processed_invoices(api: Api) -> None:
    first, second = invoice(4201), invoice(4202)
    files = [
        ("files", ("prva.pdf", first.pdf, "application/pdf")),
        ("files", ("druha.pdf", second.pdf, "application/pdf")),
    ]
    response = api.client.post("/api/v1/documents", files=files)
    assert response.status_code == 201, response.text
    answers = response.json()["documents"]
    assert [a["filename"] for a in answers] == ["prva.pdf", "druha.pdf"]

    numbers = []
    for answer in answers:
        document = api.settled(answer["id"])
        assert document["status"] == "processed"
        numbers.append(api.invoice(document["invoice_id"])["number"])
    assert numbers == [first.invoice.number, second.invoice.number]


def test_the_same_pdf_twice_is_one_invoice_and_a_duplicate_document(api: Api) -> None:
    sent = invoice(4301)
    original = api.post_invoice(sent.pdf).json()
    processed = api.settled(original["id"])

    again = api.post_invoice(sent.pdf)

    assert again.status_code == 200, again.text
    receipt = again.json()
    assert receipt["duplicate"] is True
    assert receipt["duplicate_of"] == original["id"]
    assert receipt["invoice_id"] == processed["invoice_id"]
    duplicate = api.settled(receipt["id"])
    assert duplicate["status"] == "duplicate"
    assert duplicate["invoice_id"] is None
    assert [i["id"] for i in api.invoices_numbered(sent.invoice.number)] == [
        processed["invoice_id"]
    ]


def test_the_same_invoice_as_a_different_pdf_is_one_invoice_and_a_duplicate(api: Api) -> None:
    sent = invoice(4401)
    other_bytes = resaved(sent.pdf)
    assert other_bytes != sent.pdf
    original = api.settled(api.post_invoice(sent.pdf).json()["id"])

    response = api.post_invoice(other_bytes)

    assert response.status_code == 201, response.text
    assert response.json()["duplicate"] is False
    second = api.settled(response.json()["id"])
    assert second["status"] == "duplicate"
    assert second["duplicate_of"] == original["id"]
    invoices = {i["id"]: i for i in api.invoices_numbered(sent.invoice.number)}
    assert set(invoices) == {original["invoice_id"], second["invoice_id"]}
    assert invoices[original["invoice_id"]]["status"] in {"new", "needs_review"}
    assert invoices[second["invoice_id"]]["status"] == "duplicate"
    assert invoices[second["invoice_id"]]["duplicate_of"] == original["invoice_id"]


def test_sigterm_lets_the_server_finish_and_exit_cleanly(
    installation: Installation, tmp_path: Path
) -> None:
    with running_server(installation, tmp_path / "serve.log") as server:
        api = Api(server.url, installation.key)
        receipts = [api.post_invoice(invoice(seed).pdf) for seed in (4501, 4502, 4503)]
        assert [r.status_code for r in receipts] == [201, 201, 201]
        api.client.close()

        assert server.terminate() == 0, server.log()
        assert "Traceback" not in server.log()
    db = open_database(installation.effective_database_url())
    try:
        assert JobQueue(db).counts().get(JobState.RUNNING, 0) == 0
    finally:
        db.dispose()
