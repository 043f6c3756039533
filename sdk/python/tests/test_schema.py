"""Schema inference from type hints and docstrings: every supported type, defaults, descriptions, overrides."""

from __future__ import annotations

import dataclasses
import enum
import unittest
from typing import Any, Literal, Optional, TypedDict, Union

from codex_fleet.schema import (
    SchemaError,
    function_schema,
    parse_docstring,
    to_python,
    type_schema,
)
from codex_fleet.skills import Skills
from codex_fleet.validator import validate


class Color(enum.Enum):
    """A colour."""

    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Address(TypedDict):
    street: str
    zip: int


class PartialAddress(TypedDict, total=False):
    street: str
    note: str


@dataclasses.dataclass
class Item:
    """A thing.

    Attributes:
        name: What it is called.
        count: How many.
        tags: Labels.
    """

    name: str
    count: int = 1
    tags: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Order:
    items: list[Item]
    color: Color
    ship_to: Optional[Address] = None


class TypeSchemaTest(unittest.TestCase):
    def test_scalars(self) -> None:
        self.assertEqual(type_schema(str), {"type": "string"})
        self.assertEqual(type_schema(int), {"type": "integer"})
        self.assertEqual(type_schema(float), {"type": "number"})
        self.assertEqual(type_schema(bool), {"type": "boolean"})
        self.assertEqual(type_schema(type(None)), {"type": "null"})
        self.assertEqual(type_schema(Any), {})

    def test_optional_and_union(self) -> None:
        self.assertEqual(type_schema(Optional[str]), {"anyOf": [{"type": "string"}, {"type": "null"}]})
        self.assertEqual(type_schema(Union[int, str]), {"anyOf": [{"type": "integer"}, {"type": "string"}]})
        self.assertEqual(type_schema(int | None), {"anyOf": [{"type": "integer"}, {"type": "null"}]})

    def test_literal(self) -> None:
        self.assertEqual(type_schema(Literal["a", "b"]), {"type": "string", "enum": ["a", "b"]})
        self.assertEqual(type_schema(Literal[1, "x"]), {"enum": [1, "x"]})

    def test_enum(self) -> None:
        self.assertEqual(type_schema(Color), {"type": "string", "enum": ["red", "green"], "description": "A colour."})
        self.assertEqual(type_schema(Level)["enum"], [1, 2])
        self.assertEqual(type_schema(Level)["type"], "integer")

    def test_containers(self) -> None:
        self.assertEqual(type_schema(list[int]), {"type": "array", "items": {"type": "integer"}})
        self.assertEqual(type_schema(dict[str, float]), {"type": "object", "additionalProperties": {"type": "number"}})
        self.assertEqual(type_schema(tuple[int, ...]), {"type": "array", "items": {"type": "integer"}})
        self.assertEqual(type_schema(set[str]), {"type": "array", "items": {"type": "string"}, "uniqueItems": True})
        pair = type_schema(tuple[int, str])
        self.assertEqual(pair["prefixItems"], [{"type": "integer"}, {"type": "string"}])
        with self.assertRaises(SchemaError):
            type_schema(dict[int, str])

    def test_typeddict(self) -> None:
        self.assertEqual(
            type_schema(Address),
            {
                "type": "object",
                "properties": {"street": {"type": "string"}, "zip": {"type": "integer"}},
                "required": ["street", "zip"],
                "additionalProperties": False,
            },
        )
        self.assertEqual(type_schema(PartialAddress)["required"], [])

    def test_dataclass_with_defaults_and_attribute_docs(self) -> None:
        schema = type_schema(Item)
        self.assertEqual(schema["required"], ["name"])
        self.assertEqual(schema["description"], "A thing.")
        self.assertEqual(schema["properties"]["name"], {"type": "string", "description": "What it is called."})
        self.assertEqual(schema["properties"]["tags"]["items"], {"type": "string"})
        self.assertFalse(schema["additionalProperties"])

    def test_nested(self) -> None:
        schema = type_schema(Order)
        self.assertEqual(schema["properties"]["items"]["items"]["required"], ["name"])
        self.assertEqual(schema["properties"]["ship_to"]["anyOf"][1], {"type": "null"})
        self.assertEqual(schema["required"], ["items", "color"])

    def test_unsupported(self) -> None:
        with self.assertRaises(SchemaError):
            type_schema(complex)


class DocstringTest(unittest.TestCase):
    def test_google_style(self) -> None:
        doc = parse_docstring(
            """Find a user.

            Looks in the directory first.

            Args:
                name (str): The user's name,
                    as typed.
                limit: At most this many.

            Returns:
                The matching users.

            Raises:
                KeyError: never.
            """
        )
        self.assertEqual(doc.summary, "Find a user.\n\nLooks in the directory first.")
        self.assertEqual(doc.args, {"name": "The user's name, as typed.", "limit": "At most this many."})
        self.assertEqual(doc.returns, "The matching users.")

    def test_empty(self) -> None:
        self.assertEqual(parse_docstring(None).args, {})


def search(query: str, limit: int = 10, exact: bool = False, color: Optional[Color] = None, where: Optional[Address] = None) -> str:
    """Search the catalogue.

    Args:
        query: Words to look for.
        limit: At most this many results.
        exact: Match whole words only.
        color: Only items of this colour.
        where: Only items stocked here.

    Returns:
        One line per result.
    """
    return ""


class FunctionSchemaTest(unittest.TestCase):
    def test_parameters_defaults_and_descriptions(self) -> None:
        schema, doc = function_schema(search)
        self.assertEqual(schema["required"], ["query"])
        self.assertEqual(schema["properties"]["query"], {"type": "string", "description": "Words to look for."})
        self.assertEqual(schema["properties"]["limit"], {"type": "integer", "description": "At most this many results.", "default": 10})
        self.assertEqual(schema["properties"]["color"]["anyOf"][0]["enum"], ["red", "green"])
        self.assertEqual(schema["additionalProperties"], False)
        self.assertEqual(doc.returns, "One line per result.")

    def test_missing_hint_is_an_error(self) -> None:
        def bad(x) -> str:  # type: ignore[no-untyped-def]
            """No hint."""
            return ""

        with self.assertRaises(SchemaError):
            function_schema(bad)

    def test_skill_description_and_overrides(self) -> None:
        skills = Skills()
        skills.add(search)
        self.assertEqual(skills.get("search").description, "Search the catalogue.\n\nReturns: One line per result.")  # type: ignore[union-attr]
        custom = {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}

        @skills.skill(name="find", description="Find things.", input_schema=custom)
        def find(q: str) -> str:
            return q

        spec = skills.get("find").spec  # type: ignore[union-attr]
        self.assertEqual(spec, {"type": "function", "name": "find", "description": "Find things.", "inputSchema": custom})
        with self.assertRaises(ValueError):
            skills.add(search)  # the name is taken

    def test_inferred_schemas_accept_their_own_values(self) -> None:
        schema, _ = function_schema(search)
        self.assertEqual(validate(schema, {"query": "x", "color": "red", "where": {"street": "a", "zip": 1}}), [])
        self.assertNotEqual(validate(schema, {"query": "x", "color": "blue"}), [])


class ToPythonTest(unittest.TestCase):
    def test_dataclasses_enums_and_containers(self) -> None:
        order = to_python(Order, {"items": [{"name": "a", "count": 2}], "color": "green", "ship_to": {"street": "s", "zip": 1}})
        self.assertEqual(order, Order(items=[Item("a", 2)], color=Color.GREEN, ship_to={"street": "s", "zip": 1}))
        self.assertEqual(to_python(tuple[int, ...], [1, 2]), (1, 2))
        self.assertEqual(to_python(set[str], ["a"]), {"a"})
        self.assertEqual(to_python(float, 3), 3.0)
        self.assertEqual(to_python(Optional[Color], None), None)
        self.assertEqual(to_python(Union[int, Color], "red"), Color.RED)
        self.assertEqual(to_python(dict[str, Item], {"k": {"name": "n"}}), {"k": Item("n")})


if __name__ == "__main__":
    unittest.main()
