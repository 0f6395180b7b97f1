"""Every feature's routes, found once: a feature is a package under services/api (plans/,
declarations/, ...) whose ``__init__`` lists its controllers and routers in ``ROUTES`` (its JSON
API and its pages side by side), with its templates in its own ``templates/`` folder."""

from __future__ import annotations

import importlib
import pkgutil
from os import PathLike
from pathlib import Path
from typing import Any

import services.api

HERE = Path(services.api.__file__).parent


def feature_routes() -> list[Any]:
    found: list[Any] = []
    for info in sorted(pkgutil.iter_modules(services.api.__path__), key=lambda m: m.name):
        if info.ispkg:
            module = importlib.import_module(f"services.api.{info.name}")
            found.extend(getattr(module, "ROUTES", ()))
    return found


def template_directories() -> list[Path | PathLike[Any] | str]:
    """The shared templates first, then each feature's own (names are unique across them)."""
    return [HERE / "templates", *sorted(HERE.glob("*/templates"))]
