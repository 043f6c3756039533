"""The event side of a fleet (asyncio): seq bookkeeping (each event delivered once, in seq order, across
re-subscriptions and reconnects) and the dispatch of events to handlers, one at a time."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from .connection import Connection
from .handlers import HandlerSet
from .types import FleetEvent, Reconnected, SubscribeResult, decode

log = logging.getLogger("codex_fleet")

EventHandler = Callable[[FleetEvent], None | Awaitable[None]]
ReconnectHandler = Callable[[Reconnected], None | Awaitable[None]]
QueueItem = FleetEvent | Reconnected | None
"""What the dispatcher hands on: an event, a reconnect notice, or None when the fleet closes."""


class EventStream:
    def __init__(self) -> None:
        self.last_seq = 0
        """Highest event seq delivered."""
        self.filter: dict[str, Any] | None = None
        """The subscription filter (``sessionIds``, ``kinds``), kept for reconnects; None before subscribing."""
        self.handlers: HandlerSet[EventHandler] = HandlerSet()
        self.reconnect_handlers: list[ReconnectHandler] = []
        self.listeners: list[Callable[[QueueItem], None]] = []
        """Called with every item before the handlers (the sync client's bridge, iterators' end marks)."""
        self._holding: list[FleetEvent] | None = None
        self._lock = asyncio.Lock()
        self._queue: asyncio.Queue[QueueItem] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._dispatch_loop())

    def feed(self, event: FleetEvent) -> None:
        """An event from the connection."""
        if self._holding is not None:
            self._holding.append(event)
        else:
            self._accept(event)

    def _accept(self, event: FleetEvent) -> None:
        if event.seq <= self.last_seq:
            return
        self.last_seq = event.seq
        self._queue.put_nowait(event)

    def post(self, item: Reconnected) -> None:
        self._queue.put_nowait(item)

    def end(self) -> None:
        self._queue.put_nowait(None)

    async def finished(self) -> None:
        """Until the dispatcher handled everything up to ``end()``."""
        if self._task is not None:
            await self._task

    async def subscribe(self, conn: Connection, since_seq: int | None, filt: dict[str, Any]) -> SubscribeResult:
        """Set the filter on ``conn``; with ``since_seq`` the events after it are delivered (again)."""
        params = dict(filt)
        if since_seq is not None:
            params["sinceSeq"] = since_seq
        async with self._lock:
            # Hold events while the filter changes: live ones still in flight and the replay arrive
            # before the result; sorted and deduplicated they are delivered once, in seq order.
            self._holding = []
            try:
                raw = await conn.request("events/subscribe", params)
            finally:
                held, self._holding = self._holding, None
            if since_seq is not None:
                self.last_seq = since_seq
            for event in sorted(held, key=lambda e: e.seq):
                self._accept(event)
            return decode(SubscribeResult, raw)

    async def _dispatch_loop(self) -> None:
        while True:
            item = await self._queue.get()
            for listener in list(self.listeners):
                listener(item)
            if item is None:
                return
            if isinstance(item, Reconnected):
                for rh in list(self.reconnect_handlers):
                    await _run_handler(rh, item)
                continue
            for handler in self.handlers.matching(item):
                await _run_handler(handler, item)


async def _run_handler(handler: Callable[[Any], Any], item: Any) -> None:
    try:
        outcome = handler(item)
        if inspect.isawaitable(outcome):
            await outcome
    except Exception:
        log.exception("event handler %r failed", getattr(handler, "__name__", handler))
