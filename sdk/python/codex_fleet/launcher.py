"""Starts a workspace's sidecar through the ``codex-fleet`` CLI (``codex-fleet --workspace DIR serve --json``)
when none runs. The CLI is found in this order: env ``CODEX_FLEET_CLI`` (a command line, or a ``.js`` file run
with node), ``codex-fleet`` on PATH, then ``bin/codex-fleet.js`` of the checkout this SDK lives in."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import SidecarUnavailableError

START_TIMEOUT_S = 60.0


def cli_command(env: Mapping[str, str]) -> list[str]:
    node = env.get("CODEX_FLEET_NODE") or "node"
    configured = env.get("CODEX_FLEET_CLI")
    if configured:
        if configured.endswith(".js"):
            return [node, configured]
        return shlex.split(configured)
    on_path = shutil.which("codex-fleet", path=env.get("PATH"))
    if on_path:
        return [on_path]
    checkout = Path(__file__).resolve().parents[3] / "bin" / "codex-fleet.js"
    if checkout.exists():
        return [node, str(checkout)]
    raise SidecarUnavailableError(
        "no sidecar runs for this workspace and the codex-fleet CLI was not found to start one: "
        "install Codex Fleet (npm), put codex-fleet on PATH, or set CODEX_FLEET_CLI"
    )


async def start_sidecar(workspace: str, env: Mapping[str, str]) -> dict[str, Any]:
    """Make sure a sidecar runs for ``workspace``; returns the CLI's ``serve --json`` document."""
    command = [*cli_command(env), "--workspace", workspace, "serve", "--json"]
    try:
        proc = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=dict(env),
            cwd=workspace if os.path.isdir(workspace) else None,
        )
    except OSError as e:
        raise SidecarUnavailableError(f"could not run {command[0]}: {e}") from e
    try:
        out, err = await asyncio.wait_for(proc.communicate(), START_TIMEOUT_S)
    except asyncio.TimeoutError as e:
        proc.kill()
        await proc.wait()
        raise SidecarUnavailableError(f"`{' '.join(command)}` did not finish within {START_TIMEOUT_S:g} s") from e
    if proc.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise SidecarUnavailableError(f"could not start the sidecar (`{' '.join(command)}` exited {proc.returncode}): {' | '.join(detail)}")
    try:
        doc = json.loads(out.decode("utf-8"))
    except json.JSONDecodeError as e:
        raise SidecarUnavailableError(f"unexpected output from `{' '.join(command)}`: {out[:200]!r}") from e
    if not isinstance(doc, dict):
        raise SidecarUnavailableError(f"unexpected output from `{' '.join(command)}`: {doc!r}")
    return doc
