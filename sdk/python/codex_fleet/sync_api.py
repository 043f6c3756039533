"""The blocking namespaces of ``CodexFleet``: each method runs its ``aio_api`` twin on the fleet's loop."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, overload

from .aio_api import AsyncSession, SendResult
from .handlers import Matcher, Registration
from .types import PendingRequest, SessionSummary, TurnResult

if TYPE_CHECKING:
    from .client import SH, CodexFleet, SyncHandler
    from .skills import Skills


class Session:
    """One Codex session (thread); ``summary`` is its state when fetched or last refreshed."""

    def __init__(self, fleet: CodexFleet, inner: AsyncSession) -> None:
        self._fleet = fleet
        self._inner = inner

    @property
    def id(self) -> str:
        return self._inner.id

    @property
    def summary(self) -> SessionSummary:
        return self._inner.summary

    def __repr__(self) -> str:
        return f"Session({self.id!r})"

    def send(self, text: str, *, images: list[str] | None = None, while_running: str | None = None, **controls: Any) -> SendResult:
        """Send a message. ``while_running``: ``steer``, ``queue`` or (default) fail when a turn is running."""
        return self._fleet._run(self._inner.send(text, images=images, while_running=while_running, **controls))

    def steer(self, text: str, *, images: list[str] | None = None) -> str:
        return self._fleet._run(self._inner.steer(text, images=images))

    def queue(self, text: str, *, images: list[str] | None = None, **controls: Any) -> SendResult:
        return self._fleet._run(self._inner.queue(text, images=images, **controls))

    def interrupt(self) -> str:
        return self._fleet._run(self._inner.interrupt())

    def wait(self, turn_id: str, *, timeout: float | None = None, check: bool = True) -> TurnResult:
        return self._fleet._run(self._inner.wait(turn_id, timeout=timeout, check=check))

    def send_and_wait(self, text: str, *, timeout: float | None = None, images: list[str] | None = None, **controls: Any) -> TurnResult:
        """Start a turn and wait: ``.turn_id``, ``.status``, ``.reply``; raises ``TurnFailedError`` / ``TurnInterruptedError``."""
        return self._fleet._run(self._inner.send_and_wait(text, timeout=timeout, images=images, **controls))

    def read(self, *, include_items: bool = True) -> dict[str, Any]:
        return self._fleet._run(self._inner.read(include_items=include_items))

    def refresh(self) -> SessionSummary:
        return self._fleet._run(self._inner.refresh())

    def pending(self) -> list[PendingRequest]:
        return self._fleet.requests.list(session_id=self.id)

    @overload
    def on(self, matcher: Matcher, handler: None = None) -> Callable[[SH], SH]: ...

    @overload
    def on(self, matcher: Matcher, handler: SyncHandler) -> Registration[SyncHandler]: ...

    def on(self, matcher: Matcher, handler: SyncHandler | None = None) -> Any:
        """``@session.on("request/pending")``: a handler for this session's events only."""
        return self._fleet.on(matcher, handler, session_id=self.id)


class Sessions:
    def __init__(self, fleet: CodexFleet) -> None:
        self._fleet = fleet
        self._aio = fleet._aio.sessions

    def _wrap(self, inner: AsyncSession) -> Session:
        return Session(self._fleet, inner)

    def create(
        self,
        *,
        name: str | None = None,
        cwd: str | None = None,
        skills: Skills | None = None,
        dynamic_tools: list[dict[str, Any]] | None = None,
        **controls: Any,
    ) -> Session:
        """Start a session. ``controls``: model, effort, approval_policy, sandbox, network_access, collaboration_mode."""
        return self._wrap(self._fleet._run(self._aio.create(name=name, cwd=cwd, skills=skills, dynamic_tools=dynamic_tools, **controls)))

    def list(
        self, *, archived: bool | None = None, limit: int | None = None, scope: str | None = None, all_pages: bool = True
    ) -> list[SessionSummary]:
        return self._fleet._run(self._aio.list(archived=archived, limit=limit, scope=scope, all_pages=all_pages))

    def get(self, session_id: str) -> Session:
        return self._wrap(self._fleet._run(self._aio.get(session_id)))

    def resume(self, session_id: str) -> Session:
        return self._wrap(self._fleet._run(self._aio.resume(session_id)))

    def fork(self, session_id: str, *, last_turn_id: str | None = None, name: str | None = None) -> Session:
        return self._wrap(self._fleet._run(self._aio.fork(session_id, last_turn_id=last_turn_id, name=name)))

    def archive(self, session_id: str) -> SessionSummary:
        return self._fleet._run(self._aio.archive(session_id))

    def unarchive(self, session_id: str) -> SessionSummary:
        return self._fleet._run(self._aio.unarchive(session_id))

    def rename(self, session_id: str, name: str) -> SessionSummary:
        return self._fleet._run(self._aio.rename(session_id, name))


class Requests:
    """Pending approvals, questions and tool calls. The first answer wins; later ones raise ``AlreadyResolvedError``."""

    def __init__(self, fleet: CodexFleet) -> None:
        self._fleet = fleet
        self._aio = fleet._aio.requests

    def list(self, *, session_id: str | None = None) -> list[PendingRequest]:
        return self._fleet._run(self._aio.list(session_id=session_id))

    def answer(self, request: PendingRequest | str, answer: dict[str, Any]) -> None:
        self._fleet._run(self._aio.answer(request, answer))

    def decide(self, request: PendingRequest | str, decision: str) -> None:
        self._fleet._run(self._aio.decide(request, decision))

    def accept(self, request: PendingRequest | str) -> None:
        self._fleet._run(self._aio.accept(request))

    def decline(self, request: PendingRequest | str) -> None:
        self._fleet._run(self._aio.decline(request))

    def audit(self, *, limit: int | None = None) -> builtins.list[dict[str, Any]]:
        return self._fleet._run(self._aio.audit(limit=limit))


class Account:
    def __init__(self, fleet: CodexFleet) -> None:
        self._fleet = fleet
        self._aio = fleet._aio.account

    def read(self) -> dict[str, Any]:
        return self._fleet._run(self._aio.read())

    def login_api_key(self, api_key: str) -> dict[str, Any]:
        return self._fleet._run(self._aio.login_api_key(api_key))

    def login_chatgpt(self) -> dict[str, Any]:
        return self._fleet._run(self._aio.login_chatgpt())

    def cancel_login(self, login_id: str) -> None:
        self._fleet._run(self._aio.cancel_login(login_id))

    def logout(self) -> None:
        self._fleet._run(self._aio.logout())

    def rate_limits(self) -> dict[str, Any] | None:
        return self._fleet._run(self._aio.rate_limits())


class Agents:
    def __init__(self, fleet: CodexFleet) -> None:
        self._fleet = fleet
        self._aio = fleet._aio.agents

    def list(self) -> list[dict[str, Any]]:
        return self._fleet._run(self._aio.list())

    def create(self, name: str, **options: Any) -> dict[str, Any]:
        return self._fleet._run(self._aio.create(name, **options))

    def send(self, name: str, text: str, *, wait: bool = True, timeout: float | None = None) -> dict[str, Any]:
        return self._fleet._run(self._aio.send(name, text, wait=wait, timeout=timeout))

    def stop(self, name: str) -> dict[str, Any]:
        return self._fleet._run(self._aio.stop(name))

    def start(self, name: str) -> dict[str, Any]:
        return self._fleet._run(self._aio.start(name))

    def destroy(self, name: str, *, keep_worktree: bool = False, delete_sessions: bool = False) -> None:
        self._fleet._run(self._aio.destroy(name, keep_worktree=keep_worktree, delete_sessions=delete_sessions))

    def adopt(self, session_id: str, name: str, *, consent: bool | None = None) -> dict[str, Any]:
        return self._fleet._run(self._aio.adopt(session_id, name, consent=consent))

    def transcript(self, name: str, *, since: int | None = None, raw: bool | None = None) -> dict[str, Any]:
        return self._fleet._run(self._aio.transcript(name, since=since, raw=raw))
