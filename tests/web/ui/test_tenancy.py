"""A user sees only their own tenant: lists, invoice URLs and actions."""

from __future__ import annotations

from nex_automat.store.models import Role
from nex_automat.store.tenants import set_tenant_disabled
from tests.web.ui.conftest import Workspace


def test_another_tenants_invoice_url_is_not_found(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    acme_invoice = workspace.add_invoice("acme", number="ACME-1")
    acme_user = signed_in("eva")
    globex_user = signed_in("gustav", tenant="globex")
    assert acme_user.get(f"/invoices/{acme_invoice}").status_code == 200
    answer = globex_user.get(f"/invoices/{acme_invoice}")
    assert answer.status_code == 404
    assert "ACME-1" not in answer.text
    assert "Stránka alebo záznam neexistuje." in answer.text


def test_the_inbox_lists_and_counts_only_the_users_tenant(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    workspace.add_invoice("acme", number="ACME-1")
    workspace.add_invoice("globex", number="GLOBEX-1")
    workspace.add_failed_document("acme")
    page = signed_in("gustav", tenant="globex").get("/invoices?status=failed").text
    assert "ACME-1" not in page
    assert "unreadable_pdf" not in page
    assert signed_in("eva").get("/invoices").text.count("ACME-1") == 1


def test_another_tenants_document_cannot_be_reprocessed(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    document = workspace.add_failed_document("acme")
    answer = signed_in("gustav", Role.ADMIN, tenant="globex").post_form(
        f"/documents/{document}/reprocess"
    )
    assert answer.status_code == 404


def test_disabling_a_tenant_ends_its_users_sessions_and_spares_the_others(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    acme_user = signed_in("eva")
    globex_user = signed_in("gustav", tenant="globex")
    with workspace.services.db.session() as session:
        set_tenant_disabled(session, "acme", True)

    answer = acme_user.get("/invoices")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")
    assert acme_user.sign_in("eva").status_code != 303
    assert globex_user.get("/invoices").status_code == 200
