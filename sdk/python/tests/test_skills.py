"""Skills.call: validation before the function runs, sync and async functions, errors and timeouts as success:false."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import unittest
from typing import Any

from codex_fleet.skills import SkillResult, Skills
from codex_fleet.types import ToolCallRequest


def call(tool: str, arguments: Any, namespace: str | None = None) -> ToolCallRequest:
    return ToolCallRequest(id="req-1", kind="toolCall", session_id="s", call_id="c", tool=tool, arguments=arguments, namespace=namespace)


@dataclasses.dataclass
class Point:
    x: int
    y: int = 0


class SkillsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.skills = Skills()
        self.ran: list[Any] = []
        self.release = threading.Event()

        @self.skills.skill()
        def move(point: Point, label: str = "p") -> dict[str, Any]:
            """Move a point.

            Args:
                point: Where.
                label: Its name.
            """
            self.ran.append(point)
            return {"at": point, "label": label}

        @self.skills.skill
        async def shout(word: str) -> str:
            """Shout a word.

            Args:
                word: The word.
            """
            await asyncio.sleep(0)
            return word.upper()

        @self.skills.skill()
        def fail(reason: str) -> None:
            """Fails.

            Args:
                reason: Why.
            """
            raise RuntimeError(reason)

        @self.skills.skill(timeout=0.05)
        def stuck() -> str:
            """Never returns in time."""
            self.release.wait(5)  # the skill is slow on purpose; released in tearDown
            return "late"

        @self.skills.skill(timeout=0.05)
        async def stuck_async() -> str:
            """Never returns in time."""
            await asyncio.Event().wait()
            return "late"

    def tearDown(self) -> None:
        self.release.set()

    def run_call(self, tool: str, arguments: Any) -> tuple[bool, str]:
        result = asyncio.run(self.skills.call(call(tool, arguments)))
        answer = result.answer()
        self.assertEqual(answer["type"], "toolResult")
        self.assertEqual(answer["contentItems"][0]["type"], "inputText")
        return result.success, result.text

    def test_valid_call_gets_dataclass_and_json_result(self) -> None:
        ok, text = self.run_call("move", {"point": {"x": 1}, "label": "a"})
        self.assertTrue(ok)
        self.assertEqual(self.ran, [Point(1, 0)])
        self.assertEqual(text, '{"at": {"x": 1, "y": 0}, "label": "a"}')

    def test_arguments_as_json_text(self) -> None:
        self.assertEqual(self.run_call("shout", '{"word": "hi"}'), (True, "HI"))
        ok, text = self.run_call("shout", "{not json")
        self.assertFalse(ok)
        self.assertIn("not JSON", text)

    def test_invalid_call_does_not_run(self) -> None:
        ok, text = self.run_call("move", {"point": {"x": "one"}, "extra": 1})
        self.assertFalse(ok)
        self.assertIn("invalid arguments for move: $.point.x: expected integer", text)
        self.assertIn("unexpected property 'extra'", text)
        self.assertEqual(self.ran, [])
        self.assertFalse(self.run_call("move", {})[0])

    def test_exceptions_and_timeouts(self) -> None:
        self.assertEqual(self.run_call("fail", {"reason": "nope"}), (False, "fail failed: RuntimeError: nope"))
        self.assertEqual(self.run_call("stuck", {}), (False, "stuck timed out after 0.05 s"))
        self.assertEqual(self.run_call("stuck_async", {}), (False, "stuck_async timed out after 0.05 s"))

    def test_only_own_tools_are_handled(self) -> None:
        self.assertTrue(self.skills.handles(call("move", {})))
        self.assertFalse(self.skills.handles(call("someone_elses", {})))
        self.assertFalse(self.skills.handles(call("move", {}, namespace="other")))
        self.assertEqual([s["name"] for s in self.skills.specs()], ["move", "shout", "fail", "stuck", "stuck_async"])

    def test_a_skill_may_answer_itself_with_images(self) -> None:
        skills = Skills()

        @skills.skill()
        def chart(title: str) -> SkillResult:
            """Draw a chart.

            Args:
                title: Its title.
            """
            return SkillResult(False, f"cannot draw {title}", image_urls=("data:image/png;base64,AAAA",))

        result = asyncio.run(skills.call(call("chart", {"title": "t"})))
        self.assertEqual(
            result.answer(),
            {
                "type": "toolResult",
                "success": False,
                "contentItems": [
                    {"type": "inputText", "text": "cannot draw t"},
                    {"type": "inputImage", "imageUrl": "data:image/png;base64,AAAA"},
                ],
            },
        )
        self.assertEqual(skills.get("chart").description, "Draw a chart.")  # type: ignore[union-attr]

    def test_structured_results_are_described_to_the_model(self) -> None:
        description = self.skills.get("move").description  # type: ignore[union-attr]
        self.assertTrue(description.startswith("Move a point."))
        self.assertIn('The result is JSON matching this schema: {"type":"object"', description)
        self.assertEqual(self.skills.get("shout").description, "Shout a word.")  # type: ignore[union-attr]

    def test_registration_errors(self) -> None:
        with self.assertRaises(ValueError):
            self.skills.add(lambda: None, name="bad name")

        def undocumented(x: int) -> int:
            return x

        with self.assertRaises(ValueError):
            self.skills.add(undocumented)


if __name__ == "__main__":
    unittest.main()
