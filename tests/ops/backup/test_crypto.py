"""The configuration's copy opens only with its key and only as it was written."""

from __future__ import annotations

import secrets

import pytest

from nex_automat.ops.backup.crypto import HEADER, seal, unseal
from nex_automat.ops.backup.errors import ConfigNotDecrypted

CONFIG = b"database_url: postgresql+psycopg://nex:tajne-heslo@db/nex\n"


def test_a_sealed_config_opens_with_its_key_and_hides_its_text() -> None:
    key = secrets.token_bytes(32)
    sealed = seal(key, CONFIG)
    assert sealed.startswith(HEADER)
    assert b"tajne-heslo" not in sealed
    assert unseal(key, sealed) == CONFIG


def test_sealing_twice_gives_different_bytes() -> None:
    key = secrets.token_bytes(32)
    assert seal(key, CONFIG) != seal(key, CONFIG)


def test_another_key_does_not_open_it() -> None:
    sealed = seal(secrets.token_bytes(32), CONFIG)
    with pytest.raises(ConfigNotDecrypted, match="different key"):
        unseal(secrets.token_bytes(32), sealed)


@pytest.mark.parametrize("position", [len(HEADER) - 1, len(HEADER) + 3, -1])
def test_any_changed_byte_is_refused(position: int) -> None:
    key = secrets.token_bytes(32)
    sealed = bytearray(seal(key, CONFIG))
    sealed[position] ^= 0x01
    with pytest.raises(ConfigNotDecrypted):
        unseal(key, bytes(sealed))
