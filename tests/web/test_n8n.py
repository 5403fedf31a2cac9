"""``POST /invoice``: what the n8n workflow sends, and what it gets back."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from nex_automat.pipeline.services import Services
from nex_automat.store.documents import get_document
from nex_automat.store.files import sha256_hex
from tests.web.conftest import UPLOAD_LIMIT, Api
from tests.web.samples import invoice_pdf


def test_a_new_invoice_is_stored_before_the_answer(acme: Api, services: Services) -> None:
    pdf = invoice_pdf(0)
    response = acme.post_invoice(
        pdf,
        filename="FA 2024-533.pdf",
        **{"from": "fakturacia@dodavatel.sk"},
        message_id="<abc@dodavatel.sk>",
        subject="Faktúra 20240533",
        received_date="2024-09-25T08:15:00Z",
    )
    assert response.status_code == 201
    answer = response.json()
    assert answer == {
        "id": answer["id"],
        "status": "received",
        "duplicate": False,
        "duplicate_of": None,
        "invoice_id": None,
    }
    assert services.files.tenant("acme").get(sha256_hex(pdf)) == pdf
    with services.db.tenant_session("acme") as session:
        document = get_document(session, answer["id"])
        assert document is not None
        assert (document.filename, document.sender) == (
            "FA 2024-533.pdf",
            "fakturacia@dodavatel.sk",
        )
        assert (document.message_id, document.subject) == ("<abc@dodavatel.sk>", "Faktúra 20240533")
        assert document.received_at == datetime(2024, 9, 25, 8, 15, tzinfo=UTC)
        assert document.media_type == "application/pdf"


def test_the_sender_may_be_given_as_from_email(acme: Api, services: Services) -> None:
    response = acme.post_invoice(invoice_pdf(0), from_email="a@b.sk")
    with services.db.tenant_session("acme") as session:
        document = get_document(session, response.json()["id"])
        assert document is not None
        assert document.sender == "a@b.sk"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Wed, 25 Sep 2024 10:15:00 +0200", datetime(2024, 9, 25, 8, 15, tzinfo=UTC)),
        ("2024-09-25T08:15:00", datetime(2024, 9, 25, 8, 15, tzinfo=UTC)),
        ("yesterday", None),
    ],
)
def test_the_received_date_is_read_from_iso_or_mail_dates_and_never_guessed(
    acme: Api, services: Services, given: str, expected: datetime | None
) -> None:
    response = acme.post_invoice(invoice_pdf(0), received_date=given)
    assert response.status_code == 201
    with services.db.tenant_session("acme") as session:
        document = get_document(session, response.json()["id"])
        assert document is not None
        assert document.received_at == expected


def test_the_same_pdf_twice_is_a_duplicate_of_the_first(acme: Api, process: object) -> None:
    first = acme.post_invoice(invoice_pdf(0)).json()
    second = acme.post_invoice(invoice_pdf(0))
    assert second.status_code == 200
    assert second.json()["duplicate"] is True
    assert second.json()["duplicate_of"] == first["id"]
    assert second.json()["id"] != first["id"]
    assert second.json()["status"] == "duplicate"


def test_a_duplicate_of_a_processed_invoice_names_its_invoice(acme: Api, process: object) -> None:
    first = acme.post_invoice(invoice_pdf(0)).json()
    assert process() == 1  # type: ignore[operator]
    invoice_id = acme.get(f"/api/v1/documents/{first['id']}").json()["invoice_id"]
    assert invoice_id is not None
    again = acme.post_invoice(invoice_pdf(0)).json()
    assert (again["duplicate_of"], again["invoice_id"]) == (first["id"], invoice_id)


def test_the_same_bytes_from_another_tenant_are_no_duplicate(acme: Api, globex: Api) -> None:
    acme.post_invoice(invoice_pdf(0))
    response = globex.post_invoice(invoice_pdf(0))
    assert response.status_code == 201
    assert response.json()["duplicate"] is False


@pytest.mark.parametrize(
    "text", ["not base64!", "QUJD=", "QUJDRA", "data:application/pdf;base64,JVBERi0="]
)
def test_invalid_base64_is_refused(acme: Api, services: Services, text: str) -> None:
    response = acme.post("/invoice", json={"file_b64": text})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_base64"
    assert not any(services.files.root.rglob("*"))


def test_base64_with_line_breaks_is_accepted(acme: Api) -> None:
    wrapped = base64.encodebytes(invoice_pdf(0)).decode("ascii")
    assert "\n" in wrapped
    assert acme.post("/invoice", json={"file_b64": wrapped}).status_code == 201


def test_content_that_is_no_document_is_unsupported(acme: Api, services: Services) -> None:
    response = acme.post_invoice(b"PK\x05\x06 not a pdf, named .pdf", filename="faktura.pdf")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not any(services.files.root.rglob("*"))


def test_an_empty_file_is_refused(acme: Api) -> None:
    response = acme.post("/invoice", json={"file_b64": ""})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "empty_document"


def test_a_file_over_the_limit_is_too_large(acme: Api, services: Services) -> None:
    oversized = b"%PDF-1.7\n" + b"0" * UPLOAD_LIMIT
    response = acme.post_invoice(oversized)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not any(services.files.root.rglob("*"))


def test_a_file_just_under_the_limit_is_taken(acme: Api) -> None:
    padded = invoice_pdf(0) + b"\n%" + b"0" * (UPLOAD_LIMIT - len(invoice_pdf(0)) - 2)
    assert len(padded) == UPLOAD_LIMIT
    assert acme.post_invoice(padded).status_code == 201


def test_a_missing_file_field_is_a_validation_error_in_json(acme: Api) -> None:
    response = acme.post("/invoice", json={"filename": "a.pdf"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["details"] == [{"field": "body.file_b64", "message": "Field required"}]


def test_a_body_that_is_not_json_is_a_validation_error(acme: Api) -> None:
    response = acme.post(
        "/invoice", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_very_long_mail_headers_are_kept_shortened(acme: Api, services: Services) -> None:
    response = acme.post_invoice(
        invoice_pdf(0), subject="Faktúra " * 1000, message_id="<" + "m" * 900 + ">"
    )
    assert response.status_code == 201
    with services.db.tenant_session("acme") as session:
        document = get_document(session, response.json()["id"])
        assert document is not None
        assert document.subject is not None
        assert document.subject.startswith("Faktúra Faktúra")
        assert document.message_id is not None
        assert len(document.message_id) == 500
