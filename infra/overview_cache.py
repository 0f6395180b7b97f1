"""Plan overview templates an API process has read, kept under their digest.

A template (migration 0011) is the same text for every request until the projection rewrites
it, and its digest (migration 0019) changes whenever it does. A request still asks the
database, in the tenant's own transaction, for the plan's version, digest and the day's fillers;
it sends the digest it holds, and the database sends the parts only when that is not the
current one. So the cache never answers by itself: a plan another tenant cannot see is not
found, and a changed template is read again at once.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Sequence

Key = tuple[uuid.UUID, uuid.UUID]  # (tenant, plan)


class TemplateCache:
    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._max = max_bytes
        self._size = 0
        self._entries: OrderedDict[Key, tuple[bytes, Sequence[bytes], int]] = OrderedDict()

    def get(self, key: Key) -> tuple[bytes, Sequence[bytes]] | None:
        """The digest and parts held for this plan, if any."""
        held = self._entries.get(key)
        if held is None:
            return None
        self._entries.move_to_end(key)
        return held[0], held[1]

    def put(self, key: Key, digest: bytes, parts: Sequence[bytes]) -> None:
        size = sum(len(p) for p in parts)
        old = self._entries.pop(key, None)
        if old is not None:
            self._size -= old[2]
        if size > self._max:
            return
        self._entries[key] = (digest, parts, size)
        self._size += size
        while self._size > self._max:
            _, (_, _, dropped) = self._entries.popitem(last=False)
            self._size -= dropped

    def __len__(self) -> int:
        return len(self._entries)
