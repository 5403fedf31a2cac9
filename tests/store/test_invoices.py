"""Invoices: exact round trip, idempotent saving, duplicates, listing and the workflow."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from nex_automat.domain.model import Invoice
from nex_automat.store.audit import audit_trail
from nex_automat.store.db import Database
from nex_automat.store.invoices import (
    InvalidCursor,
    InvalidEdit,
    InvalidStatusTransition,
    InvoiceFilter,
    InvoiceSort,
    edit_line,
    find_duplicate_invoice,
    get_invoice,
    get_invoice_for_document,
    invoice_to_domain,
    list_invoices,
    provenance_of,
    save_invoice,
    set_status,
    warnings_of,
)
from nex_automat.store.models import InvoiceLine, InvoiceRecord, InvoiceStatus

from .factories import add_pdf, make_invoice, make_result


def _save(
    database: Database, invoice: Invoice, *, tenant: str = "acme", content: bytes | None = None
) -> str:
    with database.tenant_session(tenant) as session:
        document = add_pdf(session, content or f"%PDF {invoice.number}".encode())
        return save_invoice(session, document.id, make_result(invoice)).id


def test_saved_invoice_converts_back_to_the_same_domain_invoice(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice = make_invoice(total_gross=Decimal("1234567890.123456"))
    invoice_id = _save(database, invoice)
    with database.tenant_session("acme") as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        restored = invoice_to_domain(record)
    assert restored == invoice
    assert str(restored.lines[0].quantity) == "2.500"
    assert str(restored.lines[0].unit_price) == "19.6800"
    assert str(restored.rounding) == "-0.01"
    assert restored.issue_date == date(2024, 3, 15)


def test_method_template_warnings_and_provenance_are_kept(
    database: Database, tenants: tuple[str, str]
) -> None:
    result = make_result()
    with database.tenant_session("acme") as session:
        document = add_pdf(session)
        invoice_id = save_invoice(session, document.id, result).id
    with database.tenant_session("acme") as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
    assert (record.method, record.template, record.pages) == ("text", "stavebniny-zilina", 1)
    assert warnings_of(record) == result.warnings
    assert provenance_of(record) == result.provenance


def test_saving_again_for_the_same_document_replaces_the_data_and_keeps_the_id(
    database: Database, tenants: tuple[str, str]
) -> None:
    with database.tenant_session("acme") as session:
        document = add_pdf(session)
        first = save_invoice(session, document.id, make_result()).id
    corrected = make_invoice("2024001-B", descriptions=("Only one line",))
    with database.tenant_session("acme") as session:
        second = save_invoice(
            session, document.id, make_result(corrected), status=InvoiceStatus.NEEDS_REVIEW
        ).id
    assert first == second
    with database.tenant_session("acme") as session:
        assert session.scalar(select(func.count()).select_from(InvoiceRecord)) == 1
        assert session.scalar(select(func.count()).select_from(InvoiceLine)) == 1
        record = get_invoice_for_document(session, document.id)
        assert record is not None
        assert record.number == "2024001-B"
        assert record.status is InvoiceStatus.NEEDS_REVIEW
        actions = [e.action for e in audit_trail(session, "invoice", first)]
    assert actions == ["extracted", "reextracted"]


def test_duplicate_is_found_by_ico_or_vat_id_and_number(
    database: Database, tenants: tuple[str, str]
) -> None:
    original = _save(database, make_invoice("F-1"))
    _save(database, make_invoice("F-1"), tenant="globex")
    with database.tenant_session("acme") as session:
        by_ico = find_duplicate_invoice(
            session, number="F-1", supplier_ico="36123456", supplier_vat_id=None
        )
        by_vat = find_duplicate_invoice(
            session, number="F-1", supplier_ico=None, supplier_vat_id="SK2020123456"
        )
        other_number = find_duplicate_invoice(
            session, number="F-2", supplier_ico="36123456", supplier_vat_id="SK2020123456"
        )
        other_supplier = find_duplicate_invoice(
            session, number="F-1", supplier_ico="99999999", supplier_vat_id=None
        )
        no_number = find_duplicate_invoice(
            session, number=None, supplier_ico="36123456", supplier_vat_id=None
        )
        itself = find_duplicate_invoice(
            session,
            number="F-1",
            supplier_ico="36123456",
            supplier_vat_id=None,
            exclude_invoice_id=original,
        )
    assert by_ico is not None and by_ico.id == original
    assert by_vat is not None and by_vat.id == original
    assert (other_number, other_supplier, no_number, itself) == (None, None, None, None)


def test_an_invoice_marked_duplicate_is_never_the_original(
    database: Database, tenants: tuple[str, str]
) -> None:
    original = _save(database, make_invoice("F-1"), content=b"%PDF a")
    with database.tenant_session("acme") as session:
        document = add_pdf(session, b"%PDF b")
        save_invoice(
            session,
            document.id,
            make_result(make_invoice("F-1")),
            status=InvoiceStatus.DUPLICATE,
            duplicate_of=original,
        )
        found = find_duplicate_invoice(
            session, number="F-1", supplier_ico="36123456", supplier_vat_id=None
        )
    assert found is not None and found.id == original


def _seed_for_listing(database: Database) -> dict[str, str]:
    specs = [
        ("A-1", "Stavebniny Žilina s.r.o.", date(2024, 1, 10), "9.50", ("Cement",)),
        ("A-2", "ŠTÚROVO TRADE a.s.", date(2024, 2, 10), "10.00", ("Tehla plná",)),
        ("A-3", "Drevo 100% s.r.o.", date(2024, 3, 10), "100.00", ("Hranol 10_10",)),
        ("B-1", "Stavebniny Žilina s.r.o.", date(2024, 4, 10), "1000.01", ("Piesok",)),
    ]
    ids = {}
    for number, supplier, issued, gross, lines in specs:
        invoice = make_invoice(
            number,
            supplier_name=supplier,
            supplier_ico=None,
            issue_date=issued,
            total_gross=Decimal(gross),
            descriptions=lines,
        )
        ids[number] = _save(database, invoice)
    _save(database, make_invoice("A-1"), tenant="globex")
    return ids


def _numbers(database: Database, filters: InvoiceFilter) -> set[str | None]:
    with database.tenant_session("acme") as session:
        return {i.number for i in list_invoices(session, filters).items}


def test_list_filters(database: Database, tenants: tuple[str, str]) -> None:
    ids = _seed_for_listing(database)
    with database.tenant_session("acme") as session:
        record = get_invoice(session, ids["A-2"])
        assert record is not None
        set_status(session, record, InvoiceStatus.APPROVED, actor="eva")
    assert _numbers(database, InvoiceFilter()) == {"A-1", "A-2", "A-3", "B-1"}
    assert _numbers(database, InvoiceFilter(statuses=(InvoiceStatus.APPROVED,))) == {"A-2"}
    assert _numbers(database, InvoiceFilter(supplier="žilina")) == {"A-1", "B-1"}
    assert _numbers(database, InvoiceFilter(supplier="štúrovo")) == {"A-2"}
    assert _numbers(database, InvoiceFilter(supplier="SK2020123456")) == {
        "A-1",
        "A-2",
        "A-3",
        "B-1",
    }
    assert _numbers(
        database, InvoiceFilter(issued_from=date(2024, 2, 10), issued_to=date(2024, 3, 10))
    ) == {"A-2", "A-3"}
    assert _numbers(
        database, InvoiceFilter(amount_min=Decimal("10"), amount_max=Decimal("100.00"))
    ) == {"A-2", "A-3"}
    assert _numbers(database, InvoiceFilter(amount_min=Decimal("1000.01"))) == {"B-1"}
    assert _numbers(database, InvoiceFilter(text="tehla")) == {"A-2"}
    assert _numbers(database, InvoiceFilter(text="b-1")) == {"B-1"}
    assert _numbers(database, InvoiceFilter(text="100%")) == {"A-3"}
    assert _numbers(database, InvoiceFilter(text="10_10")) == {"A-3"}
    assert _numbers(database, InvoiceFilter(text="1%")) == set()
    assert _numbers(database, InvoiceFilter(text="a-", supplier="žilina")) == {"A-1"}


def test_cursor_pagination_walks_every_invoice_once_newest_first(
    database: Database, tenants: tuple[str, str]
) -> None:
    saved = [_save(database, make_invoice(f"P-{n}")) for n in range(7)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        with database.tenant_session("acme") as session:
            page = list_invoices(session, InvoiceFilter(), limit=3, cursor=cursor)
        seen.extend(i.id for i in page.items)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert seen == list(reversed(saved))


def test_previous_cursor_walks_back_through_the_same_pages(
    database: Database, tenants: tuple[str, str]
) -> None:
    for n in range(7):
        _save(database, make_invoice(f"Q-{n}", total_gross=Decimal(n % 3)))
    forward: list[list[str]] = []
    cursor = None
    with database.tenant_session("acme") as session:
        while True:
            page = list_invoices(
                session, InvoiceFilter(), limit=3, cursor=cursor, sort=InvoiceSort.TOTAL
            )
            forward.append([i.number for i in page.items])
            assert (page.previous_cursor is None) is (cursor is None)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        backward: list[list[str]] = []
        before = page.previous_cursor
        while before is not None:
            page = list_invoices(
                session, InvoiceFilter(), limit=3, before=before, sort=InvoiceSort.TOTAL
            )
            assert page.next_cursor is not None
            backward.append([i.number for i in page.items])
            before = page.previous_cursor
    assert len(forward) == 3
    assert list(reversed(backward)) == forward[:-1]


def test_cursor_keeps_filters_and_bad_cursors_are_refused(
    database: Database, tenants: tuple[str, str]
) -> None:
    for n in range(4):
        _save(database, make_invoice(f"K-{n}", total_gross=Decimal(n)))
    with database.tenant_session("acme") as session:
        first = list_invoices(session, InvoiceFilter(amount_min=Decimal("1")), limit=2)
        assert first.next_cursor is not None
        second = list_invoices(
            session, InvoiceFilter(amount_min=Decimal("1")), limit=2, cursor=first.next_cursor
        )
        assert [i.number for i in first.items + second.items] == ["K-3", "K-2", "K-1"]
        assert second.next_cursor is None
        with pytest.raises(InvalidCursor):
            list_invoices(session, InvoiceFilter(), cursor="not-a-cursor")


def test_status_workflow_records_who_and_when(database: Database, tenants: tuple[str, str]) -> None:
    invoice_id = _save(database, make_invoice())
    with database.tenant_session("acme") as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        set_status(session, record, InvoiceStatus.NEEDS_REVIEW, actor="pipeline")
        set_status(session, record, InvoiceStatus.APPROVED, actor="eva@acme.sk")
        set_status(session, record, InvoiceStatus.EXPORTED, actor="erp-export")
        trail = audit_trail(session, "invoice", invoice_id)
    assert record.approved_by == "eva@acme.sk" and record.approved_at is not None
    assert record.exported_at is not None
    assert (record.status_changed_by, record.status) == ("erp-export", InvoiceStatus.EXPORTED)
    transitions = [(e.old_value, e.new_value, e.actor) for e in trail if e.action == "status"]
    assert transitions == [
        ("new", "needs_review", "pipeline"),
        ("needs_review", "approved", "eva@acme.sk"),
        ("approved", "exported", "erp-export"),
    ]


def test_rejection_keeps_its_reason_and_forbidden_moves_are_refused(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice_id = _save(database, make_invoice())
    with database.tenant_session("acme") as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        set_status(session, record, InvoiceStatus.REJECTED, actor="eva", reason="not ours")
        assert (record.rejected_by, record.rejected_reason) == ("eva", "not ours")
        with pytest.raises(InvalidStatusTransition):
            set_status(session, record, InvoiceStatus.EXPORTED, actor="eva")


def test_line_edits_sit_beside_the_extracted_values(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice = make_invoice()
    invoice_id = _save(database, invoice)
    with database.tenant_session("acme") as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        edit_line(session, record.lines[0], "quantity", "3.000", actor="eva")
        edit_line(session, record.lines[0], "description", "Cement CEM I", actor="eva")
        with pytest.raises(InvalidEdit):
            edit_line(session, record.lines[0], "quantity", "3,5", actor="eva")
        with pytest.raises(InvalidEdit):
            edit_line(session, record.lines[0], "position", "9", actor="eva")
    with database.tenant_session("acme") as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        edited = invoice_to_domain(record)
        extracted = invoice_to_domain(record, edited=False)
        trail = audit_trail(session, "invoice", invoice_id)
    assert record.lines[0].quantity == Decimal("2.500")
    assert str(edited.lines[0].quantity) == "3.000"
    assert edited.lines[0].description == "Cement CEM I"
    assert extracted == invoice
    assert edited == replace(
        invoice,
        lines=[
            replace(invoice.lines[0], quantity=Decimal("3.000"), description="Cement CEM I"),
            invoice.lines[1],
        ],
    )
    edits = [(e.field, e.old_value, e.new_value) for e in trail if e.action == "edit_line"]
    assert edits == [
        ("lines[1].quantity", "2.500", "3.000"),
        ("lines[1].description", "Cement CEM II 25 kg", "Cement CEM I"),
    ]
