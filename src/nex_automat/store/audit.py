"""The audit log: who changed what, and when, for every change a person or the system makes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from nex_automat.store.models import AuditEntry
from nex_automat.store.tenancy import require_tenant


def record_audit(
    session: Session,
    *,
    entity: str,
    entity_id: str,
    action: str,
    actor: str,
    field: str | None = None,
    old_value: str | None = None,
    new_value: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        tenant_id=require_tenant(session),
        entity=entity,
        entity_id=entity_id,
        action=action,
        actor=actor,
        field=field,
        old_value=old_value,
        new_value=new_value,
    )
    session.add(entry)
    return entry


def audit_trail(session: Session, entity: str, entity_id: str) -> list[AuditEntry]:
    """Entries for one entity, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(session.scalars(query))
