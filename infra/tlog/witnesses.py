"""Talking to witnesses over C2SP tlog-witness (POST <prefix>/add-checkpoint)."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from dataclasses import dataclass

from domain.ledger.note import COSIGNATURE_V1, NoteError, VerifierKey, parse_verifier_key


@dataclass(frozen=True)
class Witness:
    url: str  # the submission prefix
    key: VerifierKey

    @property
    def name(self) -> str:
        return self.key.name


def parse_witnesses(entries: tuple[str, ...]) -> list[Witness]:
    """Settings' ``WITNESSES`` entries, each ``<url> <verifier key>``."""
    out = []
    for entry in entries:
        url, _, vkey = entry.strip().partition(" ")
        key = parse_verifier_key(vkey.strip())
        if key.kind != COSIGNATURE_V1 or not url.startswith(("http://", "https://")):
            raise NoteError(f"a witness is '<http(s) url> <cosignature/v1 key>': {entry!r}")
        out.append(Witness(url.rstrip("/"), key))
    return out


@dataclass(frozen=True)
class Answer:
    status: int  # 0: unreachable
    content_type: str
    body: str


def _post(url: str, body: bytes, timeout: float) -> Answer:
    req = urllib.request.Request(  # noqa: S310 (a configured http(s) URL, checked above)
        url, data=body, method="POST", headers={"Content-Type": "text/plain; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 (configured URL)
            return Answer(r.status, r.headers.get("Content-Type", ""), r.read().decode())
    except urllib.error.HTTPError as e:
        return Answer(e.code, e.headers.get("Content-Type", ""), e.read().decode(errors="replace"))
    except (urllib.error.URLError, OSError) as e:
        return Answer(0, "", str(e))


async def add_checkpoint(witness: Witness, body: str, wait: float = 10.0) -> Answer:
    return await asyncio.to_thread(
        _post, witness.url + "/add-checkpoint", body.encode("utf-8"), wait
    )
