"""Serving remote skills: stream mode (calls answered as their ``request/pending`` events arrive, several at
once) and the polling drain (``requests/list`` → answer the pending calls of our skills). Calls for tools
this process did not register are left for whoever did."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from .errors import AlreadyResolvedError, RequestNotFoundError
from .skills import Skills
from .types import (
    FleetEvent,
    PendingRequest,
    Reconnected,
    RequestPendingEvent,
    ToolCallRequest,
)

if TYPE_CHECKING:
    from .aio import AsyncCodexFleet
    from .handlers import Registration

log = logging.getLogger("codex_fleet")


class SkillServer:
    def __init__(self, fleet: AsyncCodexFleet, skills: Skills, session_id: str | None) -> None:
        self._fleet = fleet
        self._skills = skills
        self._session_id = session_id
        self._seen: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._registration: Registration[Any] | None = None
        self.answered = 0
        """Calls answered so far."""

    def start(self) -> None:
        self._registration = self._fleet.on("request/pending", self._on_pending, session_id=self._session_id)
        self._fleet.on_reconnect(self._on_reconnect)
        self._spawn(self._drain_quietly())  # calls that were pending before we subscribed

    def stop(self) -> None:
        """Stop taking new calls (calls in progress still get their answer)."""
        if self._registration is not None:
            self._fleet.off(self._registration)
            self._fleet.off_reconnect(self._on_reconnect)
            self._registration = None

    async def wait_idle(self) -> None:
        """Until every call taken so far has been answered."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _on_pending(self, event: FleetEvent) -> None:
        if isinstance(event, RequestPendingEvent) and self._wants(event.request):
            self._spawn(self._serve(event.request))

    def _on_reconnect(self, info: Reconnected) -> None:
        if self._registration is not None:
            self._spawn(self._drain_quietly())  # a gap may have hidden request/pending events

    async def drain(self) -> int:
        """Answer every pending call of our skills now (concurrently); returns how many were answered."""
        before = self.answered
        pending = await self._fleet.requests.list(session_id=self._session_id)
        await asyncio.gather(*(self._serve(r) for r in pending if self._wants(r)))
        return self.answered - before

    async def _drain_quietly(self) -> None:
        try:
            await self.drain()
        except Exception as e:
            log.warning("could not list pending skill calls: %s", e)

    def _wants(self, request: PendingRequest) -> bool:
        if self._session_id is not None and request.session_id != self._session_id:
            return False
        return self._skills.handles(request) and request.id not in self._seen

    async def _serve(self, request: PendingRequest) -> None:
        if request.id in self._seen or not isinstance(request, ToolCallRequest):
            return
        self._seen.add(request.id)
        result = await self._skills.call(request)
        try:
            await self._fleet.requests.answer(request, result.answer())
            self.answered += 1
        except (AlreadyResolvedError, RequestNotFoundError) as e:
            log.info("skill call %s for %s was already resolved: %s", request.id, request.tool, e.message)
        except Exception as e:  # connection trouble: a drain after the reconnect answers it
            self._seen.discard(request.id)
            log.warning("could not answer skill call %s for %s: %s", request.id, request.tool, e)

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
