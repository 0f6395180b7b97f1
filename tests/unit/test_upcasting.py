from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from infra.eventstore.records import StoredEvent
from infra.eventstore.upcasting import Upcasters


def stored(event_type: str, version: int, data: dict[str, object]) -> StoredEvent:
    return StoredEvent(
        uuid.uuid4(),
        1,
        "s",
        uuid.uuid4(),
        1,
        uuid.uuid4(),
        event_type,
        version,
        data,
        {},
        datetime(2020, 1, 1, tzinfo=UTC),
        b"",
        b"",
    )


def test_chain_of_upcasters_runs_to_the_newest_version() -> None:
    u = Upcasters()
    u.register("A", 1)(lambda d: {**d, "b": 0})
    u.register("A", 2)(lambda d: {**d, "c": d["b"] + 1})
    out = u.upcast(stored("A", 1, {"a": 1}))
    assert (out.schema_version, out.data) == (3, {"a": 1, "b": 0, "c": 1})
    assert u.upcast(stored("A", 3, {"x": 1})).data == {"x": 1}
    assert u.upcast(stored("B", 1, {"x": 1})).schema_version == 1


def test_one_upcaster_per_step() -> None:
    u = Upcasters()
    u.register("A", 1)(lambda d: d)
    with pytest.raises(ValueError, match="already exists"):
        u.register("A", 1)(lambda d: d)
