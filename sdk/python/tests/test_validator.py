from __future__ import annotations

import unittest

from codex_fleet.validator import validate

OBJECT = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"},
        "n": {"type": "integer", "minimum": 1, "maximum": 3},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2, "uniqueItems": True},
        "mode": {"enum": ["a", "b"]},
        "maybe": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "extra": {"type": "object", "additionalProperties": {"type": "number"}},
    },
    "required": ["name"],
    "additionalProperties": False,
}


class ValidatorTest(unittest.TestCase):
    def test_valid(self) -> None:
        value = {"name": "abc", "n": 2, "tags": ["x"], "mode": "a", "maybe": None, "extra": {"k": 1.5}}
        self.assertEqual(validate(OBJECT, value), [])

    def test_types(self) -> None:
        self.assertEqual(validate({"type": "integer"}, True), ["$: expected integer, got true"])
        self.assertEqual(validate({"type": "integer"}, 2.0), [])
        self.assertNotEqual(validate({"type": "integer"}, 2.5), [])
        self.assertNotEqual(validate({"type": "number"}, False), [])
        self.assertEqual(validate({"type": ["string", "null"]}, None), [])
        self.assertNotEqual(validate({"type": "object"}, []), [])
        self.assertNotEqual(validate({"type": "array"}, {}), [])
        self.assertEqual(validate({}, object()), [])

    def test_each_violation_with_its_path(self) -> None:
        errors = validate(
            OBJECT,
            {"name": "A", "n": 7, "tags": ["x", "x", "y"], "mode": "c", "maybe": 3, "extra": {"k": "no"}, "oops": 1},
        )
        text = "\n".join(errors)
        for expected in (
            "$.name: shorter than 2 characters",
            "$.name: does not match",
            "$.n: more than the maximum 3",
            "$.tags: more than 2 items",
            "$.tags: items are not unique",
            '$.mode: must be one of "a", "b"',
            "$.maybe: matches none of the allowed shapes",
            "$.extra.k: expected number",
            "$: unexpected property 'oops'",
        ):
            self.assertIn(expected, text)

    def test_required_and_nested_items(self) -> None:
        schema = {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}}
        self.assertEqual(validate(schema, [{"id": 1}, {}]), ["$[1]: missing required property 'id'"])
        self.assertEqual(validate({"prefixItems": [{"type": "string"}], "type": "array"}, [1]), ["$[0]: expected string, got 1"])

    def test_one_of_all_of_const_exclusive(self) -> None:
        self.assertNotEqual(validate({"oneOf": [{"type": "integer"}, {"type": "number"}]}, 1), [])
        self.assertEqual(validate({"oneOf": [{"type": "integer"}, {"type": "string"}]}, 1), [])
        self.assertNotEqual(validate({"allOf": [{"minimum": 2}]}, 1), [])
        self.assertNotEqual(validate({"const": 3}, 4), [])
        self.assertNotEqual(validate({"exclusiveMinimum": 1}, 1), [])
        self.assertNotEqual(validate({"exclusiveMaximum": 1}, 1), [])
        self.assertEqual(validate(True, 1), [])
        self.assertEqual(validate(False, 1), ["$: no value is allowed here"])


if __name__ == "__main__":
    unittest.main()
