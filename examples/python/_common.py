"""Shared by the examples: the --workspace argument, and the SDK from this checkout when not installed."""

from __future__ import annotations

import argparse
import os
import sys

try:
    import codex_fleet  # noqa: F401  (installed with pip)
except ImportError:  # running from a checkout: use sdk/python next to this folder
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sdk", "python"))


def workspace_arg(description: str) -> str:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--workspace",
        default=os.environ.get("CODEX_FLEET_WORKSPACE") or os.getcwd(),
        help="the workspace folder (default: $CODEX_FLEET_WORKSPACE, else the current directory)",
    )
    return str(parser.parse_args().workspace)
