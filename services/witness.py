"""``sujarit witness``: a C2SP tlog-witness with its own key and its own state.

It cosigns (tlog-cosignature/v1, Ed25519, with a timestamp) a checkpoint of a log it trusts
only if the checkpoint extends the last one it cosigned for that origin: the request names the
old size and carries an RFC 9162 consistency proof from it. Otherwise it refuses (409 with its
size, 422 for a proof that does not verify, 403 for a bad log signature, 404 for an unknown
log) and writes the refusal down. Its folder holds ``witness.key`` (made on first start, mode
0600), ``state.json`` (per origin: the size and root last cosigned; replaced atomically, under
a lock that also covers the check, as the protocol requires) and ``refusals.jsonl``.

Trusted logs: each ``--log-key`` verifier key; its origins are ``<key name>/p/<LAO code>``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from domain.ledger.merkle import verify_consistency
from domain.ledger.note import (
    COSIGNATURE_V1,
    NoteError,
    VerifierKey,
    b64,
    parse_add_checkpoint,
    parse_checkpoint,
    parse_verifier_key,
    unb64,
)
from infra.tlog.keys import Signer, load_or_create, verify_signature

MAX_BODY = 64 * 1024


@dataclass(frozen=True)
class Reply:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


class Witness:
    def __init__(self, folder: Path, name: str, logs: list[VerifierKey]) -> None:
        self.folder = folder
        self.signer: Signer = load_or_create(folder / "witness.key", name, COSIGNATURE_V1)
        self.logs = logs
        self.lock = threading.Lock()
        self.state_path = folder / "state.json"
        self.state: dict[str, dict[str, Any]] = (
            json.loads(self.state_path.read_text()) if self.state_path.exists() else {}
        )

    def _save(self) -> None:
        tmp = self.state_path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.state, f, sort_keys=True, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.state_path)

    def _refuse(self, status: int, origin: str, size: int, reason: str, body: str) -> Reply:
        entry = {"at": int(time.time()), "origin": origin, "size": size, "status": status}
        entry |= {"reason": reason, "request": body}
        with open(self.folder / "refusals.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return Reply(status, reason + "\n")

    def add_checkpoint(self, body: str) -> Reply:
        try:
            req = parse_add_checkpoint(body)
            cp = parse_checkpoint(req.note.text)
        except NoteError as exc:
            return Reply(400, f"malformed request: {exc}\n")
        keys = [k for k in self.logs if cp.origin.startswith(k.name + "/p/")]
        if not keys:
            return Reply(404, f"unknown log origin {cp.origin}\n")
        if not any(verify_signature(k, req.note) for k in keys):
            return self._refuse(403, cp.origin, cp.size, "no valid signature by the log", body)
        if req.old_size > cp.size:
            return Reply(400, "the old size is larger than the checkpoint's\n")
        if req.old_size == 0 and req.proof:
            return Reply(400, "a proof from size 0 must be empty\n")
        with self.lock:
            seen = self.state.get(cp.origin, {"size": 0, "root": ""})
            if req.old_size != seen["size"]:
                return Reply(409, f"{seen['size']}\n", "text/x.tlog.size")
            if req.old_size == cp.size and cp.size and unb64(seen["root"]) != cp.root:
                return self._refuse(
                    409, cp.origin, cp.size, "same size, another root: the log forked", body
                )
            if (
                req.old_size
                and req.old_size < cp.size
                and not verify_consistency(
                    req.old_size, cp.size, req.proof, unb64(seen["root"]), cp.root
                )
            ):
                return self._refuse(
                    422,
                    cp.origin,
                    cp.size,
                    f"not consistent with the checkpoint of size {seen['size']} cosigned before",
                    body,
                )
            self.state[cp.origin] = {"size": cp.size, "root": b64(cp.root)}
            self._save()
            sig = self.signer.cosign(req.note.text, int(time.time()))
        return Reply(200, sig.line())


def make_server(witness: Witness, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        server_version = "sujarit-witness"

        def _send(self, reply: Reply) -> None:
            data = reply.body.encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/add-checkpoint":
                return self._send(Reply(404, "not found\n"))
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self._send(Reply(400, "request too large\n"))
            try:
                body = self.rfile.read(length).decode("utf-8")
            except UnicodeDecodeError:
                return self._send(Reply(400, "not UTF-8\n"))
            self._send(witness.add_checkpoint(body))

        def do_GET(self) -> None:
            if self.path == "/key":
                return self._send(Reply(200, str(witness.signer.verifier) + "\n"))
            self._send(Reply(404, "not found\n"))

        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write(f"[witness {witness.signer.name}] {format % args}\n")

    return ThreadingHTTPServer((host, port), Handler)


def add_witness_parser(sub: Any) -> None:
    p = sub.add_parser("witness", help="run a transparency-log witness (C2SP tlog-witness)")
    p.add_argument("--data", required=True, help="its folder: key, state, refusals")
    p.add_argument("--name", default="witness.local", help="its name (in its key)")
    p.add_argument("--listen", default="127.0.0.1:8101", help="host:port")
    p.add_argument("--log-key", action="append", default=[], help="a trusted log's key")
    p.add_argument("--print-key", action="store_true", help="print its key and stop")
    p.set_defaults(fn=cmd_witness)


def cmd_witness(_: Any, args: argparse.Namespace) -> int:
    folder = Path(args.data)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        logs = [parse_verifier_key(k) for k in args.log_key]
    except NoteError as exc:
        print(f"--log-key: {exc}", file=sys.stderr)
        return 2
    witness = Witness(folder, args.name, logs)
    if args.print_key:
        print(witness.signer.verifier)
        return 0
    if not logs:
        print("give the key of at least one log to witness: --log-key", file=sys.stderr)
        return 2
    host, _, port = args.listen.rpartition(":")
    server = make_server(witness, host or "127.0.0.1", int(port))
    print(f"witness {witness.signer.verifier} listening on {args.listen}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
