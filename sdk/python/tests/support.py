"""Helpers of the unit tests: the repository root (when run from a checkout) and its TypeScript runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import unittest
from pathlib import Path

SDK_ROOT = Path(__file__).resolve().parents[1]
REPO_ROOT = SDK_ROOT.parents[1]
TYPES_TS = REPO_ROOT / "protocol" / "types.ts"
TSX = REPO_ROOT / "node_modules" / ".bin" / "tsx"


def require_checkout(test: unittest.TestCase) -> None:
    if not TYPES_TS.exists():
        test.skipTest("needs a Codex Fleet checkout (protocol/types.ts)")


def run_tsx(test: unittest.TestCase, code: str, env: dict[str, str] | None = None, cwd: str | None = None) -> str:
    """Run TypeScript with the repository's tsx and return its stdout (skips when node or tsx is missing)."""
    require_checkout(test)
    if not TSX.exists() or shutil.which("node") is None:
        test.skipTest("needs node and the repository's node_modules (npm ci)")
    result = subprocess.run(
        [str(TSX), "-e", code],
        cwd=cwd or str(REPO_ROOT),
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise AssertionError(f"tsx failed ({result.returncode}): {result.stderr}")
    return result.stdout
