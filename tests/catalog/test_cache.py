"""The service keeps each tenant's catalogue index and rebuilds it only when it changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from nex_automat.catalog.cache import CatalogueCache
from nex_automat.catalog.importing import ImportKind, import_file
from nex_automat.catalog.matching import MatchMethod, learn, match_line
from nex_automat.store.db import Database
from nex_automat.store.models import Barcode, Partner, Product
from nex_automat.store.tenants import create_tenant
from tests.catalog.catalogue import CEMENT_EAN, Seeded, line, seed_catalogue

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


def test_an_unchanged_catalogue_is_not_built_again(db: Database, seeded: Seeded) -> None:
    cache = CatalogueCache(db)
    first = cache.index(TENANT)
    assert cache.index(TENANT) is first
    assert len(first.products) == 5


def test_an_import_of_products_rebuilds_the_index(
    db: Database, seeded: Seeded, tmp_path: Path
) -> None:
    cache = CatalogueCache(db)
    before = cache.index(TENANT)
    csv = tmp_path / "products.csv"
    csv.write_text("kod;nazov;skupina\n30001;Tehla plná 290x140x65;CEM\n", encoding="utf-8")
    with db.tenant_session(TENANT) as session:
        report = import_file(session, csv, ImportKind.PRODUCTS)
        assert report.imported
    after = cache.index(TENANT)
    assert after is not before
    assert match_line(after, line(1, "Tehla plna 290x140x65")).method is MatchMethod.NAME


def test_a_renamed_product_rebuilds_the_index(db: Database, seeded: Seeded) -> None:
    cache = CatalogueCache(db)
    cache.index(TENANT)
    with db.tenant_session(TENANT) as session:
        product = session.scalar(select(Product).where(Product.id == seeded.lime))
        assert product is not None
        product.name = "Vápno hydratované 25 kg"
    assert cache.index(TENANT).products[seeded.lime].name == "Vápno hydratované 25 kg"


def test_a_barcode_given_to_another_product_rebuilds_the_index(
    db: Database, seeded: Seeded
) -> None:
    cache = CatalogueCache(db)
    assert match_line(cache.index(TENANT), line(1, "x", ean=CEMENT_EAN)).product_id == (
        seeded.cement25
    )
    with db.tenant_session(TENANT) as session:
        barcode = session.scalar(select(Barcode).where(Barcode.code == CEMENT_EAN))
        assert barcode is not None
        barcode.product_id = seeded.cement50
    assert match_line(cache.index(TENANT), line(1, "x", ean=CEMENT_EAN)).product_id == (
        seeded.cement50
    )


def test_a_learned_code_reaches_the_index_without_rebuilding_the_products(
    db: Database, seeded: Seeded
) -> None:
    cache = CatalogueCache(db)
    before = cache.index(TENANT)
    with db.tenant_session(TENANT) as session:
        learn(session, seeded.partner, "ZA-9", seeded.grout, actor="eva")
    after = cache.index(TENANT)
    assert after.products is before.products
    found = match_line(after, line(1, "čokoľvek", seller_code="za-9"), seeded.partner)
    assert (found.method, found.product_id) == (MatchMethod.SUPPLIER_CODE, seeded.grout)


def test_a_new_partner_reaches_the_index_without_rebuilding_the_products(
    db: Database, seeded: Seeded
) -> None:
    cache = CatalogueCache(db)
    before = cache.index(TENANT)
    with db.tenant_session(TENANT) as session:
        session.add(Partner(name="Baumit spol. s r.o.", ico="31378424"))
    after = cache.index(TENANT)
    assert after.products is before.products
    assert {p.name for p in after.partners.values()} == {
        "Stavebniny Žilina s.r.o.",
        "Baumit spol. s r.o.",
    }
    assert len(before.partners) == 1, "an index in use is never changed under its reader"


def test_a_recent_check_is_trusted_for_max_age_seconds(db: Database, seeded: Seeded) -> None:
    cache = CatalogueCache(db)
    first = cache.get(TENANT)
    with db.tenant_session(TENANT) as session:
        session.add(Product(code="40001", name="Nový produkt"))
    assert cache.get(TENANT, max_age=3600) is first
    assert len(cache.get(TENANT).index.products) == 6


def test_each_tenant_has_its_own_catalogue(db: Database, seeded: Seeded) -> None:
    cache = CatalogueCache(db)
    assert len(cache.index(TENANT).products) == 5
    assert cache.index("globex").products == {}


def test_the_search_is_built_on_first_use_and_kept(db: Database, seeded: Seeded) -> None:
    cache = CatalogueCache(db)
    search = cache.get(TENANT).search
    assert cache.get(TENANT).search is search
    assert [hit.product.id for hit in search.search(CEMENT_EAN)] == [seeded.cement25]
