"""Tenants: the companies one installation serves."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from nex_automat.errors import NexError
from nex_automat.store.models import Tenant

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


class InvalidTenantId(NexError):
    code = "invalid_tenant_id"


class TenantExists(NexError):
    code = "tenant_exists"


def create_tenant(session: Session, tenant_id: str, name: str) -> Tenant:
    """``tenant_id`` is a short slug (``acme``, ``stavmat-sk``) used in paths and logs."""
    if not _SLUG.fullmatch(tenant_id):
        raise InvalidTenantId(
            f"a tenant id is lower-case letters, digits, '-' and '_': {tenant_id!r}"
        )
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
