"""Secrets: password hashing (argon2id), random tokens and their stored digests."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

TOKEN_BYTES = 32
NONCE_BYTES = 12


class Passwords:
    """argon2id with the library's recommended parameters, or the cheapest ones for tests."""

    def __init__(self, *, cheap: bool = False) -> None:
        self._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST) if cheap else PasswordHasher()

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)

    def burn(self) -> None:
        """Spend the time of one verification, so an unknown e-mail answers as slowly as a known one."""
        self.verify(self._dummy, "not the password")

    @property
    def _dummy(self) -> str:
        if not hasattr(self, "_dummy_hash"):
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    """What is stored for a session id, API token or reset token: never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def keyed(secret: str, purpose: str, value: str) -> str:
    """An HMAC of ``value`` under the server secret: rows can be matched without storing the value,
    and without the secret nobody can test a guessed e-mail or address against them."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def short_code(length: int = 8) -> str:
    """An invite code a person can type: no 0/O or 1/I to confuse."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def seal(key: bytes, plain: bytes) -> bytes:
    """Encrypt and authenticate with AES-256-GCM under a 32-byte key: a fresh nonce, then the
    ciphertext with its tag."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plain, None)


def unseal(key: bytes, sealed: bytes) -> bytes | None:
    """The plain bytes, or None when the sealed bytes were altered or sealed under another key."""
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], None)
    except (InvalidTag, ValueError):
        return None
