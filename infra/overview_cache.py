"""Plan overview templates an API process has read, kept under their digest.

A template (migration 0011) is the same text for every request until the projection rewrites
it, and its digest (migration 0019) changes whenever it does. A request still asks the
database, in the tenant's own transaction, for the plan's version, digest and the day's fillers;
it sends the digest it holds, and the database sends the parts only when that is not the
current one. So the cache never answers by itself: a plan another tenant cannot see is not
found, and a changed template is read again at once.

With the parts, the body last assembled from them is kept with what filled it (the fillers,
the total and the day): the body is a function of the parts (their digest) and these, so a
request whose row brings the same ones is answered with the same bytes instead of assembling
37 KB again (the row is still read every time).
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

Key = tuple[uuid.UUID, uuid.UUID]  # (tenant, plan)


@dataclass(slots=True)
class _Held:
    digest: bytes
    parts: Sequence[bytes]
    size: int  # the parts' bytes, twice: room for the body assembled from them
    rendered: tuple[str, int, date, bytes] | None = None  # fillers, total, day -> body


class TemplateCache:
    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._max = max_bytes
        self._size = 0
        self._entries: OrderedDict[Key, _Held] = OrderedDict()

    def get(self, key: Key) -> tuple[bytes, Sequence[bytes]] | None:
        """The digest and parts held for this plan, if any."""
        held = self._entries.get(key)
        if held is None:
            return None
        self._entries.move_to_end(key)
        return held.digest, held.parts

    def put(self, key: Key, digest: bytes, parts: Sequence[bytes]) -> None:
        size = 2 * sum(len(p) for p in parts)
        old = self._entries.pop(key, None)
        if old is not None:
            self._size -= old.size
        if size > self._max:
            return
        self._entries[key] = _Held(digest, parts, size)
        self._size += size
        while self._size > self._max:
            _, dropped = self._entries.popitem(last=False)
            self._size -= dropped.size

    def rendered(
        self, key: Key, digest: bytes | None, fillers: str, total: int, on: date
    ) -> bytes | None:
        """The body last assembled from the parts of ``digest`` with these fillers, total and
        day, if that is what was kept."""
        held = self._entries.get(key)
        if held is None or held.digest != digest or held.rendered is None:
            return None
        kept_fillers, kept_total, kept_on, body = held.rendered
        if kept_fillers == fillers and kept_total == total and kept_on == on:
            return body
        return None

    def keep_rendered(
        self, key: Key, digest: bytes | None, fillers: str, total: int, on: date, body: bytes
    ) -> None:
        """Keep ``body``, assembled from the parts of ``digest`` (if they are the ones held)."""
        held = self._entries.get(key)
        if held is not None and held.digest == digest:
            held.rendered = (fillers, total, on, body)

    def __len__(self) -> int:
        return len(self._entries)
