"""``/admin``: the administrator's pages; for now the tenant's users, read-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from nex_automat.store.users import list_users
from nex_automat.web.deps import services_of
from nex_automat.web.ui.rendering import render
from nex_automat.web.ui.roles import Permission, requires
from nex_automat.web.ui.sessions import SignedIn

router = APIRouter(include_in_schema=False)


@router.get("/admin", response_class=HTMLResponse)
def admin_page(
    request: Request, user: Annotated[SignedIn, Depends(requires(Permission.ADMIN))]
) -> Response:
    with services_of(request).db.tenant_session(user.tenant_id) as session:
        users = list_users(session, user.tenant_id)
    return render(request, "admin.html", user=user, users=users)
