"""Signed notes, checkpoints and cosignatures, checked against published vectors: the key and
note of Go's golang.org/x/mod/sumdb/note documentation, and the verifier key and note of the
C2SP signed-note specification's example."""

from __future__ import annotations

import pytest

from domain.ledger import note as n
from infra.tlog import keys

GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n\u2014 example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)


def test_go_signer_key_signs_the_published_note_byte_for_byte() -> None:
    signer = keys.parse_signer(GO_SKEY)
    assert str(signer.verifier) == GO_VKEY
    assert signer.secret() == GO_SKEY
    note = n.Note(GO_TEXT, (signer.sign_note(GO_TEXT),))
    assert str(note) == GO_NOTE


def test_published_notes_verify_and_tampered_ones_do_not() -> None:
    for vkey, text in ((GO_VKEY, GO_NOTE), (SPEC_VKEY, SPEC_NOTE)):
        vk = n.parse_verifier_key(vkey)
        note = n.parse_note(text)
        assert str(note) == text
        assert keys.verify_signature(vk, note)
        changed = n.Note(note.text.replace("a", "A", 1), note.signatures)
        assert not keys.verify_signature(vk, changed)


def test_verifier_keys_are_checked() -> None:
    with pytest.raises(n.NoteError):
        n.parse_verifier_key(SPEC_VKEY.replace("530d903a", "530d903b"))
    with pytest.raises(n.NoteError):
        n.parse_verifier_key("no-plus-signs")
    with pytest.raises(n.NoteError):
        keys.parse_signer(GO_SKEY.replace("c74f20a3", "c74f20a4"))


def test_checkpoint_round_trip_and_cosignature() -> None:
    log = keys.generate("sujarit.example", n.ED25519)
    witness = keys.generate("witness.example/w1", n.COSIGNATURE_V1)
    cp = n.Checkpoint("sujarit.example/p/6470101", 12, bytes(range(32)))
    text = cp.text()
    assert text == "sujarit.example/p/6470101\n12\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
    assert n.parse_checkpoint(text) == cp
    note = n.Note(text, (log.sign_note(text),))
    cosig = witness.cosign(text, 1_790_000_000)
    signed = n.parse_note(str(note.with_signatures(cosig)))
    assert keys.verify_signature(log.verifier, signed)
    assert keys.verify_cosignature(witness.verifier, signed) == 1_790_000_000
    # the cosignature covers the checkpoint: moved onto another one it fails
    other = n.Checkpoint(cp.origin, 13, cp.root).text()
    assert keys.verify_cosignature(witness.verifier, n.Note(other, (cosig,))) is None
    # a note key cannot cosign and a cosigning key cannot sign notes
    with pytest.raises(n.NoteError):
        log.cosign(text, 1)
    with pytest.raises(n.NoteError):
        witness.sign_note(text)


@pytest.mark.parametrize(
    "bad",
    [
        "origin\n012\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
        "origin\n12\nAAEC\n",
        "origin\n12\n",
        "origin\n12\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    ],
)
def test_malformed_checkpoints_are_refused(bad: str) -> None:
    with pytest.raises(n.NoteError):
        n.parse_checkpoint(bad)


def test_add_checkpoint_body_round_trip() -> None:
    log = keys.generate("sujarit.example", n.ED25519)
    text = n.Checkpoint("sujarit.example/p/1", 5, bytes(32)).text()
    req = n.AddCheckpoint(3, (bytes(32), bytes([1]) * 32), n.Note(text, (log.sign_note(text),)))
    assert n.parse_add_checkpoint(req.body()) == req
    with pytest.raises(n.NoteError):
        n.parse_add_checkpoint("old 01\n\n" + str(req.note))
