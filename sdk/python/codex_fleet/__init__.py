"""Codex Fleet's Python SDK: program Codex sessions through the workspace's sidecar.

    from codex_fleet import CodexFleet

    with CodexFleet.connect(workspace=".") as fleet:
        session = fleet.sessions.create()
        print(session.send_and_wait("Summarise this repository").reply)

See docs/sdk-python.md.
"""

from .aio import AsyncCodexFleet
from .aio_api import AsyncSession, SendResult
from .client import CodexFleet
from .errors import (
    AlreadyResolvedError,
    CodexFleetError,
    ErrorCodes,
    FleetError,
    FleetTimeoutError,
    InsecureStateDirError,
    ProtocolError,
    RequestNotFoundError,
    SessionNotFoundError,
    SidecarUnavailableError,
    TurnEndedError,
    TurnFailedError,
    TurnInterruptedError,
    TurnStateError,
)
from .paths import StatePaths, state_paths
from .skill_server import SkillServer
from .skills import Skill, SkillResult, Skills
from .sync_api import Session
from .types import (
    CommandApprovalRequest,
    FleetEvent,
    PendingRequest,
    Reconnected,
    RequestPendingEvent,
    SessionSummary,
    ToolCallRequest,
    TurnCompletedEvent,
    TurnResult,
)
from .version import __version__

__all__ = [
    "AlreadyResolvedError",
    "AsyncCodexFleet",
    "AsyncSession",
    "CodexFleet",
    "CodexFleetError",
    "CommandApprovalRequest",
    "ErrorCodes",
    "FleetError",
    "FleetEvent",
    "FleetTimeoutError",
    "InsecureStateDirError",
    "PendingRequest",
    "ProtocolError",
    "Reconnected",
    "RequestNotFoundError",
    "RequestPendingEvent",
    "SendResult",
    "Session",
    "SessionNotFoundError",
    "SessionSummary",
    "SidecarUnavailableError",
    "Skill",
    "SkillResult",
    "SkillServer",
    "Skills",
    "StatePaths",
    "ToolCallRequest",
    "TurnCompletedEvent",
    "TurnEndedError",
    "TurnFailedError",
    "TurnInterruptedError",
    "TurnResult",
    "TurnStateError",
    "state_paths",
    "__version__",
]
