"""The invoice page's catalogue matches and prices: shown, confirmed, changed, created, priced."""

from __future__ import annotations

import html
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select

from nex_automat.catalog.invoice_matching import match_invoice
from nex_automat.store.audit import audit_trail
from nex_automat.store.invoices import get_invoice
from nex_automat.store.models import InvoiceRecord, InvoiceStatus, Product, Role, SupplierCode
from tests.catalog.catalogue import (
    CEMENT_EAN,
    STANDARD_LINES,
    Seeded,
    invoice_of,
    seed_catalogue,
    store_invoice,
)
from tests.web.ui.conftest import Browser, Workspace

TENANT = "acme"


@pytest.fixture
def seeded(workspace: Workspace) -> Seeded:
    with workspace.services.db.tenant_session(TENANT) as session:
        return seed_catalogue(session)


def _invoice(workspace: Workspace, *, matched: bool = True, number: str = "2024001") -> str:
    services = workspace.services
    with services.db.tenant_session(TENANT) as session:
        record = store_invoice(session, invoice_of(*STANDARD_LINES, number=number))
        if matched:
            match_invoice(session, record, services.catalogue.index(TENANT), actor="pipeline")
        return record.id


def _record(workspace: Workspace, invoice_id: str) -> InvoiceRecord:
    with workspace.services.db.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        session.expunge_all()
        return record


def _learned(workspace: Workspace) -> list[tuple[str, int, str | None]]:
    with workspace.services.db.tenant_session(TENANT) as session:
        rows = session.scalars(select(SupplierCode).order_by(SupplierCode.seller_code))
        return [(row.seller_code, row.product_id, row.confirmed_by) for row in rows]


def _line_ids(workspace: Workspace, invoice_id: str) -> list[int]:
    return [line.id for line in _record(workspace, invoice_id).lines]


def test_each_line_shows_its_product_coloured_by_how_sure_the_match_is(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    ids = _line_ids(workspace, invoice_id)
    page = html.unescape(signed_in("ola").get(f"/invoices/{invoice_id}").text)
    assert "Stavebniny Žilina s.r.o." in page and "podľa IČO" in page
    for line_id, band in zip(ids, ("sure", "likely", "doubtful", "none"), strict=True):
        assert f'id="match-{line_id}" class="band-row band-{band}"' in page
    assert "CEMENT PC 25 KG" in page and "10003" in page
    assert "Potvrdiť všetky isté (2)" in page
    assert 'data-alternative="' in page
    assert "Spárované 3 z 4 položiek." in page


def test_confirming_a_match_teaches_the_suppliers_code(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    lime_line = _line_ids(workspace, invoice_id)[2]
    browser = signed_in("ola")
    answer = browser.post_form(f"/invoices/{invoice_id}/lines/{lime_line}/confirm")
    assert answer.status_code == 303
    assert answer.headers["location"] == (
        f"/invoices/{invoice_id}?done=match_confirmed#match-{lime_line}"
    )
    assert _record(workspace, invoice_id).lines[2].match_state == "confirmed"
    assert _learned(workspace) == [("ZA-300", seeded.lime, "ola")]
    page = browser.get(f"/invoices/{invoice_id}?done=match_confirmed").text
    assert "Produkt položky je potvrdený." in page and "potvrdený produkt" in page


def test_choosing_another_product_makes_a_manual_match(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    lime_line = _line_ids(workspace, invoice_id)[2]
    answer = signed_in("ola").post_form(
        f"/invoices/{invoice_id}/lines/{lime_line}/product", {"product_id": str(seeded.glue)}
    )
    assert answer.status_code == 303
    chosen = _record(workspace, invoice_id).lines[2]
    assert (chosen.product_id, chosen.match_method, chosen.match_state) == (
        seeded.glue,
        "manual",
        "confirmed",
    )
    assert _learned(workspace) == [("ZA-300", seeded.glue, "ola")]


def test_a_product_code_typed_without_a_script_is_chosen(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    unmatched = _line_ids(workspace, invoice_id)[3]
    browser = signed_in("ola")
    answer = browser.post_form(f"/invoices/{invoice_id}/lines/{unmatched}/product", {"q": "20002"})
    assert answer.status_code == 303
    assert _record(workspace, invoice_id).lines[3].product_id == seeded.grout
    vague = browser.post_form(f"/invoices/{invoice_id}/lines/{unmatched}/product", {"q": "hmota"})
    assert vague.status_code == 422


def test_a_line_becomes_a_new_product_in_the_chosen_group(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    unmatched = _line_ids(workspace, invoice_id)[3]
    browser = signed_in("ola")
    page = browser.get(f"/invoices/{invoice_id}").text
    assert f'<option value="{seeded.tile_group}" selected>' in page
    answer = browser.post_form(
        f"/invoices/{invoice_id}/lines/{unmatched}/new-product",
        {
            "name": "Škárovacia hmota biela 2 kg",
            "code": "",
            "unit": "ks",
            "vat_rate": "23",
            "group_id": str(seeded.tile_group),
        },
    )
    assert answer.status_code == 303
    new = _record(workspace, invoice_id).lines[3]
    assert (new.match_state, new.match_method) == ("new_product", "new_product")
    assert new.new_product is not None
    assert (new.new_product["unit"], new.new_product["group_id"]) == ("ks", seeded.tile_group)
    taken = browser.post_form(
        f"/invoices/{invoice_id}/lines/{unmatched}/new-product", {"name": "X", "code": "10001"}
    )
    assert taken.status_code == 422


def test_confirm_all_confirms_the_sure_and_likely_matches(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    answer = signed_in("ola").post_form(f"/invoices/{invoice_id}/matches/confirm")
    assert answer.headers["location"] == f"/invoices/{invoice_id}?done=match_confirmed_all#matching"
    states = [line.match_state for line in _record(workspace, invoice_id).lines]
    assert states == ["confirmed", "confirmed", "proposed", None]
    assert [code for code, _p, _who in _learned(workspace)] == ["ZA-100", "ZA-200"]


def test_an_invoice_received_before_the_catalogue_is_matched_again_on_request(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace, matched=False)
    browser = signed_in("ola")
    assert "ešte nebola spárovaná" in browser.get(f"/invoices/{invoice_id}").text
    with workspace.services.db.tenant_session(TENANT) as session:
        seeded = seed_catalogue(session)
    answer = browser.post_form(f"/invoices/{invoice_id}/matches/rerun")
    assert answer.status_code == 303
    record = _record(workspace, invoice_id)
    assert record.partner_id == seeded.partner
    assert record.lines[0].product_id == seeded.cement25
    assert "ešte nebola spárovaná" not in browser.get(f"/invoices/{invoice_id}").text


def test_an_unknown_supplier_is_created_as_a_partner(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    with workspace.services.db.tenant_session(TENANT) as session:
        seed_catalogue(session, partner=False)
    invoice_id = _invoice(workspace)
    browser = signed_in("ola")
    page = html.unescape(browser.get(f"/invoices/{invoice_id}").text)
    assert "nie je v katalógu partnerov" in page and "data-create-partner" in page
    assert browser.post_form(f"/invoices/{invoice_id}/partner").status_code == 303
    record = _record(workspace, invoice_id)
    assert (record.partner_id is not None, record.supplier_match_method) == (True, "created")
    assert "vytvorený z faktúry" in browser.get(f"/invoices/{invoice_id}").text


def test_sale_prices_typed_in_slovak_style_are_saved_and_listed_as_changes(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    ids = _line_ids(workspace, invoice_id)
    browser = signed_in("ola")
    page = html.unescape(browser.get(f"/invoices/{invoice_id}").text)
    assert "Zmeny cien na schválenie (1)" in page
    assert 'value="6,88" aria-label="Predajná cena bez DPH položky 1"' in page  # 5.50 × 1.25
    answer = browser.post_form(
        f"/invoices/{invoice_id}/prices", {f"sale.{ids[0]}": "7,20", f"sale.{ids[1]}": ""}
    )
    assert answer.status_code == 303
    record = _record(workspace, invoice_id)
    assert [line.sale_price for line in record.lines] == [Decimal("7.20"), None, None, None]
    page = html.unescape(browser.get(f"/invoices/{invoice_id}").text)
    assert "6,50 → 7,20" in page and "uložená" in page
    with workspace.services.db.tenant_session(TENANT) as session:
        logged = [e.action for e in audit_trail(session, "invoice", invoice_id)]
    assert logged.count("sale_price") == 1


def test_a_negative_or_unreadable_sale_price_is_refused(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    first = _line_ids(workspace, invoice_id)[0]
    browser = signed_in("ola")
    for value in ("-1", "abc"):
        answer = browser.post_form(f"/invoices/{invoice_id}/prices", {f"sale.{first}": value})
        assert answer.status_code == 422
    assert _record(workspace, invoice_id).lines[0].sale_price is None


def test_the_product_search_answers_from_the_tenants_catalogue(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    with workspace.services.db.tenant_session("globex") as session:
        session.add(Product(code="G1", name="Cement globexu 25 kg"))
    browser = signed_in("ola")
    found = browser.get("/catalogue/products/search", params={"q": "cement 25"}).json()
    assert [(p["code"], p["name"]) for p in found["products"]] == [("10001", "CEMENT PC 25 KG")]
    by_barcode = browser.get("/catalogue/products/search", params={"q": CEMENT_EAN}).json()
    assert by_barcode["products"][0]["via"] == "barcode"
    assert browser.get("/catalogue/products/search", params={"q": "c"}).json() == {"products": []}


def test_the_product_search_needs_a_signed_in_user(workspace: Workspace, seeded: Seeded) -> None:
    answer = workspace.browser().get("/catalogue/products/search", params={"q": "cement"})
    assert answer.status_code in (303, 401)
    assert "products" not in answer.text


def test_decisions_need_the_sessions_csrf_token(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    first = _line_ids(workspace, invoice_id)[0]
    browser = signed_in("ola")
    answer = browser.post(f"/invoices/{invoice_id}/lines/{first}/confirm")
    assert answer.status_code == 403
    assert _record(workspace, invoice_id).lines[0].match_state == "proposed"


def test_an_approved_invoice_is_not_changed(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    with workspace.services.db.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        record.status = InvoiceStatus.APPROVED
    first = _line_ids(workspace, invoice_id)[0]
    browser = signed_in("vera", Role.APPROVER)
    assert browser.post_form(f"/invoices/{invoice_id}/lines/{first}/confirm").status_code == 409
    page = browser.get(f"/invoices/{invoice_id}").text
    assert "data-confirm>" not in page and "data-product-search" not in page


def test_another_tenants_invoice_is_not_found(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    first = _line_ids(workspace, invoice_id)[0]
    stranger = signed_in("gus", tenant="globex")
    assert stranger.post_form(f"/invoices/{invoice_id}/lines/{first}/confirm").status_code == 404
    assert _record(workspace, invoice_id).lines[0].match_state == "proposed"


def test_the_matching_speaks_english(
    workspace: Workspace, seeded: Seeded, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = _invoice(workspace)
    page = signed_in("ann", language="en").get(f"/invoices/{invoice_id}").text
    assert "Catalogue matching" in page and "Confirm all sure matches (2)" in page
    assert "Price changes to approve (1)" in page
