"""A content hash of a report: the same events, round and as-of date give the same hash.

The data is encoded canonically (``to_data``, sorted keys, no spaces, NFC strings) and hashed
with SHA-256. Generation time is no part of a report, so it is no part of the hash.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any

from domain.shared.serialization import to_data


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


def canonical(report: Any) -> bytes:
    """The canonical JSON bytes of a report (any frozen dataclass tree)."""
    data = _nfc(to_data(report))
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_hash(report: Any) -> str:
    """SHA-256 (hex) of the report's canonical encoding."""
    return hashlib.sha256(canonical(report)).hexdigest()
