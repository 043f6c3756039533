"""Typed views of the sidecar's domain types, written from protocol/types.ts (the one source of truth).

Field names are snake_case; on the wire they are camelCase (``session_id`` ↔ ``sessionId``). Every object
keeps the JSON it came from in ``raw``, so a field the sidecar adds later is still reachable. A unit test
(tests/test_types_sync.py) fails when protocol/types.ts has a field or event kind these classes lack.
"""

from __future__ import annotations

import dataclasses
import functools
import types as _pytypes
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Union

JsonObject = dict[str, Any]

SessionActivity = Literal["notLoaded", "idle", "running", "waitingOnApproval", "waitingOnUserInput", "systemError"]
TurnOutcome = Literal["completed", "interrupted", "failed"]
ApprovalDecision = Literal["accept", "acceptForSession", "decline", "cancel"]
RequestEndReason = Literal["answered", "turnEnded", "runtimeDied", "archived", "resolvedByCodex"]


def snake_to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _raw() -> Any:
    return field(default_factory=dict, repr=False, compare=False, metadata={"sdk": True})


@dataclass(frozen=True, kw_only=True)
class SessionSummary:
    id: str
    name: str | None = None
    preview: str = ""
    cwd: str = ""
    model: str | None = None
    model_provider: str | None = None
    activity: SessionActivity = "notLoaded"
    archived: bool = False
    loaded: bool = False
    pinned: bool = False
    active_turn_id: str | None = None
    forked_from_id: str | None = None
    created_at: int = 0
    updated_at: int = 0
    queued: int = 0
    path: str | None = None
    raw: JsonObject = _raw()


@dataclass(frozen=True, kw_only=True)
class TurnResult:
    """What ``send_and_wait`` returns: the turn, how it ended and the assistant's last message."""

    turn_id: str
    status: TurnOutcome
    reply: str | None = None
    error: str | None = None


# ----------------------------------------------------------------------------------------------
# Pending requests (approvals, questions, tool calls)


@dataclass(frozen=True, kw_only=True)
class PendingRequest:
    id: str
    kind: str
    session_id: str
    turn_id: str | None = None
    item_id: str | None = None
    created_at: int = 0
    method: str = ""
    raw: JsonObject = _raw()


@dataclass(frozen=True, kw_only=True)
class CommandApprovalRequest(PendingRequest):
    command: str = ""
    cwd: str | None = None
    reason: str | None = None
    decisions: list[ApprovalDecision] = field(default_factory=list)
    exec_policy_amendment: list[str] | None = None


@dataclass(frozen=True, kw_only=True)
class FileChangeApprovalRequest(PendingRequest):
    reason: str | None = None
    grant_root: str | None = None
    changes: list[JsonObject] = field(default_factory=list)
    decisions: list[ApprovalDecision] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class PermissionsApprovalRequest(PendingRequest):
    reason: str | None = None
    cwd: str | None = None
    permissions: Any = None
    decisions: list[ApprovalDecision] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class UserInputRequest(PendingRequest):
    questions: list[JsonObject] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class ElicitationRequest(PendingRequest):
    server_name: str = ""
    message: str = ""
    mode: str = ""
    url: str | None = None
    requested_schema: Any = None


@dataclass(frozen=True, kw_only=True)
class ToolCallRequest(PendingRequest):
    call_id: str = ""
    namespace: str | None = None
    tool: str = ""
    arguments: Any = None


REQUEST_TYPES: dict[str, type[PendingRequest]] = {
    "commandApproval": CommandApprovalRequest,
    "fileChangeApproval": FileChangeApprovalRequest,
    "permissionsApproval": PermissionsApprovalRequest,
    "userInput": UserInputRequest,
    "elicitation": ElicitationRequest,
    "toolCall": ToolCallRequest,
}


# ----------------------------------------------------------------------------------------------
# Events (discriminated on ``kind``)


@dataclass(frozen=True, kw_only=True)
class FleetEvent:
    seq: int
    time: int
    kind: str
    raw: JsonObject = _raw()

    @property
    def event_session_id(self) -> str | None:
        """The session this event concerns, if any (protocol/types.ts eventSessionId)."""
        if isinstance(self, SessionUpdatedEvent):
            return self.session.id
        if isinstance(self, RequestPendingEvent):
            return self.request.session_id
        if isinstance(self, AgentUpdatedEvent):
            return typing.cast("str | None", self.agent.get("sessionId"))
        value = getattr(self, "session_id", None)
        return value if isinstance(value, str) else None


@dataclass(frozen=True, kw_only=True)
class RuntimeStateEvent(FleetEvent):
    runtime: JsonObject


@dataclass(frozen=True, kw_only=True)
class SessionUpdatedEvent(FleetEvent):
    session: SessionSummary


@dataclass(frozen=True, kw_only=True)
class TurnStartedEvent(FleetEvent):
    session_id: str
    turn_id: str


@dataclass(frozen=True, kw_only=True)
class TurnCompletedEvent(FleetEvent):
    session_id: str
    turn_id: str
    status: TurnOutcome
    error: JsonObject | None = None
    reply: str | None = None


@dataclass(frozen=True, kw_only=True)
class ItemStartedEvent(FleetEvent):
    session_id: str
    turn_id: str
    item: JsonObject


@dataclass(frozen=True, kw_only=True)
class ItemDeltaEvent(FleetEvent):
    session_id: str
    turn_id: str
    item_id: str
    stream: str
    delta: str


@dataclass(frozen=True, kw_only=True)
class ItemCompletedEvent(FleetEvent):
    session_id: str
    turn_id: str
    item: JsonObject


@dataclass(frozen=True, kw_only=True)
class TurnDiffEvent(FleetEvent):
    session_id: str
    turn_id: str
    diff: str


@dataclass(frozen=True, kw_only=True)
class TurnPlanEvent(FleetEvent):
    session_id: str
    turn_id: str
    plan: list[JsonObject]
    explanation: str | None = None


@dataclass(frozen=True, kw_only=True)
class TokenUsageUpdatedEvent(FleetEvent):
    session_id: str
    turn_id: str
    usage: JsonObject


@dataclass(frozen=True, kw_only=True)
class RateLimitsUpdatedEvent(FleetEvent):
    rate_limits: JsonObject


@dataclass(frozen=True, kw_only=True)
class RequestPendingEvent(FleetEvent):
    request: PendingRequest


@dataclass(frozen=True, kw_only=True)
class RequestEndedEvent(FleetEvent):
    request_id: str
    session_id: str
    reason: RequestEndReason
    by: str | None = None
    answer: JsonObject | None = None


@dataclass(frozen=True, kw_only=True)
class QueueUpdatedEvent(FleetEvent):
    session_id: str
    queue: list[JsonObject]
    delivered: JsonObject | None = None


@dataclass(frozen=True, kw_only=True)
class SessionErrorEvent(FleetEvent):
    session_id: str
    message: str
    will_retry: bool
    turn_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class AccountUpdatedEvent(FleetEvent):
    auth: JsonObject
    change: JsonObject | None = None


@dataclass(frozen=True, kw_only=True)
class AgentUpdatedEvent(FleetEvent):
    agent: JsonObject


@dataclass(frozen=True, kw_only=True)
class AgentRemovedEvent(FleetEvent):
    name: str


@dataclass(frozen=True, kw_only=True)
class SidecarWarningEvent(FleetEvent):
    message: str


EVENT_TYPES: dict[str, type[FleetEvent]] = {
    "runtime/state": RuntimeStateEvent,
    "session/updated": SessionUpdatedEvent,
    "turn/started": TurnStartedEvent,
    "turn/completed": TurnCompletedEvent,
    "item/started": ItemStartedEvent,
    "item/delta": ItemDeltaEvent,
    "item/completed": ItemCompletedEvent,
    "turn/diff": TurnDiffEvent,
    "turn/plan": TurnPlanEvent,
    "tokenUsage/updated": TokenUsageUpdatedEvent,
    "rateLimits/updated": RateLimitsUpdatedEvent,
    "request/pending": RequestPendingEvent,
    "request/ended": RequestEndedEvent,
    "queue/updated": QueueUpdatedEvent,
    "session/error": SessionErrorEvent,
    "account/updated": AccountUpdatedEvent,
    "agent/updated": AgentUpdatedEvent,
    "agent/removed": AgentRemovedEvent,
    "sidecar/warning": SidecarWarningEvent,
}


@dataclass(frozen=True, kw_only=True)
class SubscribeResult:
    replayed: int
    gap: bool
    oldest_seq: int
    last_seq: int
    sidecar_started_at: int
    raw: JsonObject = _raw()


@dataclass(frozen=True, kw_only=True)
class Reconnected:
    """Passed to ``on_reconnect`` handlers after the SDK re-established a dropped connection."""

    replayed: int
    gap: bool
    since_seq: int
    """True when events after ``since_seq`` were lost (dropped from the buffer, or a new sidecar): re-read state."""


# ----------------------------------------------------------------------------------------------
# Decoding


def wire_fields(cls: type[Any]) -> dict[str, str]:
    """Wire (camelCase) name → Python field name, for the protocol fields of a dataclass."""
    return {snake_to_camel(f.name): f.name for f in dataclasses.fields(cls) if not f.metadata.get("sdk")}


@functools.cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin is Union or origin is _pytypes.UnionType:
        for arg in typing.get_args(hint):
            if arg is not type(None):
                return _convert(arg, value)
    if origin is list and isinstance(value, list):
        (item,) = typing.get_args(hint) or (Any,)
        return [_convert(item, v) for v in value]
    if hint is PendingRequest and isinstance(value, dict):
        return decode_request(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return decode(hint, value)
    return value


T = typing.TypeVar("T")


def decode(cls: type[T], data: JsonObject) -> T:
    """Build a dataclass from its wire JSON (unknown fields stay in ``raw``)."""
    hints = _hints(typing.cast(Any, cls))
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.metadata.get("sdk"):
            continue
        wire = snake_to_camel(f.name)
        if wire in data:
            kwargs[f.name] = _convert(hints[f.name], data[wire])
    if any(f.name == "raw" for f in dataclasses.fields(cls)):  # type: ignore[arg-type]
        kwargs["raw"] = data
    return cls(**kwargs)


def decode_request(data: JsonObject) -> PendingRequest:
    return decode(REQUEST_TYPES.get(str(data.get("kind")), PendingRequest), data)


def decode_event(data: JsonObject) -> FleetEvent:
    try:
        return decode(EVENT_TYPES.get(str(data.get("kind")), FleetEvent), data)
    except TypeError:  # a field this version requires is missing: keep the event, untyped
        return decode(FleetEvent, data)


def decode_session(data: JsonObject) -> SessionSummary:
    return decode(SessionSummary, data)
