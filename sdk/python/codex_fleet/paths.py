"""Where a workspace's sidecar listens, derived exactly as sdk/stateDir.ts does, and the trust checks
made before connecting (as OpenSSH's StrictModes: owned by us, not a symlink, not group/other-writable).

``${CODEX_FLEET_STATE_DIR:-${XDG_STATE_HOME:-~/.local/state}/codex-fleet}/<first 16 hex of sha256(real path)>/sidecar.sock``
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import InsecureStateDirError


@dataclass(frozen=True)
class StatePaths:
    workspace: str
    dir: str
    socket_path: str
    lock_path: str
    log_path: str
    app_server_socket: str


def _resolve(path: str) -> str:
    """Node's ``path.resolve``: absolute and normalized (``//x`` becomes ``/x``)."""
    out = os.path.normpath(os.path.abspath(path))
    if out.startswith("//"):
        out = "/" + out.lstrip("/")
    return out


def fleet_root(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    if env.get("CODEX_FLEET_STATE_DIR"):
        return _resolve(env["CODEX_FLEET_STATE_DIR"])
    base = env.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.normpath(os.path.join(base, "codex-fleet"))


def canonical_workspace(workspace: str) -> str:
    """The workspace's real path (symlinks resolved), the identity of its sidecar."""
    absolute = _resolve(workspace)
    try:
        return os.path.realpath(absolute, strict=True)
    except OSError:
        return absolute


def workspace_key(workspace: str) -> str:
    return hashlib.sha256(canonical_workspace(workspace).encode("utf-8")).hexdigest()[:16]


def state_paths(workspace: str, env: Mapping[str, str] | None = None) -> StatePaths:
    ws = canonical_workspace(workspace)
    directory = os.path.join(fleet_root(env), workspace_key(ws))
    return StatePaths(
        workspace=ws,
        dir=directory,
        socket_path=os.path.join(directory, "sidecar.sock"),
        lock_path=os.path.join(directory, "sidecar.lock"),
        log_path=os.path.join(directory, "sidecar.log"),
        app_server_socket=os.path.join(directory, "app-server.sock"),
    )


def check_trusted(path: str, *, what: str) -> None:
    """Refuse a path we did not create for ourselves: another owner, a symlink, or group/other-writable."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise InsecureStateDirError(f"refusing to use the sidecar {what} {path}: it is a symbolic link")
    if st.st_uid != os.getuid():
        raise InsecureStateDirError(
            f"refusing to use the sidecar {what} {path}: it is owned by uid {st.st_uid}, not by you (uid {os.getuid()})"
        )
    if st.st_mode & 0o022:
        raise InsecureStateDirError(
            f"refusing to use the sidecar {what} {path}: it is writable by group or others "
            f"(mode {stat.S_IMODE(st.st_mode):04o}); fix it with chmod go-w"
        )


def check_paths_trusted(paths: StatePaths) -> None:
    """The checks made before every connection (the TS clients make the same)."""
    check_trusted(paths.dir, what="state directory")
    check_trusted(paths.socket_path, what="socket")
