"""What goes into the store and what comes out of it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class NewEvent:
    """An event to append. ``data`` must be JSON-native after normalisation (see canonical)."""

    event_type: str
    data: Mapping[str, Any]
    schema_version: int = 1
    event_id: uuid.UUID | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredEvent:
    tenant_id: uuid.UUID
    sequence: int
    stream_type: str
    stream_id: uuid.UUID
    version: int
    event_id: uuid.UUID
    event_type: str
    schema_version: int
    data: Mapping[str, Any]
    metadata: Mapping[str, Any]
    recorded_at: datetime
    prev_hash: bytes
    hash: bytes
    xid: int = field(default=0, compare=False)  # the writing transaction; 0 before commit

    def hash_body(self) -> dict[str, Any]:
        """The fields the hash chain covers (everything but the hashes and xid)."""
        return {
            "tenant_id": self.tenant_id,
            "sequence": self.sequence,
            "stream_type": self.stream_type,
            "stream_id": self.stream_id,
            "version": self.version,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "schema_version": self.schema_version,
            "data": self.data,
            "metadata": self.metadata,
            "recorded_at": self.recorded_at,
        }


@dataclass(frozen=True)
class AppendResult:
    stream_version: int
    first_sequence: int
    last_sequence: int
    events: tuple[StoredEvent, ...]
    duplicate: bool = False  # an idempotent retry: nothing was written
