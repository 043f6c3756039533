"""``CodexFleet``: the blocking client, for scripts.

    with CodexFleet.connect(workspace=".") as fleet:
        session = fleet.sessions.create(approval_policy="on-request")
        print(session.send_and_wait("Summarise this repository").reply)

It runs an ``AsyncCodexFleet`` on a private event loop thread; event handlers run on one dispatcher
thread, in seq order, so a handler may call the fleet (blocking calls included).
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import Callable, Coroutine, Iterator, Mapping
from types import TracebackType
from typing import Any, TypeVar, overload

from .aio import AsyncCodexFleet, _Connecting
from .handlers import HandlerSet, Matcher, Registration
from .paths import StatePaths
from .skill_server import SkillServer
from .skills import Skills
from .sync_api import Account, Agents, Requests, Sessions
from .types import FleetEvent, Reconnected, SubscribeResult

log = logging.getLogger("codex_fleet")
T = TypeVar("T")
SyncHandler = Callable[[FleetEvent], None]
SH = TypeVar("SH", bound=SyncHandler)
_Item = FleetEvent | Reconnected | None


class _Loop:
    """An asyncio loop on a daemon thread; ``run`` blocks the caller until a coroutine finishes there."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="codex-fleet-loop", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        if threading.current_thread() is self.thread:
            coro.close()
            raise RuntimeError("a blocking CodexFleet call cannot be made from its own event loop thread")
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def call(self, func: Callable[[], T]) -> T:
        async def wrapper() -> T:
            return func()

        return self.run(wrapper())

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        if not self.thread.is_alive():
            self.loop.close()


class CodexFleet:
    """A blocking connection to one workspace's sidecar (started through the CLI when none runs)."""

    def __init__(self, aio: AsyncCodexFleet, loop: _Loop) -> None:
        self._aio = aio
        self._loop = loop
        self._handlers: HandlerSet[SyncHandler] = HandlerSet()
        self._reconnect_handlers: list[Callable[[Reconnected], None]] = []
        self._items: queue.Queue[_Item] = queue.Queue()
        self._finished = threading.Event()
        self._end_listeners: list[queue.Queue[FleetEvent | None]] = []
        self._dispatcher = threading.Thread(target=self._dispatch, name="codex-fleet-handlers", daemon=True)
        self._dispatcher.start()
        self.sessions = Sessions(self)
        self.requests = Requests(self)
        self.account = Account(self)
        self.agents = Agents(self)

    @classmethod
    def connect(
        cls,
        workspace: str | os.PathLike[str] | None = None,
        *,
        client_name: str = "python-sdk",
        env: Mapping[str, str] | None = None,
        auto_start: bool = True,
        reconnect: bool = True,
        subscribe: bool = True,
    ) -> CodexFleet:
        """Connect (starting the sidecar if needed); use it as a context manager. The options are those of
        ``AsyncCodexFleet.connect``."""
        loop = _Loop()
        fleet: CodexFleet | None = None
        try:
            aio = loop.call(
                lambda: AsyncCodexFleet(
                    workspace, client_name=client_name, env=env, auto_start=auto_start, reconnect=reconnect, subscribe=subscribe
                )
            )
            fleet = cls(aio, loop)
            loop.call(lambda: aio._stream.listeners.append(fleet._items.put_nowait) if fleet else None)
            loop.run(_Connecting(aio)._connect())
        except BaseException:
            if fleet is not None:
                fleet._items.put_nowait(None)  # end the dispatcher thread
            loop.stop()
            raise
        return fleet

    # -- state --------------------------------------------------------------------------------

    @property
    def paths(self) -> StatePaths:
        return self._aio.paths

    @property
    def started(self) -> bool:
        """True when this client started the sidecar."""
        return self._aio.started

    @property
    def status(self) -> dict[str, Any]:
        return self._aio.status

    @property
    def last_seq(self) -> int:
        return self._aio.last_seq

    @property
    def closed(self) -> bool:
        return self._finished.is_set()

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self._loop.run(coro)

    def request(self, method: str, params: Any = None, *, timeout: float | None = None) -> Any:
        """Send any sidecar request (docs/protocol.md)."""
        return self._run(self._aio.request(method, params, timeout=timeout))

    def fleet_status(self) -> dict[str, Any]:
        return self._run(self._aio.fleet_status())

    # -- events -------------------------------------------------------------------------------

    def subscribe(
        self, *, since_seq: int | None = None, session_ids: list[str] | None = None, kinds: list[str] | None = None
    ) -> SubscribeResult:
        """Set the event filter; with ``since_seq``, replay the buffered events after it to the handlers first."""
        return self._run(self._aio.subscribe(since_seq=since_seq, session_ids=session_ids, kinds=kinds))

    @overload
    def on(self, matcher: Matcher, handler: None = None, *, session_id: str | None = None) -> Callable[[SH], SH]: ...

    @overload
    def on(self, matcher: Matcher, handler: SyncHandler, *, session_id: str | None = None) -> Registration[SyncHandler]: ...

    def on(self, matcher: Matcher, handler: SyncHandler | None = None, *, session_id: str | None = None) -> Any:
        """``@fleet.on("request/pending")``, ``@fleet.on("turn/")``, a predicate, or ``fleet.on(kind, handler)``."""
        if handler is not None:
            return self._handlers.add(matcher, handler, session_id)

        def decorator(func: SH) -> SH:
            self._handlers.add(matcher, func, session_id)
            return func

        return decorator

    def off(self, registration: Registration[SyncHandler]) -> None:
        self._handlers.remove(registration)

    def on_reconnect(self, handler: Callable[[Reconnected], None]) -> Callable[[Reconnected], None]:
        """``@fleet.on_reconnect``: after a dropped connection was re-established (``gap``: events were lost)."""
        self._reconnect_handlers.append(handler)
        return handler

    def events(self, matcher: Matcher = "*", *, session_id: str | None = None, since_seq: int | None = None) -> EventIterator:
        """``for event in fleet.events("turn/"):`` events from this call on (with ``since_seq``, the buffered
        ones after it first); ends when the fleet closes, or at ``close()`` (also a context manager)."""
        iterator = EventIterator(self, matcher, session_id)
        if since_seq is not None:
            self.subscribe(since_seq=since_seq)
        return iterator

    def _dispatch(self) -> None:
        while True:
            item = self._items.get()
            if item is None:
                self._finished.set()
                for q in list(self._end_listeners):
                    q.put_nowait(None)
                return
            if isinstance(item, Reconnected):
                for rh in list(self._reconnect_handlers):
                    _call(rh, item)
                continue
            for handler in self._handlers.matching(item):
                _call(handler, item)

    def run_forever(self, stop_event: threading.Event | None = None) -> None:
        """Serve handlers until ``stop_event`` is set, the fleet is closed, or the connection is lost for good."""
        aio_stop = self._loop.call(asyncio.Event)
        if stop_event is not None:

            def relay(source: threading.Event) -> None:
                source.wait()
                try:
                    self._loop.loop.call_soon_threadsafe(aio_stop.set)
                except RuntimeError:  # the loop is already closed
                    pass

            threading.Thread(target=relay, args=(stop_event,), daemon=True).start()
        self._run(self._aio.run_forever(aio_stop))

    def reconnect(self) -> Reconnected:
        """Re-establish a dropped connection now (done automatically unless ``reconnect=False``)."""
        return self._run(self._aio.reconnect())

    def _drop_connection(self) -> None:
        """Testing aid: break the socket as a crash would."""
        self._loop.call(self._aio._drop_connection)

    # -- skills -------------------------------------------------------------------------------

    def serve_skills(self, skills: Skills, *, session_id: str | None = None) -> SkillServer:
        """Stream mode: answer these skills' calls as they arrive (in the background); ``stop()`` ends it."""
        return self._loop.call(lambda: self._aio.serve_skills(skills, session_id=session_id))

    def stop_serving(self, server: SkillServer) -> None:
        """Stop taking calls, then wait until the calls already taken are answered."""
        self._run(self._aio.stop_serving(server))

    def drain(self, skills: Skills, *, session_id: str | None = None) -> int:
        """Polling mode: answer the pending calls of these skills now; returns how many."""
        return self._run(self._aio.drain(skills, session_id=session_id))

    def poll(self, skills: Skills, *, session_id: str | None = None) -> int:
        """Same as ``drain``."""
        return self.drain(skills, session_id=session_id)

    def run_with_skills(self, skills: Skills, prompt: str, *, timeout: float | None = None, **controls: Any) -> str:
        """Start a session with ``skills``, send ``prompt``, serve the calls until the turn ends; returns the reply."""
        return self._run(self._aio.run_with_skills(skills, prompt, timeout=timeout, **controls))

    # -- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (the sidecar keeps running) once handlers saw every queued event."""
        if self._loop.thread.is_alive():
            try:
                self._run(self._aio.close())
            finally:
                self._loop.stop()
        if threading.current_thread() is not self._dispatcher:
            self._dispatcher.join(timeout=10)

    def __enter__(self) -> CodexFleet:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class EventIterator(Iterator[FleetEvent]):
    """The events a ``fleet.events(...)`` call asked for, collected from the moment of the call."""

    def __init__(self, fleet: CodexFleet, matcher: Matcher, session_id: str | None) -> None:
        self._fleet = fleet
        self._items: queue.Queue[FleetEvent | None] = queue.Queue()
        self._registration = fleet._handlers.add(matcher, self._items.put_nowait, session_id)
        fleet._end_listeners.append(self._items)
        self._closed = False

    def __next__(self) -> FleetEvent:
        event = None if self._closed else self._items.get()
        if event is None:
            self.close()
            raise StopIteration
        return event

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._fleet._handlers.remove(self._registration)
            if self._items in self._fleet._end_listeners:
                self._fleet._end_listeners.remove(self._items)

    def __enter__(self) -> EventIterator:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _call(handler: Callable[[Any], None], item: Any) -> None:
    try:
        handler(item)
    except Exception:
        log.exception("event handler %r failed", getattr(handler, "__name__", handler))
