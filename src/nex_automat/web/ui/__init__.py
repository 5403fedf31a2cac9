"""The review workspace: server-rendered pages for the people who check invoices.

:func:`mount_ui` adds it to the API's FastAPI app: the page routes, ``/static`` and the
error handlers of pages. The modules, each with one job:

- ``sessions`` — who is signed in (:data:`~sessions.CurrentUser`);
- ``csrf`` — the token every POST must carry (:data:`~csrf.CsrfUser`);
- ``roles`` — which role may do what (``Depends(requires(Permission.X))``);
- ``ratelimit`` — login failures per username and address;
- ``i18n`` — the sk/en catalogues and number/date formats;
- ``rendering`` — Jinja2 (``web/templates``) and the headers of every page;
- ``errors`` — :class:`~errors.PageError` and the redirect to sign in;
- ``inbox`` — the inbox's URL state, status counts and failed documents;
- ``*_routes`` — the pages themselves (``export_routes``: XLSX/CSV downloads;
  ``matching_routes``: an invoice's catalogue matches and prices, and the product search;
  ``delivery_routes``: the hand-over to the ERP, its deliveries and retries;
  ``queue_routes``: the processing queue).

A new page: a router module with ``APIRouter(include_in_schema=False)``, its user from a
``requires(...)`` dependency (and :data:`~csrf.CsrfUser` on every POST), its queries in
``db.tenant_session(user.tenant_id)``, a template extending ``base.html`` whose strings are
all catalogue keys; then add the router to :data:`ROUTERS`. Where paths overlap, the fixed
one (``/invoices/export.xlsx``) comes before the pattern that would match it
(``/invoices/{invoice_id}``).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.routing import APIRouter
from fastapi.staticfiles import StaticFiles

from nex_automat.web.ui import (
    admin_routes,
    auth_routes,
    catalog_routes,
    delivery_routes,
    export_routes,
    inbox_routes,
    invoice_routes,
    matching_routes,
    queue_routes,
)
from nex_automat.web.ui.errors import NotSignedIn, PageError, login_redirect
from nex_automat.web.ui.rendering import STATIC_DIR, STATIC_PATH, render_error
from nex_automat.web.ui.state import UiState

ROUTERS: tuple[APIRouter, ...] = (
    auth_routes.router,
    inbox_routes.router,
    export_routes.router,
    invoice_routes.router,
    matching_routes.router,
    admin_routes.router,
    catalog_routes.router,
    delivery_routes.router,
    queue_routes.router,
)


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    return login_redirect(request)


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return render_error(request, exc.status_code, exc.message_key, exc.values)


def mount_ui(app: FastAPI, state: UiState | None = None) -> None:
    """Serve the workspace from ``app``; ``state`` replaces the in-memory defaults (tests)."""
    app.state.ui = state or UiState()
    for router in ROUTERS:
        app.include_router(router)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(PageError, _page_error)
