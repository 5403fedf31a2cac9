"""The configuration file's copy, sealed with AES-256-GCM.

The file may hold a database URL with its password, so it never leaves the machine in
the clear. Layout: an 8-byte header naming the format, a 12-byte random nonce, then the
ciphertext with its 16-byte tag; the header is authenticated too. A changed byte, or a
different key, fails to open rather than giving wrong bytes.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from nex_automat.ops.backup.errors import ConfigNotDecrypted

HEADER = b"NEXCFG1\n"
NONCE_BYTES = 12


def seal(key: bytes, plaintext: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return HEADER + nonce + AESGCM(key).encrypt(nonce, plaintext, HEADER)


def unseal(key: bytes, sealed: bytes) -> bytes:
    if not sealed.startswith(HEADER):
        raise ConfigNotDecrypted("the configuration copy is not in a format this version reads")
    nonce = sealed[len(HEADER) : len(HEADER) + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, sealed[len(HEADER) + NONCE_BYTES :], HEADER)
    except InvalidTag:
        raise ConfigNotDecrypted(
            "the configuration copy does not open with the configured backup key: "
            "a different key, or the file was changed"
        ) from None
