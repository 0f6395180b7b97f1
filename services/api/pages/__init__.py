"""Server-rendered pages (Thai first). Each module here lists its controllers in ``PAGES``."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def all_pages() -> list[Any]:
    found: list[Any] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(module, "PAGES", ()))
    return found
