"""A JSON body's booleans are JSON booleans.

Pydantic reads ``0``, ``1``, ``"yes"`` or ``"off"`` as a boolean (the pages need that: a form
sends text), so a JSON client that sent ``"provider_cleared": 0`` would be taken as meaning
"no" while its schema says ``boolean``. For a JSON body, every place its route's schema says
``boolean`` must hold ``true`` or ``false`` (or ``null`` where the schema allows it); anything
else is a 422 naming the field. Forms and query strings are not touched.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import JsonValue, TypeAdapter
from starlette.routing import BaseRoute

from bumpwise.domain.errors import InputError
from bumpwise.domain.validation import field_path

Schema = dict[str, JsonValue]
"""A JSON schema (a JSON object)."""
_schemas: dict[int, Schema | None] = {}


def check(route: BaseRoute | None, document: object) -> None:
    schema = _body_schema(route)
    if schema is None:
        return
    defs = schema.get("$defs", {})
    for loc in _not_booleans(schema, defs if isinstance(defs, dict) else {}, (), document):
        raise InputError(field_path(loc) or "body", "must be true or false", ["true", "false"])


def _body_schema(route: BaseRoute | None) -> Schema | None:
    """The JSON schema of the route's body, worked out once per route; ``None`` when there is no
    body or no boolean in it."""
    if route is None:
        return None
    if id(route) not in _schemas:
        field = getattr(route, "body_field", None)
        annotation = getattr(getattr(field, "field_info", None), "annotation", None)
        schema = None if annotation is None else TypeAdapter(annotation).json_schema()
        _schemas[id(route)] = schema if schema is not None and _names_a_boolean(schema) else None
    return _schemas[id(route)]


def _names_a_boolean(schema: JsonValue) -> bool:
    """Whether a boolean appears anywhere in the schema (a body without one needs no walk)."""
    if isinstance(schema, dict):
        return schema.get("type") == "boolean" or any(_names_a_boolean(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_names_a_boolean(v) for v in schema)
    return False


Loc = tuple[int | str, ...]


def _not_booleans(schema: Schema, defs: Schema, loc: Loc, value: object) -> Iterator[Loc]:
    schema = _resolved(schema, defs)
    listed = schema.get("anyOf", schema.get("oneOf", []))
    options = [_resolved(o, defs) for o in listed if isinstance(o, dict)] if isinstance(listed, list) else []
    if options:
        if any(option.get("type") == "boolean" for option in options):
            nullable = any(option.get("type") == "null" for option in options)
            if not isinstance(value, bool) and not (nullable and value is None):
                yield loc
            return
        for option in options:
            yield from _not_booleans(option, defs, loc, value)
        return
    kind = schema.get("type")
    if kind == "boolean" and not isinstance(value, bool):
        yield loc
    elif kind == "object" and isinstance(value, dict):
        properties = schema.get("properties", {})
        others = schema.get("additionalProperties")
        for key, item in value.items():
            inner = properties.get(key, others) if isinstance(properties, dict) else others
            if isinstance(inner, dict):
                yield from _not_booleans(inner, defs, (*loc, key), item)
    elif kind == "array" and isinstance(value, list) and isinstance(items := schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from _not_booleans(items, defs, (*loc, index), item)


def _resolved(schema: Schema, defs: Schema) -> Schema:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved = defs[ref.removeprefix("#/$defs/")]
        if isinstance(resolved, dict):
            return resolved
    return schema
