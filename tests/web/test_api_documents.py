"""``/api/v1/documents``: multipart uploads and what became of each document."""

from __future__ import annotations

from nex_automat.pipeline.services import Services
from nex_automat.store.files import sha256_hex
from tests.web.conftest import Api
from tests.web.samples import invoice_pdf, isdoc_needing_review


def test_one_file_is_received(acme: Api, services: Services) -> None:
    response = acme.post("/api/v1/documents", files={"file": ("a.pdf", invoice_pdf(1))})
    assert response.status_code == 201
    (document,) = response.json()["documents"]
    assert (document["filename"], document["status"], document["duplicate"]) == (
        "a.pdf",
        "received",
        False,
    )
    assert services.files.tenant("acme").exists(sha256_hex(invoice_pdf(1)))


def test_many_files_are_received_in_order(acme: Api) -> None:
    files = [
        ("files", ("a.pdf", invoice_pdf(1), "application/octet-stream")),
        ("files", ("b.isdoc", isdoc_needing_review(), "text/plain")),
        ("files", ("c.pdf", invoice_pdf(1), "application/pdf")),
    ]
    response = acme.post("/api/v1/documents", files=files)
    assert response.status_code == 201
    documents = response.json()["documents"]
    assert [d["filename"] for d in documents] == ["a.pdf", "b.isdoc", "c.pdf"]
    assert [d["duplicate"] for d in documents] == [False, False, True]
    assert documents[2]["duplicate_of"] == documents[0]["id"]


def test_only_duplicates_answer_200(acme: Api) -> None:
    acme.post("/api/v1/documents", files={"file": ("a.pdf", invoice_pdf(1))})
    again = acme.post("/api/v1/documents", files={"file": ("a.pdf", invoice_pdf(1))})
    assert again.status_code == 200
    assert again.json()["documents"][0]["duplicate"] is True


def test_one_unsupported_file_refuses_the_whole_upload(acme: Api, services: Services) -> None:
    files = [
        ("files", ("a.pdf", invoice_pdf(1))),
        ("files", ("photo.pdf", b"GIF89a not an invoice we read")),
    ]
    response = acme.post("/api/v1/documents", files=files)
    assert response.status_code == 415
    error = response.json()["error"]
    assert (error["code"], error["filename"]) == ("unsupported_media_type", "photo.pdf")
    assert not any(services.files.root.rglob("*"))


def test_an_upload_without_files_is_a_validation_error(acme: Api) -> None:
    response = acme.post("/api/v1/documents", data={"note": "nothing attached"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_a_document_shows_its_origin_state_and_invoice(acme: Api, process: object) -> None:
    posted = acme.post_invoice(invoice_pdf(1), subject="Faktúra", **{"from": "a@b.sk"}).json()
    before = acme.get(f"/api/v1/documents/{posted['id']}").json()
    assert (before["status"], before["invoice_id"], before["error"]) == ("received", None, None)
    process()  # type: ignore[operator]
    document = acme.get(f"/api/v1/documents/{posted['id']}").json()
    assert document["status"] == "processed"
    assert document["invoice_id"] is not None
    assert document["sha256"] == sha256_hex(invoice_pdf(1))
    assert (document["media_type"], document["size"]) == ("application/pdf", len(invoice_pdf(1)))
    assert (document["source"], document["sender"], document["subject"]) == (
        "upload",
        "a@b.sk",
        "Faktúra",
    )


def test_a_document_that_is_no_invoice_shows_why_it_failed(acme: Api, process: object) -> None:
    posted = acme.post_invoice(b"%PDF-1.4\n%%EOF\n").json()
    process()  # type: ignore[operator]
    document = acme.get(f"/api/v1/documents/{posted['id']}").json()
    assert document["status"] == "failed"
    assert document["error"]["code"]
    assert document["invoice_id"] is None


def test_an_unknown_document_is_not_found(acme: Api) -> None:
    response = acme.get("/api/v1/documents/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_failed_document_can_be_queued_again(acme: Api, process: object) -> None:
    posted = acme.post_invoice(b"%PDF-1.4\n%%EOF\n").json()
    process()  # type: ignore[operator]
    response = acme.post(f"/api/v1/documents/{posted['id']}/reprocess")
    assert response.status_code == 202
    assert acme.get(f"/api/v1/documents/{posted['id']}").json()["status"] == "received"
    assert process() == 1  # type: ignore[operator]
    assert acme.get(f"/api/v1/documents/{posted['id']}").json()["status"] == "failed"


def test_a_hostile_file_name_is_kept_only_as_a_plain_name(
    acme: Api, services: Services, process: object
) -> None:
    name = "../../etc/faktúra\u202efdp.exe <b>.pdf"
    response = acme.post("/api/v1/documents", files={"file": (name, invoice_pdf(2))})
    (document,) = response.json()["documents"]
    assert document["filename"] == "faktúra_fdp.exe _b_.pdf"
    assert callable(process)
    process()
    invoice_id = acme.get(f"/api/v1/documents/{document['id']}").json()["invoice_id"]
    download = acme.get(f"/api/v1/invoices/{invoice_id}/original")
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="faktura_fdp.exe _b.pdf"; '
        "filename*=UTF-8''fakt%C3%BAra_fdp.exe%20_b_.pdf"
    )
