"""The event store: append-only, per-tenant sequence and hash chain, gap-safe log reading."""

from infra.eventstore.records import AppendResult, NewEvent, StoredEvent
from infra.eventstore.upcasting import Upcasters

__all__ = ["AppendResult", "NewEvent", "StoredEvent", "Upcasters"]
