"""Every workspace page and form, tried by another tenant's administrator with the owner's
ids, answers 404 or 403 and shows nothing of the owner.

The routes are enumerated from the app, so a page added later is covered without editing
this file; a new path parameter needs an id in :func:`tests.web.isolation.seed_owner`.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from nex_automat.store.models import Role
from tests.web.isolation import (
    OWNER_PASSWORD,
    OWNER_USER,
    SIGN_IN_ROUTES,
    Route,
    app_routes,
    leaked,
    owner_rows,
    path_parameters,
    seed_owner,
)
from tests.web.ui.conftest import Browser, Workspace

FORM = {
    "name": "Cement",
    "code": "99999",
    "unit": "ks",
    "vat_rate": "23",
    "q": "cement",
    "role": "approver",
    "password": "another long password",
    "confirm": "1",
    "reason": "wrong",
    "revision": "1",
    "language": "en",
    "back": "/admin/deliveries",
}
"""Plausible values of the forms' fields, so a form reaches the row its URL names."""
ID_FIELDS = ("product_id", "group_id", "partner_id")
"""Form fields naming rows: they get the owner's ids too."""


def ui_routes(workspace: Workspace) -> list[Route]:
    return [r for r in app_routes(workspace.app) if r.is_ui and r.path not in SIGN_IN_ROUTES]


def attempt(browser: Browser, route: Route, ids: dict[str, str]) -> httpx.Response:
    if route.method == "GET":
        return browser.get(route.url(ids))
    return browser.post_form(route.url(ids), FORM | {name: ids[name] for name in ID_FIELDS})


def test_the_workspace_has_routes_naming_every_kind_of_row(workspace: Workspace) -> None:
    named = set().union(*(path_parameters(r.path) for r in ui_routes(workspace)))
    assert {"document_id", "invoice_id", "line_id", "delivery_id", "user_id", "key_id"} <= named


def test_every_page_and_form_refuses_the_other_tenants_ids(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    ids = seed_owner(workspace.services)
    before = owner_rows(workspace.services)
    intruder = signed_in("gustav", Role.ADMIN, tenant="globex")
    for route in ui_routes(workspace):
        missing = path_parameters(route.path) - ids.keys()
        assert not missing, f"{route.path}: give the owner's id for {missing} in seed_owner"
        answer = attempt(intruder, route, ids)
        where = f"{route.method} {route.path}"
        assert not leaked(answer.text), where
        if path_parameters(route.path):
            assert answer.status_code in (403, 404), f"{where}: {answer.status_code}"
        else:
            assert answer.status_code < 500, f"{where}: {answer.status_code}"
    assert owner_rows(workspace.services) == before


def test_every_page_and_form_wants_a_signed_in_user(workspace: Workspace) -> None:
    ids = seed_owner(workspace.services)
    stranger = workspace.browser()
    for route in ui_routes(workspace):
        url = route.url(ids)
        answer = stranger.get(url) if route.method == "GET" else stranger.post(url)
        assert answer.status_code in (303, 401, 403), f"{route.method} {route.path}"
        assert not leaked(answer.text), f"{route.method} {route.path}"


def test_the_owners_administrator_reaches_the_same_rows(workspace: Workspace) -> None:
    """The ids the other tenant was refused are real: with them, the owner's requests get
    past the look-up (a page image alone is missing: the seeded document has no file)."""
    ids = seed_owner(workspace.services)
    owner = workspace.browser()
    assert owner.sign_in(OWNER_USER, OWNER_PASSWORD).status_code == 303
    naming = [r for r in ui_routes(workspace) if path_parameters(r.path)]
    not_found = {r.path for r in naming if attempt(owner, r, ids).status_code == 404}
    assert not_found == {"/invoices/{invoice_id}/pages/{number}.png"}
