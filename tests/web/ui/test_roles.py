"""Roles decide what a user may do; routes ask for permissions from one table."""

from __future__ import annotations

import pytest

from nex_automat.store.models import Role
from nex_automat.web.ui.roles import PERMISSIONS, Permission, allowed
from tests.web.ui.conftest import Workspace


def test_each_role_includes_the_one_below() -> None:
    assert PERMISSIONS[Role.OPERATOR] < PERMISSIONS[Role.APPROVER] < PERMISSIONS[Role.ADMIN]


def test_only_approvers_and_admins_approve() -> None:
    assert not allowed(Role.OPERATOR, Permission.APPROVE)
    assert allowed(Role.APPROVER, Permission.APPROVE)
    assert allowed(Role.ADMIN, Permission.APPROVE)


@pytest.mark.parametrize(
    ("role", "status"), [(Role.OPERATOR, 403), (Role.APPROVER, 403), (Role.ADMIN, 200)]
)
def test_the_admin_page_is_for_admins(
    workspace: Workspace,
    signed_in,
    role: Role,
    status: int,  # type: ignore[no-untyped-def]
) -> None:
    answer = signed_in("eva", role).get("/admin")
    assert answer.status_code == status
    if status == 403:
        assert "Na túto akciu nemáte oprávnenie." in answer.text


def test_the_admin_link_shows_only_for_admins(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/admin"' not in signed_in("olga", Role.OPERATOR).get("/invoices").text
    assert 'href="/admin"' in signed_in("adam", Role.ADMIN).get("/invoices").text
