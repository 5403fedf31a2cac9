"""The inbox: status tabs with counts, filters, sorting, keyset pages, failed documents."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from nex_automat.store.invoices import InvoiceFilter, InvoiceSort, encode_cursor, list_invoices
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import Document, DocumentState, InvoiceStatus, Role
from nex_automat.web.ui.inbox import InboxQuery, status_counts
from tests.web.ui.conftest import Workspace

ROW = re.compile(r'<tr data-href="/invoices/([^"]+)"')


def numbers_on(page: str) -> list[str]:
    return re.findall(r'<td><a href="/invoices/[^"]+">([^<]+)</a></td>', page)


def test_tabs_count_invoices_per_status_and_failed_documents(workspace: Workspace) -> None:
    workspace.add_invoice(number="A", status=InvoiceStatus.NEEDS_REVIEW)
    workspace.add_invoice(number="B", status=InvoiceStatus.NEEDS_REVIEW)
    workspace.add_invoice(number="C", status=InvoiceStatus.APPROVED)
    workspace.add_failed_document()
    with workspace.services.db.tenant_session("acme") as session:
        counts = status_counts(session)
    assert counts["all"] == 3
    assert counts[InvoiceStatus.NEEDS_REVIEW] == 2
    assert counts[InvoiceStatus.APPROVED] == 1
    assert counts["failed"] == 1
    assert counts[InvoiceStatus.DUPLICATE] == 0


def test_a_tab_shows_only_its_status(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    workspace.add_invoice(number="REVIEW-1", status=InvoiceStatus.NEEDS_REVIEW)
    workspace.add_invoice(number="DONE-1", status=InvoiceStatus.APPROVED)
    page = signed_in("eva").get("/invoices?status=needs_review").text
    assert numbers_on(page) == ["REVIEW-1"]
    assert 'aria-current="page">\n        Na kontrolu <span class="count">1</span>' in page


def test_search_finds_text_in_line_descriptions(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    workspace.add_invoice(number="CEMENT-1", descriptions=("Cement CEM II",))
    workspace.add_invoice(number="TILES-1", descriptions=("Dlažba 30x30",))
    browser = signed_in("eva")
    assert numbers_on(browser.get("/invoices?q=dlažba").text) == ["TILES-1"]
    assert numbers_on(browser.get("/invoices?q=cement-1").text) == ["CEMENT-1"]


def test_amount_and_date_filters_read_the_users_notation(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    workspace.add_invoice(number="SMALL", total_gross=Decimal("99.99"))
    workspace.add_invoice(number="BIG", total_gross=Decimal("1500.00"))
    workspace.add_invoice(number="OLD", total_gross=Decimal("1500.00"), issue_date=date(2020, 1, 1))
    browser = signed_in("eva")
    page = browser.get("/invoices", params={"min": "1 000,00", "from": "2024-01-01"}).text
    assert numbers_on(page) == ["BIG"]


def test_a_filter_that_cannot_be_read_is_reported_and_ignored(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    workspace.add_invoice(number="ANY")
    page = signed_in("eva").get("/invoices", params={"max": "lots", "to": "yesterday"}).text
    assert "Suma „lots“ nie je číslo; filter sa nepoužil." in page
    assert "Dátum „yesterday“ nie je platný; filter sa nepoužil." in page
    assert numbers_on(page) == ["ANY"]


def test_sorting_by_a_column_and_again_reverses_it(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    for number, total in (("MID", "50.00"), ("LOW", "5.00"), ("HIGH", "500.00")):
        workspace.add_invoice(number=number, total_gross=Decimal(total))
    browser = signed_in("eva")
    ascending = InboxQuery().sort_link(InvoiceSort.TOTAL)
    assert ascending == "/invoices?sort=total&dir=asc"
    page = browser.get(ascending).text
    assert numbers_on(page) == ["LOW", "MID", "HIGH"]
    reverse = InboxQuery.from_params({"sort": "total", "dir": "asc"}).sort_link(InvoiceSort.TOTAL)
    assert f'href="{reverse}"' in page
    assert numbers_on(browser.get(reverse).text) == ["HIGH", "MID", "LOW"]


def test_every_sort_pages_through_all_invoices_once(workspace: Workspace) -> None:
    for index in range(7):
        workspace.add_invoice(
            number=f"N{index % 3}",
            supplier_name=["Žilina s.r.o.", "alfa", None][index % 3],  # type: ignore[list-item]
            total_gross=None if index == 4 else Decimal(index % 2),
            issue_date=None if index == 2 else date(2024, 1, 1 + index % 2),
        )
    for sort in InvoiceSort:
        for descending in (True, False):
            seen: list[str] = []
            cursor = None
            while True:
                with workspace.services.db.tenant_session("acme") as session:
                    page = list_invoices(
                        session,
                        InvoiceFilter(),
                        limit=2,
                        cursor=cursor,
                        sort=sort,
                        descending=descending,
                    )
                seen += [record.id for record in page.items]
                cursor = page.next_cursor
                if cursor is None:
                    break
            assert len(seen) == len(set(seen)) == 7, (sort, descending)


def test_pages_follow_the_next_link_without_gaps(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    for index in range(53):
        workspace.add_invoice(number=f"F{index:03d}")
    browser = signed_in("eva")
    first = browser.get("/invoices").text
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert next_link is not None
    second = browser.get(next_link.group(1).replace("&amp;", "&")).text
    assert len(ROW.findall(first)) == 50
    assert len(set(ROW.findall(first)) | set(ROW.findall(second))) == 53
    assert 'rel="next"' not in second


def test_the_previous_link_goes_back_to_the_same_rows(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    for index in range(103):
        workspace.add_invoice(number=f"B{index:03d}")
    browser = signed_in("eva")

    def follow(page: str, rel: str) -> str:
        link = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
        assert link is not None
        return browser.get(link.group(1).replace("&amp;", "&")).text

    first = browser.get("/invoices?sort=number").text
    assert 'rel="prev"' not in first
    second = follow(first, "next")
    third = follow(second, "next")
    assert len(ROW.findall(third)) == 3
    back_to_second = follow(third, "prev")
    assert numbers_on(back_to_second) == numbers_on(second)
    back_to_first = follow(back_to_second, "prev")
    assert numbers_on(back_to_first) == numbers_on(first)
    assert 'rel="prev"' not in back_to_first
    assert 'rel="next"' in back_to_first


def test_a_previous_page_before_the_first_row_shows_the_first_page(
    workspace: Workspace, signed_in
) -> None:  # type: ignore[no-untyped-def]
    workspace.add_invoice(number="ONLY")
    with workspace.services.db.tenant_session("acme") as session:
        (only,) = list_invoices(session, InvoiceFilter(), limit=1).items
    before = encode_cursor(InvoiceSort.RECEIVED, True, only.created_at, only.id)
    answer = signed_in("eva").get(f"/invoices?before={before}")
    assert answer.status_code == 200
    assert numbers_on(answer.text) == ["ONLY"]


def test_a_stale_cursor_starts_from_the_first_page(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    workspace.add_invoice(number="ONLY")
    page = signed_in("eva").get("/invoices?cursor=garbage&sort=number")
    assert page.status_code == 200
    assert numbers_on(page.text) == ["ONLY"]


def test_failed_documents_are_listed_with_their_error(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    workspace.add_failed_document()
    page = signed_in("eva").get("/invoices?status=failed").text
    assert "unreadable_pdf" in page
    assert "the PDF could not be opened" in page
    assert "Spracovať znova" in page


def test_reprocess_queues_the_document_again(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    document_id = workspace.add_failed_document()
    browser = signed_in("eva", Role.OPERATOR)
    answer = browser.post_form(f"/documents/{document_id}/reprocess")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/invoices?status=failed&done=reprocessed"
    with workspace.services.db.tenant_session("acme") as session:
        document = session.get(Document, document_id)
        assert document is not None
        assert document.state is DocumentState.RECEIVED
    assert JobQueue(workspace.services.db).counts().get("queued") == 1
    page = browser.get(answer.headers["location"]).text
    assert "Dokument bol zaradený na nové spracovanie." in page
    assert "unreadable_pdf" not in page


def test_the_invoice_page_shows_header_and_lines(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    invoice_id = workspace.add_invoice(number="2024-77", descriptions=("Piesok 0-4 mm",))
    page = signed_in("eva").get(f"/invoices/{invoice_id}").text
    assert "Faktúra 2024-77" in page
    assert "Piesok 0-4 mm" in page
    assert "total_mismatch" in page


def test_an_unknown_invoice_is_not_found(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    assert signed_in("eva").get("/invoices/no-such-invoice").status_code == 404


def test_pages_forbid_framing_and_inline_scripts(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    answer = signed_in("eva").get("/invoices")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["cache-control"] == "no-store"
    assert "<script>" not in answer.text
