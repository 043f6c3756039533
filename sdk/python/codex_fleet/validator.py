"""A small JSON Schema validator for the subset ``schema.py`` generates (and hand-written schemas like it):
type, enum, const, properties, required, additionalProperties, items, prefixItems, anyOf, oneOf, allOf,
minimum/maximum, exclusiveMinimum/exclusiveMaximum, minLength/maxLength, pattern, minItems/maxItems,
uniqueItems. Unknown keywords are ignored, as JSON Schema says."""

from __future__ import annotations

import json
import re
from typing import Any

JsonSchema = dict[str, Any]


def _type_ok(name: str, value: Any) -> bool:
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    return True


def _show(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(schema: JsonSchema | bool, value: Any, path: str = "$") -> list[str]:
    """Every violation, each as ``"<path>: <what is wrong>"``; empty when ``value`` is valid."""
    if schema is True or schema == {}:
        return []
    if schema is False:
        return [f"{path}: no value is allowed here"]
    assert isinstance(schema, dict)
    errors: list[str] = []
    declared = schema.get("type")
    if declared is not None:
        names = declared if isinstance(declared, list) else [declared]
        if not any(_type_ok(n, value) for n in names):
            return [f"{path}: expected {' or '.join(names)}, got {_show(value)}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: must be one of {', '.join(_show(v) for v in schema['enum'])}, got {_show(value)}")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: must be {_show(schema['const'])}")
    for key in ("anyOf", "oneOf"):
        if key in schema:
            results = [validate(s, value, path) for s in schema[key]]
            passing = sum(1 for r in results if not r)
            if passing == 0:
                details = "; ".join(r[0] for r in results if r)
                errors.append(f"{path}: matches none of the allowed shapes ({details})")
            elif key == "oneOf" and passing > 1:
                errors.append(f"{path}: matches more than one of the allowed shapes")
    for sub in schema.get("allOf", []):
        errors.extend(validate(sub, value, path))
    if isinstance(value, dict):
        errors.extend(_object(schema, value, path))
    elif isinstance(value, list):
        errors.extend(_array(schema, value, path))
    elif isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(f"{path}: shorter than {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{path}: longer than {schema['maxLength']} characters")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{path}: does not match {schema['pattern']!r}")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: less than the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: more than the maximum {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            errors.append(f"{path}: must be more than {schema['exclusiveMinimum']}")
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            errors.append(f"{path}: must be less than {schema['exclusiveMaximum']}")
    return errors


def _object(schema: JsonSchema, value: dict[str, Any], path: str) -> list[str]:
    errors: list[str] = []
    properties: dict[str, Any] = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            errors.append(f"{path}: missing required property {name!r}")
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            errors.extend(validate(properties[name], item, f"{path}.{name}"))
        elif extra is False:
            errors.append(f"{path}: unexpected property {name!r}")
        elif isinstance(extra, dict):
            errors.extend(validate(extra, item, f"{path}.{name}"))
    return errors


def _array(schema: JsonSchema, value: list[Any], path: str) -> list[str]:
    errors: list[str] = []
    prefix: list[Any] = schema.get("prefixItems", [])
    for i, item in enumerate(value):
        if i < len(prefix):
            errors.extend(validate(prefix[i], item, f"{path}[{i}]"))
        elif "items" in schema:
            errors.extend(validate(schema["items"], item, f"{path}[{i}]"))
    if "minItems" in schema and len(value) < schema["minItems"]:
        errors.append(f"{path}: fewer than {schema['minItems']} items")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        errors.append(f"{path}: more than {schema['maxItems']} items")
    if schema.get("uniqueItems"):
        seen = [json.dumps(v, sort_keys=True) for v in value]
        if len(set(seen)) != len(seen):
            errors.append(f"{path}: items are not unique")
    return errors
