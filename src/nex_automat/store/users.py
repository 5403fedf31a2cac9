"""People who sign in to the review workspace, and their sessions.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, which follow RFC
9106's recommendation). Checking a password for a username that does not exist still
verifies against a fixed dummy hash, so the time an answer takes does not tell which
usernames exist. Usernames are unique in the whole installation (case-insensitively:
they are stored lower-cased), so the sign-in form needs no tenant field; every user
belongs to exactly one tenant and sees only it.

A session is a row: signing out, disabling the user or its tenant ends it at once. The
browser holds a random secret; the row's id is the secret's SHA-256, so a copy of the
table signs no one in. Each session carries its own CSRF token for the forms it shows.

Functions here work across tenants and take a plain ``Database.session()``: a sign-in
happens before the tenant is known.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from nex_automat.errors import NexError
from nex_automat.store.models import Role, Tenant, User, UserSession
from nex_automat.store.sqltypes import utcnow
from nex_automat.store.tenants import UnknownTenant, tenant_is_active

LANGUAGES: tuple[str, ...] = ("sk", "cs", "en")
"""UI languages (Slovak, Czech, English), the default first."""
MIN_PASSWORD_LENGTH = 10
SEEN_RESOLUTION = timedelta(minutes=1)
"""``last_seen_at`` is refreshed at most this often, so page views do not each write."""

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,99}")
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so the answer takes as long.

    Made on first use: hashing costs ~0.1 s, which every command would pay at start.
    """
    return _hasher.hash(secrets.token_urlsafe(16))


class InvalidUsername(NexError):
    code = "invalid_username"


class UsernameTaken(NexError):
    code = "username_taken"


class WeakPassword(NexError):
    code = "weak_password"


class UnsupportedLanguage(NexError):
    code = "unsupported_language"


@dataclass(frozen=True, slots=True)
class NewSession:
    """A fresh session: ``secret`` goes into the cookie and exists only here."""

    record: UserSession
    secret: str


def normalise_username(username: str) -> str:
    return username.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise UnsupportedLanguage(f"language must be one of {', '.join(LANGUAGES)}: {language!r}")
    return language


def create_user(
    session: Session,
    *,
    tenant_id: str,
    username: str,
    password: str,
    role: Role,
    language: str = LANGUAGES[0],
) -> User:
    name = normalise_username(username)
    if not _USERNAME.fullmatch(name):
        raise InvalidUsername(
            "a username is 2–100 letters, digits, '.', '_', '@' or '-', "
            f"starting with a letter or digit: {username!r}"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.get(Tenant, tenant_id) is None:
        raise UnknownTenant(f"no tenant {tenant_id!r}")
    if find_user(session, name) is not None:
        raise UsernameTaken(f"username {name!r} is taken")
    user = User(
        tenant_id=tenant_id,
        username=name,
        role=Role(role),
        password_hash=hash_password(password),
        language=_check_language(language),
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == normalise_username(username)))


def list_users(session: Session, tenant_id: str) -> list[User]:
    return list(
        session.scalars(select(User).where(User.tenant_id == tenant_id).order_by(User.username))
    )


def verify_credentials(session: Session, username: str, password: str) -> User | None:
    """The user, when the password is right and neither it nor its tenant is disabled.

    Always runs one argon2 verification, whether the user exists or not.
    """
    user = find_user(session, username)
    try:
        _hasher.verify(_dummy_hash() if user is None else user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled or not tenant_is_active(session, user.tenant_id):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Change the password and end every session of the user."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
    end_user_sessions(session, user.id)


def set_language(session: Session, user: User, language: str) -> None:
    user.language = _check_language(language)
    session.flush()


def disable_user(session: Session, user: User) -> None:
    """Refuse the user's sign-ins from now on, ending the sessions it has."""
    user.disabled = True
    end_user_sessions(session, user.id)


# ---------------------------------------------------------------------------- sessions


def _session_id(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start_session(session: Session, user: User, *, lifetime: timedelta) -> NewSession:
    """A new session for ``user``, who just proved who they are."""
    now = utcnow()
    secret = secrets.token_urlsafe(32)
    record = UserSession(
        id=_session_id(secret),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + lifetime,
        last_seen_at=now,
    )
    user.last_login_at = now
    session.add(record)
    session.flush()
    return NewSession(record=record, secret=secret)


def live_session(session: Session, secret: str) -> tuple[UserSession, User] | None:
    """The session the cookie's ``secret`` opens, with its user, while all are still valid."""
    if not secret:
        return None
    record = session.get(UserSession, _session_id(secret))
    if record is None:
        return None
    now = utcnow()
    user = session.get(User, record.user_id)
    if (
        record.expires_at <= now
        or user is None
        or user.disabled
        or not tenant_is_active(session, user.tenant_id)
    ):
        session.delete(record)
        session.flush()
        return None
    if now - record.last_seen_at > SEEN_RESOLUTION:
        record.last_seen_at = now
        session.flush()
    return record, user


def end_session(session: Session, secret: str) -> None:
    session.execute(delete(UserSession).where(UserSession.id == _session_id(secret)))


def end_user_sessions(session: Session, user_id: str) -> None:
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    session.flush()


def purge_expired_sessions(session: Session) -> int:
    """Delete sessions past their expiry; returns how many."""
    result = session.execute(delete(UserSession).where(UserSession.expires_at <= utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)
