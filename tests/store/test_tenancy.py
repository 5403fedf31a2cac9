"""A tenant session sees and writes only its own tenant's rows, even without a filter."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.orm import Session

from nex_automat.store.db import Database
from nex_automat.store.documents import get_document
from nex_automat.store.invoices import get_invoice, save_invoice
from nex_automat.store.models import (
    Barcode,
    Base,
    Document,
    InvoiceLine,
    InvoiceRecord,
    NotificationState,
    Product,
    Tenant,
    TenantOwned,
)
from nex_automat.store.tenancy import CrossTenantWrite, TenantRequired

from .factories import add_pdf, make_result


def _seed(database: Database) -> dict[str, str]:
    """One invoice per tenant; returns tenant → invoice id."""
    ids = {}
    for tenant, content in (("acme", b"%PDF acme"), ("globex", b"%PDF globex")):
        with database.tenant_session(tenant) as session:
            document = add_pdf(session, content)
            ids[tenant] = save_invoice(session, document.id, make_result()).id
    return ids


def test_unfiltered_select_sees_only_own_rows(database: Database, tenants: tuple[str, str]) -> None:
    ids = _seed(database)
    with database.tenant_session("acme") as session:
        invoices = session.scalars(select(InvoiceRecord)).all()
        documents = session.scalars(select(Document)).all()
        lines = session.scalars(select(InvoiceLine)).all()
        visible_tenants = session.scalars(select(Tenant)).all()
    assert [i.id for i in invoices] == [ids["acme"]]
    assert {d.tenant_id for d in documents} == {"acme"}
    assert lines and {line.tenant_id for line in lines} == {"acme"}
    assert [t.id for t in visible_tenants] == ["acme"]


def test_the_same_query_in_turn_for_each_tenant_sees_each_its_own(
    database: Database, tenants: tuple[str, str]
) -> None:
    ids = _seed(database)
    for tenant in ("acme", "globex", "acme", "globex"):
        with database.tenant_session(tenant) as session:
            assert session.scalars(select(InvoiceRecord.id)).all() == [ids[tenant]]


def test_get_by_id_of_another_tenant_finds_nothing(
    database: Database, tenants: tuple[str, str]
) -> None:
    ids = _seed(database)
    with database.tenant_session("acme") as session:
        assert get_invoice(session, ids["globex"]) is None
        assert session.get(InvoiceRecord, ids["globex"]) is None
        assert get_invoice(session, ids["acme"]) is not None


def test_aggregates_and_joins_are_scoped(database: Database, tenants: tuple[str, str]) -> None:
    _seed(database)
    with database.tenant_session("globex") as session:
        assert session.scalar(select(func.count()).select_from(InvoiceRecord)) == 1
        joined = session.execute(
            select(InvoiceRecord.id, Document.id).join(
                Document, Document.id == InvoiceRecord.document_id
            )
        ).all()
    assert len(joined) == 1


def test_bulk_update_and_delete_touch_only_own_rows(
    database: Database, tenants: tuple[str, str]
) -> None:
    ids = _seed(database)
    with database.tenant_session("acme") as session:
        session.execute(
            update(InvoiceRecord)
            .values(note="changed")
            .execution_options(synchronize_session=False)
        )
        session.execute(delete(InvoiceLine).execution_options(synchronize_session=False))
    with database.session() as session:
        globex = session.get(InvoiceRecord, ids["globex"])
        assert globex is not None and globex.note == "Ďakujeme"
        acme = session.get(InvoiceRecord, ids["acme"])
        assert acme is not None and acme.note == "changed"
        remaining = session.scalars(select(InvoiceLine.tenant_id)).all()
    assert set(remaining) == {"globex"}


def test_new_rows_get_the_session_tenant(database: Database, tenants: tuple[str, str]) -> None:
    with database.tenant_session("globex") as session:
        document = Document(sha256="b" * 64, media_type="application/pdf", size=3, source="cli")
        session.add(document)
        session.flush()
        assert document.tenant_id == "globex"


def test_writing_a_row_of_another_tenant_is_refused(
    database: Database, tenants: tuple[str, str]
) -> None:
    with pytest.raises(CrossTenantWrite), database.tenant_session("acme") as session:
        session.add(
            Document(
                tenant_id="globex",
                sha256="c" * 64,
                media_type="application/pdf",
                size=3,
                source="cli",
            )
        )
        session.flush()
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_moving_a_row_to_another_tenant_is_refused(
    database: Database, tenants: tuple[str, str]
) -> None:
    with database.tenant_session("acme") as session:
        document_id = add_pdf(session).id
    with pytest.raises(CrossTenantWrite), database.tenant_session("acme") as session:
        document = get_document(session, document_id)
        assert document is not None
        document.tenant_id = "globex"
        session.flush()


def test_tenant_operations_need_a_tenant_session(
    database: Database, tenants: tuple[str, str]
) -> None:
    with pytest.raises(TenantRequired), database.session() as session:
        add_pdf(session)


CROSS_TENANT_TABLES = {
    "tenants": "the tenants themselves; a tenant session sees only its own",
    "user_sessions": "looked up by the cookie's hash before the tenant is known",
    "notification_states": "alerts are looked for across all tenants at once; some concern "
    "the whole installation (a tenant session sees only its own tenant's)",
}
"""Tables deliberately outside tenant scoping, each with the reason."""


def _tenant_owned_tables() -> dict[str, type[TenantOwned]]:
    return {
        mapper.local_table.name: mapper.class_
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, TenantOwned)
    }


def test_every_table_is_tenant_owned_or_named_as_cross_tenant() -> None:
    owned = _tenant_owned_tables()
    for table in Base.metadata.sorted_tables:
        assert table.name in owned or table.name in CROSS_TENANT_TABLES, table.name
    for name in owned:
        column = Base.metadata.tables[name].c.tenant_id
        assert not column.nullable and {fk.column.table.name for fk in column.foreign_keys} == {
            "tenants"
        }, name
    assert {"products", "export_deliveries", "catalogue_sources", "catalogue_syncs"} <= set(owned)


def test_every_tenant_owned_table_is_filtered_on_reading_and_deleting(
    database: Database, tenants: tuple[str, str]
) -> None:
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        for name, model in _tenant_owned_tables().items():
            sent.clear()
            with database.tenant_session("acme") as session:
                session.execute(select(model)).all()
                session.execute(delete(model).execution_options(synchronize_session=False))
            assert len(sent) == 2, name
            for statement in sent:
                assert f"WHERE {name}.tenant_id = " in statement, statement
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def _barcode_rows(session: Session, owner: str) -> list[dict[str, object]]:
    product = Product(code="10001", name="Cement")
    session.add(product)
    session.flush()
    return [{"tenant_id": owner, "product_id": product.id, "code": "8586000000011"}]


def test_bulk_rows_for_another_tenant_are_refused(
    database: Database, tenants: tuple[str, str]
) -> None:
    with pytest.raises(CrossTenantWrite), database.tenant_session("acme") as session:
        session.execute(insert(Barcode.__table__), _barcode_rows(session, "globex"))
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Barcode)) == 0
        assert session.scalar(select(func.count()).select_from(Product)) == 0


def test_bulk_updates_on_the_table_touch_only_own_rows(
    database: Database, tenants: tuple[str, str]
) -> None:
    for tenant in tenants:
        with database.tenant_session(tenant) as session:
            session.execute(insert(Barcode.__table__), _barcode_rows(session, tenant))
    table = Barcode.__table__
    with database.tenant_session("acme") as session:
        session.execute(table.update().values(primary=True))
        session.execute(table.delete().where(table.c.primary.is_(False)))
    with database.session() as session:
        rows = session.execute(select(Barcode.tenant_id, Barcode.primary)).all()
    assert sorted(rows) == [("acme", True), ("globex", False)]


def test_a_tenant_session_sees_only_its_own_alert_states(
    database: Database, tenants: tuple[str, str]
) -> None:
    with database.session() as session:
        for key, tenant in (
            ("low_disk", None),
            ("failures:acme", "acme"),
            ("failures:globex", "globex"),
        ):
            session.add(NotificationState(key=key, tenant_id=tenant))
    with database.tenant_session("acme") as session:
        assert session.scalars(select(NotificationState.key)).all() == ["failures:acme"]
    with database.session() as session:
        assert len(session.scalars(select(NotificationState.key)).all()) == 3


def test_a_bulk_update_by_primary_key_leaves_another_tenants_row_alone(
    database: Database, tenants: tuple[str, str]
) -> None:
    ids = {}
    for tenant in tenants:
        with database.tenant_session(tenant) as session:
            product = Product(code="10001", name=tenant)
            session.add(product)
            session.flush()
            ids[tenant] = product.id
    with database.tenant_session("acme") as session:
        session.execute(
            update(Product),
            [{"id": ids["acme"], "name": "renamed"}, {"id": ids["globex"], "name": "renamed"}],
        )
    with database.session() as session:
        names = dict(session.execute(select(Product.tenant_id, Product.name)).all())
    assert names == {"acme": "renamed", "globex": "globex"}
