"""A tenant session sees and writes only its own tenant's rows, even without a filter."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from nex_automat.store.db import Database
from nex_automat.store.documents import get_document
from nex_automat.store.invoices import get_invoice, save_invoice
from nex_automat.store.models import Document, InvoiceLine, InvoiceRecord, Tenant
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
