"""Tenants: the companies one installation serves.

A disabled tenant keeps all its rows, but its API keys and users are refused and its
mailboxes, watched folders and catalogue syncs are not polled, until it is enabled again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nex_automat.errors import NexError
from nex_automat.store.db import Database
from nex_automat.store.models import ApiKey, Tenant, User

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


class InvalidTenantId(NexError):
    code = "invalid_tenant_id"


class TenantExists(NexError):
    code = "tenant_exists"


class UnknownTenant(NexError):
    code = "unknown_tenant"


def check_tenant_id(tenant_id: str) -> str:
    """``tenant_id`` when it is a short slug (``acme``, ``stavmat-sk``), as paths and logs
    need; :class:`InvalidTenantId` otherwise."""
    if not _SLUG.fullmatch(tenant_id):
        raise InvalidTenantId(
            f"a tenant id is lower-case letters, digits, '-' and '_': {tenant_id!r}"
        )
    return tenant_id


def create_tenant(session: Session, tenant_id: str, name: str) -> Tenant:
    """``tenant_id`` is a short slug (``acme``, ``stavmat-sk``) used in paths and logs."""
    check_tenant_id(tenant_id)
    if session.get(Tenant, tenant_id) is not None:
        raise TenantExists(f"tenant {tenant_id!r} already exists")
    tenant = Tenant(id=tenant_id, name=name)
    session.add(tenant)
    session.flush()
    return tenant


def get_tenant(session: Session, tenant_id: str) -> Tenant | None:
    return session.get(Tenant, tenant_id)


def list_tenants(session: Session) -> list[Tenant]:
    return list(session.scalars(select(Tenant).order_by(Tenant.id)))


@dataclass(frozen=True, slots=True)
class TenantOverview:
    """A tenant with what signs in for it: enough to see who is set up and who is not."""

    tenant: Tenant
    users: int
    live_api_keys: int


def tenant_overviews(session: Session) -> list[TenantOverview]:
    """Every tenant with its count of users and of unrevoked API keys (a cross-tenant view)."""
    users = dict(
        session.execute(select(User.tenant_id, func.count()).group_by(User.tenant_id)).all()
    )
    keys = dict(
        session.execute(
            select(ApiKey.tenant_id, func.count())
            .where(ApiKey.revoked_at.is_(None))
            .group_by(ApiKey.tenant_id)
        ).all()
    )
    return [
        TenantOverview(tenant, users.get(tenant.id, 0), keys.get(tenant.id, 0))
        for tenant in list_tenants(session)
    ]


def set_tenant_disabled(session: Session, tenant_id: str, disabled: bool) -> Tenant:
    """Disable or enable a tenant; the change holds for the next request or poll."""
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise UnknownTenant(f"no tenant {tenant_id!r}")
    tenant.disabled = disabled
    session.flush()
    return tenant


def tenant_is_active(session: Session, tenant_id: str) -> bool:
    """Whether ``tenant_id`` exists and is not disabled: work for it may go on."""
    tenant = session.get(Tenant, tenant_id)
    return tenant is not None and not tenant.disabled


def accepts_work(db: Database, tenant_id: str) -> bool:
    """Whether pollers and scheduled tasks should fetch anything for ``tenant_id`` now."""
    with db.session() as session:
        return tenant_is_active(session, tenant_id)


def ensure_tenant(db: Database, tenant_id: str) -> None:
    """Create ``tenant_id`` unless it exists, so a fresh installation can take documents."""
    with db.session() as session:
        if get_tenant(session, tenant_id) is None:
            create_tenant(session, tenant_id, tenant_id)
