"""Every POST of the workspace is refused (403) without its session's CSRF token."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from nex_automat.store.models import Role
from nex_automat.web.ui import ROUTERS
from tests.web.ui.conftest import Workspace

POST_PATHS = sorted(
    route.path.replace("{document_id}", "some-id")
    for router in ROUTERS
    for route in router.routes
    if isinstance(route, APIRoute) and "POST" in route.methods and route.path != "/login"
)


def test_the_workspace_has_post_forms_to_protect() -> None:
    assert {"/logout", "/language", "/documents/some-id/reprocess"} <= set(POST_PATHS)


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_post_without_the_sessions_token_is_refused(
    workspace: Workspace,
    signed_in,
    token: str | None,  # type: ignore[no-untyped-def]
) -> None:
    browser = signed_in("eva", Role.ADMIN)
    for path in POST_PATHS:
        data = {"language": "en"} if token is None else {"language": "en", "csrf_token": token}
        answer = browser.post(path, data)
        assert answer.status_code == 403, path
        assert "Formulár vypršal" in answer.text
    assert browser.get("/invoices").status_code == 200, "the refused logout did not sign out"


def test_another_sessions_token_is_refused(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    eva = signed_in("eva")
    jan = signed_in("jan")
    answer = eva.post("/language", {"language": "en", "csrf_token": jan.csrf()})
    assert answer.status_code == 403


def test_scripts_send_the_token_in_a_header(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    browser = signed_in("eva")
    answer = browser.post("/language", {"language": "en"}, headers={"X-CSRF-Token": browser.csrf()})
    assert answer.status_code == 303


def test_sign_in_without_the_forms_token_is_refused(workspace: Workspace) -> None:
    workspace.add_user("eva")
    browser = workspace.browser()
    browser.login_token()
    fields = {"username": "eva", "password": "correct horse battery"}
    assert browser.post("/login", fields).status_code == 403
    assert browser.post("/login", {**fields, "csrf_token": "forged"}).status_code == 403


def test_sign_in_from_a_browser_that_never_saw_the_form_is_refused(
    workspace: Workspace,
) -> None:
    workspace.add_user("eva")
    token = workspace.browser().login_token()
    stranger = workspace.browser()
    answer = stranger.post(
        "/login", {"username": "eva", "password": "correct horse battery", "csrf_token": token}
    )
    assert answer.status_code == 403
