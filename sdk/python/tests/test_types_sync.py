"""One source of truth: the Python types must have every field and event kind that protocol/types.ts has."""

from __future__ import annotations

import unittest

from codex_fleet.types import (
    EVENT_TYPES,
    REQUEST_TYPES,
    FleetEvent,
    PendingRequest,
    SessionSummary,
    wire_fields,
)

from . import ts_types
from .support import TYPES_TS, require_checkout


def missing_in_python(ts: str) -> list[str]:
    """What protocol/types.ts (text ``ts``) declares that the Python types lack, one line per gap."""
    gaps: list[str] = []
    for field in sorted(ts_types.all_fields(ts, "SessionSummary") - set(wire_fields(SessionSummary))):
        gaps.append(f"SessionSummary.{field}")
    table = ts_types.interfaces(ts)
    for name, (bases, own) in table.items():
        if "PendingRequestBase" not in bases:
            continue
        kind = ts_types.literal(own["kind"])
        cls = REQUEST_TYPES.get(kind)
        if cls is None:
            gaps.append(f"PendingRequest kind {kind} ({name})")
            continue
        for field in sorted(ts_types.all_fields(ts, name) - set(wire_fields(cls))):
            gaps.append(f"{name}.{field}")
    base = ts_types.all_fields(ts, "EventBase")
    for fields in ts_types.union_variants(ts, "FleetEventBody"):
        kind = ts_types.literal(fields["kind"])
        event_cls = EVENT_TYPES.get(kind)
        if event_cls is None:
            gaps.append(f"event kind {kind}")
            continue
        for field in sorted((set(fields) | base) - set(wire_fields(event_cls))):
            gaps.append(f"event {kind}.{field}")
    return gaps


class TypesSyncTest(unittest.TestCase):
    def setUp(self) -> None:
        require_checkout(self)
        self.ts = TYPES_TS.read_text(encoding="utf-8")

    def test_python_types_cover_protocol_types_ts(self) -> None:
        self.assertEqual(
            missing_in_python(self.ts), [], "protocol/types.ts has fields the Python SDK lacks: add them to codex_fleet/types.py"
        )

    def test_extractor_reads_the_real_file(self) -> None:
        self.assertIn("activeTurnId", ts_types.all_fields(self.ts, "SessionSummary"))
        self.assertEqual(
            ts_types.all_fields(self.ts, "ToolCallRequest") >= {"id", "sessionId", "callId", "tool", "arguments", "method"}, True
        )
        kinds = [ts_types.literal(v["kind"]) for v in ts_types.union_variants(self.ts, "FleetEventBody")]
        self.assertEqual(sorted(kinds), sorted(EVENT_TYPES))
        plan = next(v for v in ts_types.union_variants(self.ts, "FleetEventBody") if v["kind"] == "'turn/plan'")
        self.assertEqual(set(plan), {"kind", "sessionId", "turnId", "explanation", "plan"}, "a nested object type is one field")

    def test_a_new_field_or_kind_is_caught(self) -> None:
        grown = self.ts.replace(
            "export interface SessionSummary {", "export interface SessionSummary {\n  /** new */\n  costUsd?: number;", 1
        )
        grown = grown.replace(
            "  | { kind: 'agent/removed'; name: string }",
            "  | { kind: 'agent/removed'; name: string; reason?: string }\n  | { kind: 'budget/exceeded'; sessionId: string }",
            1,
        )
        grown = grown.replace("  kind: 'toolCall';", "  kind: 'toolCall';\n  deadline: number;", 1)
        self.assertEqual(
            missing_in_python(grown),
            ["SessionSummary.costUsd", "ToolCallRequest.deadline", "event agent/removed.reason", "event kind budget/exceeded"],
        )

    def test_base_classes_hold_common_fields(self) -> None:
        self.assertTrue({"seq", "time", "kind"} <= set(wire_fields(FleetEvent)))
        self.assertTrue({"id", "kind", "sessionId", "createdAt", "method"} <= set(wire_fields(PendingRequest)))


class ExtractorTest(unittest.TestCase):
    def test_comments_optional_generics_and_extends(self) -> None:
        ts = """
        interface Base { id: string; /* block: not a field */ }
        // interface Ghost { nope: string }
        export interface Thing extends Base {
          /** doc with a: colon */
          name?: string;
          map: Record<string, { a: number; b: string }>;
          fn: (x: number) => void;
          url: 'http://x//y';
        }
        """
        self.assertEqual(ts_types.all_fields(ts, "Thing"), {"id", "name", "map", "fn", "url"})
        self.assertNotIn("Ghost", ts_types.interfaces(ts))


if __name__ == "__main__":
    unittest.main()
