"""``/admin``: the tenant's users and API keys, for administrators only.

Users: create (username, role, language — the tenant's unless another is chosen —,
initial password — typed and checked for strength, or generated), change role, reset
password, disable and enable. API keys: create and revoke. Every form is a POST with the
session's CSRF token, and every change is written to the audit log (entity ``user`` or
``api_key``) with the administrator as actor; secrets never are.

A new password or key is shown once, on the page that answers the POST (sent with
``no-store``), and exists nowhere else afterwards: the store keeps only its hash. Other
changes redirect back to ``/admin?done=…`` so a reload does not repeat them.

Disabling a user and revoking a key cannot be undone by accident, so each needs its
form's ``confirm`` box ticked (``required`` in the page, checked again here; no script).
Disabling a user or resetting its password ends its sessions at once. An administrator
cannot change their own role, disable themselves or reset their own password here, so
nobody locks the tenant out by a slip. Everything is looked up in the administrator's
tenant session: another tenant's user or key is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from nex_automat.store.apikeys import create_api_key, list_api_keys, revoke_api_key
from nex_automat.store.audit import record_audit
from nex_automat.store.db import StoreSession
from nex_automat.store.models import ApiKey, AuditEntry, Role, User
from nex_automat.store.users import (
    LANGUAGES,
    InvalidUsername,
    UsernameTaken,
    create_user,
    disable_user,
    find_user,
    list_users,
    set_password,
)
from nex_automat.web.deps import services_of
from nex_automat.web.ui.csrf import CsrfUser
from nex_automat.web.ui.errors import PageError
from nex_automat.web.ui.passwords import generate_password, password_problem
from nex_automat.web.ui.rendering import render
from nex_automat.web.ui.roles import Permission, requires
from nex_automat.web.ui.sessions import SignedIn

router = APIRouter(include_in_schema=False)

Admin = Annotated[SignedIn, Depends(requires(Permission.ADMIN))]

ROLES: tuple[Role, ...] = (Role.OPERATOR, Role.APPROVER, Role.ADMIN)
RECENT_CHANGES = 20
MAX_KEY_NAME = 200
ADMIN_ENTITIES = ("user", "api_key")

NOTICES: dict[str, str] = {
    "role": "admin.done_role",
    "disabled": "admin.done_disabled",
    "enabled": "admin.done_enabled",
    "revoked": "admin.done_revoked",
}
"""``?done=`` values a redirect after a POST can pass, and the notice each shows."""


@dataclass(frozen=True, slots=True)
class Secret:
    """A password or key to show once: what it is for, and the value."""

    message_key: str
    subject: str
    value: str


@dataclass(frozen=True, slots=True)
class NewUserForm:
    """What the create form showed last time, so a refused form keeps what was typed."""

    username: str = ""
    role: str = Role.OPERATOR.value
    language: str = LANGUAGES[0]
    errors: tuple[str, ...] = field(default=())


def _page(
    request: Request,
    user: SignedIn,
    *,
    secret: Secret | None = None,
    form: NewUserForm | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    with services_of(request).db.tenant_session(user.tenant_id) as session:
        users = list_users(session, user.tenant_id)
        keys = list_api_keys(session, user.tenant_id)
        changes = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity.in_(ADMIN_ENTITIES))
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .limit(RECENT_CHANGES)
            )
        )
    names = {person.id: person.username for person in users}
    names.update({str(key.id): key.name for key in keys})
    return render(
        request,
        "admin.html",
        user=user,
        status_code=status_code,
        users=users,
        keys=keys,
        changes=changes,
        names=names,
        roles=ROLES,
        secret=secret,
        form=form or NewUserForm(language=_tenant_language(request, user)),
        error=error,
        notice=NOTICES.get(request.query_params.get("done", "")),
    )


def _tenant_language(request: Request, user: SignedIn) -> str:
    """The language a new user of ``user``'s tenant starts with."""
    return services_of(request).settings.for_tenant(user.tenant_id).ui_language


def _done(what: str) -> RedirectResponse:
    return RedirectResponse(f"/admin?done={what}", status_code=303)


def _tenant_user(session: StoreSession, user_id: str) -> User:
    found = session.scalar(select(User).where(User.id == user_id))
    if found is None:
        raise PageError(404, "error.not_found")
    return found


def _not_yourself(admin: SignedIn, user_id: str) -> None:
    if admin.user_id == user_id:
        raise PageError(409, "admin.not_yourself")


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, user: Admin) -> Response:
    return _page(request, user)


# ------------------------------------------------------------------------------- users


def _new_user_problems(
    request: Request, username: str, password: str, role: str, language: str
) -> list[str]:
    problems: list[str] = []
    if role not in {r.value for r in ROLES} or language not in LANGUAGES:
        problems.append("admin.invalid_choice")
    if password:
        problem = password_problem(password, username)
        if problem is not None:
            problems.append(problem)
    with services_of(request).db.session() as session:
        if username.strip() and find_user(session, username) is not None:
            problems.append("admin.username_taken")
    return problems


@router.post("/admin/users", response_class=HTMLResponse)
def create_user_form(
    request: Request,
    admin: Admin,
    _: CsrfUser,
    *,
    username: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form()] = Role.OPERATOR.value,
    language: Annotated[str, Form()] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    language = language or _tenant_language(request, admin)
    form = NewUserForm(username=username.strip(), role=role, language=language)
    problems = _new_user_problems(request, username, password, role, language)
    initial = password or generate_password()
    name = ""
    if not problems:
        try:
            with services_of(request).db.tenant_session(admin.tenant_id) as session:
                created = create_user(
                    session,
                    tenant_id=admin.tenant_id,
                    username=username,
                    password=initial,
                    role=Role(role),
                    language=language,
                )
                record_audit(
                    session,
                    entity="user",
                    entity_id=created.id,
                    action="created",
                    actor=admin.username,
                    field="role",
                    new_value=created.role.value,
                )
                name = created.username
        except InvalidUsername:
            problems.append("admin.invalid_username")
        except (UsernameTaken, IntegrityError):
            problems.append("admin.username_taken")
    if problems:
        form = NewUserForm(form.username, form.role, form.language, errors=tuple(problems))
        return _page(request, admin, form=form, status_code=400)
    secret = Secret("admin.password_once", name, initial)
    return _page(request, admin, secret=secret, status_code=201)


@router.post("/admin/users/{user_id}/role")
def change_role(
    request: Request,
    user_id: str,
    admin: Admin,
    _: CsrfUser,
    role: Annotated[str, Form()] = "",
) -> Response:
    _not_yourself(admin, user_id)
    if role not in {r.value for r in ROLES}:
        raise PageError(400, "admin.invalid_choice")
    with services_of(request).db.tenant_session(admin.tenant_id) as session:
        person = _tenant_user(session, user_id)
        old = person.role
        if old != Role(role):
            person.role = Role(role)
            record_audit(
                session,
                entity="user",
                entity_id=person.id,
                action="role",
                actor=admin.username,
                field="role",
                old_value=old.value,
                new_value=role,
            )
    return _done("role")


@router.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
def reset_password(
    request: Request,
    user_id: str,
    admin: Admin,
    _: CsrfUser,
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    _not_yourself(admin, user_id)
    with services_of(request).db.tenant_session(admin.tenant_id) as session:
        person = _tenant_user(session, user_id)
        name = person.username
        problem = password_problem(password, name) if password else None
        new_password = password or generate_password()
        if problem is None:
            set_password(session, person, new_password)
            record_audit(
                session,
                entity="user",
                entity_id=person.id,
                action="password_reset",
                actor=admin.username,
            )
    if problem is not None:
        return _page(request, admin, error=problem, status_code=400)
    return _page(request, admin, secret=Secret("admin.password_once", name, new_password))


class _Unconfirmed(Exception):
    """A disable or revoke form came without its ``confirm`` box ticked; nothing changed."""


Confirm = Annotated[str, Form()]


def _unconfirmed(request: Request, admin: SignedIn) -> Response:
    return _page(request, admin, error="admin.confirm_needed", status_code=400)


def _set_disabled(
    request: Request, admin: SignedIn, user_id: str, disabled: bool, *, confirmed: bool = False
) -> None:
    _not_yourself(admin, user_id)
    with services_of(request).db.tenant_session(admin.tenant_id) as session:
        person = _tenant_user(session, user_id)
        if person.disabled == disabled:
            return
        if disabled and not confirmed:
            raise _Unconfirmed()
        if disabled:
            disable_user(session, person)
        else:
            person.disabled = False
        record_audit(
            session,
            entity="user",
            entity_id=person.id,
            action="disabled" if disabled else "enabled",
            actor=admin.username,
            field="disabled",
            old_value=str(not disabled).lower(),
            new_value=str(disabled).lower(),
        )


@router.post("/admin/users/{user_id}/disable")
def disable(
    request: Request, user_id: str, admin: Admin, _: CsrfUser, confirm: Confirm = ""
) -> Response:
    try:
        _set_disabled(request, admin, user_id, True, confirmed=confirm == "1")
    except _Unconfirmed:
        return _unconfirmed(request, admin)
    return _done("disabled")


@router.post("/admin/users/{user_id}/enable")
def enable(request: Request, user_id: str, admin: Admin, _: CsrfUser) -> Response:
    _set_disabled(request, admin, user_id, False)
    return _done("enabled")


# ---------------------------------------------------------------------------- API keys


@router.post("/admin/keys", response_class=HTMLResponse)
def create_key(
    request: Request,
    admin: Admin,
    _: CsrfUser,
    name: Annotated[str, Form(max_length=MAX_KEY_NAME)] = "",
) -> Response:
    label = name.strip()
    if not label:
        return _page(request, admin, error="admin.key_name_missing", status_code=400)
    with services_of(request).db.tenant_session(admin.tenant_id) as session:
        new = create_api_key(session, admin.tenant_id, label)
        record_audit(
            session,
            entity="api_key",
            entity_id=str(new.record.id),
            action="created",
            actor=admin.username,
            field="prefix",
            new_value=new.record.prefix,
        )
    return _page(
        request, admin, secret=Secret("admin.key_once", label, new.secret), status_code=201
    )


@router.post("/admin/keys/{key_id}/revoke")
def revoke_key(
    request: Request, key_id: int, admin: Admin, _: CsrfUser, confirm: Confirm = ""
) -> Response:
    try:
        _revoke(request, admin, key_id, confirmed=confirm == "1")
    except _Unconfirmed:
        return _unconfirmed(request, admin)
    return _done("revoked")


def _revoke(request: Request, admin: SignedIn, key_id: int, *, confirmed: bool) -> None:
    with services_of(request).db.tenant_session(admin.tenant_id) as session:
        key = session.scalar(select(ApiKey).where(ApiKey.id == key_id))
        if key is None:
            raise PageError(404, "error.not_found")
        if key.revoked_at is not None:
            return
        if not confirmed:
            raise _Unconfirmed()
        revoke_api_key(session, key.id)
        record_audit(
            session,
            entity="api_key",
            entity_id=str(key.id),
            action="revoked",
            actor=admin.username,
            field="prefix",
            old_value=key.prefix,
        )
