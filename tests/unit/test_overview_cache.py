"""The overview templates a process keeps (infra/overview_cache): the parts under their digest
and the body last assembled from them, used only for the same fillers, total and day."""

from __future__ import annotations

import uuid
from datetime import date

from infra.overview_cache import TemplateCache

KEY = (uuid.uuid4(), uuid.uuid4())
DAY = date(2026, 12, 3)


def test_a_body_is_kept_for_the_same_parts_fillers_total_and_day_only() -> None:
    cache = TemplateCache()
    assert cache.rendered(KEY, b"d1", "[]", 0, DAY) is None  # nothing held
    cache.keep_rendered(KEY, b"d1", "[]", 0, DAY, b"body")
    assert cache.rendered(KEY, b"d1", "[]", 0, DAY) is None  # no parts held: nothing kept
    cache.put(KEY, b"d1", [b"a", b"b", b"c"])
    cache.keep_rendered(KEY, b"d1", "[]", 0, DAY, b"body")
    assert cache.rendered(KEY, b"d1", "[]", 0, DAY) == b"body"
    assert cache.rendered(KEY, b"d2", "[]", 0, DAY) is None  # other parts
    assert cache.rendered(KEY, None, "[]", 0, DAY) is None
    assert cache.rendered(KEY, b"d1", '["6.1"]', 0, DAY) is None  # other fillers
    assert cache.rendered(KEY, b"d1", "[]", 1, DAY) is None  # another total
    assert cache.rendered(KEY, b"d1", "[]", 0, date(2026, 12, 4)) is None  # another day
    cache.keep_rendered(KEY, b"d2", "[]", 0, DAY, b"other")  # not the parts held: ignored
    assert cache.rendered(KEY, b"d1", "[]", 0, DAY) == b"body"
    cache.put(KEY, b"d2", [b"x", b"y", b"z"])  # new parts: the old body goes with the old ones
    assert cache.rendered(KEY, b"d1", "[]", 0, DAY) is None
    assert cache.rendered(KEY, b"d2", "[]", 0, DAY) is None


def test_the_budget_counts_room_for_a_body() -> None:
    cache = TemplateCache(max_bytes=100)
    cache.put(KEY, b"d", [b"x" * 40])
    assert len(cache) == 1
    other = (uuid.uuid4(), uuid.uuid4())
    cache.put(other, b"e", [b"y" * 40])  # 80 + 80 > 100: the older plan is dropped
    assert len(cache) == 1 and cache.get(KEY) is None and cache.get(other) is not None
    cache.put(KEY, b"d", [b"x" * 60])  # 120 > 100: not kept at all
    assert cache.get(KEY) is None
