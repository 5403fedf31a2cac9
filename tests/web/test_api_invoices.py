"""``/api/v1/invoices``: listing with filters and pages, detail, downloads, reprocess."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from nex_automat.pipeline.services import Services
from nex_automat.store.files import sha256_hex
from tests.extract.scans import degrade_pdf_page
from tests.invoicegen import generate
from tests.web.conftest import Api
from tests.web.samples import FAMILIES, invoice_pdf, isdoc_needing_review

SEEDS = (0, 1, 2, 3)


def truth(seed: int) -> Any:
    return generate(seed, FAMILIES[seed % len(FAMILIES)]).invoice


@pytest.fixture
def invoices(acme: Api, process: Any) -> dict[str, str]:
    """Four consistent PDF invoices (by seed) and one ISDOC with warnings; their ids."""
    documents = {str(seed): acme.post_invoice(invoice_pdf(seed)).json()["id"] for seed in SEEDS}
    documents["review"] = acme.post_invoice(isdoc_needing_review(), filename="f.isdoc").json()["id"]
    process()
    return {
        name: acme.get(f"/api/v1/documents/{document_id}").json()["invoice_id"]
        for name, document_id in documents.items()
    }


def listed(api: Api, **params: Any) -> list[str]:
    response = api.get("/api/v1/invoices", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_the_list_is_newest_first_with_a_summary_per_invoice(
    acme: Api, invoices: dict[str, str]
) -> None:
    response = acme.get("/api/v1/invoices").json()
    assert [item["id"] for item in response["items"]] == [
        invoices[name] for name in ("review", "3", "2", "1", "0")
    ]
    assert response["next_cursor"] is None
    first = truth(0)
    summary = response["items"][-1]
    assert summary["number"] == first.number
    assert summary["supplier"]["ico"] == first.supplier.ico
    assert summary["total_gross"] == f"{first.total_gross:.2f}"
    assert summary["status"] == "new"
    assert response["items"][0]["warnings"] > 0


def test_the_list_filters_by_status_repeatable(acme: Api, invoices: dict[str, str]) -> None:
    assert listed(acme, status="needs_review") == [invoices["review"]]
    both = listed(acme, status=["needs_review", "new"])
    assert sorted(both) == sorted(invoices.values())
    assert listed(acme, status="approved") == []


def test_the_list_filters_by_supplier_name_part_or_ico(acme: Api, invoices: dict[str, str]) -> None:
    supplier = truth(2).supplier
    assert listed(acme, supplier=supplier.ico) == [invoices["2"]]
    assert listed(acme, supplier=supplier.name.split()[-2].lower()) == [invoices["2"]]


def test_the_list_filters_by_issue_dates_inclusive(acme: Api, invoices: dict[str, str]) -> None:
    day = truth(3).issue_date.isoformat()
    assert listed(acme, issued_from=day, issued_to=day) == [invoices["3"]]
    later = {invoices[name] for name in issued_after(truth(3).issue_date)}
    assert set(listed(acme, issued_from=day)) == later | {invoices["3"]}


def issued_after(day: Any) -> list[str]:
    return [str(seed) for seed in SEEDS if truth(seed).issue_date > day]


def test_the_list_filters_by_amount_range(acme: Api, invoices: dict[str, str]) -> None:
    gross = {name: truth(int(name)).total_gross for name in ("0", "1", "2", "3")}
    low, high = sorted(gross.values())[1:3]
    expected = {invoices[name] for name, amount in gross.items() if low <= amount <= high}
    assert set(listed(acme, amount_min=str(low), amount_max=str(high))) == expected
    assert listed(acme, amount_min="1000000") == []


def test_the_list_finds_free_text_in_number_or_lines(acme: Api, invoices: dict[str, str]) -> None:
    assert listed(acme, q=truth(1).number) == [invoices["1"]]
    assert listed(acme, q="piesok 0-4") == [invoices["review"]]


def test_the_list_filters_by_warnings(acme: Api, invoices: dict[str, str]) -> None:
    assert listed(acme, has_warnings="true") == [invoices["review"]]
    assert invoices["review"] not in listed(acme, has_warnings="false")
    assert len(listed(acme, has_warnings="false")) == 4


def test_pages_follow_the_cursor_without_gaps_or_repeats(
    acme: Api, invoices: dict[str, str]
) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = acme.get("/api/v1/invoices", params=params).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == listed(acme)


@pytest.mark.parametrize(
    "params", [{"limit": 201}, {"limit": 0}, {"status": "paid"}, {"amount_min": "lots"}]
)
def test_bad_list_parameters_are_validation_errors(acme: Api, params: dict[str, Any]) -> None:
    response = acme.get("/api/v1/invoices", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_a_forged_cursor_is_a_bad_request(acme: Api) -> None:
    response = acme.get("/api/v1/invoices", params={"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_the_detail_is_the_contracts_invoice_with_the_services_facts(
    acme: Api, invoices: dict[str, str], contract_schema: dict[str, Any]
) -> None:
    detail = acme.get(f"/api/v1/invoices/{invoices['review']}").json()
    invoice_schema = {"$defs": contract_schema["$defs"], "$ref": "#/$defs/invoice"}
    jsonschema.validate(detail, invoice_schema)
    assert detail["id"] == invoices["review"]
    assert detail["status"] == "needs_review"
    assert detail["number"] == "2024001"
    assert detail["total_gross"] == "123.00"
    assert detail["lines"][1]["description"] == "Piesok 0-4 mm"
    assert "lines_sum_mismatch" in {w["code"] for w in detail["warnings"]}
    assert detail["source"]["method"] == "isdoc"
    assert detail["duplicate_of"] is None
    assert detail["created_at"]


def test_the_detail_of_a_pdf_invoice_carries_provenance(
    acme: Api, invoices: dict[str, str], contract_schema: dict[str, Any]
) -> None:
    detail = acme.get(f"/api/v1/invoices/{invoices['0']}").json()
    jsonschema.validate(detail, {"$defs": contract_schema["$defs"], "$ref": "#/$defs/invoice"})
    assert detail["source"]["method"] == "text"
    box = detail["provenance"]["number"]
    assert set(box) == {"page", "x0", "top", "x1", "bottom", "ocr"}
    assert box["ocr"] is False


def test_the_same_invoice_in_another_pdf_points_at_the_original(
    acme: Api, invoices: dict[str, str], process: Any
) -> None:
    reprinted = invoice_pdf(0).replace(b"/Producer", b"/Creator (reprint) /Producer", 1)
    assert reprinted != invoice_pdf(0)
    posted = acme.post_invoice(reprinted).json()
    assert posted["duplicate"] is False
    process()
    invoice_id = acme.get(f"/api/v1/documents/{posted['id']}").json()["invoice_id"]
    detail = acme.get(f"/api/v1/invoices/{invoice_id}").json()
    assert (detail["status"], detail["duplicate_of"]) == ("duplicate", invoices["0"])


def test_the_isdoc_download_is_the_stored_xml(
    acme: Api, invoices: dict[str, str], services: Services
) -> None:
    response = acme.get(f"/api/v1/invoices/{invoices['0']}/isdoc")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"
    assert response.content.startswith(b"<?xml")
    assert b"<Invoice" in response.content
    assert response.headers["content-disposition"].startswith("attachment;")


def test_an_invoice_without_isdoc_answers_isdoc_not_available(
    acme: Api, invoices: dict[str, str], services: Services
) -> None:
    document_id = acme.get(f"/api/v1/invoices/{invoices['1']}").json()["document_id"]
    sha256 = acme.get(f"/api/v1/documents/{document_id}").json()["sha256"]
    services.files.tenant("acme").derived_path(sha256, ".isdoc.xml").unlink()
    response = acme.get(f"/api/v1/invoices/{invoices['1']}/isdoc")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "isdoc_not_available"


def test_a_scanned_invoice_has_a_searchable_pdf_and_ocr_marked_provenance(
    acme: Api, process: Any
) -> None:
    scan = degrade_pdf_page(generate(2, "pohoda_sk", n_lines=3).pdf, 0, seed=2)
    posted = acme.post_invoice(scan, filename="scan.jpg").json()
    process()
    invoice_id = acme.get(f"/api/v1/documents/{posted['id']}").json()["invoice_id"]
    detail = acme.get(f"/api/v1/invoices/{invoice_id}").json()
    assert detail["source"]["method"] == "ocr"
    assert detail["provenance"]["number"]["ocr"] is True
    response = acme.get(f"/api/v1/invoices/{invoice_id}/searchable")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.headers["content-disposition"].startswith("attachment;")


def test_an_invoice_read_from_text_answers_searchable_not_available(
    acme: Api, invoices: dict[str, str]
) -> None:
    response = acme.get(f"/api/v1/invoices/{invoices['0']}/searchable")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "searchable_not_available"


def test_the_original_download_is_the_received_bytes_under_a_safe_name(
    acme: Api, process: Any
) -> None:
    posted = acme.post_invoice(invoice_pdf(2), filename='..\\..\\etc/Faktúra "2025";1.pdf').json()
    process()
    invoice_id = acme.get(f"/api/v1/documents/{posted['id']}").json()["invoice_id"]
    response = acme.get(f"/api/v1/invoices/{invoice_id}/original")
    assert response.status_code == 200
    assert response.content == invoice_pdf(2)
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Faktura _2025_1.pdf"; ')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "Faktúra _2025_1.pdf"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_reprocess_queues_the_document_and_keeps_the_invoice_id(
    acme: Api, invoices: dict[str, str], process: Any
) -> None:
    response = acme.post(f"/api/v1/invoices/{invoices['0']}/reprocess")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    document_id = response.json()["document_id"]
    assert acme.get(f"/api/v1/documents/{document_id}").json()["status"] == "received"
    assert process() == 1
    assert acme.get(f"/api/v1/documents/{document_id}").json()["invoice_id"] == invoices["0"]
    assert acme.get(f"/api/v1/invoices/{invoices['0']}").json()["status"] == "new"


def test_an_unknown_invoice_is_not_found_everywhere(acme: Api) -> None:
    for suffix in ("", "/isdoc", "/original"):
        response = acme.get(f"/api/v1/invoices/nope{suffix}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert acme.post("/api/v1/invoices/nope/reprocess").status_code == 404


def test_a_stored_file_gone_missing_is_an_internal_error_without_details(
    acme: Api, invoices: dict[str, str], services: Services
) -> None:
    services.files.tenant("acme").path(sha256_hex(invoice_pdf(3))).unlink()
    response = acme.get(f"/api/v1/invoices/{invoices['3']}/original")
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "an unexpected error occurred; it was logged",
        }
    }


def test_each_tenant_downloads_the_same_bytes_from_its_own_file(
    acme: Api, globex: Api, process: Any, services: Services
) -> None:
    pdf = invoice_pdf(7)
    mine = acme.post_invoice(pdf).json()
    theirs = globex.post_invoice(pdf).json()
    assert (mine["duplicate"], theirs["duplicate"]) == (False, False)
    process()
    invoice_id = acme.get(f"/api/v1/documents/{mine['id']}").json()["invoice_id"]

    services.files.tenant("globex").path(sha256_hex(pdf)).unlink()

    response = acme.get(f"/api/v1/invoices/{invoice_id}/original")
    assert response.status_code == 200
    assert response.content == pdf
    assert acme.get(f"/api/v1/invoices/{invoice_id}/isdoc").status_code == 200
