"""Base classes of commands and events: frozen dataclasses, named by the domain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Command:
    """An imperative request (``PublishDeclaration``)."""


@dataclass(frozen=True)
class Event:
    """Something that happened (``DeclarationPublished``). Never changes shape once stored:
    a new shape gets a new ``schema_version`` and an upcaster for the old one."""

    schema_version: ClassVar[int] = 1

    @classmethod
    def event_type(cls) -> str:
        return cls.__name__
