"""Events to and from plain data, driven by their type hints (stdlib only).

Dates are ISO strings, decimals strings, UUIDs strings, enums their values, tuples lists,
nested frozen dataclasses dicts. The event store's canonical encoding then hashes that data.
Reading compiles one converter per type, once (a rebuild reads a million events).
"""

from __future__ import annotations

import dataclasses
import types
import typing
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, get_args, get_origin

Converter = Callable[[Any], Any]


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


def from_data(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` from plain data."""
    return converter(tp)(data)


def _same(data: Any) -> Any:
    return data


def _to_int(data: Any) -> Any:
    return int(data) if isinstance(data, str) else data


def _to_datetime(data: Any) -> Any:
    return (
        data if isinstance(data, datetime) else datetime.fromisoformat(data.replace("Z", "+00:00"))
    )


_SCALARS: dict[Any, Converter] = {
    date: date.fromisoformat,
    datetime: _to_datetime,
    Decimal: Decimal,
    uuid.UUID: uuid.UUID,
    int: _to_int,
    str: _same,
    bool: _same,
    type(None): _same,
}


@cache
def converter(tp: Any) -> Converter:
    """The function that turns plain data into a value of type ``tp``."""
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        inner = converter(options[0]) if len(options) == 1 else _same
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = converter(args[0])
            return lambda data: tuple(item(v) for v in data)
        items = [converter(a) for a in args]
        return lambda data: tuple(f(v) for f, v in zip(items, data, strict=True))
    if origin is list:
        item = converter(get_args(tp)[0])
        return lambda data: [item(v) for v in data]
    if origin is dict:
        kf, vf = (converter(a) for a in get_args(tp))
        return lambda data: {kf(k): vf(v) for k, v in data.items()}
    if origin is typing.Literal or not isinstance(tp, type):
        return _same
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, converter(hints[f.name])) for f in dataclasses.fields(tp) if f.init]
        cls = tp

        def build(data: Any) -> Any:
            return cls(**{name: f(data[name]) for name, f in fields if name in data})

        return build
    if issubclass(tp, Enum):
        return tp
    return _SCALARS.get(tp, _same)
