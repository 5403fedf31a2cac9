"""The workspace under test: the real app over real services, users signed in by form.

Tests drive the pages as a browser does — fetch the form, send it back with its CSRF
token, follow the cookie — through :class:`Browser`. Invoices are stored directly with the
store's functions, so each test says exactly what the inbox holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from nex_automat.pipeline.services import Services
from nex_automat.store.documents import set_document_state
from nex_automat.store.invoices import save_invoice
from nex_automat.store.models import DocumentState, InvoiceStatus, Role
from nex_automat.store.tenants import create_tenant
from nex_automat.store.users import create_user
from nex_automat.web.app import create_app
from tests.store.factories import add_pdf, make_invoice, make_result

PASSWORD = "correct horse battery"
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A TestClient that keeps cookies and knows the workspace's forms."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(url, follow_redirects=False, **kwargs)

    def post(self, url: str, data: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return self.client.post(url, data=data or {}, follow_redirects=False, **kw)

    def login_token(self) -> str:
        page = self.get("/login")
        found = _CSRF_FIELD.search(page.text)
        assert found, page.text
        return found.group(1)

    def sign_in(self, username: str, password: str = PASSWORD) -> httpx.Response:
        token = self.login_token()
        return self.post(
            "/login", {"username": username, "password": password, "csrf_token": token}
        )

    def csrf(self) -> str:
        """The session's token, as every signed-in page carries it."""
        page = self.get("/invoices")
        found = _CSRF_META.search(page.text)
        assert found, page.text
        return found.group(1)

    def post_form(self, url: str, data: dict[str, str] | None = None) -> httpx.Response:
        return self.post(url, {**(data or {}), "csrf_token": self.csrf()})


@dataclass
class Workspace:
    services: Services
    app: Any

    def browser(self) -> Browser:
        return Browser(TestClient(self.app))

    def signed_in(self, username: str) -> Browser:
        browser = self.browser()
        answer = browser.sign_in(username)
        assert answer.status_code == 303, answer.text
        return browser

    def add_user(
        self, username: str, role: Role = Role.OPERATOR, tenant: str = "acme", language: str = "sk"
    ) -> None:
        with self.services.db.session() as session:
            create_user(
                session,
                tenant_id=tenant,
                username=username,
                password=PASSWORD,
                role=role,
                language=language,
            )

    def add_invoice(
        self, tenant: str = "acme", status: InvoiceStatus = InvoiceStatus.NEW, **fields: Any
    ) -> str:
        """An invoice of ``make_invoice(**fields)``; returns its id."""
        with self.services.db.tenant_session(tenant) as session:
            document = add_pdf(session, f"{tenant}{fields}{status}".encode())
            record = save_invoice(
                session, document.id, make_result(make_invoice(**fields)), status=status
            )
            return record.id

    def add_failed_document(self, tenant: str = "acme", content: bytes = b"%PDF-broken") -> str:
        with self.services.db.tenant_session(tenant) as session:
            document = add_pdf(session, content)
            set_document_state(
                session,
                document,
                DocumentState.FAILED,
                error_code="unreadable_pdf",
                error_message="the PDF could not be opened",
            )
            return document.id


@pytest.fixture
def workspace(services: Services) -> Workspace:
    with services.db.session() as session:
        create_tenant(session, "acme", "Acme s.r.o.")
        create_tenant(session, "globex", "Globex a.s.")
    return Workspace(services, create_app(services))


@pytest.fixture
def signed_in(workspace: Workspace) -> Callable[..., Browser]:
    """``signed_in("eva", Role.APPROVER)``: a new user of acme, signed in."""

    def make(username: str, role: Role = Role.OPERATOR, **kwargs: Any) -> Browser:
        workspace.add_user(username, role, **kwargs)
        return workspace.signed_in(username)

    return make
