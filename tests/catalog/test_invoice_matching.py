"""A stored invoice matched against the catalogue, the answers kept on its rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nex_automat.catalog.invoice_matching import Band, band, match_invoice
from nex_automat.catalog.match_decisions import (
    NewProduct,
    choose_product,
    confirm_line,
    create_partner,
    mark_new_product,
)
from nex_automat.catalog.matching import load_index
from nex_automat.store.audit import audit_trail
from nex_automat.store.db import Database
from nex_automat.store.invoices import delete_line, edit_line, get_invoice
from nex_automat.store.models import InvoiceRecord, Product
from nex_automat.store.tenants import create_tenant
from tests.catalog.catalogue import (
    STANDARD_LINES,
    Seeded,
    invoice_of,
    line,
    seed_catalogue,
    store_invoice,
)

TENANT = "acme"


@pytest.fixture
def db(database: Database) -> Database:
    with database.session() as session:
        create_tenant(session, TENANT, "Acme s.r.o.")
    return database


@pytest.fixture
def seeded(db: Database) -> Seeded:
    with db.tenant_session(TENANT) as session:
        return seed_catalogue(session)


def _matched(db: Database, *lines: object) -> str:
    with db.tenant_session(TENANT) as session:
        record = store_invoice(session, invoice_of(*(lines or STANDARD_LINES)))  # type: ignore[arg-type]
        match_invoice(session, record, load_index(session), actor="pipeline")
        return record.id


def _load(db: Database, invoice_id: str) -> InvoiceRecord:
    with db.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        session.expunge_all()
        return record


def test_the_supplier_is_recognised_as_a_partner_by_its_ico(db: Database, seeded: Seeded) -> None:
    record = _load(db, _matched(db))
    assert (record.partner_id, record.supplier_match_method) == (seeded.partner, "ico")


def test_each_line_keeps_its_product_method_confidence_and_state(
    db: Database, seeded: Seeded
) -> None:
    record = _load(db, _matched(db))
    stored = [
        (ln.product_id, ln.match_method, ln.match_confidence, ln.match_state) for ln in record.lines
    ]
    assert stored[:3] == [
        (seeded.cement25, "ean", 1.0, "proposed"),
        (seeded.cement50, "name", 1.0, "proposed"),
        (seeded.lime, "name", 0.77, "proposed"),
    ]
    assert [band(m, c, s) for _p, m, c, s in stored] == [
        Band.SURE,
        Band.LIKELY,
        Band.DOUBTFUL,
        Band.NONE,
    ]


def test_a_name_match_keeps_its_alternatives_best_first(db: Database, seeded: Seeded) -> None:
    alternatives = _load(db, _matched(db)).lines[2].match_alternatives
    assert alternatives is not None
    assert alternatives[0] == {
        "product_id": seeded.lime,
        "code": "10003",
        "name": "Vápno hasené 25 kg",
        "score": 0.77,
    }
    scores = [alternative["score"] for alternative in alternatives]
    assert scores == sorted(scores, reverse=True) and len(scores) == 5


def test_an_unmatched_line_is_proposed_as_a_new_product_in_the_likely_group(
    db: Database, seeded: Seeded
) -> None:
    unmatched = _load(db, _matched(db)).lines[3]
    assert (unmatched.product_id, unmatched.match_method, unmatched.match_state) == (
        None,
        None,
        None,
    )
    assert unmatched.new_product == {
        "name": "Škárovacia hmota biela 2 kg",
        "code": "",
        "unit": "vrece",
        "vat_rate": "23",
        "group_id": seeded.tile_group,
        "ean": None,
        "seller_code": "ZA-400",
    }


def test_an_unknown_supplier_has_no_partner(db: Database) -> None:
    with db.tenant_session(TENANT) as session:
        seed_catalogue(session, partner=False)
    record = _load(db, _matched(db))
    assert (record.partner_id, record.supplier_match_method) == (None, None)


def test_matching_is_logged_with_how_many_lines_found_a_product(
    db: Database, seeded: Seeded
) -> None:
    invoice_id = _matched(db)
    with db.tenant_session(TENANT) as session:
        [entry] = [e for e in audit_trail(session, "invoice", invoice_id) if e.action == "matched"]
    assert (entry.actor, entry.new_value) == ("pipeline", "3/4")


def test_the_reviewers_description_is_what_gets_matched(db: Database, seeded: Seeded) -> None:
    invoice_id = _matched(db, line(1, "Niečo neznáme"))
    with db.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        edit_line(session, record.lines[0], "description", "Vápno hasené 25kg", actor="eva")
        match_invoice(session, record, load_index(session), actor="eva")
        assert record.lines[0].product_id == seeded.lime


def test_deleted_lines_are_left_alone(db: Database, seeded: Seeded) -> None:
    with db.tenant_session(TENANT) as session:
        record = store_invoice(session, invoice_of(*STANDARD_LINES))
        delete_line(session, record, record.lines[0], actor="eva")
        summary = match_invoice(session, record, load_index(session), actor="pipeline")
        assert (summary.lines, record.lines[0].match_state) == (3, None)


def test_matching_again_keeps_what_people_decided_and_revisits_the_rest(
    db: Database, seeded: Seeded
) -> None:
    invoice_id = _matched(db)
    with db.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        confirm_line(session, record, record.lines[0], actor="eva")
        choose_product(session, record, record.lines[2], seeded.glue, actor="eva")
        grout = NewProduct("Škárovačka biela 2 kg", "", "ks", None, seeded.tile_group)
        mark_new_product(session, record, record.lines[3], grout, actor="eva")
        white = Product(code="10004", name="Cement PC 50 KG biely", unit="vrece")
        session.add(white)
        session.flush()
        cement50 = session.scalar(select(Product).where(Product.code == "10002"))
        assert cement50 is not None
        cement50.discontinued = True
        session.flush()
        summary = match_invoice(session, record, load_index(session), actor="eva")
        lines = record.lines
        assert summary.decided == 3
        assert (lines[0].product_id, lines[0].match_state) == (seeded.cement25, "confirmed")
        assert (lines[2].product_id, lines[2].match_method) == (seeded.glue, "manual")
        assert (lines[3].match_state, lines[3].new_product["name"]) == (  # type: ignore[index]
            "new_product",
            "Škárovačka biela 2 kg",
        )
        assert (lines[1].product_id, lines[1].match_state) == (white.id, "proposed")


def test_matching_again_keeps_a_partner_a_person_created(db: Database) -> None:
    with db.tenant_session(TENANT) as session:
        seed_catalogue(session, partner=False)
    invoice_id = _matched(db)
    with db.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        partner = create_partner(session, record, actor="eva")
        match_invoice(session, record, load_index(session), actor="eva")
        assert (record.partner_id, record.supplier_match_method) == (partner.id, "created")


@pytest.mark.parametrize(
    ("method", "confidence", "state", "expected"),
    [
        ("ean", 1.0, "proposed", Band.SURE),
        ("supplier_code", 0.97, "proposed", Band.SURE),
        ("name", 0.9, "proposed", Band.LIKELY),
        ("name", 0.89, "proposed", Band.DOUBTFUL),
        ("manual", None, "confirmed", Band.CONFIRMED),
        ("new_product", None, "new_product", Band.NEW),
        (None, None, None, Band.NONE),
    ],
)
def test_trust_bands(
    method: str | None, confidence: float | None, state: str | None, expected: Band
) -> None:
    assert band(method, confidence, state) is expected
