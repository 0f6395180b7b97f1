"""The witness's answers (C2SP tlog-witness), on its own: a folder, a key, a trusted log key.
Every refusal the protocol names: 400 malformed or old > size, 403 bad log signature, 404
unknown origin, 409 old size mismatch (with text/x.tlog.size) and same size with another root,
422 a consistency proof that does not verify; and the state survives a restart."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from domain.ledger import merkle
from domain.ledger.note import (
    COSIGNATURE_V1,
    ED25519,
    AddCheckpoint,
    Checkpoint,
    Note,
    parse_note,
    parse_signature_lines,
)
from infra.tlog.keys import generate, verify_cosignature
from services.witness import Witness

LOG = generate("sujarit.test", ED25519)
ORIGIN = "sujarit.test/p/6470101"
LEAVES = [hashlib.sha256(bytes([i])).digest() for i in range(20)]
NODES = merkle.all_nodes(LEAVES)


def _note(size: int, leaves: list[bytes] = LEAVES, signer=LOG, origin: str = ORIGIN) -> Note:  # type: ignore[no-untyped-def]
    text = Checkpoint(origin, size, merkle.mth(leaves[:size])).text()
    return Note(text, (signer.sign_note(text),))


def _proof(old: int, new: int, nodes: dict = NODES) -> tuple[bytes, ...]:  # type: ignore[type-arg]
    return tuple(merkle.hashes_of(merkle.consistency_ranges(old, new), nodes.__getitem__))


def _add(w: Witness, old: int, new: int, **kw: object) -> tuple[int, str, str]:
    note = kw.pop("note", None) or _note(new)
    proof = kw.pop("proof", None)
    if proof is None:
        proof = _proof(old, new) if old else ()
    r = w.add_checkpoint(AddCheckpoint(old, proof, note).body())  # type: ignore[arg-type]
    return r.status, r.body, r.content_type


def test_cosigns_only_what_extends_what_it_saw(tmp_path: Path) -> None:
    w = Witness(tmp_path, "witness.test/w", [LOG.verifier])
    status, body, _ = _add(w, 0, 5)
    assert status == 200
    (sig,) = parse_signature_lines(body)
    assert verify_cosignature(w.signer.verifier, Note(_note(5).text, (sig,))) is not None
    assert w.signer.verifier.kind == COSIGNATURE_V1
    # the next one extends it: cosigned
    assert _add(w, 5, 12)[0] == 200
    # a client with a stale size: 409 with the witness's size
    status, body, ctype = _add(w, 5, 14)
    assert (status, body, ctype) == (409, "12\n", "text/x.tlog.size")
    # the same size again, same root: cosigned; another root: 409 and written down
    assert _add(w, 12, 12, proof=())[0] == 200
    forked = [*LEAVES[:3], b"rewritten".ljust(32, b"."), *LEAVES[4:]]
    status, _, _ = _add(w, 12, 12, note=_note(12, forked), proof=())
    assert status == 409
    # a rewritten history: its consistency proof fails: 422, written down, nothing cosigned
    fnodes = merkle.all_nodes(forked)
    status, _, _ = _add(w, 12, 16, note=_note(16, forked), proof=_proof(12, 16, fnodes))
    assert status == 422
    refusals = [json.loads(x) for x in (tmp_path / "refusals.jsonl").read_text().splitlines()]
    assert [r["status"] for r in refusals] == [409, 422]
    # the state survives a restart (same key, same size)
    again = Witness(tmp_path, "witness.test/w", [LOG.verifier])
    assert again.signer.verifier == w.signer.verifier
    assert _add(again, 12, 16)[0] == 200


def test_requests_it_must_refuse(tmp_path: Path) -> None:
    w = Witness(tmp_path, "witness.test/w", [LOG.verifier])
    stranger = generate("sujarit.test", ED25519)  # same name, another key
    assert _add(w, 0, 3, note=_note(3, signer=stranger))[0] == 403
    other = generate("elsewhere.test", ED25519)
    assert _add(w, 0, 3, note=_note(3, signer=other, origin="elsewhere.test/p/1"))[0] == 404
    assert _add(w, 4, 3, proof=(bytes(32),))[0] == 400
    assert _add(w, 0, 3, proof=(bytes(32),))[0] == 400
    assert w.add_checkpoint("old 0\n\nnot a note").status == 400
    assert w.add_checkpoint("").status == 400
    # a note that claims the log's key name with a bad signature is 403
    n = _note(3)
    bad = Note(n.text.replace("\n3\n", "\n4\n"), n.signatures)
    assert _add(w, 0, 4, note=bad)[0] == 403
    assert parse_note(str(n)) == n
