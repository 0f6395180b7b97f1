"""GET /p/<code>/log/{checkpoint, keys, inclusion, consistency, record}: public, no sign-in.

Proofs for a given size never change: they are served with a year's ``Cache-Control``
(``immutable``) and an ``ETag``; a matching ``If-None-Match`` gets 304. The checkpoint changes
as the log grows: a short cache. Errors are problem+json (400 for a bad index or size, 404 for
an unknown LAO or a file not recorded).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, FromQuery, QueryParameter

from domain.ledger.merkle import ProofError
from domain.ledger.note import ED25519, NoteError
from infra.tlog.keys import load_or_create
from infra.tlog.witnesses import parse_witnesses
from services.api.caching import etag_of, not_modified
from services.api.problems import problem
from services.api.state import Services
from services.api.v1.common import PROBLEMS
from services.usecases import ledger_public as lp

FOREVER = "public, max-age=31536000, immutable"


@lru_cache(maxsize=4)
def log_verifier_key(path: Path, name: str) -> str:
    return str(load_or_create(path, name, ED25519).verifier)


def _json(request: Request[Any, Any, Any], body: dict[str, Any], cache: str) -> Response[Any]:
    text = json.dumps(body, separators=(",", ":"))
    headers = {"Cache-Control": cache, "ETag": etag_of(text), "Access-Control-Allow-Origin": "*"}
    return not_modified(request, headers["ETag"], headers) or Response(
        text, media_type=MediaType.JSON, headers=headers
    )


def _unknown(code: str) -> Response[Any]:
    return problem(404, "unknown-log", "ไม่พบองค์กรปกครองส่วนท้องถิ่นตามรหัสนี้", f"ไม่มีรหัส {code}")


def _bad(exc: Exception) -> Response[Any]:
    return problem(400, "invalid-proof-request", "คำขอหลักฐานไม่ถูกต้อง", str(exc))


async def _proof(
    request: Request[Any, Any, Any],
    code: str,
    read: Awaitable[dict[str, Any] | None],
    cache: str = FOREVER,
    refused: tuple[type[Exception], ...] = (ProofError,),
) -> Response[Any]:
    """What ``read`` finds in the log of ``code``, as cached JSON: 404 for an unknown LAO or
    nothing found (a file not recorded), 400 for a request the log ``refused``."""
    try:
        body = await read
    except lp.UnknownLog:
        return _unknown(code)
    except refused as exc:
        return _bad(exc)
    if body is None:
        return problem(
            404,
            "not-recorded",
            "ไม่พบเอกสารนี้ในบันทึกของ อปท.",
            "ไฟล์นี้ไม่ตรงกับเอกสารใดที่บันทึกไว้ (อาจถูกแก้ไข หรือเป็นเอกสารของ อปท. อื่น)",
        )
    return _json(request, body, cache)


class LogController(Controller):
    path = "/p/{code:str}/log"

    @get("/checkpoint", media_type=MediaType.TEXT, responses=PROBLEMS)
    async def checkpoint(self, code: FromPath[str], services: Dep[Services]) -> Response[Any]:
        """The latest signed checkpoint (C2SP tlog-checkpoint), with the witnesses'
        cosignatures (tlog-cosignature/v1)."""
        try:
            found = await lp.checkpoint(services.db, code)
        except lp.UnknownLog:
            return _unknown(code)
        if found is None:
            return problem(404, "no-checkpoint", "ยังไม่มีจุดตรวจสอบ (checkpoint) ของบันทึกนี้")
        return Response(
            found[1],
            media_type="text/plain; charset=utf-8",
            headers={"Cache-Control": "public, max-age=10", "Access-Control-Allow-Origin": "*"},
        )

    @get("/keys", responses=PROBLEMS)
    async def keys(
        self, code: FromPath[str], request: Request[Any, Any, Any], services: Dep[Services]
    ) -> Response[Any]:
        """The log's and the witnesses' verifier keys (signed-note form)."""
        s = services.settings
        try:
            async with lp.public(services.db, code):
                pass
        except lp.UnknownLog:
            return _unknown(code)
        body = {
            "log": log_verifier_key(s.log_key_path, s.log_origin_name),
            "witnesses": [str(w.key) for w in parse_witnesses(s.witnesses)],
        }
        return _json(request, body, "public, max-age=300")

    @get("/inclusion", responses=PROBLEMS)
    async def inclusion(
        self,
        code: FromPath[str],
        request: Request[Any, Any, Any],
        services: Dep[Services],
        index: FromQuery[int],
        size: FromQuery[int],
    ) -> Response[Any]:
        """RFC 9162 §2.1.3 inclusion proof of entry ``index`` (sequence - 1) in the tree of
        ``size`` entries; ``leaf`` is the entry's leaf input (the event's hash)."""
        return await _proof(request, code, lp.inclusion(services.db, code, index, size))

    @get("/consistency", responses=PROBLEMS)
    async def consistency(
        self,
        code: FromPath[str],
        request: Request[Any, Any, Any],
        services: Dep[Services],
        old: Annotated[int, QueryParameter(name="from")],
        new: Annotated[int, QueryParameter(name="to")],
    ) -> Response[Any]:
        """RFC 9162 §2.1.4 consistency proof from the tree of ``from`` entries to ``to``."""
        return await _proof(request, code, lp.consistency(services.db, code, old, new))

    @get("/record", responses=PROBLEMS)
    async def record(
        self,
        code: FromPath[str],
        request: Request[Any, Any, Any],
        services: Dep[Services],
        sha256: Annotated[str, QueryParameter(max_length=64)],
    ) -> Response[Any]:
        """The event that records a published file of this SHA-256: its sequence, previous
        hash and canonical text (whose SHA-256 after the previous hash is the leaf input)."""
        read = lp.record(services.db, code, sha256.lower())
        return await _proof(request, code, read, "public, max-age=3600", (ProofError, NoteError))
