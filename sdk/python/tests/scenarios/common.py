"""Shared by the scenarios: the registry, output, event waits and connecting to the test's workspace."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from codex_fleet import CodexFleet  # noqa: E402

WORKSPACE = os.environ["FLEET_WORKSPACE"]
WAIT_S = 30.0
SCENARIOS: dict[str, Callable[[], dict[str, Any]]] = {}


def scenario(func: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    SCENARIOS[func.__name__.replace("_", "-")] = func
    return func


def say(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


def wait(event: threading.Event, what: str) -> None:
    if not event.wait(WAIT_S):
        raise AssertionError(f"timed out waiting for {what}")


def connect(name: str, **options: Any) -> CodexFleet:
    return CodexFleet.connect(workspace=WORKSPACE, client_name=name, **options)
