"""Ed25519 keys of signed notes (the log's key, a witness's key) and their verification.

A key file holds one line in the form of Go's golang.org/x/mod/sumdb/note signer keys:
``PRIVATE+KEY+<name>+<8 hex key id>+<base64(type || 32-byte seed)>``; type 0x01 for the log
(note signatures), 0x04 for a witness (tlog-cosignature/v1). ``load_or_create`` makes one, mode
0600, the first time it is asked for (never in the repository: under the data folder or where
settings say).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from domain.ledger.note import (
    COSIGNATURE_V1,
    ED25519,
    Note,
    NoteError,
    Signature,
    VerifierKey,
    b64,
    check_name,
    cosignature_message,
    cosignature_parts,
    key_id,
    unb64,
)


@dataclass(frozen=True)
class Signer:
    name: str
    kind: int
    private: Ed25519PrivateKey

    @property
    def public_key(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def verifier(self) -> VerifierKey:
        return VerifierKey(self.name, self.kind, self.public_key)

    def sign_note(self, text: str) -> Signature:
        """A type 0x01 signature of a note's text."""
        if self.kind != ED25519:
            raise NoteError("this key signs cosignatures, not notes")
        return Signature(
            self.name,
            key_id(self.name, self.kind, self.public_key),
            self.private.sign(text.encode()),
        )

    def cosign(self, checkpoint_text: str, timestamp: int) -> Signature:
        """A tlog-cosignature/v1 (type 0x04) of a checkpoint at ``timestamp`` (seconds)."""
        if self.kind != COSIGNATURE_V1:
            raise NoteError("this key signs notes, not cosignatures")
        sig = self.private.sign(cosignature_message(timestamp, checkpoint_text))
        return Signature(
            self.name,
            key_id(self.name, self.kind, self.public_key),
            timestamp.to_bytes(8, "big") + sig,
        )

    def secret(self) -> str:
        seed = self.private.private_bytes_raw()
        kid = key_id(self.name, self.kind, self.public_key).hex()
        return f"PRIVATE+KEY+{self.name}+{kid}+{b64(bytes([self.kind]) + seed)}"


def generate(name: str, kind: int = ED25519) -> Signer:
    return Signer(check_name(name), kind, Ed25519PrivateKey.generate())


def parse_signer(text: str) -> Signer:
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise NoteError("a signer key is PRIVATE+KEY+<name>+<key id>+<base64 key>")
    raw = unb64(parts[4])
    if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_V1):
        raise NoteError("a signer key holds a type byte and a 32-byte Ed25519 seed")
    signer = Signer(check_name(parts[2]), raw[0], Ed25519PrivateKey.from_private_bytes(raw[1:]))
    if signer.verifier.id.hex() != parts[3]:
        raise NoteError("the signer key's id does not match its name and key")
    return signer


def load_or_create(path: Path, name: str, kind: int) -> Signer:
    """The key in ``path``; a new one (written 0600) when the file does not exist yet."""
    if path.exists():
        return parse_signer(path.read_text(encoding="ascii"))
    signer = generate(name, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        time.sleep(0.05)
        return parse_signer(path.read_text(encoding="ascii"))
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(signer.secret() + "\n")
    return signer


def _public(vk: VerifierKey) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(vk.public_key)


def verify_signature(vk: VerifierKey, note: Note) -> bool:
    """Whether ``note`` carries a valid type 0x01 signature by ``vk``."""
    for s in note.signatures:
        if s.name == vk.name and s.key_id == vk.id and vk.kind == ED25519:
            try:
                _public(vk).verify(s.data, note.text.encode())
                return True
            except InvalidSignature:
                return False
    return False


def verify_cosignature(vk: VerifierKey, note: Note) -> int | None:
    """The timestamp of ``vk``'s valid cosignature on ``note`` (None: none, or invalid)."""
    for s in note.signatures:
        if s.name == vk.name and s.key_id == vk.id and vk.kind == COSIGNATURE_V1:
            try:
                ts, sig = cosignature_parts(s)
                _public(vk).verify(sig, cosignature_message(ts, note.text))
                return ts
            except (InvalidSignature, NoteError):
                return None
    return None
