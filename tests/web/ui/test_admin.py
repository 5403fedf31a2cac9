"""The admin pages: users and API keys of the admin's tenant, every change audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from nex_automat.ops.config import TenantSettings
from nex_automat.store.apikeys import authenticate, create_api_key
from nex_automat.store.models import AuditEntry, Role, User
from nex_automat.store.users import find_user, verify_credentials
from nex_automat.web.ui.passwords import generate_password, password_problem
from tests.web.ui.conftest import PASSWORD, Browser, Workspace

CONFIRMED = {"confirm": "1"}
"""The ticked box a disable or revoke form must carry."""

_SECRET = re.compile(r"<code class=\"secret-value\" data-secret>([^<]+)</code>")


def shown_secret(html: str) -> str:
    found = _SECRET.search(html)
    assert found, html
    return found.group(1)


def user_id(workspace: Workspace, username: str) -> str:
    with workspace.services.db.session() as session:
        found = find_user(session, username)
        assert found is not None
        return found.id


def audit(workspace: Workspace, tenant: str = "acme") -> list[tuple[str, str, str, str | None]]:
    with workspace.services.db.tenant_session(tenant) as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.entity, e.action, e.actor, e.new_value) for e in entries]


def can_sign_in(workspace: Workspace, username: str, password: str) -> bool:
    with workspace.services.db.session() as session:
        return verify_credentials(session, username, password) is not None


@pytest.fixture
def admin(workspace: Workspace, signed_in) -> Browser:  # type: ignore[no-untyped-def]
    return signed_in("ada", Role.ADMIN)  # type: ignore[no-any-return]


def test_creating_a_user_shows_the_generated_password_once(
    workspace: Workspace, admin: Browser
) -> None:
    answer = admin.post_form("/admin/users", {"username": "Petra", "role": "approver"})
    assert answer.status_code == 201
    password = shown_secret(answer.text)
    assert password_problem(password, "petra") is None
    assert can_sign_in(workspace, "petra", password)
    assert password not in admin.get("/admin").text
    with workspace.services.db.session() as session:
        petra = find_user(session, "petra")
        assert petra is not None
        assert (petra.tenant_id, petra.role, petra.language) == ("acme", Role.APPROVER, "sk")
    assert ("user", "created", "ada", "approver") in audit(workspace)


def test_a_new_user_can_work_in_czech(workspace: Workspace, admin: Browser) -> None:
    form = admin.get("/admin").text
    assert re.search(r'<option value="cs"\s*>Česky</option>', form)
    answer = admin.post_form("/admin/users", {"username": "jana", "language": "cs"})
    assert answer.status_code == 201
    assert "<td>Česky</td>" in admin.get("/admin").text
    with workspace.services.db.session() as session:
        jana = find_user(session, "jana")
        assert jana is not None and jana.language == "cs"
    page = workspace.browser()
    page.sign_in("jana", shown_secret(answer.text))
    assert "Ke kontrole" in page.get("/invoices").text


def test_a_new_user_starts_in_the_tenants_language_until_choosing_another(
    workspace: Workspace, admin: Browser
) -> None:
    settings = workspace.services.settings
    workspace.services.settings = settings.model_copy(
        update={"tenants": {"acme": TenantSettings(language="en")}}
    )
    assert re.search(r'<option value="en"\s*selected>English</option>', admin.get("/admin").text)
    answer = admin.post_form("/admin/users", {"username": "petra"})
    assert answer.status_code == 201
    with workspace.services.db.session() as session:
        petra = find_user(session, "petra")
        assert petra is not None and petra.language == "en"

    browser = workspace.browser()
    browser.sign_in("petra", shown_secret(answer.text))
    assert '<html lang="en">' in browser.get("/invoices").text
    chosen = browser.post_form("/language", {"language": "sk", "next": "/invoices"})
    assert chosen.status_code == 303
    assert '<html lang="sk">' in browser.get("/invoices").text


def test_a_typed_initial_password_must_be_strong_enough(
    workspace: Workspace, admin: Browser
) -> None:
    weak = admin.post_form("/admin/users", {"username": "petra", "password": "aaaaaaaaaaaa"})
    assert weak.status_code == 400
    assert "Heslo musí obsahovať aspoň 6 rôznych znakov." in weak.text
    assert 'value="petra"' in weak.text
    short = admin.post_form("/admin/users", {"username": "petra", "password": "Kr4tke!"})
    assert "Heslo musí mať aspoň 10 znakov." in short.text
    with workspace.services.db.session() as session:
        assert find_user(session, "petra") is None
    strong = admin.post_form(
        "/admin/users", {"username": "petra", "password": "dlhe heslo 2024", "language": "en"}
    )
    assert strong.status_code == 201
    assert shown_secret(strong.text) == "dlhe heslo 2024"
    assert can_sign_in(workspace, "petra", "dlhe heslo 2024")


def test_a_username_of_another_tenant_is_taken_too(workspace: Workspace, admin: Browser) -> None:
    workspace.add_user("gustav", tenant="globex")
    answer = admin.post_form("/admin/users", {"username": "Gustav"})
    assert answer.status_code == 400
    assert "Toto používateľské meno už existuje." in answer.text


def test_changing_a_role_takes_effect_at_once_and_is_audited(
    workspace: Workspace, admin: Browser, signed_in
) -> None:  # type: ignore[no-untyped-def]
    olga = signed_in("olga", Role.OPERATOR)
    assert olga.get("/admin").status_code == 403
    answer = admin.post_form(f"/admin/users/{user_id(workspace, 'olga')}/role", {"role": "admin"})
    assert answer.status_code == 303
    assert "Rola bola zmenená." in admin.get(answer.headers["location"]).text
    assert olga.get("/admin").status_code == 200
    assert ("user", "role", "ada", "admin") in audit(workspace)


def test_resetting_a_password_ends_the_users_sessions(
    workspace: Workspace, admin: Browser, signed_in
) -> None:  # type: ignore[no-untyped-def]
    olga = signed_in("olga")
    answer = admin.post_form(f"/admin/users/{user_id(workspace, 'olga')}/password")
    assert answer.status_code == 200
    password = shown_secret(answer.text)
    assert olga.get("/invoices").status_code == 303
    assert not can_sign_in(workspace, "olga", PASSWORD)
    assert can_sign_in(workspace, "olga", password)
    assert ("user", "password_reset", "ada", None) in audit(workspace)
    assert all(password not in str(entry) for entry in audit(workspace))


def test_disabling_signs_the_user_out_and_enabling_lets_them_back(
    workspace: Workspace, admin: Browser, signed_in
) -> None:  # type: ignore[no-untyped-def]
    olga = signed_in("olga")
    olga_id = user_id(workspace, "olga")
    assert admin.post_form(f"/admin/users/{olga_id}/disable", CONFIRMED).status_code == 303
    assert olga.get("/invoices").status_code == 303
    assert not can_sign_in(workspace, "olga", PASSWORD)
    assert "zablokovaný" in admin.get("/admin").text
    assert admin.post_form(f"/admin/users/{olga_id}/enable").status_code == 303
    assert can_sign_in(workspace, "olga", PASSWORD)
    actions = [(entity, action) for entity, action, _, _ in audit(workspace)]
    assert actions == [("user", "disabled"), ("user", "enabled")]


def test_an_admin_cannot_demote_or_disable_themselves(workspace: Workspace, admin: Browser) -> None:
    own = user_id(workspace, "ada")
    assert admin.post_form(f"/admin/users/{own}/role", {"role": "operator"}).status_code == 409
    assert admin.post_form(f"/admin/users/{own}/disable", CONFIRMED).status_code == 409
    assert admin.post_form(f"/admin/users/{own}/password").status_code == 409
    assert can_sign_in(workspace, "ada", PASSWORD)
    assert audit(workspace) == []


def test_another_tenants_users_and_keys_are_out_of_reach(
    workspace: Workspace, admin: Browser
) -> None:
    workspace.add_user("gustav", Role.ADMIN, tenant="globex")
    with workspace.services.db.session() as session:
        key = create_api_key(session, "globex", "their key")
        key_id, secret = key.record.id, key.secret
    gustav = user_id(workspace, "gustav")
    page = admin.get("/admin").text
    assert "gustav" not in page
    assert "their key" not in page
    for url in (f"/admin/users/{gustav}/disable", f"/admin/users/{gustav}/password"):
        assert admin.post_form(url, CONFIRMED).status_code == 404
    assert admin.post_form(f"/admin/users/{gustav}/role", {"role": "operator"}).status_code == 404
    assert admin.post_form(f"/admin/keys/{key_id}/revoke", CONFIRMED).status_code == 404
    with workspace.services.db.session() as session:
        assert authenticate(session, secret) is not None
        assert session.scalar(select(User.role).where(User.id == gustav)) == Role.ADMIN


def test_an_api_key_is_shown_once_listed_by_prefix_and_revocable(
    workspace: Workspace, admin: Browser
) -> None:
    answer = admin.post_form("/admin/keys", {"name": "n8n"})
    assert answer.status_code == 201
    secret = shown_secret(answer.text)
    with workspace.services.db.session() as session:
        key = authenticate(session, secret)
        assert key is not None
        assert key.tenant_id == "acme"
        key_id, prefix = key.id, key.prefix
    page = admin.get("/admin").text
    assert secret not in page
    assert f"{prefix}…" in page
    assert admin.post_form(f"/admin/keys/{key_id}/revoke", CONFIRMED).status_code == 303
    with workspace.services.db.session() as session:
        assert authenticate(session, secret) is None
    assert "zrušený" in admin.get("/admin").text
    assert audit(workspace) == [
        ("api_key", "created", "ada", prefix),
        ("api_key", "revoked", "ada", None),
    ]


def test_disabling_and_revoking_need_the_confirm_box_ticked(
    workspace: Workspace, admin: Browser, signed_in
) -> None:  # type: ignore[no-untyped-def]
    olga = signed_in("olga")
    olga_id = user_id(workspace, "olga")
    with workspace.services.db.session() as session:
        key = create_api_key(session, "acme", "n8n")
        key_id, secret = key.record.id, key.secret
    page = admin.get("/admin").text
    boxes = re.findall(r'<input type="checkbox" name="confirm" value="1" required', page)
    assert len(boxes) == 2
    for url in (f"/admin/users/{olga_id}/disable", f"/admin/keys/{key_id}/revoke"):
        answer = admin.post_form(url, {"confirm": ""})
        assert answer.status_code == 400
        assert "potvrďte ju zaškrtnutím" in answer.text
    assert olga.get("/invoices").status_code == 200
    with workspace.services.db.session() as session:
        assert authenticate(session, secret) is not None
    assert audit(workspace) == []


def test_a_key_needs_a_name(admin: Browser) -> None:
    answer = admin.post_form("/admin/keys", {"name": "  "})
    assert answer.status_code == 400
    assert "Zadajte názov kľúča." in answer.text


@pytest.mark.parametrize(
    "url", ["/admin/users", "/admin/keys", "/admin/users/x/disable", "/admin/keys/1/revoke"]
)
def test_admin_forms_without_the_csrf_token_are_refused(
    workspace: Workspace, admin: Browser, url: str
) -> None:
    answer = admin.post(url, {"username": "mallory", "name": "stolen"})
    assert answer.status_code == 403
    with workspace.services.db.session() as session:
        assert find_user(session, "mallory") is None
    assert audit(workspace) == []


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.APPROVER])
def test_only_admins_may_change_users_or_keys(workspace: Workspace, signed_in, role: Role) -> None:  # type: ignore[no-untyped-def]
    browser = signed_in("eva", role)
    assert browser.post_form("/admin/users", {"username": "mallory"}).status_code == 403
    assert browser.post_form("/admin/keys", {"name": "stolen"}).status_code == 403
    promote = f"/admin/users/{user_id(workspace, 'eva')}/role"
    assert browser.post_form(promote, {"role": "admin"}).status_code == 403
    with workspace.services.db.session() as session:
        assert find_user(session, "mallory") is None
        eva = find_user(session, "eva")
        assert eva is not None
        assert eva.role == role


def test_the_admin_page_lists_recent_changes_by_name(workspace: Workspace, admin: Browser) -> None:
    admin.post_form("/admin/users", {"username": "petra"})
    page = admin.get("/admin").text
    assert "vytvorenie používateľa" in page
    assert "petra" in page


def test_generated_passwords_differ_and_pass_the_strength_rules() -> None:
    passwords = {generate_password() for _ in range(20)}
    assert len(passwords) == 20
    assert all(password_problem(p, "eva") is None for p in passwords)
    assert password_problem("eva-password-1", "Eva") == "admin.password_has_username"


def test_the_shown_once_secret_and_the_confirm_boxes_are_styled(admin: Browser) -> None:
    answer = admin.post_form("/admin/keys", {"name": "n8n"})
    assert 'class="secret-value"' in answer.text
    assert 'class="confirm-check"' in admin.get("/admin").text
    stylesheet = admin.get("/static/app.css")
    assert stylesheet.status_code == 200
    for rule in (".secret-value {", ".confirm-check {", "button.danger {"):
        assert rule in stylesheet.text
