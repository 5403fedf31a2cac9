"""Named import sources remember a kind and a mapping per tenant, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from nex_automat.catalog.importing import ImportKind, import_file
from nex_automat.catalog.sources import (
    SourceError,
    delete_source,
    get_source,
    list_sources,
    save_source,
    source_kind,
    source_name,
)
from nex_automat.store.db import Database
from nex_automat.store.models import ProductGroup
from nex_automat.store.tenants import create_tenant

TENANT = "acme"
MAPPING = {"code": "Číslo", "name": "Popis", "default_margin": "Prirážka"}


@pytest.fixture
def db(database: Database) -> Database:
    with database.session() as session:
        create_tenant(session, TENANT, "Acme s.r.o.")
        create_tenant(session, "globex", "Globex a.s.")
    return database


def test_a_saved_source_is_found_by_its_name_in_any_case(db: Database) -> None:
    with db.tenant_session(TENANT) as session:
        save_source(session, "Pohoda-Skupiny", ImportKind.GROUPS, MAPPING, actor="ada")
    with db.tenant_session(TENANT) as session:
        found = get_source(session, " pohoda-skupiny ")
        assert found is not None
        assert (found.name, found.kind, found.mapping, found.updated_by) == (
            "pohoda-skupiny",
            "groups",
            MAPPING,
            "ada",
        )


def test_saving_again_replaces_the_kind_and_mapping(db: Database) -> None:
    with db.tenant_session(TENANT) as session:
        save_source(session, "erp", ImportKind.GROUPS, MAPPING)
        save_source(session, "erp", ImportKind.PRODUCTS, {"code": "PLU", "name": "Názov"})
    with db.tenant_session(TENANT) as session:
        [only] = list_sources(session)
        assert (only.kind, only.mapping) == ("products", {"code": "PLU", "name": "Názov"})


def test_sources_of_one_tenant_are_invisible_to_another(db: Database) -> None:
    with db.tenant_session(TENANT) as session:
        save_source(session, "erp", ImportKind.GROUPS, MAPPING)
    with db.tenant_session("globex") as session:
        assert get_source(session, "erp") is None
        assert list_sources(session) == []
        assert delete_source(session, "erp") is False
        save_source(session, "erp", ImportKind.PARTNERS, {"name": "Firma", "ico": "IČO"})
    with db.tenant_session(TENANT) as session:
        found = get_source(session, "erp")
        assert found is not None and found.kind == "groups"


def test_a_deleted_source_is_gone(db: Database) -> None:
    with db.tenant_session(TENANT) as session:
        save_source(session, "erp", ImportKind.GROUPS, MAPPING)
    with db.tenant_session(TENANT) as session:
        assert delete_source(session, "erp") is True
    with db.tenant_session(TENANT) as session:
        assert list_sources(session) == []


@pytest.mark.parametrize("name", ["", "pohoda produkty", "-erp", "x" * 101, "cenník"])
def test_a_source_name_is_a_short_plain_word(name: str) -> None:
    with pytest.raises(SourceError):
        source_name(name)


def test_the_kind_comes_from_the_source_and_must_agree_with_one_given(db: Database) -> None:
    with db.tenant_session(TENANT) as session:
        saved = save_source(session, "erp", ImportKind.GROUPS, MAPPING)
        assert source_kind(saved, None) is ImportKind.GROUPS
        assert source_kind(saved, ImportKind.GROUPS) is ImportKind.GROUPS
        with pytest.raises(SourceError, match="imports groups, not products"):
            source_kind(saved, ImportKind.PRODUCTS)
        assert source_kind(None, ImportKind.PARTNERS) is ImportKind.PARTNERS
        with pytest.raises(SourceError):
            source_kind(None, None)


def test_the_saved_mapping_reads_the_next_file_of_the_source(db: Database, tmp_path: Path) -> None:
    export = tmp_path / "skupiny.csv"
    export.write_text("Číslo;Popis;Prirážka\nCEM;Cementy;25\n", encoding="utf-8")
    with db.tenant_session(TENANT) as session:
        report = import_file(session, export, ImportKind.GROUPS, MAPPING)
        save_source(session, "erp", ImportKind.GROUPS, report.mapping)
    export.write_text("Číslo;Popis;Prirážka\nCEM;Cement;26\nTEH;Tehly;30\n", encoding="utf-8")
    with db.tenant_session(TENANT) as session:
        saved = get_source(session, "erp")
        assert saved is not None
        report = import_file(session, export, source_kind(saved, None), saved.mapping)
        assert (report.rows_written, report.errors) == (2, [])
        assert sorted(session.execute(select(ProductGroup.code, ProductGroup.name)).all()) == [
            ("CEM", "Cement"),
            ("TEH", "Tehly"),
        ]
