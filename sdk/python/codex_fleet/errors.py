"""Typed errors: protocol errors by code (as in protocol/errors.ts), turn outcomes, connection failures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .types import TurnResult


class CodexFleetError(Exception):
    """Base of every error this SDK raises."""


class FleetError(CodexFleetError):
    """A JSON-RPC error from the sidecar, with its code (see ``ErrorCodes``)."""

    code: int = -32603

    def __init__(self, message: str, code: int | None = None, data: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.data = data

    @staticmethod
    def from_wire(error: Any) -> FleetError:
        """Rebuild from a JSON-RPC error object, as the most specific subclass for its code."""
        if isinstance(error, dict) and isinstance(error.get("code"), int) and isinstance(error.get("message"), str):
            code: int = error["code"]
            cls = _BY_CODE.get(code, FleetError)
            return cls(error["message"], code, error.get("data"))
        return FleetError(f"malformed error from the sidecar: {error!r}")

    def __str__(self) -> str:
        return f"{self.message} ({error_code_name(self.code)})"


class ErrorCodes:
    """The sidecar's error codes (protocol/errors.ts)."""

    INVALID_PARAMS = -32602
    METHOD_NOT_FOUND = -32601
    SESSION_NOT_FOUND = -32001
    REQUEST_NOT_FOUND = -32002
    ALREADY_RESOLVED = -32003
    RUNTIME_UNAVAILABLE = -32004
    CODEX_ERROR = -32005
    TURN_STATE = -32006
    AGENT_NOT_FOUND = -32007
    CONFLICT = -32008
    SHUTTING_DOWN = -32009
    TIMEOUT = -32010
    INTERNAL = -32603


class InvalidParamsError(FleetError):
    code = ErrorCodes.INVALID_PARAMS


class MethodNotFoundError(FleetError):
    code = ErrorCodes.METHOD_NOT_FOUND


class SessionNotFoundError(FleetError):
    code = ErrorCodes.SESSION_NOT_FOUND


class RequestNotFoundError(FleetError):
    code = ErrorCodes.REQUEST_NOT_FOUND


class AlreadyResolvedError(FleetError):
    """The request was already answered (by another client) or expired: the first answer won."""

    code = ErrorCodes.ALREADY_RESOLVED


class RuntimeUnavailableError(FleetError):
    code = ErrorCodes.RUNTIME_UNAVAILABLE


class CodexError(FleetError):
    code = ErrorCodes.CODEX_ERROR


class TurnStateError(FleetError):
    code = ErrorCodes.TURN_STATE


class AgentNotFoundError(FleetError):
    code = ErrorCodes.AGENT_NOT_FOUND


class ConflictError(FleetError):
    code = ErrorCodes.CONFLICT


class ShuttingDownError(FleetError):
    code = ErrorCodes.SHUTTING_DOWN


class FleetTimeoutError(FleetError):
    """An operation did not finish in time (the sidecar's Timeout, or a client-side wait)."""

    code = ErrorCodes.TIMEOUT


class InternalError(FleetError):
    code = ErrorCodes.INTERNAL


_BY_CODE: dict[int, type[FleetError]] = {
    cls.code: cls
    for cls in (
        InvalidParamsError,
        MethodNotFoundError,
        SessionNotFoundError,
        RequestNotFoundError,
        AlreadyResolvedError,
        RuntimeUnavailableError,
        CodexError,
        TurnStateError,
        AgentNotFoundError,
        ConflictError,
        ShuttingDownError,
        FleetTimeoutError,
        InternalError,
    )
}
_NAMES = {v: k for k, v in vars(ErrorCodes).items() if isinstance(v, int)}


def error_code_name(code: int) -> str:
    return _NAMES.get(code, f"E{code}")


class SidecarUnavailableError(CodexFleetError):
    """No sidecar could be reached or started, or the connection to it closed."""


class InsecureStateDirError(SidecarUnavailableError):
    """The state directory or socket is not safe to trust (owner, mode or symlink), so the SDK refused to connect."""


class ProtocolError(CodexFleetError):
    """The sidecar sent something that is not valid framed JSON-RPC."""


class TurnEndedError(CodexFleetError):
    """A turn did not complete: ``result`` holds its id, status and error."""

    def __init__(self, result: TurnResult) -> None:
        detail = f": {result.error}" if result.error else ""
        super().__init__(f"turn {result.turn_id} {result.status}{detail}")
        self.result = result

    @property
    def turn_id(self) -> str:
        return self.result.turn_id


class TurnFailedError(TurnEndedError):
    """The turn ended with status ``failed`` (the model or Codex reported an error)."""


class TurnInterruptedError(TurnEndedError):
    """The turn was interrupted before it completed."""
