"""Catalogue sync from an ERP's JSON interface, against a real local HTTP server.

Each test serves paginated JSON from ``tests.servers.erp`` and syncs into SQLite and
PostgreSQL through the same writer as the file import.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from stdnum import ean

from nex_automat.catalog.importing import ImportKind
from nex_automat.catalog.sync import RunState, Stage, run_sync, sync_states
from nex_automat.ops.catalog_sync_settings import CatalogSyncSettings
from nex_automat.store.db import Database
from nex_automat.store.models import Barcode, CatalogueSync, Partner, Product, ProductGroup
from nex_automat.store.tenants import create_tenant
from tests.servers.erp import ErpServer, Feed, erp_server

TENANT = "acme"

GROUPS = [
    {"code": "CEM", "name": "Cementy a vápna", "margin": Decimal("25.5")},
    {"code": "TEH", "name": "Tehly", "margin": 30},
]
PRODUCTS = [
    {"plu": "10001", "title": "CEMENT PC 25 KG", "group": {"code": "CEM"},
     "prices": {"purchase": Decimal("4.20"), "sale": Decimal("5.90")}, "vat": 23},
    {"plu": "10002", "title": "CEMENT PC 50 KG", "group": {"code": "CEM"},
     "prices": {"purchase": Decimal("7.80"), "sale": Decimal("10.50")}, "vat": 23},
    {"plu": "30001", "title": "Tehla plná pálená", "group": {"code": "TEH"},
     "prices": {"purchase": Decimal("0.45"), "sale": Decimal("0.69")}, "vat": 23},
    {"plu": "30002", "title": "Tehla dierovaná", "group": None,
     "prices": {"purchase": Decimal("0.52"), "sale": None}, "vat": 23, "inactive": True},
    {"plu": "30003", "title": "Tehla lícová", "group": {"code": "TEH"},
     "prices": {"purchase": Decimal("1.10"), "sale": Decimal("1.60")}, "vat": 23},
]  # fmt: skip
PRODUCT_FIELDS = {
    "code": "plu",
    "name": "title",
    "group": "group.code",
    "purchase_price": "prices.purchase",
    "sale_price": "prices.sale",
    "vat_rate": "vat",
    "discontinued": "inactive",
}


@pytest.fixture
def db(database: Database) -> Database:
    with database.session() as session:
        create_tenant(session, TENANT, "Acme s.r.o.")
        create_tenant(session, "globex", "Globex a.s.")
    return database


def settings(erp: ErpServer, **kinds: dict[str, Any]) -> CatalogSyncSettings:
    """A sync of ``acme`` reading each kind from the server's path of the same name."""
    return CatalogSyncSettings.model_validate(
        {
            "name": "erp",
            "tenant": TENANT,
            "api_key_header": "X-Api-Key",
            "api_key": SecretStr(erp.api_key),
            "kinds": {kind: {"url": erp.url(f"/{kind}")} | feed for kind, feed in kinds.items()},
        }
    )


PAGED = {"records": "data.items", "total_field": "meta.total",
         "pagination": {"style": "page", "size_param": "per_page", "size": 2}}  # fmt: skip


@pytest.fixture
def erp() -> Iterator[ErpServer]:
    groups, products = copy.deepcopy(GROUPS), copy.deepcopy(PRODUCTS)
    with erp_server(groups=Feed(groups, style="none"), products=Feed(products)) as server:
        yield server


def products(db: Database) -> dict[str, tuple[Any, ...]]:
    with db.tenant_session(TENANT) as session:
        groups = dict(session.execute(select(ProductGroup.id, ProductGroup.code)).all())
        return {
            p.code: (p.name, groups.get(p.group_id), p.purchase_price, p.sale_price, p.discontinued)
            for p in session.scalars(select(Product))
        }


def state(db: Database, kind: str) -> CatalogueSync:
    with db.tenant_session(TENANT) as session:
        return next(s for s in sync_states(session) if s.kind == kind)


def test_groups_and_products_are_synced_page_by_page_with_exact_prices(
    db: Database, erp: ErpServer
) -> None:
    sync = settings(erp, groups={"fields": {"default_margin": "margin", "code": "code",
                                            "name": "name"}},
                    products={**PAGED, "fields": PRODUCT_FIELDS})  # fmt: skip
    runs = run_sync(db, sync)
    assert [(r.kind, r.state, r.records_read, r.records_written) for r in runs] == [
        (ImportKind.GROUPS, RunState.OK, 2, 2),
        (ImportKind.PRODUCTS, RunState.OK, 5, 5),
    ]
    assert products(db) == {
        "10001": ("CEMENT PC 25 KG", "CEM", Decimal("4.20"), Decimal("5.90"), False),
        "10002": ("CEMENT PC 50 KG", "CEM", Decimal("7.80"), Decimal("10.50"), False),
        "30001": ("Tehla plná pálená", "TEH", Decimal("0.45"), Decimal("0.69"), False),
        "30002": ("Tehla dierovaná", None, Decimal("0.52"), None, True),
        "30003": ("Tehla lícová", "TEH", Decimal("1.10"), Decimal("1.60"), False),
    }
    pages = [seen.query for seen in erp.seen if seen.path == "/products"]
    assert pages == [{"page": str(n), "per_page": "2"} for n in (1, 2, 3)]
    assert all(seen.api_key == erp.api_key for seen in erp.seen)
    recorded = state(db, "products")
    assert (recorded.state, recorded.records_read, recorded.records_written) == ("ok", 5, 5)
    assert recorded.last_success_at == recorded.finished_at
    assert recorded.last_error is None


def test_syncing_again_updates_in_place(db: Database, erp: ErpServer) -> None:
    sync = settings(erp, groups={}, products={**PAGED, "fields": PRODUCT_FIELDS})
    run_sync(db, sync)
    erp.feeds["/products"].records[0]["prices"]["purchase"] = Decimal("4.35")
    run_sync(db, sync)
    synced = products(db)
    assert len(synced) == 5
    assert synced["10001"][2] == Decimal("4.35")


def test_a_bad_record_is_reported_by_its_number_and_the_others_are_written(
    db: Database, erp: ErpServer
) -> None:
    erp.feeds["/products"].records[2:2] = [
        {"plu": "40001", "title": "Klinec", "vat": "dvadsať", "prices": {}},
        {"plu": "40002", "title": {"sk": "Klinec"}, "vat": 23, "prices": {}},
        "not a record",
    ]
    sync = settings(erp, groups={}, products={**PAGED, "fields": PRODUCT_FIELDS})
    [_groups, run] = run_sync(db, sync)
    assert (run.state, run.records_read, run.records_written, run.records_failed) == (
        RunState.OK, 8, 5, 3,
    )  # fmt: skip
    assert [(e.row, e.field, e.code) for e in run.errors] == [
        (3, "vat_rate", "not_number"),
        (4, "name", "not_single_value"),
        (5, None, "not_record"),
    ]
    assert sorted(products(db)) == ["10001", "10002", "30001", "30002", "30003"]
    recorded = state(db, "products")
    assert (recorded.state, recorded.records_failed) == ("ok", 3)
    assert recorded.last_error is not None
    assert "record 3: vat_rate: not a number: 'dvadsať'" in recorded.last_error


def test_without_skip_invalid_a_bad_record_fails_the_kind_and_writes_nothing(
    db: Database, erp: ErpServer
) -> None:
    erp.feeds["/products"].records.append({"plu": "10001", "title": "Znova", "vat": 23})
    sync = settings(erp, groups={}, products={**PAGED, "fields": PRODUCT_FIELDS})
    sync = sync.model_copy(update={"skip_invalid": False})
    [_groups, run] = run_sync(db, sync)
    assert run.state is RunState.FAILED
    assert [(e.row, e.field, e.code) for e in run.errors] == [(6, "code", "duplicate")]
    assert products(db) == {}
    assert state(db, "products").state == "failed"


def test_a_500_on_one_page_fails_its_kind_cleanly_and_keeps_the_last_success(
    db: Database, erp: ErpServer
) -> None:
    sync = settings(erp, groups={}, products={**PAGED, "fields": PRODUCT_FIELDS})
    run_sync(db, sync)
    succeeded = state(db, "products").last_success_at
    for record in erp.feeds["/products"].records:
        record["title"] = f"{record['title']} NOVÝ"
    erp.feeds["/groups"].records.append({"code": "DRE", "name": "Drevo"})
    erp.feeds["/products"].fail_page = 2

    [groups, run] = run_sync(db, sync)

    assert (groups.state, groups.records_written) == (RunState.OK, 3)
    assert run.state is RunState.FAILED
    assert run.failure is not None and "HTTP 500" in run.failure and "page=2" in run.failure
    assert not any(name.endswith("NOVÝ") for name, *_ in products(db).values())
    recorded = state(db, "products")
    assert (recorded.state, recorded.last_success_at) == ("failed", succeeded)
    assert recorded.last_error == run.failure


def test_the_api_key_is_sent_in_its_header_and_never_shown(
    db: Database, erp: ErpServer, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = settings(erp, groups={}).model_copy(update={"api_key": SecretStr("erp-wrong-key")})
    caplog.set_level(logging.DEBUG)
    [run] = run_sync(db, wrong)
    assert run.state is RunState.FAILED
    assert run.failure is not None and "HTTP 401" in run.failure
    assert [seen.api_key for seen in erp.seen] == ["erp-wrong-key"]
    recorded = state(db, "groups")
    for text in (run.failure, recorded.last_error or "", caplog.text, repr(wrong)):
        assert "erp-wrong-key" not in text
    assert erp.api_key not in caplog.text
    with db.tenant_session(TENANT) as session:
        assert session.scalars(select(ProductGroup)).all() == []


def test_offset_and_next_link_pagination_and_fields_named_like_ours(
    db: Database, erp: ErpServer
) -> None:
    erp.feeds["/products"] = Feed(
        [{"code": f"P{n}", "name": f"Produkt {n}"} for n in range(7)], style="offset"
    )
    stems = [f"858600000{n:03d}" for n in range(5)]
    erp.feeds["/barcodes"] = Feed(
        [{"product": f"P{n}", "ean": stem + ean.calc_check_digit(stem)}
         for n, stem in enumerate(stems)],
        style="next_link",
    )  # fmt: skip
    sync = settings(
        erp,
        products={"url": erp.url("/products?warehouse=BA"), "records": "items",
                  "pagination": {"style": "offset", "param": "offset", "size_param": "limit",
                                 "size": 3}},
        barcodes={"records": "results", "pagination": {"style": "next_link"}},
    )  # fmt: skip
    runs = run_sync(db, sync)
    assert [(r.kind, r.records_written, r.errors) for r in runs] == [
        (ImportKind.PRODUCTS, 7, []),
        (ImportKind.BARCODES, 5, []),
    ]
    offsets = [seen.query for seen in erp.seen if seen.path == "/products"]
    assert offsets == [{"warehouse": "BA", "offset": str(o), "limit": "3"} for o in (0, 3, 6)]
    cursors = [seen.query.get("cursor") for seen in erp.seen if seen.path == "/barcodes"]
    assert cursors == [None, "2", "4"]
    with db.tenant_session(TENANT) as session:
        assert len(session.scalars(select(Barcode)).all()) == 5


def test_only_the_kinds_asked_for_are_synced_and_progress_is_told(
    db: Database, erp: ErpServer
) -> None:
    sync = settings(erp, groups={}, products={**PAGED, "fields": PRODUCT_FIELDS})
    told: list[tuple[ImportKind, Stage, int, int | None]] = []
    [run] = run_sync(db, sync, kinds={ImportKind.GROUPS}, progress=lambda *args: told.append(args))
    assert run.kind is ImportKind.GROUPS
    assert told == [
        (ImportKind.GROUPS, Stage.FETCH, 2, None),
        (ImportKind.GROUPS, Stage.WRITE, 2, 2),
    ]
    assert {seen.path for seen in erp.seen} == {"/groups"}


def test_partners_sync_into_the_tenant_of_the_sync_only(db: Database) -> None:
    partners = [
        {"name": "Stavebniny Novák s.r.o.", "ids": {"ico": "35757442", "vat": None}},
        {"name": "Wienerberger s.r.o.", "ids": {"ico": None, "vat": "SK2020312349"}},
    ]
    with erp_server(partners=Feed(partners, style="none")) as erp:
        sync = settings(erp, partners={"fields": {"name": "name", "ico": "ids.ico",
                                                  "vat_id": "ids.vat"}})  # fmt: skip
        [run] = run_sync(db, sync)
    assert (run.state, run.records_written) == (RunState.OK, 2)
    with db.tenant_session(TENANT) as session:
        assert sorted(session.scalars(select(Partner.name))) == [
            "Stavebniny Novák s.r.o.",
            "Wienerberger s.r.o.",
        ]
    with db.tenant_session("globex") as session:
        assert session.scalars(select(Partner)).all() == []


def test_an_unreachable_interface_fails_every_kind_with_its_reason(db: Database) -> None:
    with erp_server() as erp:
        sync = settings(erp, groups={}, products={**PAGED, "fields": PRODUCT_FIELDS})
    runs = run_sync(db, sync)
    assert [run.state for run in runs] == [RunState.FAILED, RunState.FAILED]
    assert all(run.failure and "no answer" in run.failure for run in runs)
    started = state(db, "groups")
    assert started.finished_at - started.started_at < timedelta(seconds=30)


def test_an_answer_without_a_list_where_records_should_be_fails_the_kind(
    db: Database, erp: ErpServer
) -> None:
    sync = settings(erp, products={**PAGED, "records": "data.rows", "fields": PRODUCT_FIELDS})
    [run] = run_sync(db, sync)
    assert run.state is RunState.FAILED
    assert run.failure is not None and "'data.rows' of the answer is not a list" in run.failure
    assert products(db) == {}
