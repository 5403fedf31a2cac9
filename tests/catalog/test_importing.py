"""Catalogue imports from CSV and XLSX, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from nex_automat.catalog.importing import (
    ImportKind,
    ImportMappingError,
    import_file,
    preview,
)
from nex_automat.catalog.matching import MatchMethod, learn, load_index, match_line
from nex_automat.domain.model import Line
from nex_automat.store.db import Database
from nex_automat.store.models import Barcode, Partner, Product, ProductGroup, SupplierCode
from nex_automat.store.tenants import create_tenant

TENANT = "acme"


@pytest.fixture
def db(database: Database) -> Database:
    with database.session() as session:
        create_tenant(session, TENANT, "Acme s.r.o.")
        create_tenant(session, "globex", "Globex a.s.")
    return database


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _import(db: Database, path: Path, kind: ImportKind, **options: object):
    with db.tenant_session(TENANT) as session:
        return import_file(session, path, kind, **options)  # type: ignore[arg-type]


GROUPS = "Kód;Názov;Marža\nCEM;Cementy a vápna;25,5\nTEH;Tehly;30\n"
PRODUCTS = (
    "PLU;Názov;MJ;DPH;Skupina;Nákupná cena;Predajná cena\n"
    "10001;CEMENT PC 25 KG;vrece;23;CEM;4,20;5,90\n"
    "10002;CEMENT PC 50 KG;vrece;23;CEM;7,80;10,50\n"
    "30001;Tehla plná pálená;ks;23;TEH;0,45;0,69\n"
)


def test_groups_and_products_are_imported_with_exact_decimals(db: Database, tmp_path: Path) -> None:
    assert _import(db, _csv(tmp_path / "g.csv", GROUPS), ImportKind.GROUPS).rows_written == 2
    report = _import(db, _csv(tmp_path / "p.csv", PRODUCTS, "cp1250"), ImportKind.PRODUCTS)
    assert (report.rows_read, report.rows_written, report.errors) == (3, 3, [])
    with db.tenant_session(TENANT) as session:
        product = session.scalars(select(Product).where(Product.code == "10001")).one()
        group = session.get(ProductGroup, product.group_id)
        assert group is not None
        assert (group.code, group.default_margin) == ("CEM", Decimal("25.5"))
        assert (product.name, product.unit, product.purchase_price, product.sale_price) == (
            "CEMENT PC 25 KG",
            "vrece",
            Decimal("4.20"),
            Decimal("5.90"),
        )


def test_importing_again_updates_by_code_and_keeps_unmapped_columns(
    db: Database, tmp_path: Path
) -> None:
    _import(db, _csv(tmp_path / "g.csv", GROUPS), ImportKind.GROUPS)
    _import(db, _csv(tmp_path / "p.csv", PRODUCTS), ImportKind.PRODUCTS)
    prices = _csv(tmp_path / "prices.csv", "kod,cena\n10001,4.35\n")
    report = _import(
        db,
        prices,
        ImportKind.PRODUCTS,
        mapping={"code": "kod", "name": "kod", "purchase_price": "cena"},
    )
    assert report.rows_written == 1
    with db.tenant_session(TENANT) as session:
        product = session.scalars(select(Product).where(Product.code == "10001")).one()
        assert (product.purchase_price, product.sale_price) == (Decimal("4.35"), Decimal("5.90"))
        assert len(session.scalars(select(Product)).all()) == 3


def test_bad_rows_are_reported_with_row_numbers_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    _import(db, _csv(tmp_path / "g.csv", GROUPS), ImportKind.GROUPS)
    bad = PRODUCTS + "40001;;ks;23;CEM;1;2\n40002;Klinec;ks;xx;NIE;1;2\n10001;Znova;ks;23;CEM;1;2\n"
    report = _import(db, _csv(tmp_path / "p.csv", bad), ImportKind.PRODUCTS)
    assert report.rows_written == 0
    assert [(e.row, e.field) for e in report.errors] == [
        (5, "name"),
        (6, "vat_rate"),
        (7, "code"),
    ]
    with db.tenant_session(TENANT) as session:
        assert session.scalars(select(Product)).all() == []


def test_skip_invalid_writes_the_good_rows_and_reports_the_bad(
    db: Database, tmp_path: Path
) -> None:
    _import(db, _csv(tmp_path / "g.csv", GROUPS), ImportKind.GROUPS)
    bad = PRODUCTS + "40002;Klinec;ks;23;NIE;1;2\n"
    report = _import(db, _csv(tmp_path / "p.csv", bad), ImportKind.PRODUCTS, skip_invalid=True)
    assert report.rows_written == 3
    assert [(e.row, e.field, e.message) for e in report.errors] == [
        (5, "group", "no product group 'NIE'")
    ]


def test_barcodes_from_xlsx_are_verified_and_tied_to_products(db: Database, tmp_path: Path) -> None:
    _import(db, _csv(tmp_path / "g.csv", GROUPS), ImportKind.GROUPS)
    _import(db, _csv(tmp_path / "p.csv", PRODUCTS), ImportKind.PRODUCTS)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["PLU", "EAN", "Hlavný"])
    sheet.append([10001, 8586000000018, "áno"])
    sheet.append([10001, "8586 0000 0002 5", "nie"])
    sheet.append([10002, "8586000000019", "nie"])
    workbook.save(tmp_path / "ean.xlsx")
    report = _import(db, tmp_path / "ean.xlsx", ImportKind.BARCODES, skip_invalid=True)
    assert report.rows_written == 2
    assert [(e.row, e.field) for e in report.errors] == [(4, "code")]
    with db.tenant_session(TENANT) as session:
        codes = session.execute(select(Barcode.code, Barcode.primary)).all()
        assert sorted(codes) == [("8586000000018", True), ("8586000000025", False)]


def test_partners_are_upserted_by_ico_then_vat_id(db: Database, tmp_path: Path) -> None:
    first = (
        "Názov;IČO;IČ DPH;IBAN\n"
        "Stavebniny Novák s.r.o.;35757442;;\n"
        "Wienerberger s.r.o.;;SK2020312349;\n"
    )
    assert _import(db, _csv(tmp_path / "a.csv", first), ImportKind.PARTNERS).rows_written == 2
    second = (
        "Názov;IČO;IČ DPH;IBAN\n"
        "Stavebniny Novák, s. r. o.;35 757 442;SK2020297543;SK3112000000198742637541\n"
        "Wienerberger s.r.o.;;SK 2020312349;\n"
    )
    assert _import(db, _csv(tmp_path / "b.csv", second), ImportKind.PARTNERS).rows_written == 2
    with db.tenant_session(TENANT) as session:
        partners = session.scalars(select(Partner).order_by(Partner.name)).all()
        assert [(p.name, p.ico, p.vat_id) for p in partners] == [
            ("Stavebniny Novák, s. r. o.", "35757442", "SK2020297543"),
            ("Wienerberger s.r.o.", None, "SK2020312349"),
        ]


def test_partner_with_a_wrong_ico_check_digit_is_a_row_error(db: Database, tmp_path: Path) -> None:
    rows = "Názov;IČO\nZlá firma;35757443\n"
    report = _import(db, _csv(tmp_path / "a.csv", rows), ImportKind.PARTNERS)
    assert [(e.row, e.field) for e in report.errors] == [(2, "ico")]


def test_preview_maps_the_first_rows_and_shows_their_errors(tmp_path: Path) -> None:
    path = _csv(tmp_path / "p.csv", PRODUCTS + "9;Zlé;ks;abc;CEM;1;2\n")
    shown = preview(path, ImportKind.PRODUCTS, limit=10)
    assert shown.mapping["code"] == "PLU"
    assert shown.total_rows == 4
    assert shown.rows[0]["purchase_price"] == Decimal("4.20")
    assert [(e.row, e.field) for e in shown.errors] == [(5, "vat_rate")]


def test_mapping_to_a_missing_column_is_refused(db: Database, tmp_path: Path) -> None:
    path = _csv(tmp_path / "p.csv", PRODUCTS)
    mapping = {"code": "Číslo karty", "name": "Názov"}
    with pytest.raises(ImportMappingError, match="no column 'Číslo karty' for code"):
        _import(db, path, ImportKind.PRODUCTS, mapping=mapping)


def test_preview_lists_what_does_not_fit_beside_the_rows_it_can_read(tmp_path: Path) -> None:
    path = _csv(tmp_path / "p.csv", PRODUCTS)
    shown = preview(path, ImportKind.PRODUCTS, {"code": "Číslo karty", "name": "Názov"})
    assert [(p.code, p.field, p.header) for p in shown.problems] == [
        ("no_column", "code", "Číslo karty")
    ]
    assert shown.mapping == {"name": "Názov"}
    assert [row["name"] for row in shown.rows] == [
        "CEMENT PC 25 KG",
        "CEMENT PC 50 KG",
        "Tehla plná pálená",
    ]
    unmapped = preview(path, ImportKind.BARCODES)
    assert [(p.code, p.field) for p in unmapped.problems] == [("required", "code")]


def test_preview_reports_bad_rows_beyond_those_it_shows(tmp_path: Path) -> None:
    path = _csv(tmp_path / "p.csv", PRODUCTS + "9;Zlé;ks;abc;CEM;1;2\n")
    shown = preview(path, ImportKind.PRODUCTS, limit=1)
    assert len(shown.rows) == 1
    assert [(e.row, e.field, e.message) for e in shown.errors] == [
        (5, "vat_rate", "not a number: 'abc'")
    ]


def test_imports_of_one_tenant_are_invisible_to_another(db: Database, tmp_path: Path) -> None:
    _import(db, _csv(tmp_path / "g.csv", GROUPS), ImportKind.GROUPS)
    with db.tenant_session("globex") as session:
        assert session.scalars(select(ProductGroup)).all() == []
        report = import_file(session, _csv(tmp_path / "g2.csv", GROUPS), ImportKind.GROUPS)
        assert report.rows_written == 2


def test_learned_confirmation_matches_the_next_invoice_line(db: Database, tmp_path: Path) -> None:
    _import(db, _csv(tmp_path / "g.csv", GROUPS), ImportKind.GROUPS)
    _import(db, _csv(tmp_path / "p.csv", PRODUCTS), ImportKind.PRODUCTS)
    _import(db, _csv(tmp_path / "s.csv", "Názov;IČO\nNovák;35757442\n"), ImportKind.PARTNERS)
    with db.tenant_session(TENANT) as session:
        partner_id = session.scalars(select(Partner.id)).one()
        product_id = session.scalars(select(Product.id).where(Product.code == "10002")).one()
        learn(session, partner_id, "nv-50", product_id, actor="jana")
        row = learn(session, partner_id, "NV-50", product_id, actor="peter")
        assert (row.times_confirmed, row.confirmed_by, row.seller_code) == (2, "peter", "NV-50")
    with db.tenant_session(TENANT) as session:
        index = load_index(session)
        assert len(session.scalars(select(SupplierCode)).all()) == 1
    match = match_line(index, Line(1, seller_code="NV-50", description="?"), partner_id)
    assert (match.method, match.product_id) == (MatchMethod.SUPPLIER_CODE, product_id)
