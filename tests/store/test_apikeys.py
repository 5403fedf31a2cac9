"""API keys are shown once, stored only hashed, and stop working when revoked."""

from __future__ import annotations

from sqlalchemy import select, text, update

from nex_automat.store.apikeys import (
    authenticate,
    create_api_key,
    hash_key,
    list_api_keys,
    revoke_api_key,
)
from nex_automat.store.db import Database
from nex_automat.store.models import ApiKey, Tenant


def test_the_plain_key_is_never_stored(database: Database, tenants: tuple[str, str]) -> None:
    with database.session() as session:
        new = create_api_key(session, "acme", "n8n")
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM api_keys")).all()
    assert len(rows) == 1
    assert all(new.secret not in str(value) for value in rows[0])
    assert rows[0].key_hash == hash_key(new.secret)
    assert new.secret.startswith(rows[0].prefix)


def test_a_created_key_authenticates_as_its_tenant(
    database: Database, tenants: tuple[str, str]
) -> None:
    with database.session() as session:
        acme = create_api_key(session, "acme", "n8n")
        globex = create_api_key(session, "globex", "scanner")
    with database.session() as session:
        found = authenticate(session, acme.secret)
        assert found is not None and found.tenant_id == "acme"
        assert found.last_used_at is not None
        other = authenticate(session, globex.secret)
        assert other is not None and other.tenant_id == "globex"


def test_wrong_keys_fail(database: Database, tenants: tuple[str, str]) -> None:
    with database.session() as session:
        new = create_api_key(session, "acme", "n8n")
    tampered = new.secret[:-1] + ("A" if new.secret[-1] != "A" else "B")
    with database.session() as session:
        assert authenticate(session, tampered) is None
        assert authenticate(session, new.secret[:12]) is None
        assert authenticate(session, "") is None
        assert authenticate(session, "Bearer " + new.secret) is None


def test_a_revoked_key_fails(database: Database, tenants: tuple[str, str]) -> None:
    with database.session() as session:
        new = create_api_key(session, "acme", "n8n")
        keep = create_api_key(session, "acme", "other")
    with database.session() as session:
        revoked = revoke_api_key(session, new.record.id)
        assert revoked is not None and revoked.revoked_at is not None
    with database.session() as session:
        assert authenticate(session, new.secret) is None
        assert authenticate(session, keep.secret) is not None


def test_a_disabled_tenant_cannot_authenticate(
    database: Database, tenants: tuple[str, str]
) -> None:
    with database.session() as session:
        new = create_api_key(session, "acme", "n8n")
    with database.session() as session:
        session.execute(update(Tenant).where(Tenant.id == "acme").values(disabled=True))
    with database.session() as session:
        assert authenticate(session, new.secret) is None


def test_keys_are_listed_per_tenant_without_secrets(
    database: Database, tenants: tuple[str, str]
) -> None:
    with database.session() as session:
        create_api_key(session, "acme", "first")
        create_api_key(session, "acme", "second")
        create_api_key(session, "globex", "theirs")
    with database.session() as session:
        assert [k.name for k in list_api_keys(session, "acme")] == ["first", "second"]
        assert len(list_api_keys(session)) == 3
    with database.tenant_session("globex") as session:
        assert [k.name for k in session.scalars(select(ApiKey))] == ["theirs"]


def test_revoking_an_unknown_key_returns_none(database: Database, tenants: tuple[str, str]) -> None:
    with database.session() as session:
        assert revoke_api_key(session, 999) is None
