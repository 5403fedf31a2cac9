"""What the isolation tests share: one tenant's rows, and every route of the app.

``acme`` gets a row of every kind a URL can name (document, invoice, line, page, export
delivery, user, API key, catalogue upload); the tests then try each route as ``globex``
with those ids. Routes are read from the app itself, so a route added later is tried too,
and a path parameter no one has given a value for fails the test instead of escaping it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from sqlalchemy import inspect, select
from starlette.routing import Route as StarletteRoute

from nex_automat.pipeline.services import Services
from nex_automat.store.apikeys import create_api_key
from nex_automat.store.documents import set_document_state
from nex_automat.store.models import (
    Base,
    DeliveryState,
    DocumentState,
    ExportDelivery,
    Role,
    TenantOwned,
)
from nex_automat.store.users import create_user
from nex_automat.web.ui.catalog_uploads import store_upload
from tests.catalog.catalogue import seed_catalogue
from tests.pipeline.export.approved import matched_invoice
from tests.store.factories import add_pdf

OWNER = "acme"
INVOICE_NUMBER = "ACME-SECRET-0815"
OWNER_USER = "acme-admin"
OWNER_PASSWORD = "correct horse battery"
MARKERS = (INVOICE_NUMBER, OWNER_USER, "CEMENT PC 25 KG", "Stavebniny Žilina")
"""Text of the owner's rows that must never appear in an answer to another tenant."""

INSTALLATION_ROUTES = frozenset(
    {"/health", "/ready", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
)
"""Routes about the installation, not a tenant: they take no key and name no tenant's row."""
SIGN_IN_ROUTES = frozenset({"/login", "/logout", "/language"})
"""Workspace routes used before a tenant is known, or that touch only the browser's session."""


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    module: str

    @property
    def is_ui(self) -> bool:
        return self.module.startswith("nex_automat.web.ui.")

    def url(self, ids: dict[str, str]) -> str:
        """The path with every ``{parameter}`` replaced by the owner's id of that name."""
        return self.path.format(**ids)


def _endpoints(routes: list[Any]) -> Iterator[StarletteRoute]:
    """Routes with methods (static file mounts have none), included routers opened up."""
    for route in routes:
        if isinstance(route, StarletteRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _endpoints(route.original_router.routes)


def app_routes(app: FastAPI) -> list[Route]:
    """Every method and path the app answers, wherever its router was included."""
    return [
        Route(method, route.path, route.endpoint.__module__)
        for route in _endpoints(list(app.routes))
        for method in sorted((route.methods or set()) - {"HEAD"})
    ]


def path_parameters(path: str) -> set[str]:
    return {part.split("}")[0] for part in path.split("{")[1:]}


def seed_owner(services: Services) -> dict[str, str]:
    """Rows of every kind for :data:`OWNER`; returns parameter name → the owner's id.

    The names are those of path parameters and of form fields that carry ids.
    """
    with services.db.tenant_session(OWNER) as session:
        catalogue = seed_catalogue(session)
        record = matched_invoice(session, catalogue, number=INVOICE_NUMBER)
        delivery = ExportDelivery(
            invoice_id=record.id,
            connector="erp",
            format="isdoc",
            state=DeliveryState.FAILED,
            attempts=3,
            last_error="the ERP folder is missing",
        )
        session.add(delivery)
        failed = add_pdf(session, b"%PDF-broken acme")
        set_document_state(
            session,
            failed,
            DocumentState.FAILED,
            error_code="unreadable_pdf",
            error_message="the PDF could not be opened",
        )
        session.flush()
        ids = {
            "invoice_id": record.id,
            "line_id": str(record.lines[0].id),
            "number": "1",
            "delivery_id": str(delivery.id),
            "document_id": failed.id,
            "product_id": str(catalogue.cement25),
            "group_id": str(catalogue.cement_group),
            "partner_id": str(catalogue.partner),
        }
    with services.db.session() as session:
        user = create_user(
            session,
            tenant_id=OWNER,
            username=OWNER_USER,
            password=OWNER_PASSWORD,
            role=Role.ADMIN,
        )
        key = create_api_key(session, OWNER, "erp").record
        ids |= {"user_id": user.id, "key_id": str(key.id)}
    upload = io.BytesIO(b"code;name\n10009;CEMENT PC 25 KG\n")
    ids["token"] = store_upload(services.settings.data_dir, OWNER, "products.csv", upload)
    return ids


def owner_rows(services: Services) -> dict[str, list[dict[str, Any]]]:
    """Every row of every tenant-owned table of :data:`OWNER`, column by column."""
    rows: dict[str, list[dict[str, Any]]] = {}
    with services.db.tenant_session(OWNER) as session:
        for mapper in Base.registry.mappers:
            model = mapper.class_
            if not issubclass(model, TenantOwned):
                continue
            columns = [attribute.key for attribute in inspect(model).column_attrs]
            found = session.scalars(select(model)).all()
            rows[model.__tablename__] = sorted(
                ({name: getattr(row, name) for name in columns} for row in found), key=repr
            )
    return rows


def leaked(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]
