"""Password hashing: argon2id at OWASP's parameters, off the event loop."""

from __future__ import annotations

import asyncio
import re
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from domain.tenancy.members import InvalidMember
from domain.tenancy.members import check_password as check_length

# OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
MEMORY_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1


# zxcvbn's score (0-4): 3 is "safely unguessable" (about 10^8 guesses and more) against its
# lists of common passwords, names, words and keyboard patterns.
MIN_SCORE = 3
WEAK = (
    "รหัสผ่านนี้เดาได้ง่าย: อยู่ในรายการรหัสผ่านที่ใช้กันมาก หรือเป็นคำ ตัวเลขเรียง แป้นพิมพ์เรียง"
    " หรือชื่อและอีเมลของคุณ กรุณาใช้วลีหลายคำที่คนอื่นเดาไม่ได้ เช่น ม้าลาย กินหญ้า ริมน้ำ"
    " หรือผสมคำที่ไม่เกี่ยวกัน"
)


def check_password(password: str, *known: str) -> None:
    """At least 12 characters (a passphrase of several words is the easy way), and not
    guessable: zxcvbn's score at least 3, with the person's own email and name as words an
    attacker would try first. Raises ``InvalidMember`` with a Thai reason."""
    check_length(password)
    hints = [k for k in known if k] + [w for k in known for w in re.split(r"[\W_]+", k) if w]
    if zxcvbn(password[:100], user_inputs=hints)["score"] < MIN_SCORE:
        raise InvalidMember(WEAK, field="password")


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
