"""The OpenAPI document says what the server enforces, and OPTIONS says which methods a path
has (Schemathesis, all checks, in ``make test``).

Litestar leaves out of the document what msgspec enforces on decoding: a request body's
unknown fields are refused (``forbid_unknown_fields``: ``additionalProperties: false``) and a
``Decimal`` is a plain decimal string (not "NaN", "Infinity" or an exponent). The document is
completed from the request structs themselves, so it follows them. And Litestar's automatic
OPTIONS answer lists the methods of the first handler group of a path, not of the route the
groups were merged into (a controller's GET and POST on one path answered ``Allow: OPTIONS,
POST``).
"""

from __future__ import annotations

import types
import typing
from decimal import Decimal
from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.routes import HTTPRoute

# A Decimal the domain accepts: not negative, to two places, below its bounds (amounts up to
# 99,999,999,999.99 baht, results up to a thousand million).
DECIMAL = r"^[0-9]{1,9}(\.[0-9]{1,2})?$"
# A required text must say something (the domain refuses blanks, 422): a character that is
# not a space somewhere. (No text may hold NUL, which PostgreSQL cannot store: 400/422 on any
# field; schemathesis.toml generates none rather than a pattern on every string.)
SAID = r"[^\s\x1c-\x1f]"  # Python's \s has the separators \x1c-\x1f, JSON Schema's not


def _structs() -> dict[str, type[msgspec.Struct]]:
    """Every request struct by name (and by Litestar's module-qualified name for clashes)."""
    found: dict[str, type[msgspec.Struct]] = {}
    todo = list(msgspec.Struct.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("services.api"):
            found[cls.__name__] = cls
            parts = cls.__module__.split(".")
            found[f"{parts[-2]}_{parts[-1]}_{cls.__name__}"] = cls
    return found


def _is_decimal(tp: Any) -> bool:
    if tp is Decimal:
        return True
    if typing.get_origin(tp) is typing.Annotated:
        return _is_decimal(typing.get_args(tp)[0])
    return False


def _mark_decimals(schema: dict[str, Any], tp: Any) -> None:
    """Give the string schema(s) of a Decimal (alone, optional, in a list or a dict) the
    pattern msgspec and the domain accept."""
    if _is_decimal(tp):
        for s in [schema, *schema.get("oneOf", []), *schema.get("anyOf", [])]:
            if s.get("type") == "string":
                s["pattern"] = DECIMAL
        return
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        for s in schema.get("oneOf", []) + schema.get("anyOf", []):
            for a in args:
                if _is_decimal(a) and s.get("type") == "string":
                    s["pattern"] = DECIMAL
                elif typing.get_origin(a) in (list, dict):
                    _mark_decimals(s, a)
    elif origin is list and "items" in schema:
        _mark_decimals(schema["items"], args[0])
    elif origin is dict and isinstance(schema.get("additionalProperties"), dict):
        _mark_decimals(schema["additionalProperties"], args[1])


_META = {
    "pattern": "pattern",
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusiveMinimum",
    "lt": "exclusiveMaximum",
    "min_length": "minLength",
    "max_length": "maxLength",
}


def _mark_items(schema: dict[str, Any], tp: Any) -> None:
    """The constraints of a list's items (``list[Annotated[int, Meta(ge=1)]]``), which Litestar
    leaves out of the items' schema."""
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        for sub in schema.get("oneOf", []) + schema.get("anyOf", []):
            for a in args:
                if sub.get("type") == "array":
                    _mark_items(sub, a)
        return
    if origin is not list or not isinstance(schema.get("items"), dict):
        return
    item = args[0]
    if typing.get_origin(item) is not typing.Annotated:
        return
    for meta in typing.get_args(item)[1:]:
        if isinstance(meta, msgspec.Meta):
            for attr, key in _META.items():
                if getattr(meta, attr) is not None:
                    schema["items"].setdefault(key, getattr(meta, attr))


def _texts(schema: dict[str, Any]) -> None:
    """Every free text in a request schema that must not be empty: not blank either."""
    if schema.get("type") == "string" and schema.get("minLength", 0) >= 1:
        schema.setdefault("pattern", SAID)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _texts(schema[key])
    for key in ("oneOf", "anyOf"):
        for sub in schema.get(key, []):
            _texts(sub)
    for sub in schema.get("properties", {}).values():
        _texts(sub)


def _files(field: str, many: bool) -> dict[str, Any]:
    binary = {"type": "string", "format": "binary"}
    schema = {"type": "array", "items": binary, "minItems": 1} if many else binary
    return {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {field: schema}, "required": [field]}
            }
        },
    }


# Uploads read from the request itself (services.api.imports.api.uploads_of): documents, or
# one whole plan.
UPLOADS = {"/api/v1/imports": _files("files", True), "/api/v1/imports/plan": _files("file", False)}


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """The document with what the request structs enforce (idempotent)."""
    for path, body in UPLOADS.items():
        operation = document.get("paths", {}).get(path, {}).get("post")
        if operation is not None:
            operation.setdefault("requestBody", body)
    structs = _structs()
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        cls = structs.get(name)
        if cls is None or schema.get("type") != "object":
            continue
        if cls.__struct_config__.forbid_unknown_fields:
            schema["additionalProperties"] = False
        hints = typing.get_type_hints(cls, include_extras=True)
        for field in msgspec.structs.fields(cls):
            prop = schema.get("properties", {}).get(field.encode_name)
            if prop is not None:
                _mark_decimals(prop, hints.get(field.name, field.type))
                _mark_items(prop, hints.get(field.name, field.type))
        _texts(schema)
    return document


class _Completed:
    _done: dict[int, dict[str, Any]]

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        done = self.__dict__.setdefault("_done", {})
        if id(openapi_schema) not in done:
            done.clear()
            done[id(openapi_schema)] = complete(openapi_schema)
        return super().render(request, done[id(openapi_schema)])  # type: ignore[misc, no-any-return]


class JsonDocument(_Completed, JsonRenderPlugin):
    """/schema/openapi.json, completed."""


class YamlDocument(_Completed, YamlRenderPlugin):
    """/schema/openapi.yaml, completed."""


def allow_every_method(app: Litestar) -> Litestar:
    """Point each automatic OPTIONS handler at the route it ended up in."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.handler_name != "options_handler":
                continue
            for cell in getattr(handler.fn, "__closure__", None) or ():
                if isinstance(cell.cell_contents, HTTPRoute):
                    cell.cell_contents = route
    return app
