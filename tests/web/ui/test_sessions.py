"""Signing in and out: cookies, redirects, and sessions that end when they must."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from nex_automat.store.models import Role, User, UserSession
from nex_automat.store.sqltypes import utcnow
from nex_automat.store.users import disable_user, find_user
from nex_automat.web.app import create_app
from nex_automat.web.ui.sessions import SESSION_COOKIE
from tests.web.ui.conftest import Browser, Workspace


def test_a_page_without_a_session_redirects_to_sign_in_and_back(workspace: Workspace) -> None:
    answer = workspace.browser().get("/invoices?status=new")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Finvoices%3Fstatus%3Dnew"


def test_sign_in_sets_an_httponly_lax_session_cookie_and_returns_to_next(
    workspace: Workspace,
) -> None:
    workspace.add_user("eva")
    browser = workspace.browser()
    token = browser.login_token()
    answer = browser.post(
        "/login",
        {
            "username": "Eva",
            "password": "correct horse battery",
            "csrf_token": token,
            "next": "/invoices?status=new",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/invoices?status=new"
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie
    assert browser.get("/invoices").status_code == 200


def test_the_cookie_is_secure_when_the_installation_serves_https(workspace: Workspace) -> None:
    workspace.add_user("eva")
    settings = workspace.services.settings.model_copy(update={"secure_cookies": True})
    app = create_app(replace(workspace.services, settings=settings))
    browser = Browser(TestClient(app, base_url="https://testserver"))
    answer = browser.sign_in("eva")
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")
    )
    assert "Secure" in cookie


def test_wrong_password_and_unknown_user_get_the_same_answer(workspace: Workspace) -> None:
    workspace.add_user("eva")
    wrong_password = workspace.browser().sign_in("eva", "not the password")
    unknown_user = workspace.browser().sign_in("nobody", "not the password")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert "Nesprávne meno alebo heslo." in wrong_password.text
    assert "Nesprávne meno alebo heslo." in unknown_user.text
    assert SESSION_COOKIE not in wrong_password.headers.get("set-cookie", "")


def test_next_never_leads_off_the_site(workspace: Workspace) -> None:
    workspace.add_user("eva")
    browser = workspace.browser()
    token = browser.login_token()
    answer = browser.post(
        "/login",
        {
            "username": "eva",
            "password": "correct horse battery",
            "csrf_token": token,
            "next": "//evil.example/phish",
        },
    )
    assert answer.headers["location"] == "/"


def test_sign_out_kills_the_cookie_at_once(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    browser = signed_in("eva")
    secret = browser.client.cookies[SESSION_COOKIE]
    assert browser.post_form("/logout").headers["location"] == "/login"
    replay = workspace.browser()
    replay.client.cookies.set(SESSION_COOKIE, secret)
    assert replay.get("/invoices").status_code == 303


def test_disabling_a_user_ends_its_sessions(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    browser = signed_in("eva")
    with workspace.services.db.session() as session:
        user = find_user(session, "eva")
        assert user is not None
        disable_user(session, user)
    assert browser.get("/invoices").status_code == 303
    assert workspace.browser().sign_in("eva").status_code == 401


def test_an_expired_session_is_refused(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    browser = signed_in("eva")
    with workspace.services.db.session() as session:
        session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert browser.get("/invoices").status_code == 303


def test_a_planted_cookie_is_never_adopted(workspace: Workspace) -> None:
    workspace.add_user("eva", Role.APPROVER)
    browser = workspace.browser()
    browser.client.cookies.set(SESSION_COOKIE, "planted-by-someone-else")
    answer = browser.sign_in("eva")
    assert answer.status_code == 303
    assert answer.cookies[SESSION_COOKIE] != "planted-by-someone-else"
    with workspace.services.db.session() as session:
        assert session.query(UserSession).count() == 1
        assert session.query(User).one().last_login_at is not None
