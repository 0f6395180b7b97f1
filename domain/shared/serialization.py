"""Events to and from plain data, driven by their type hints (stdlib only).

Dates are ISO strings, decimals strings, UUIDs strings, enums their values, tuples lists,
nested frozen dataclasses dicts. The event store's canonical encoding then hashes that data.
"""

from __future__ import annotations

import dataclasses
import types
import typing
import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, get_args, get_origin

T = TypeVar("T")


def to_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value  # the store's canonical encoding writes it as UTC
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` from plain data."""
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        if data is None:
            return None
        return from_data(options[0], data) if len(options) == 1 else data
    if origin in (tuple,):
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(args[0], v) for v in data)
        return tuple(from_data(a, v) for a, v in zip(args, data, strict=True))
    if origin in (list,):
        return [from_data(get_args(tp)[0], v) for v in data]
    if origin in (dict,):
        kt, vt = get_args(tp)
        return {from_data(kt, k): from_data(vt, v) for k, v in data.items()}
    if origin is typing.Literal:
        return data
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            return tp(
                **{
                    f.name: from_data(hints[f.name], data[f.name])
                    for f in dataclasses.fields(tp)
                    if f.init and f.name in data
                }
            )
        if issubclass(tp, Enum):
            return tp(data)
        if tp is date:
            return date.fromisoformat(data)
        if tp is datetime:
            return (
                data
                if isinstance(data, datetime)
                else datetime.fromisoformat(data.replace("Z", "+00:00"))
            )
        if tp is Decimal:
            return Decimal(data)
        if tp is uuid.UUID:
            return uuid.UUID(data)
        if tp is int and isinstance(data, str):
            return int(data)
    return data
