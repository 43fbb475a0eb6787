"""LMS credentials: a public username and a long random secret, kept as a SHA-256 digest.

The secret has 256 bits of entropy, so a fast hash is as safe as a password hasher here and costs
microseconds instead of ~50 ms per request; the comparison is constant-time.
"""

import hashlib
import hmac
import secrets


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_credentials() -> tuple[str, str]:
    """A fresh (username, secret) pair; store ``digest_of(secret)``, show the secret once."""
    return f"lms-{secrets.token_hex(8)}", secrets.token_urlsafe(32)


def secret_matches(secret: str, digest: str) -> bool:
    return hmac.compare_digest(digest_of(secret), digest)
