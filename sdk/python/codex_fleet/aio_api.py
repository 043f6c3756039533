"""The async namespaces of a fleet: ``sessions``, a ``Session``, ``requests``, ``account``, ``agents``.

Keyword arguments are snake_case and go on the wire camelCase (``approval_policy`` → ``approvalPolicy``).
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from .errors import (
    FleetTimeoutError,
    SidecarUnavailableError,
    TurnFailedError,
    TurnInterruptedError,
)
from .handlers import Matcher, Registration
from .types import (
    PendingRequest,
    SessionSummary,
    TurnResult,
    decode_request,
    decode_session,
    snake_to_camel,
)

if TYPE_CHECKING:
    from .aio import AH, AsyncCodexFleet
    from .event_stream import EventHandler
    from .skills import Skills

WAIT_CHUNK_S = 600.0


def wire_params(values: dict[str, Any]) -> dict[str, Any]:
    """snake_case keyword arguments → camelCase params, dropping ``None``."""
    return {snake_to_camel(k): v for k, v in values.items() if v is not None}


@dataclass(frozen=True, kw_only=True)
class SendResult:
    delivery: str
    """``started``, ``steered`` or ``queued``."""
    turn_id: str | None = None
    queued: dict[str, Any] | None = None


def _send_result(raw: dict[str, Any]) -> SendResult:
    return SendResult(delivery=str(raw.get("delivery")), turn_id=raw.get("turnId"), queued=raw.get("queued"))


class AsyncSession:
    """One Codex session (thread). ``summary`` is the state when this object was made or last refreshed."""

    def __init__(self, fleet: AsyncCodexFleet, summary: SessionSummary) -> None:
        self._fleet = fleet
        self.summary = summary

    @property
    def id(self) -> str:
        return self.summary.id

    def __repr__(self) -> str:
        return f"AsyncSession({self.id!r})"

    async def send(self, text: str, *, images: list[str] | None = None, while_running: str | None = None, **controls: Any) -> SendResult:
        """Send a message. ``while_running``: ``steer``, ``queue`` or (default) fail when a turn is running."""
        params = wire_params({"session_id": self.id, "text": text, "images": images, "while_running": while_running})
        if controls:
            params["controls"] = wire_params(controls)
        return _send_result(await self._fleet.request("sessions/send", params))

    async def steer(self, text: str, *, images: list[str] | None = None) -> str:
        """Add input to the running turn; returns its id."""
        raw = await self._fleet.request("sessions/steer", wire_params({"session_id": self.id, "text": text, "images": images}))
        return str(raw["turnId"])

    async def queue(self, text: str, *, images: list[str] | None = None, **controls: Any) -> SendResult:
        """Deliver when the current turn ends (at once if idle)."""
        params = wire_params({"session_id": self.id, "text": text, "images": images})
        if controls:
            params["controls"] = wire_params(controls)
        return _send_result(await self._fleet.request("sessions/queue", params))

    async def interrupt(self) -> str:
        """Interrupt the turn in flight; returns its id."""
        return str((await self._fleet.request("sessions/interrupt", {"sessionId": self.id}))["turnId"])

    async def wait(self, turn_id: str, *, timeout: float | None = None, check: bool = True) -> TurnResult:
        """Wait until the turn ends. With ``check`` (default), a failed or interrupted turn raises."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            left = WAIT_CHUNK_S if deadline is None else max(0.0, deadline - loop.time())
            chunk = min(left, WAIT_CHUNK_S)
            params = {"sessionId": self.id, "turnId": turn_id, "timeoutMs": int(chunk * 1000)}
            try:
                raw = await self._fleet.request("sessions/waitTurn", params, timeout=chunk + 30)
                break
            except FleetTimeoutError:
                if deadline is None:
                    continue
                raise
            except SidecarUnavailableError:
                if not self._fleet.reconnecting:
                    raise
                continue  # the next request waits for the reconnect; the sidecar remembers the outcome
        result = TurnResult(turn_id=str(raw["turnId"]), status=raw["status"], reply=raw.get("reply"), error=raw.get("error"))
        if check and result.status == "failed":
            raise TurnFailedError(result)
        if check and result.status == "interrupted":
            raise TurnInterruptedError(result)
        return result

    async def send_and_wait(
        self, text: str, *, timeout: float | None = None, images: list[str] | None = None, **controls: Any
    ) -> TurnResult:
        """Start a turn and wait for it: returns ``.turn_id``, ``.status``, ``.reply``; raises
        ``TurnFailedError`` / ``TurnInterruptedError``, ``TurnStateError`` when a turn is already running."""
        sent = await self.send(text, images=images, **controls)
        assert sent.turn_id is not None, "sessions/send without whileRunning always starts a turn"
        return await self.wait(sent.turn_id, timeout=timeout)

    async def read(self, *, include_items: bool = True) -> dict[str, Any]:
        """The session with its turns (and their items), queue and pending requests (raw JSON)."""
        raw: dict[str, Any] = await self._fleet.request("sessions/read", {"sessionId": self.id, "includeItems": include_items})
        self.summary = decode_session(raw["session"])
        return raw

    async def refresh(self) -> SessionSummary:
        await self.read(include_items=False)
        return self.summary

    async def pending(self) -> list[PendingRequest]:
        return await self._fleet.requests.list(session_id=self.id)

    @overload
    def on(self, matcher: Matcher, handler: None = None) -> Callable[[AH], AH]: ...

    @overload
    def on(self, matcher: Matcher, handler: EventHandler) -> Registration[EventHandler]: ...

    def on(self, matcher: Matcher, handler: EventHandler | None = None) -> Any:
        """``@session.on("request/pending")``: a fleet handler for this session's events only."""
        return self._fleet.on(matcher, handler, session_id=self.id)


class AsyncSessions:
    def __init__(self, fleet: AsyncCodexFleet) -> None:
        self._fleet = fleet

    async def create(
        self,
        *,
        name: str | None = None,
        cwd: str | None = None,
        skills: Skills | None = None,
        dynamic_tools: list[dict[str, Any]] | None = None,
        **controls: Any,
    ) -> AsyncSession:
        """Start a session. ``controls``: model, effort, approval_policy, sandbox, network_access, collaboration_mode.
        ``skills`` (and extra ``dynamic_tools`` specs) are offered to the model as tools."""
        tools = [*(skills.specs() if skills is not None else []), *(dynamic_tools or [])]
        params = wire_params({"name": name, "cwd": cwd, **controls})
        if tools:
            params["dynamicTools"] = tools
        return self._wrap(await self._fleet.request("sessions/start", params))

    async def list(
        self, *, archived: bool | None = None, limit: int | None = None, scope: str | None = None, all_pages: bool = True
    ) -> list[SessionSummary]:
        """Sessions of this workspace (``scope="all"``: every session in CODEX_HOME), newest first."""
        out: list[SessionSummary] = []
        cursor: str | None = None
        while True:
            raw = await self._fleet.request(
                "sessions/list", wire_params({"archived": archived, "limit": limit, "scope": scope, "cursor": cursor})
            )
            out.extend(decode_session(s) for s in raw["data"])
            cursor = raw.get("nextCursor")
            if not cursor or not all_pages or (limit is not None and len(out) >= limit):
                return out

    async def get(self, session_id: str) -> AsyncSession:
        raw = await self._fleet.request("sessions/read", {"sessionId": session_id, "includeItems": False})
        return AsyncSession(self._fleet, decode_session(raw["session"]))

    async def resume(self, session_id: str) -> AsyncSession:
        return self._wrap(await self._fleet.request("sessions/resume", {"sessionId": session_id}))

    async def fork(self, session_id: str, *, last_turn_id: str | None = None, name: str | None = None) -> AsyncSession:
        params = wire_params({"session_id": session_id, "last_turn_id": last_turn_id, "name": name})
        return self._wrap(await self._fleet.request("sessions/fork", params))

    async def archive(self, session_id: str) -> SessionSummary:
        return decode_session((await self._fleet.request("sessions/archive", {"sessionId": session_id}))["session"])

    async def unarchive(self, session_id: str) -> SessionSummary:
        return decode_session((await self._fleet.request("sessions/unarchive", {"sessionId": session_id}))["session"])

    async def rename(self, session_id: str, name: str) -> SessionSummary:
        return decode_session((await self._fleet.request("sessions/rename", {"sessionId": session_id, "name": name}))["session"])

    def _wrap(self, raw: dict[str, Any]) -> AsyncSession:
        return AsyncSession(self._fleet, decode_session(raw["session"]))


class AsyncRequests:
    """Pending approvals, questions and tool calls. The first answer wins; later ones raise ``AlreadyResolvedError``."""

    def __init__(self, fleet: AsyncCodexFleet) -> None:
        self._fleet = fleet

    async def list(self, *, session_id: str | None = None) -> list[PendingRequest]:
        raw = await self._fleet.request("requests/list", wire_params({"session_id": session_id}))
        return [decode_request(r) for r in raw["data"]]

    async def answer(self, request: PendingRequest | str, answer: dict[str, Any]) -> None:
        """Answer with a ``RequestAnswer`` (e.g. ``{"type": "decision", "decision": "accept"}``)."""
        request_id = request if isinstance(request, str) else request.id
        await self._fleet.request("requests/answer", {"requestId": request_id, "answer": answer})

    async def decide(self, request: PendingRequest | str, decision: str) -> None:
        """Approvals: ``accept``, ``acceptForSession``, ``decline`` or ``cancel``."""
        await self.answer(request, {"type": "decision", "decision": decision})

    async def accept(self, request: PendingRequest | str) -> None:
        await self.decide(request, "accept")

    async def decline(self, request: PendingRequest | str) -> None:
        await self.decide(request, "decline")

    async def audit(self, *, limit: int | None = None) -> builtins.list[dict[str, Any]]:
        data: builtins.list[dict[str, Any]] = (await self._fleet.request("requests/audit", wire_params({"limit": limit})))["data"]
        return data


class AsyncAccount:
    def __init__(self, fleet: AsyncCodexFleet) -> None:
        self._fleet = fleet

    async def read(self) -> dict[str, Any]:
        """Auth readiness: ``apiKeyEnv``, ``authFile``, ``codexHome``, ``account``."""
        result: dict[str, Any] = await self._fleet.request("account/read")
        return result

    async def login_api_key(self, api_key: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._fleet.request("account/login/start", {"type": "apiKey", "apiKey": api_key})
        return result

    async def login_chatgpt(self) -> dict[str, Any]:
        """Starts a ChatGPT login; open the returned ``authUrl`` in a browser."""
        result: dict[str, Any] = await self._fleet.request("account/login/start", {"type": "chatgpt"})
        return result

    async def cancel_login(self, login_id: str) -> None:
        await self._fleet.request("account/login/cancel", {"loginId": login_id})

    async def logout(self) -> None:
        await self._fleet.request("account/logout")

    async def rate_limits(self) -> dict[str, Any] | None:
        result: dict[str, Any] | None = (await self._fleet.request("account/rateLimits")).get("rateLimits")
        return result


class AsyncAgents:
    """Terminal agents (Codex TUIs supervised by the sidecar)."""

    def __init__(self, fleet: AsyncCodexFleet) -> None:
        self._fleet = fleet

    async def list(self) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = (await self._fleet.request("agents/list"))["data"]
        return data

    async def create(self, name: str, **options: Any) -> dict[str, Any]:
        """``kind``, ``worktree``, ``base_ref``, ``prompt``, ``session_id``, ``consent``, ``config_overrides`` and controls."""
        agent: dict[str, Any] = (await self._fleet.request("agents/create", wire_params({"name": name, **options})))["agent"]
        return agent

    async def send(self, name: str, text: str, *, wait: bool = True, timeout: float | None = None) -> dict[str, Any]:
        params = wire_params({"name": name, "text": text, "wait": wait, "timeout_ms": None if timeout is None else int(timeout * 1000)})
        result: dict[str, Any] = await self._fleet.request("agents/send", params)
        return result

    async def stop(self, name: str) -> dict[str, Any]:
        agent: dict[str, Any] = (await self._fleet.request("agents/stop", {"name": name}))["agent"]
        return agent

    async def start(self, name: str) -> dict[str, Any]:
        agent: dict[str, Any] = (await self._fleet.request("agents/start", {"name": name}))["agent"]
        return agent

    async def destroy(self, name: str, *, keep_worktree: bool = False, delete_sessions: bool = False) -> None:
        await self._fleet.request("agents/destroy", {"name": name, "keepWorktree": keep_worktree, "deleteSessions": delete_sessions})

    async def adopt(self, session_id: str, name: str, *, consent: bool | None = None) -> dict[str, Any]:
        agent: dict[str, Any] = (
            await self._fleet.request("agents/adopt", wire_params({"session_id": session_id, "name": name, "consent": consent}))
        )["agent"]
        return agent

    async def transcript(self, name: str, *, since: int | None = None, raw: bool | None = None) -> dict[str, Any]:
        result: dict[str, Any] = await self._fleet.request("agents/transcript", wire_params({"name": name, "since": since, "raw": raw}))
        return result
