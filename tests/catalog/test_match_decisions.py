"""A person's decisions about matches: confirmed, changed, new, priced, and learned from."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from nex_automat.catalog.invoice_matching import match_invoice
from nex_automat.catalog.match_decisions import (
    InvalidNewProduct,
    NewProduct,
    NothingToConfirm,
    PartnerConflict,
    UnknownProduct,
    choose_product,
    confirm_line,
    confirm_sure,
    create_partner,
    mark_new_product,
    set_sale_prices,
)
from nex_automat.catalog.matching import MatchMethod, load_index, match_line
from nex_automat.store.audit import audit_trail
from nex_automat.store.db import Database
from nex_automat.store.invoices import edit_field, get_invoice
from nex_automat.store.models import InvoiceRecord, Partner, Product, SupplierCode
from nex_automat.store.tenants import create_tenant
from tests.catalog.catalogue import (
    STANDARD_LINES,
    SUPPLIER_ICO,
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
        create_tenant(session, "globex", "Globex a.s.")
    return database


@pytest.fixture
def seeded(db: Database) -> Seeded:
    with db.tenant_session(TENANT) as session:
        return seed_catalogue(session)


def _matched_invoice(db: Database, number: str = "2024001") -> str:
    with db.tenant_session(TENANT) as session:
        record = store_invoice(session, invoice_of(*STANDARD_LINES, number=number))
        match_invoice(session, record, load_index(session), actor="pipeline")
        return record.id


def _record(session: object, invoice_id: str) -> InvoiceRecord:
    record = get_invoice(session, invoice_id)  # type: ignore[arg-type]
    assert record is not None
    return record


def _codes(db: Database) -> list[tuple[int, str, int, str | None, int]]:
    with db.tenant_session(TENANT) as session:
        rows = session.scalars(select(SupplierCode).order_by(SupplierCode.seller_code))
        return [
            (r.partner_id, r.seller_code, r.product_id, r.confirmed_by, r.times_confirmed)
            for r in rows
        ]


def test_confirming_a_match_teaches_the_suppliers_code_with_the_persons_name(
    db: Database, seeded: Seeded
) -> None:
    invoice_id = _matched_invoice(db)
    with db.tenant_session(TENANT) as session:
        record = _record(session, invoice_id)
        confirm_line(session, record, record.lines[2], actor="eva")
        assert (record.lines[2].match_state, record.lines[2].match_method) == (
            "confirmed",
            "name",
        )
    assert _codes(db) == [(seeded.partner, "ZA-300", seeded.lime, "eva", 1)]


def test_choosing_another_product_is_manual_confirmed_and_learned(
    db: Database, seeded: Seeded
) -> None:
    invoice_id = _matched_invoice(db)
    with db.tenant_session(TENANT) as session:
        record = _record(session, invoice_id)
        choose_product(session, record, record.lines[2], seeded.glue, actor="eva")
        chosen = record.lines[2]
        assert (chosen.product_id, chosen.match_method, chosen.match_state) == (
            seeded.glue,
            "manual",
            "confirmed",
        )
        assert chosen.match_confidence is None
        entries = [e for e in audit_trail(session, "invoice", invoice_id) if e.actor == "eva"]
        assert [(e.action, e.field, e.old_value, e.new_value) for e in entries] == [
            (
                "choose_product",
                "lines[3].product",
                "10003 Vápno hasené 25 kg",
                "20001 Lepidlo na obklad flexibilné C2TE 25 kg",
            )
        ]
    assert _codes(db) == [(seeded.partner, "ZA-300", seeded.glue, "eva", 1)]


def test_the_next_invoice_of_the_supplier_matches_by_the_learned_code(
    db: Database, seeded: Seeded
) -> None:
    with db.tenant_session(TENANT) as session:
        record = _record(session, _matched_invoice(db))
        choose_product(session, record, record.lines[3], seeded.grout, actor="eva")
    with db.tenant_session(TENANT) as session:
        again = store_invoice(
            session, invoice_of(line(1, "Škárovačka 2kg BIELA", seller_code="za-400"), number="2")
        )
        match_invoice(session, again, load_index(session), actor="pipeline")
        learned = again.lines[0]
        assert (learned.product_id, learned.match_method, learned.match_confidence) == (
            seeded.grout,
            "supplier_code",
            0.97,
        )


def test_choosing_the_proposed_product_is_a_confirmation(db: Database, seeded: Seeded) -> None:
    invoice_id = _matched_invoice(db)
    with db.tenant_session(TENANT) as session:
        record = _record(session, invoice_id)
        choose_product(session, record, record.lines[1], seeded.cement50, actor="eva")
        assert (record.lines[1].match_method, record.lines[1].match_state) == (
            "name",
            "confirmed",
        )
    assert _codes(db) == [(seeded.partner, "ZA-200", seeded.cement50, "eva", 1)]


def test_confirming_again_counts_the_confirmations(db: Database, seeded: Seeded) -> None:
    for number in ("1", "2"):
        with db.tenant_session(TENANT) as session:
            record = _record(session, _matched_invoice(db, number))
            confirm_line(session, record, record.lines[0], actor="eva")
    assert _codes(db) == [(seeded.partner, "ZA-100", seeded.cement25, "eva", 2)]


def test_without_a_partner_nothing_is_learned(db: Database) -> None:
    with db.tenant_session(TENANT) as session:
        seed_catalogue(session, partner=False)
    with db.tenant_session(TENANT) as session:
        record = _record(session, _matched_invoice(db))
        confirm_line(session, record, record.lines[0], actor="eva")
        assert record.lines[0].match_state == "confirmed"
    assert _codes(db) == []


def test_a_line_without_a_product_cannot_be_confirmed(db: Database, seeded: Seeded) -> None:
    with db.tenant_session(TENANT) as session:
        record = _record(session, _matched_invoice(db))
        with pytest.raises(NothingToConfirm):
            confirm_line(session, record, record.lines[3], actor="eva")


def test_a_product_of_another_tenant_cannot_be_chosen(db: Database, seeded: Seeded) -> None:
    with db.tenant_session("globex") as session:
        foreign = Product(code="X1", name="Cudzí cement")
        session.add(foreign)
        session.flush()
        foreign_id = foreign.id
    with db.tenant_session(TENANT) as session:
        record = _record(session, _matched_invoice(db))
        with pytest.raises(UnknownProduct):
            choose_product(session, record, record.lines[0], foreign_id, actor="eva")


def test_confirm_all_takes_the_sure_and_likely_matches_only(db: Database, seeded: Seeded) -> None:
    with db.tenant_session(TENANT) as session:
        record = _record(session, _matched_invoice(db))
        assert confirm_sure(session, record, actor="eva") == 2
        assert [ln.match_state for ln in record.lines] == [
            "confirmed",
            "confirmed",
            "proposed",
            None,
        ]
    assert [code for _p, code, *_rest in _codes(db)] == ["ZA-100", "ZA-200"]


def test_a_new_product_card_is_kept_on_the_line(db: Database, seeded: Seeded) -> None:
    with db.tenant_session(TENANT) as session:
        record = _record(session, _matched_invoice(db))
        card = NewProduct("Škárovacia hmota biela 2 kg", "20003", "ks", Decimal("23"), None)
        mark_new_product(session, record, record.lines[3], card, actor="eva")
        new = record.lines[3]
        assert (new.product_id, new.match_method, new.match_state) == (
            None,
            "new_product",
            "new_product",
        )
        assert new.new_product is not None
        assert {
            k: new.new_product[k] for k in ("name", "code", "unit", "vat_rate", "group_id")
        } == {
            "name": "Škárovacia hmota biela 2 kg",
            "code": "20003",
            "unit": "ks",
            "vat_rate": "23",
            "group_id": None,
        }
        assert new.new_product["seller_code"] == "ZA-400"


@pytest.mark.parametrize(
    ("name", "code", "group"),
    [("  ", "", None), ("Nový", "10001", None), ("Nový", "", 999_999)],
)
def test_a_new_product_needs_a_name_a_free_code_and_a_real_group(
    db: Database, seeded: Seeded, name: str, code: str, group: int | None
) -> None:
    with db.tenant_session(TENANT) as session:
        record = _record(session, _matched_invoice(db))
        with pytest.raises(InvalidNewProduct):
            mark_new_product(
                session,
                record,
                record.lines[3],
                NewProduct(name, code, None, None, group),
                actor="e",
            )


def test_sale_prices_are_stored_in_cents_and_logged(db: Database, seeded: Seeded) -> None:
    invoice_id = _matched_invoice(db)
    with db.tenant_session(TENANT) as session:
        record = _record(session, invoice_id)
        ids = [ln.id for ln in record.lines]
        prices = {ids[0]: Decimal("6.875"), ids[1]: Decimal("12.00"), ids[2]: None}
        assert set_sale_prices(session, record, prices, actor="eva") == 2
        assert set_sale_prices(session, record, prices, actor="eva") == 0
        assert [ln.sale_price for ln in record.lines] == [
            Decimal("6.88"),
            Decimal("12.00"),
            None,
            None,
        ]
        logged = [
            e for e in audit_trail(session, "invoice", invoice_id) if e.action == "sale_price"
        ]
        assert [(e.field, e.new_value) for e in logged] == [
            ("lines[1].sale_price", "6.88"),
            ("lines[2].sale_price", "12.00"),
        ]


def test_an_unknown_supplier_becomes_a_partner_from_the_invoice(db: Database) -> None:
    with db.tenant_session(TENANT) as session:
        seed_catalogue(session, partner=False)
    invoice_id = _matched_invoice(db)
    with db.tenant_session(TENANT) as session:
        record = _record(session, invoice_id)
        edit_field(session, record, "supplier.city", "Žilina-Bánová", actor="eva")
        partner = create_partner(session, record, actor="eva")
        assert (partner.name, partner.ico, partner.vat_id, partner.iban, partner.city) == (
            "Stavebniny Žilina s.r.o.",
            SUPPLIER_ICO,
            "SK2020123456",
            "SK3112000000198742637541",
            "Žilina-Bánová",
        )
        assert (record.partner_id, record.supplier_match_method) == (partner.id, "created")
        assert any(e.action == "create_partner" for e in audit_trail(session, "invoice", record.id))
        index = load_index(session)
        assert match_line(index, line(1, "x", seller_code="ZA-1"), partner.id).method is (
            MatchMethod.NONE
        )


def test_creating_a_partner_that_exists_links_it_instead(db: Database, seeded: Seeded) -> None:
    with db.tenant_session(TENANT) as session:
        record = store_invoice(session, invoice_of(*STANDARD_LINES))
        partner = create_partner(session, record, actor="eva")
        assert (partner.id, record.supplier_match_method) == (seeded.partner, "manual")
        assert len(list(session.scalars(select(Partner)))) == 1


def test_a_supplier_whose_ids_belong_to_two_partners_is_refused(
    db: Database, seeded: Seeded
) -> None:
    with db.tenant_session(TENANT) as session:
        session.add(Partner(name="Iný", vat_id="SK2020123456"))
        session.flush()
        record = store_invoice(session, invoice_of(*STANDARD_LINES))
        with pytest.raises(PartnerConflict):
            create_partner(session, record, actor="eva")
