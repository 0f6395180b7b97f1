"""C2SP signed notes, checkpoints and cosignatures: formats only (signing is in infra).

- signed-note: the text (lines ending in U+000A), an empty line, then signature lines
  ``— <key name> <base64(4-byte key id || signature)>``. The key id is
  ``SHA-256(name || 0x0A || type || public key)[:4]``; a verifier key is written
  ``<name>+<8 hex key id>+<base64(type || public key)>``. Type 0x01 is Ed25519 over the text.
- tlog-checkpoint: the text is ``<origin>\\n<size>\\n<base64 root>\\n`` (then extension lines).
- tlog-cosignature/v1 (type 0x04): Ed25519 over
  ``cosignature/v1\\ntime <seconds>\\n<checkpoint text>``; the signature line's bytes are
  ``key id || uint64 big-endian seconds || signature``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014"
MAX_SIGNATURES = 100
_NAME = re.compile(r"[^\s+]+")


class NoteError(ValueError):
    """A malformed note, checkpoint, key or signature line."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise NoteError(f"not base64: {text[:40]!r}") from exc


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise NoteError(f"a key name must be non-empty, without spaces or '+': {name!r}")
    return name


def key_id(name: str, kind: int, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([kind]) + public_key).digest()[:4]


@dataclass(frozen=True)
class VerifierKey:
    name: str
    kind: int
    public_key: bytes

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.kind, self.public_key)

    def __str__(self) -> str:
        return f"{self.name}+{self.id.hex()}+{b64(bytes([self.kind]) + self.public_key)}"


def parse_verifier_key(text: str) -> VerifierKey:
    name, sep, rest = text.strip().partition("+")
    hex_id, sep2, key = rest.partition("+")
    if not (sep and sep2) or not re.fullmatch(r"[0-9a-f]{8}", hex_id):
        raise NoteError("a verifier key is <name>+<8 hex digits>+<base64 key>")
    raw = unb64(key)
    if len(raw) != 33:
        raise NoteError("an Ed25519 verifier key holds a type byte and 32 key bytes")
    vk = VerifierKey(check_name(name), raw[0], raw[1:])
    if vk.kind not in (ED25519, COSIGNATURE_V1):
        raise NoteError(f"unknown key type {vk.kind:#04x}")
    if vk.id.hex() != hex_id:
        raise NoteError("the key id does not match the name and key")
    return vk


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    data: bytes  # after the key id: the signature (type 0x04: timestamp then signature)

    def line(self) -> str:
        return f"{DASH} {self.name} {b64(self.key_id + self.data)}\n"


@dataclass(frozen=True)
class Note:
    text: str
    signatures: tuple[Signature, ...] = field(default=())

    def __str__(self) -> str:
        return self.text + "\n" + "".join(s.line() for s in self.signatures)

    def with_signatures(self, *sigs: Signature) -> Note:
        known = {(s.name, s.key_id) for s in self.signatures}
        new = tuple(s for s in sigs if (s.name, s.key_id) not in known)
        return Note(self.text, self.signatures + new)


def check_text(text: str) -> str:
    if not text.endswith("\n") or "\n\n" in text or text.startswith("\n"):
        raise NoteError("a note's text is non-empty lines, each ending in a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("a note's text has no control characters but newlines")
    return text


def parse_signature_line(line: str) -> Signature:
    parts = line.split(" ")
    if len(parts) != 3 or parts[0] != DASH:
        raise NoteError(f"not a signature line: {line[:60]!r}")
    raw = unb64(parts[2])
    if len(raw) < 5:
        raise NoteError("a signature is a 4-byte key id and the signature")
    return Signature(check_name(parts[1]), raw[:4], raw[4:])


def parse_signature_lines(text: str) -> tuple[Signature, ...]:
    if text and not text.endswith("\n"):
        raise NoteError("each signature line ends in a newline")
    lines = text.split("\n")[:-1] if text else []
    if len(lines) > MAX_SIGNATURES:
        raise NoteError("too many signatures")
    return tuple(parse_signature_line(s) for s in lines)


def parse_note(text: str) -> Note:
    at = text.rfind("\n\n")
    if at < 0:
        raise NoteError("a signed note has its text, an empty line and signature lines")
    body, sigs = text[: at + 1], text[at + 2 :]
    return Note(check_text(body), parse_signature_lines(sigs))


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        return check_text(
            f"{self.origin}\n{self.size}\n{b64(self.root)}\n"
            + "".join(e + "\n" for e in self.extensions)
        )


def parse_checkpoint(text: str) -> Checkpoint:
    lines = check_text(text).split("\n")[:-1]
    if len(lines) < 3:
        raise NoteError("a checkpoint has an origin, a size and a root hash")
    origin, size, root = lines[:3]
    if not origin or not re.fullmatch(r"0|[1-9][0-9]{0,18}", size):
        raise NoteError("a checkpoint's size is a decimal number without leading zeros")
    raw = unb64(root)
    if len(raw) != 32:
        raise NoteError("a checkpoint's root is a 32-byte hash")
    return Checkpoint(origin, int(size), raw, tuple(lines[3:]))


def cosignature_message(timestamp: int, checkpoint_text: str) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode()


def cosignature_parts(sig: Signature) -> tuple[int, bytes]:
    """(timestamp, Ed25519 signature) of a cosignature/v1 signature."""
    if len(sig.data) != 8 + 64:
        raise NoteError("a cosignature is a timestamp and a 64-byte signature")
    return int.from_bytes(sig.data[:8], "big"), sig.data[8:]


# The body of a tlog-witness add-checkpoint request: "old <size>", proof lines, "", note.


@dataclass(frozen=True)
class AddCheckpoint:
    old_size: int
    proof: tuple[bytes, ...]
    note: Note

    def body(self) -> str:
        return (
            f"old {self.old_size}\n"
            + "".join(b64(p) + "\n" for p in self.proof)
            + "\n"
            + str(self.note)
        )


def parse_add_checkpoint(text: str) -> AddCheckpoint:
    head, sep, rest = text.partition("\n\n")
    if not sep:
        raise NoteError("the request is 'old <size>', proof lines, an empty line, a checkpoint")
    lines = head.split("\n")
    m = re.fullmatch(r"old (0|[1-9][0-9]{0,18})", lines[0])
    if not m:
        raise NoteError("the first line is 'old <size>'")
    if len(lines) - 1 > 63:
        raise NoteError("at most 63 consistency proof lines")
    proof = tuple(unb64(x) for x in lines[1:])
    if any(len(p) != 32 for p in proof):
        raise NoteError("each proof line is a 32-byte hash")
    return AddCheckpoint(int(m.group(1)), proof, parse_note(rest))
