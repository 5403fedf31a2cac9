"""The remembered state of alerts and recurring notices, by key.

One row per key (``low_disk``, ``mailbox:faktury``, ``summary:acme``): whether it is
active, since when, and when mail about it last went out. Read and written in sessions
over all tenants, because alerts are looked for across the whole installation at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from nex_automat.store.models import NotificationState


@dataclass(frozen=True, slots=True)
class AlertState:
    """What is remembered of one alert between checks (see :class:`NotificationState`)."""

    active: bool = False
    title: str | None = None
    since: datetime | None = None
    notified_at: datetime | None = None
    cleared_at: datetime | None = None
    resolved_pending: bool = False


@dataclass(frozen=True, slots=True)
class Remembered:
    key: str
    tenant_id: str | None
    state: AlertState


def _state(row: NotificationState) -> AlertState:
    return AlertState(
        active=row.active,
        title=row.title,
        since=row.since,
        notified_at=row.notified_at,
        cleared_at=row.cleared_at,
        resolved_pending=row.resolved_pending,
    )


def load_states(session: Session, prefix: str = "") -> dict[str, Remembered]:
    """Every remembered key starting with ``prefix``."""
    query = select(NotificationState)
    if prefix:
        query = query.where(NotificationState.key.startswith(prefix, autoescape=True))
    return {
        row.key: Remembered(row.key, row.tenant_id, _state(row)) for row in session.scalars(query)
    }


def save_state(session: Session, key: str, tenant_id: str | None, state: AlertState) -> None:
    """Remember ``state`` under ``key``, replacing what was remembered."""
    row = session.scalar(select(NotificationState).where(NotificationState.key == key))
    if row is None:
        row = NotificationState(key=key, tenant_id=tenant_id)
        session.add(row)
    row.tenant_id = tenant_id
    row.active = state.active
    row.title = state.title
    row.since = state.since
    row.notified_at = state.notified_at
    row.cleared_at = state.cleared_at
    row.resolved_pending = state.resolved_pending
    session.flush()
