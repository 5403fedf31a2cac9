"""Passwords an administrator sets for someone else: generated, or checked for strength.

A generated password is 16 characters from an alphabet without look-alikes (no ``0/O``,
``1/l/I``), in groups of four so it can be read out and typed: about 90 bits. A typed one
must be at least the store's minimum length, use enough different characters, and not
contain the username; the first failing rule is reported as a catalogue key.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from nex_automat.store.users import MIN_PASSWORD_LENGTH

ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
GROUPS = 4
GROUP_LENGTH = 4
MIN_DISTINCT = 6

RULES: tuple[tuple[str, Callable[[str, str], bool]], ...] = (
    ("admin.password_short", lambda password, _: len(password) >= MIN_PASSWORD_LENGTH),
    ("admin.password_repetitive", lambda password, _: len(set(password)) >= MIN_DISTINCT),
    (
        "admin.password_has_username",
        lambda password, username: not username or username.lower() not in password.lower(),
    ),
)
"""(catalogue key of the complaint, the rule a strong enough password passes)."""


def generate_password() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join(groups)


def password_problem(password: str, username: str) -> str | None:
    """The catalogue key saying why ``password`` is too weak, or ``None`` when it will do."""
    for key, passes in RULES:
        if not passes(password, username):
            return key
    return None
