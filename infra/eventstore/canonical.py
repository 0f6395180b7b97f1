"""The canonical encoding that the hash chain covers.

Sorted keys, no spaces, UTF-8, NFC strings, decimals as strings, UTC times with microseconds.
Only JSON-native values survive a round trip through JSONB unchanged, so data is normalised to
them before it is stored and hashed; floats are refused (money is Decimal, counts are int).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

GENESIS = bytes(32)
JSONValue = Any


class NotCanonical(TypeError):
    """A value that cannot be stored as event data."""


def normalise(value: object) -> JSONValue:
    """The JSON-native, NFC form of ``value`` (what JSONB gives back)."""
    kind = type(value)  # the common exact types first; subclasses take the general path
    if kind is str:
        if "\x00" in value:  # type: ignore[operator]
            raise NotCanonical("text must not contain NUL characters")
        return unicodedata.normalize("NFC", value)  # type: ignore[arg-type]
    if kind is int:
        return value
    if kind is dict:
        out = {}
        for k, v in value.items():  # type: ignore[attr-defined]
            if not isinstance(k, str):
                raise NotCanonical(f"keys must be strings, not {type(k).__name__}")
            out[unicodedata.normalize("NFC", k)] = normalise(v)
        return out
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        if "\x00" in value:
            raise NotCanonical("text must not contain NUL characters")
        return unicodedata.normalize("NFC", value)
    if isinstance(value, float):
        raise NotCanonical("floats are not allowed in events: use Decimal or int")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotCanonical("only finite decimals can be stored")
        return str(value)
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise NotCanonical(f"keys must be strings, not {type(k).__name__}")
            out[unicodedata.normalize("NFC", k)] = normalise(v)
        return out
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    raise NotCanonical(f"cannot store a {type(value).__name__} in an event")


def format_time(at: datetime) -> str:
    if at.tzinfo is None:
        raise NotCanonical("times in events must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def dumps(value: JSONValue) -> str:
    """Canonical JSON text of an already normalised value."""
    return _ENCODER.encode(value)


def chain_hash(prev_hash: bytes, body: Mapping[str, JSONValue]) -> bytes:
    """sha256(previous hash || canonical encoding of the event's body)."""
    return hashlib.sha256(prev_hash + dumps(normalise(body)).encode("utf-8")).digest()


@lru_cache(maxsize=4096)
def _name(name: str) -> str:
    """The canonical text of an event or stream type (a few dozen names: kept)."""
    return dumps(normalise(name))


def chain_parts(
    *,
    data: str,
    event_id: uuid.UUID,
    event_type: str,
    metadata: str,
    recorded_at: str,
    schema_version: int,
    stream_id: uuid.UUID,
    stream_type: str,
    tenant_id: uuid.UUID,
) -> tuple[str, str]:
    """The canonical text of an event's hash body around its two numbers.

    Every field of ``StoredEvent.hash_body`` but ``sequence`` and ``version`` (only the locked
    tenant head knows them): ``data`` and ``metadata`` as their canonical text (``dumps`` of
    the normalised value), ``recorded_at`` formatted by ``format_time``. The canonical text of
    the whole body is ``prefix + str(sequence) + middle + str(version) + "}"``, since the keys
    sort as data < event_id < event_type < metadata < recorded_at < schema_version <
    sequence < stream_id < stream_type < tenant_id < version (tests check it against dumps).
    """
    if not isinstance(schema_version, int) or isinstance(schema_version, bool):
        raise NotCanonical("schema_version must be an int")
    prefix = (
        f'{{"data":{data},"event_id":"{event_id}","event_type":{_name(event_type)},'
        f'"metadata":{metadata},"recorded_at":"{recorded_at}",'
        f'"schema_version":{schema_version},"sequence":'
    )
    middle = (
        f',"stream_id":"{stream_id}","stream_type":{_name(stream_type)},'
        f'"tenant_id":"{tenant_id}","version":'
    )
    return prefix, middle
