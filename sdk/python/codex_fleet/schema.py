"""JSON Schema from Python type hints and Google-style docstrings (for remote skills), and the
conversion of validated JSON arguments back to the annotated Python types (dataclasses, enums).

Supported: str, int, float, bool, None, Any, Optional[X], Union[...], Literal[...], Enum subclasses,
list[X], tuple[X, ...], dict[str, X], TypedDict, dataclasses; a parameter with a default is not required.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Union

JsonSchema = dict[str, Any]


class SchemaError(TypeError):
    """A type hint this module cannot express as JSON Schema."""


# ----------------------------------------------------------------------------------------------
# Docstrings


@dataclasses.dataclass(frozen=True)
class Docstring:
    summary: str
    args: dict[str, str]
    returns: str | None
    attributes: dict[str, str]


_SECTION = re.compile(r"^(Args|Arguments|Parameters|Returns|Return|Yields|Raises|Attributes|Examples?|Notes?):\s*$")
_ENTRY = re.compile(r"^(\*{0,2}\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")


def parse_docstring(doc: str | None) -> Docstring:
    """Google style: a summary, then ``Args:`` / ``Returns:`` / ``Attributes:`` sections."""
    lines = inspect.cleandoc(doc or "").splitlines()
    summary: list[str] = []
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        m = _SECTION.match(line.strip()) if not line.startswith((" ", "\t")) else None
        if m:
            current = {"Arguments": "Args", "Parameters": "Args", "Return": "Returns"}.get(m.group(1), m.group(1))
            sections.setdefault(current, [])
        elif current is None:
            summary.append(line)
        else:
            sections[current].append(line)
    return Docstring(
        summary="\n".join(summary).strip(),
        args=_entries(sections.get("Args", [])),
        returns=" ".join(s.strip() for s in sections.get("Returns", []) if s.strip()) or None,
        attributes=_entries(sections.get("Attributes", [])),
    )


def _entries(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    indent: int | None = None
    name: str | None = None
    for line in lines:
        if not line.strip():
            continue
        width = len(line) - len(line.lstrip())
        if indent is None:
            indent = width
        m = _ENTRY.match(line.strip())
        if width <= indent and m:
            name = m.group(1).lstrip("*")
            out[name] = m.group(2).strip()
        elif name is not None:
            out[name] = (out[name] + " " + line.strip()).strip()
    return out


# ----------------------------------------------------------------------------------------------
# Types → schema


def _is_typeddict(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__required_keys__")


def _is_union(origin: Any) -> bool:
    return origin is Union or origin is types.UnionType


def type_schema(tp: Any, _seen: frozenset[Any] = frozenset()) -> JsonSchema:
    """The JSON Schema of one annotation."""
    if tp is Any or tp is object:
        return {}
    if tp is None or tp is type(None):
        return {"type": "null"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is str:
        return {"type": "string"}
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        inner = type_schema(args[0], _seen)
        notes = [a for a in args[1:] if isinstance(a, str)]
        return {**inner, "description": " ".join(notes)} if notes else inner
    if origin is typing.Literal:
        return _enum_schema(list(args))
    if _is_union(origin):
        options = [type_schema(a, _seen) for a in args]
        return {"anyOf": options}
    if origin in (list, set, frozenset) or tp in (list, set, frozenset):
        schema: JsonSchema = {"type": "array", "items": type_schema(args[0], _seen) if args else {}}
        if origin in (set, frozenset):
            schema["uniqueItems"] = True
        return schema
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": type_schema(args[0], _seen)}
        return {"type": "array", "prefixItems": [type_schema(a, _seen) for a in args], "minItems": len(args), "maxItems": len(args)}
    if origin is dict or tp is dict:
        if args and args[0] is not str:
            raise SchemaError(f"dict keys must be str for JSON, got {args[0]!r}")
        return {"type": "object", "additionalProperties": type_schema(args[1], _seen) if args else {}}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        schema = _enum_schema([m.value for m in tp])
        doc = inspect.getdoc(tp)
        if doc and doc != inspect.getdoc(enum.Enum) and tp.__doc__:
            schema["description"] = parse_docstring(tp.__doc__).summary
        return schema
    if tp in _seen:
        raise SchemaError(f"recursive type {tp!r} is not supported")
    if _is_typeddict(tp):
        hints = typing.get_type_hints(tp, include_extras=True)
        required: frozenset[str] = tp.__required_keys__
        return _object_schema(tp, hints, [k for k in hints if k in required], _seen | {tp})
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp, include_extras=True)
        fields = [f for f in dataclasses.fields(tp) if f.init]
        required_fields = [f.name for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        return _object_schema(tp, {f.name: hints[f.name] for f in fields}, required_fields, _seen | {tp})
    raise SchemaError(f"cannot express {tp!r} as JSON Schema")


def _enum_schema(values: list[Any]) -> JsonSchema:
    schema: JsonSchema = {"enum": values}
    kinds = {_json_type(v) for v in values}
    if len(kinds) == 1:
        schema = {"type": kinds.pop(), **schema}
    return schema


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    raise SchemaError(f"enum value {value!r} is not a JSON scalar")


def _object_schema(tp: type[Any], hints: dict[str, Any], required: list[str], seen: frozenset[Any]) -> JsonSchema:
    docs = parse_docstring(tp.__doc__) if tp.__doc__ and not tp.__doc__.startswith(tp.__name__ + "(") else None
    properties: dict[str, JsonSchema] = {}
    for name, hint in hints.items():
        prop = type_schema(hint, seen)
        if docs and name in docs.attributes and "description" not in prop:
            prop = {**prop, "description": docs.attributes[name]}
        properties[name] = prop
    schema: JsonSchema = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    if docs and docs.summary:
        schema["description"] = docs.summary
    return schema


def function_schema(func: Callable[..., Any]) -> tuple[JsonSchema, Docstring]:
    """The input schema of a function's parameters (an object), with descriptions from its docstring."""
    docs = parse_docstring(func.__doc__)
    try:
        hints = typing.get_type_hints(func, include_extras=True)
    except NameError as e:
        raise SchemaError(f"{func.__name__}: cannot resolve a type hint ({e}); define the types it uses at module level") from e
    properties: dict[str, JsonSchema] = {}
    required: list[str] = []
    for name, param in inspect.signature(func).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise SchemaError(f"{func.__name__}: *args/**kwargs cannot be described as a schema")
        if name not in hints:
            raise SchemaError(f"{func.__name__}: parameter {name!r} has no type hint")
        prop = type_schema(hints[name])
        if name in docs.args:
            prop = {**prop, "description": docs.args[name]}
        if param.default is not param.empty:
            if _jsonable(param.default):
                prop = {**prop, "default": param.default}
        else:
            required.append(name)
        properties[name] = prop
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}, docs


def _jsonable(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


# ----------------------------------------------------------------------------------------------
# Validated JSON → Python values


def to_python(tp: Any, value: Any) -> Any:
    """Convert an argument that passed validation to its annotated type (dataclasses, enums, tuples, sets)."""
    if value is None or tp is Any:
        return value
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return to_python(args[0], value)
    if _is_union(origin):
        from .validator import validate

        for arg in args:
            if not validate(type_schema(arg), value):
                return to_python(arg, value)
        return value
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if isinstance(value, list):
        if origin in (list, set, frozenset) and args:
            items = [to_python(args[0], v) for v in value]
            return items if origin is list else origin(items)
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(to_python(args[0], v) for v in value)
            return tuple(to_python(a, v) for a, v in zip(args, value, strict=True))
        return value
    if isinstance(value, dict):
        if origin is dict and len(args) == 2:
            return {k: to_python(args[1], v) for k, v in value.items()}
        if _is_typeddict(tp):
            hints = typing.get_type_hints(tp)
            return {k: to_python(hints.get(k, Any), v) for k, v in value.items()}
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            hints = typing.get_type_hints(tp)
            return tp(**{k: to_python(hints.get(k, Any), v) for k, v in value.items()})
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value
