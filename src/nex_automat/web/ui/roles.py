"""What each role may do, as a table; routes ask for a permission, never for a role.

Operators check and correct invoices; approvers also approve and reject; admins also
manage users, API keys and settings. A new action adds a permission here and names it in
its route with :func:`requires`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from nex_automat.store.models import Role
from nex_automat.web.ui.errors import PageError
from nex_automat.web.ui.sessions import CurrentUser, SignedIn


class Permission(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    REPROCESS = "reprocess"
    APPROVE = "approve"
    ADMIN = "admin"


_OPERATOR = frozenset({Permission.VIEW, Permission.EDIT, Permission.REPROCESS})
_APPROVER = _OPERATOR | {Permission.APPROVE}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OPERATOR: _OPERATOR,
    Role.APPROVER: _APPROVER,
    Role.ADMIN: _APPROVER | {Permission.ADMIN},
}


def allowed(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


def requires(permission: Permission) -> Callable[[SignedIn], SignedIn]:
    """A dependency: the signed-in user, or a 403 page when the role lacks ``permission``."""

    def check(user: CurrentUser) -> SignedIn:
        if not allowed(user.role, permission):
            raise PageError(403, "error.forbidden")
        return user

    return check
