"""``sujarit verify URL FILE``: check, from the public endpoints only, that FILE is a document
the LAO at URL (``https://<host>/p/<code>``) recorded, under a checkpoint signed by the log and
cosigned by its witnesses, and that the log still extends the checkpoint this verifier saw the
last time (kept in ``--state``, default ``~/.sujarit-verify``).

Exit codes: 0 verified; 1 not recorded / not verifiable; 3 the log is inconsistent with a
checkpoint seen before (it was rewritten), or a signature is wrong.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.ledger.merkle import verify_consistency, verify_inclusion
from domain.ledger.note import (
    Checkpoint,
    Note,
    NoteError,
    VerifierKey,
    parse_checkpoint,
    parse_note,
    parse_verifier_key,
    unb64,
)
from infra.tlog.keys import verify_cosignature, verify_signature

Fetch = Callable[[str], tuple[int, str]]


class Inconsistent(Exception):
    """The log does not extend a checkpoint seen before, or a signature is wrong."""


class NotVerified(Exception):
    """The file cannot be shown to be recorded."""


@dataclass
class Verified:
    origin: str
    size: int
    sequence: int
    event_type: str
    witnesses: list[str] = field(default_factory=list)
    previous: int | None = None
    notes: list[str] = field(default_factory=list)


def fetch_url(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:  # noqa: S310 (the user's URL)
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", errors="replace")


def _get(fetch: Fetch, url: str) -> str:
    status, body = fetch(url)
    if status != 200:
        raise NotVerified(f"GET {url}: HTTP {status}: {body[:200]}")
    return body


def log_base(url: str) -> str:
    m = re.match(r"^(https?://[^/]+/p/[0-9A-Za-z-]{3,20})(/.*)?$", url.strip())
    if not m:
        raise NotVerified("the address is the LAO's public page, e.g. https://host/p/6470101")
    return m.group(1)


def _state_file(state: Path, origin: str) -> Path:
    return state / (re.sub(r"[^0-9A-Za-z.-]", "_", origin) + ".checkpoint")


def check_checkpoint(
    fetch: Fetch,
    base: str,
    log_key: VerifierKey,
    witness_keys: list[VerifierKey],
    state: Path | None,
    out: Verified,
) -> tuple[Checkpoint, Note]:
    note = parse_note(_get(fetch, base + "/log/checkpoint"))
    if not verify_signature(log_key, note):
        raise Inconsistent("the checkpoint is not signed by the log's key")
    cp = parse_checkpoint(note.text)
    if not cp.origin.endswith("/p/" + base.rsplit("/", 1)[1]):
        raise Inconsistent(f"the checkpoint is of another log: {cp.origin}")
    for w in witness_keys:
        if verify_cosignature(w, note) is not None:
            out.witnesses.append(w.name)
    out.origin, out.size = cp.origin, cp.size
    if state is not None:
        path = _state_file(state, cp.origin)
        if path.exists():
            old = parse_checkpoint(path.read_text(encoding="utf-8"))
            out.previous = old.size
            if old.size > cp.size:
                raise Inconsistent(f"the log shrank from {old.size} to {cp.size} entries")
            proof = json.loads(_get(fetch, f"{base}/log/consistency?from={old.size}&to={cp.size}"))[
                "proof"
            ]
            if not verify_consistency(
                old.size, cp.size, [unb64(p) for p in proof], old.root, cp.root
            ):
                raise Inconsistent(
                    f"the log of size {cp.size} does not extend the checkpoint of size "
                    f"{old.size} seen before: its earlier entries were changed"
                )
        state.mkdir(parents=True, exist_ok=True)
        path.write_text(note.text, encoding="utf-8")
    return cp, note


def _contains(value: Any, sha: str) -> bool:
    if isinstance(value, dict):
        return any(_contains(v, sha) for v in value.values())
    if isinstance(value, list):
        return any(_contains(v, sha) for v in value)
    return bool(value == sha)


def verify_document(
    url: str,
    data: bytes,
    *,
    fetch: Fetch = fetch_url,
    log_key: str | None = None,
    witness_keys: list[str] | None = None,
    state: Path | None = None,
) -> Verified:
    base = log_base(url)
    out = Verified("", 0, 0, "")
    keys = json.loads(_get(fetch, base + "/log/keys"))
    if log_key is None:
        out.notes.append("the log's key was taken from the service itself (pin it: --log-key)")
    lk = parse_verifier_key(log_key or keys["log"])
    wks = [parse_verifier_key(k) for k in (witness_keys or keys["witnesses"])]
    cp, _ = check_checkpoint(fetch, base, lk, wks, state, out)
    sha = hashlib.sha256(data).hexdigest()
    status, body = fetch(f"{base}/log/record?sha256={sha}")
    if status == 404:
        raise NotVerified(f"no record of a file with SHA-256 {sha} in this LAO's log")
    if status != 200:
        raise NotVerified(f"the record could not be read: HTTP {status}")
    rec = json.loads(body)
    event = json.loads(rec["body"])
    if not _contains(event.get("data"), sha):
        raise Inconsistent("the record offered does not name this file")
    leaf = hashlib.sha256(unb64(rec["prev_hash"]) + rec["body"].encode("utf-8")).digest()
    index = int(rec["sequence"]) - 1
    if event.get("sequence") != rec["sequence"]:
        raise Inconsistent("the record's sequence differs from the event's")
    if index >= cp.size:
        raise NotVerified(
            f"the record (entry {rec['sequence']}) is newer than the checkpoint "
            f"({cp.size} entries): try again in a few minutes"
        )
    inc = json.loads(_get(fetch, f"{base}/log/inclusion?index={index}&size={cp.size}"))
    if unb64(inc["leaf"]) != leaf:
        raise Inconsistent("the log's entry differs from the record's event")
    if not verify_inclusion(index, cp.size, leaf, [unb64(p) for p in inc["proof"]], cp.root):
        raise Inconsistent("the inclusion proof does not lead to the checkpoint's root")
    out.sequence, out.event_type = rec["sequence"], rec["event_type"]
    return out


def add_verify_parser(sub: Any) -> None:
    p = sub.add_parser(
        "verify", help="check a published document against an LAO's public log (offline)"
    )
    p.add_argument("url", help="the LAO's public page, e.g. https://host/p/6470101")
    p.add_argument("file", help="the document (PDF) to check")
    p.add_argument("--log-key", help="the log's verifier key (default: as the service says)")
    p.add_argument("--witness-key", action="append", help="a witness's verifier key")
    p.add_argument("--state", default=str(Path.home() / ".sujarit-verify"))
    p.add_argument("--min-witnesses", type=int, default=1)
    p.set_defaults(fn=cmd_verify_document)


def cmd_verify_document(_: Any, args: argparse.Namespace) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 1
    try:
        v = verify_document(
            args.url,
            data,
            log_key=args.log_key,
            witness_keys=args.witness_key,
            state=Path(args.state),
        )
    except Inconsistent as exc:
        print(f"ไม่ผ่าน / FAILED: {exc}", file=sys.stderr)
        return 3
    except (NotVerified, NoteError, ValueError, KeyError, OSError) as exc:
        print(f"ตรวจสอบไม่ได้ / NOT VERIFIED: {exc}", file=sys.stderr)
        return 1
    for n in v.notes:
        print(f"note: {n}", file=sys.stderr)
    print(f"OK: {args.file} is entry {v.sequence} ({v.event_type}) of {v.origin}")
    print(f"    included in the checkpoint of {v.size} entries, signed by the log")
    print(f"    cosigned by {len(v.witnesses)} witness(es): {', '.join(v.witnesses) or '-'}")
    if v.previous is not None:
        print(f"    and consistent with the checkpoint of {v.previous} entries seen before")
    if len(v.witnesses) < args.min_witnesses:
        print(
            f"ตรวจสอบไม่ครบ / NOT ENOUGH WITNESSES: {len(v.witnesses)} < {args.min_witnesses}",
            file=sys.stderr,
        )
        return 1
    return 0
