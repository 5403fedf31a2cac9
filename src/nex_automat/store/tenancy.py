"""Tenant scoping, in one place.

A session bound to a tenant (``session.info["tenant_id"]``) gets ``tenant_id == X`` added
to every ORM SELECT, UPDATE and DELETE on a tenant-owned model, including relationship
loads, and has ``tenant_id`` set on every new row; flushing a row that belongs to another
tenant is refused. Code above the store therefore cannot forget the filter: a query
without one still sees only its own tenant's rows.

Sessions without a tenant (``Database.session()``) are for work that spans tenants:
creating tenants, authenticating an API key, claiming jobs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, with_loader_criteria

from nex_automat.errors import NexError
from nex_automat.store.models import Tenant, TenantOwned

_TENANT_KEY = "tenant_id"


class CrossTenantWrite(NexError):
    """A tenant session tried to write a row of another tenant."""

    code = "cross_tenant_write"


class TenantRequired(NexError):
    """An operation that belongs to one tenant was given a session bound to none."""

    code = "tenant_required"


def bind_tenant(session: Session, tenant_id: str) -> None:
    session.info[_TENANT_KEY] = tenant_id


def session_tenant(session: Session) -> str | None:
    return session.info.get(_TENANT_KEY)


def require_tenant(session: Session) -> str:
    tenant_id = session_tenant(session)
    if tenant_id is None:
        raise TenantRequired("this operation needs a session bound to a tenant")
    return tenant_id


def _scope_statement(state: ORMExecuteState) -> None:
    tenant_id = session_tenant(state.session)
    if tenant_id is None or state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantOwned,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
        ),
        with_loader_criteria(Tenant, lambda cls: cls.id == tenant_id, include_aliases=True),
    )


def _guard_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    tenant_id = session_tenant(session)
    if tenant_id is None:
        return
    for obj in session.new:
        if isinstance(obj, TenantOwned):
            if obj.tenant_id is None:
                obj.tenant_id = tenant_id
            elif obj.tenant_id != tenant_id:
                raise CrossTenantWrite(
                    f"{type(obj).__name__} of tenant {obj.tenant_id!r} "
                    f"in a session of tenant {tenant_id!r}"
                )
        elif isinstance(obj, Tenant):
            raise CrossTenantWrite("a tenant session cannot create tenants")
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, TenantOwned) and obj.tenant_id != tenant_id:
            raise CrossTenantWrite(
                f"{type(obj).__name__} moved to tenant {obj.tenant_id!r} "
                f"in a session of tenant {tenant_id!r}"
            )


def install(session_class: type[Session]) -> None:
    """Attach the scoping to every session made by ``session_class``."""
    if not event.contains(session_class, "do_orm_execute", _scope_statement):
        event.listen(session_class, "do_orm_execute", _scope_statement)
        event.listen(session_class, "before_flush", _guard_flush)
