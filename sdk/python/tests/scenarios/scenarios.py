"""Scenarios of the Python SDK against a real sidecar, the real codex and the scripted model.

Run by test/integration/sdkPython.test.ts, which scripts the model before each one:
``python3 scenarios.py NAME`` with FLEET_WORKSPACE and the harness's environment. Each prints JSON lines;
the last is ``{"result": {...}}``. Waits are on events (threading.Event set by handlers), never sleeps.
"""

from __future__ import annotations

import sys

import fleet_scenarios  # noqa: F401  (registers its scenarios)
import skill_scenarios  # noqa: F401
from common import SCENARIOS, say


def main() -> int:
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in SCENARIOS:
        print(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    say(result=SCENARIOS[name]())
    return 0


if __name__ == "__main__":
    sys.exit(main())
