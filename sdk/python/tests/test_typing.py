"""The package type-checks with ``mypy --strict`` (skipped where mypy is not installed)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import unittest

from .support import SDK_ROOT


class StrictTypingTest(unittest.TestCase):
    def test_mypy_strict(self) -> None:
        if importlib.util.find_spec("mypy") is None:
            self.skipTest("mypy not available here")
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "codex_fleet"], cwd=SDK_ROOT, capture_output=True, text=True, timeout=300
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
