"""Password hashing: argon2id at OWASP's parameters, off the event loop."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
MEMORY_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM, type=Type.ID
    )


@lru_cache(maxsize=1)
def _decoy() -> str:
    """A hash to verify against when the account is unknown: the same work, the same time."""
    return hasher().hash("not a password of anyone's")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(hasher().hash, password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return hasher().verify(stored or _decoy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored``; with no ``stored`` hash, spends the same
    time and says False (so an unknown address cannot be told from a wrong password)."""
    return await asyncio.to_thread(_verify, stored, password)


def needs_rehash(stored: str) -> bool:
    return hasher().check_needs_rehash(stored)
