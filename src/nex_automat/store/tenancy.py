"""Tenant scoping, in one place.

A session bound to a tenant (``session.info["tenant_id"]``) gets ``tenant_id == X`` added
to every ORM SELECT, UPDATE and DELETE on a tenant-owned model, including relationship
loads, and has ``tenant_id`` set on every new row; flushing a row that belongs to another
tenant is refused. Bulk statements (on a tenant-owned table, or ORM bulk updates by primary
key) are held to the same: their UPDATE and DELETE get the filter, and an INSERT row of
another tenant is refused. Code above the store therefore cannot forget the filter: a
query without one still sees only its own tenant's rows.

Sessions without a tenant (``Database.session()``) are for work that spans tenants:
creating tenants, authenticating an API key, claiming jobs, looking for alerts. Alert
states may concern the whole installation, so they are not tenant-owned; a tenant session
still sees only those about its own tenant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, with_loader_criteria

from nex_automat.errors import NexError
from nex_automat.store.models import Base, NotificationState, Tenant, TenantOwned

_TENANT_KEY = "tenant_id"
_TENANT_TABLES = frozenset(
    mapper.local_table.name
    for mapper in Base.registry.mappers
    if issubclass(mapper.class_, TenantOwned)
)
"""Tables of the tenant-owned models: those bulk writes are checked on."""


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


def _tenant_table(statement: Any) -> Table | None:
    """The tenant-owned table an INSERT, UPDATE or DELETE writes, if it writes one."""
    table = getattr(statement, "table", None)
    if isinstance(table, Table) and table.name in _TENANT_TABLES:
        return table
    return None


def _guard_bulk_write(state: ORMExecuteState, tenant_id: str) -> None:
    """Writes the loader criteria miss — statements on the table rather than the model (the
    catalogue import's upserts) and ORM bulk updates by primary key — get the same rule: an
    UPDATE or DELETE touches only the session's tenant, and every row an INSERT is given
    must carry the session's tenant."""
    table = _tenant_table(state.statement)
    if table is None:
        return
    if state.is_update or state.is_delete:
        state.statement = state.statement.where(table.c.tenant_id == tenant_id)
        if isinstance(state.parameters, list):
            # An ORM bulk UPDATE by primary key: the loader criteria never reach it, and it
            # takes the added WHERE only without refreshing objects already loaded.
            state.update_execution_options(synchronize_session=None)
        return
    given = state.parameters
    rows = [] if given is None else [given] if isinstance(given, Mapping) else list(given)
    for row in rows:
        if row.get("tenant_id") != tenant_id:
            raise CrossTenantWrite(
                f"a row for {table.name} of tenant {row.get('tenant_id')!r} "
                f"in a session of tenant {tenant_id!r}"
            )


def _scope_statement(state: ORMExecuteState) -> None:
    tenant_id = session_tenant(state.session)
    if tenant_id is None or state.is_column_load:
        return
    if state.is_insert or state.is_update or state.is_delete:
        _guard_bulk_write(state, tenant_id)
    if not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantOwned,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
        ),
        with_loader_criteria(Tenant, lambda cls: cls.id == tenant_id, include_aliases=True),
        with_loader_criteria(
            NotificationState, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        ),
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
