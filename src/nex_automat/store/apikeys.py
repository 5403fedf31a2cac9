"""API keys: shown once, stored only as a hash, checked in constant time.

A key is ``nex_`` + 32 random bytes (``secrets.token_urlsafe``). With that much entropy a
fast hash is right (no password stretching needed): the database holds the SHA-256 of the
whole key and its first characters (``prefix``), which users see to tell keys apart and
which narrows the look-up to one row before the hashes are compared.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from nex_automat.store.models import ApiKey, Tenant
from nex_automat.store.sqltypes import utcnow
from nex_automat.store.tenants import UnknownTenant

KEY_PREFIX = "nex_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is refreshed at most this often, so busy clients do not write per call."""


@dataclass(frozen=True, slots=True)
class NewApiKey:
    """A freshly created key: ``secret`` exists only here and is never stored."""

    record: ApiKey
    secret: str


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_api_key(session: Session, tenant_id: str, name: str) -> NewApiKey:
    if session.get(Tenant, tenant_id) is None:
        raise UnknownTenant(f"no tenant {tenant_id!r}")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiKey(
        tenant_id=tenant_id, name=name, prefix=secret[:PREFIX_LENGTH], key_hash=hash_key(secret)
    )
    session.add(record)
    session.flush()
    return NewApiKey(record=record, secret=secret)


def list_api_keys(session: Session, tenant_id: str | None = None) -> list[ApiKey]:
    query = select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)
    if tenant_id is not None:
        query = query.where(ApiKey.tenant_id == tenant_id)
    return list(session.scalars(query))


def revoke_api_key(session: Session, key_id: int) -> ApiKey | None:
    """Revoke a key (kept for the record); ``None`` when there is no such key."""
    record = session.get(ApiKey, key_id)
    if record is not None and record.revoked_at is None:
        record.revoked_at = utcnow()
        session.flush()
    return record


def authenticate(session: Session, secret: str) -> ApiKey | None:
    """The live key ``secret`` belongs to, or ``None``; its tenant must not be disabled."""
    if not secret.startswith(KEY_PREFIX) or len(secret) <= PREFIX_LENGTH:
        return None
    candidate_hash = hash_key(secret)
    query = (
        select(ApiKey)
        .join(Tenant, Tenant.id == ApiKey.tenant_id)
        .where(
            ApiKey.prefix == secret[:PREFIX_LENGTH],
            ApiKey.revoked_at.is_(None),
            Tenant.disabled.is_(False),
        )
    )
    match = None
    for record in session.scalars(query):
        if hmac.compare_digest(record.key_hash, candidate_hash):
            match = record
    now = utcnow()
    if match is not None and (
        match.last_used_at is None or now - match.last_used_at > LAST_USED_RESOLUTION
    ):
        match.last_used_at = now
        session.flush()
    return match
