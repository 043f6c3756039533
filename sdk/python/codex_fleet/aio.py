"""``AsyncCodexFleet``: the asyncio client. ``CodexFleet`` (client.py) is the same surface, blocking.

async with AsyncCodexFleet.connect(workspace=".") as fleet:
    session = await fleet.sessions.create(approval_policy="on-request")
    result = await session.send_and_wait("Summarise this repository")
    print(result.reply)
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Generator, Mapping
from types import TracebackType
from typing import Any, TypeVar, overload

from .aio_api import AsyncAccount, AsyncAgents, AsyncRequests, AsyncSessions
from .connection import Connection
from .errors import InsecureStateDirError, SidecarUnavailableError
from .event_stream import EventHandler, EventStream, QueueItem, ReconnectHandler
from .handlers import Matcher, Registration
from .launcher import start_sidecar
from .paths import StatePaths, state_paths
from .skill_server import SkillServer
from .skills import Skills
from .types import FleetEvent, Reconnected, SubscribeResult, decode_event
from .version import __version__

log = logging.getLogger("codex_fleet")

AH = TypeVar("AH", bound=EventHandler)

RECONNECT_WINDOW_S = 60.0


class AsyncCodexFleet:
    """A connection to one workspace's sidecar (started through the CLI when none runs)."""

    def __init__(
        self,
        workspace: str | os.PathLike[str] | None = None,
        *,
        client_name: str = "python-sdk",
        env: Mapping[str, str] | None = None,
        auto_start: bool = True,
        reconnect: bool = True,
        subscribe: bool = True,
    ) -> None:
        self.env: dict[str, str] = dict(os.environ if env is None else env)
        self.paths: StatePaths = state_paths(os.fspath(workspace or os.getcwd()), self.env)
        self.client_name = client_name
        self.auto_start = auto_start
        self.reconnect_enabled = reconnect
        self._subscribe_at_connect = subscribe
        self.started = False
        """True when this client started the sidecar."""
        self.status: dict[str, Any] = {}
        """The ``FleetStatus`` the sidecar reported at the last (re)connect."""
        self._conn: Connection | None = None
        self._stream = EventStream()
        self._connected = asyncio.Event()
        self._finished = asyncio.Event()
        self._down = asyncio.Event()
        """Set while the connection is down and no reconnect is under way."""
        self._closing = False
        self._reconnecting = False
        self._stop_reason: str | None = None
        self._sidecar_started_at: int | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.sessions = AsyncSessions(self)
        self.requests = AsyncRequests(self)
        self.account = AsyncAccount(self)
        self.agents = AsyncAgents(self)

    # ------------------------------------------------------------------------------------------
    # Connecting

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
    ) -> _Connecting:
        """``await AsyncCodexFleet.connect(...)`` or ``async with AsyncCodexFleet.connect(...) as fleet``.

        ``client_name`` is how other clients see this one; ``env`` replaces ``os.environ`` (state dir,
        starting the sidecar); ``auto_start`` starts a sidecar when none runs; ``reconnect`` re-establishes
        a dropped connection; ``subscribe`` receives live events from the start."""
        fleet = cls(workspace, client_name=client_name, env=env, auto_start=auto_start, reconnect=reconnect, subscribe=subscribe)
        return _Connecting(fleet)

    @property
    def reconnecting(self) -> bool:
        """True while the SDK is re-establishing a dropped connection."""
        return self._reconnecting

    @property
    def last_seq(self) -> int:
        """Highest event seq delivered to handlers."""
        return self._stream.last_seq

    async def _start(self) -> None:
        self._stream.start()
        await self._open()
        if self._subscribe_at_connect:
            await self.subscribe()

    async def _open(self) -> None:
        """Connect (starting the sidecar if allowed) and initialize; retries a sidecar that is going away."""
        for attempt in range(1, 4):
            try:
                conn = await self._open_socket()
                init = await conn.initialize(self.client_name, __version__)
            except InsecureStateDirError:
                raise
            except SidecarUnavailableError:
                if attempt >= 3 or not self.auto_start:
                    raise
                continue
            self.status = dict(init.get("status") or {})
            sidecar = self.status.get("sidecar") or {}
            self._sidecar_started_at = sidecar.get("startedAt")
            self._conn = conn
            self._stop_reason = None
            self._down.clear()
            self._connected.set()
            return

    async def _open_socket(self) -> Connection:
        try:
            return await Connection.open(self.paths, self._on_notification, self._on_close)
        except InsecureStateDirError:
            raise
        except SidecarUnavailableError:
            if not self.auto_start:
                raise SidecarUnavailableError(f"no sidecar is running for {self.paths.workspace}") from None
        served = await start_sidecar(self.paths.workspace, self.env)
        self.started = served.get("started") is not False  # another client may have started it meanwhile
        return await Connection.open(self.paths, self._on_notification, self._on_close)

    def _on_notification(self, method: str, params: Any) -> None:
        if method == "fleet/event" and isinstance(params, dict):
            self._stream.feed(decode_event(params))
        elif method == "fleet/stopping" and isinstance(params, dict):
            self._stop_reason = str(params.get("reason"))

    def _on_close(self, conn: Connection) -> None:
        if conn is not self._conn:
            return
        self._connected.clear()
        if self._closing or self._finished.is_set():
            return
        if self._reconnecting:
            return  # the loop under way tries again
        if self.reconnect_enabled and self._stop_reason != "requested":
            self._reconnecting = True  # at once: a request failing with this close already sees it
            self._spawn(self._reconnect_loop())
        else:
            why = "the sidecar was stopped" if self._stop_reason == "requested" else "the connection to the sidecar closed"
            log.info("%s; not reconnecting", why)
            self._down.set()

    async def _reconnect_loop(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RECONNECT_WINDOW_S
        delay = 0.05
        try:
            while not self._closing:
                try:
                    await self.reconnect()
                    return
                except InsecureStateDirError as e:
                    log.error("not reconnecting: %s", e)
                    break
                except Exception as e:  # try again until the window closes
                    if loop.time() + delay > deadline:
                        log.error("could not reconnect to the sidecar within %g s: %s", RECONNECT_WINDOW_S, e)
                        break
                    await asyncio.sleep(delay)  # backoff between attempts to reach a restarting sidecar
                    delay = min(delay * 2, 2.0)
            self._down.set()
        finally:
            self._reconnecting = False

    async def reconnect(self) -> Reconnected:
        """Re-establish a dropped connection and resume the event stream from the last seq seen.

        Done automatically (``reconnect=True``, the default); handlers registered with ``on_reconnect``
        then get a ``Reconnected`` saying how many events were replayed and whether some were lost (``gap``).
        """
        if self._conn is not None and not self._conn.closed:
            raise RuntimeError("reconnect() needs a dropped connection; this one is open")
        before = self._sidecar_started_at
        await self._open()
        since = self.last_seq
        new_sidecar = before is not None and self._sidecar_started_at != before
        replayed, gap = 0, new_sidecar
        if new_sidecar:
            self._stream.last_seq = 0  # a new sidecar numbers its events from 1 again
        if self._stream.filter is not None:
            result = await self._stream.subscribe(await self._connection(), 0 if new_sidecar else since, self._stream.filter)
            replayed, gap = result.replayed, gap or result.gap
        info = Reconnected(replayed=replayed, gap=gap, since_seq=since)
        if gap:
            log.warning("reconnected to the sidecar with a gap after seq %d: re-read state", since)
        self._stream.post(info)
        return info

    # ------------------------------------------------------------------------------------------
    # Events

    async def subscribe(
        self,
        *,
        since_seq: int | None = None,
        session_ids: list[str] | None = None,
        kinds: list[str] | None = None,
    ) -> SubscribeResult:
        """Set the event filter (kept across reconnects); with ``since_seq``, replay buffered events after it first."""
        filt: dict[str, Any] = {}
        if session_ids is not None:
            filt["sessionIds"] = list(session_ids)
        if kinds is not None:
            filt["kinds"] = list(kinds)
        self._stream.filter = filt
        return await self._stream.subscribe(await self._connection(), since_seq, filt)

    @overload
    def on(self, matcher: Matcher, handler: None = None, *, session_id: str | None = None) -> Callable[[AH], AH]: ...

    @overload
    def on(self, matcher: Matcher, handler: EventHandler, *, session_id: str | None = None) -> Registration[EventHandler]: ...

    def on(self, matcher: Matcher, handler: EventHandler | None = None, *, session_id: str | None = None) -> Any:
        """Register an event handler: ``@fleet.on("request/pending")``, ``@fleet.on("turn/")``, a predicate,
        or ``fleet.on(kind, handler)``. Handlers run one at a time in seq order; async ones are awaited."""
        if handler is not None:
            return self._stream.handlers.add(matcher, handler, session_id)

        def decorator(func: AH) -> AH:
            self._stream.handlers.add(matcher, func, session_id)
            return func

        return decorator

    def off(self, registration: Registration[EventHandler]) -> None:
        self._stream.handlers.remove(registration)

    def on_reconnect(self, handler: ReconnectHandler) -> ReconnectHandler:
        """``@fleet.on_reconnect``: called after a dropped connection was re-established (``gap`` says if events were lost)."""
        self._stream.reconnect_handlers.append(handler)
        return handler

    def off_reconnect(self, handler: ReconnectHandler) -> None:
        if handler in self._stream.reconnect_handlers:
            self._stream.reconnect_handlers.remove(handler)

    def events(self, matcher: Matcher = "*", *, session_id: str | None = None, since_seq: int | None = None) -> AsyncEventIterator:
        """``async for event in fleet.events("turn/", session_id=...)``: events from this call on (with
        ``since_seq``, the buffered ones after it first); ends when the fleet closes, or at ``aclose()``."""
        iterator = AsyncEventIterator(self._stream, matcher, session_id)
        if since_seq is not None:
            self._spawn(self.subscribe(since_seq=since_seq, **_filter_kwargs(self._stream.filter)))
        return iterator

    async def run_forever(self, stop_event: asyncio.Event | None = None) -> None:
        """Serve handlers until ``stop_event`` is set, the fleet is closed, or the connection is lost for good
        (not re-established: ``reconnect=False``, the sidecar was stopped on purpose, or reconnecting failed)."""
        waiters = [asyncio.ensure_future(self._finished.wait()), asyncio.ensure_future(self._down.wait())]
        if stop_event is not None:
            waiters.append(asyncio.ensure_future(stop_event.wait()))
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()

    # ------------------------------------------------------------------------------------------
    # Requests and skills

    async def _connection(self) -> Connection:
        if self._finished.is_set():
            raise SidecarUnavailableError("this fleet is closed")
        if self._conn is None or self._conn.closed:
            if self._down.is_set():
                raise SidecarUnavailableError("the connection to the sidecar is down (call reconnect())")
            try:
                await asyncio.wait_for(self._connected.wait(), RECONNECT_WINDOW_S)
            except asyncio.TimeoutError:
                raise SidecarUnavailableError("the sidecar connection is down") from None
        assert self._conn is not None
        return self._conn

    async def request(self, method: str, params: Any = None, *, timeout: float | None = None) -> Any:
        """Send any sidecar request (docs/protocol.md); errors arrive as typed ``FleetError`` subclasses."""
        conn = await self._connection()
        return await conn.request(method, params, timeout)

    async def fleet_status(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.request("fleet/status")
        return result

    def serve_skills(self, skills: Skills, *, session_id: str | None = None) -> SkillServer:
        """Answer this process's skills' calls as they stream in (and any already pending); ``stop()`` ends it."""
        server = SkillServer(self, skills, session_id)
        server.start()
        return server

    async def stop_serving(self, server: SkillServer) -> None:
        """Stop taking calls, then wait until the calls already taken are answered."""
        server.stop()
        await server.wait_idle()

    async def drain(self, skills: Skills, *, session_id: str | None = None) -> int:
        """Polling mode: answer the pending calls of these skills now; returns how many were answered."""
        return await SkillServer(self, skills, session_id).drain()

    async def run_with_skills(self, skills: Skills, prompt: str, *, timeout: float | None = None, **controls: Any) -> str:
        """Start a session with ``skills``, send ``prompt``, serve calls until the turn ends; returns the reply."""
        session = await self.sessions.create(skills=skills, **controls)
        server = self.serve_skills(skills, session_id=session.id)
        try:
            result = await session.send_and_wait(prompt, timeout=timeout)
        finally:
            await self.stop_serving(server)
        return result.reply or ""

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # ------------------------------------------------------------------------------------------
    # Closing

    def _finish(self) -> None:
        if not self._finished.is_set():
            self._finished.set()
            self._stream.end()

    @property
    def closed(self) -> bool:
        return self._finished.is_set()

    async def close(self) -> None:
        """Close this connection (the sidecar keeps running) after the handlers saw every queued event."""
        self._closing = True
        if self._conn is not None:
            await self._conn.close()
        self._finish()
        await self._stream.finished()
        for task in list(self._tasks):
            task.cancel()

    def _drop_connection(self) -> None:
        """Testing aid: break the socket as a crash would (the reconnect logic takes over)."""
        if self._conn is not None:
            self._conn.abort()

    async def __aenter__(self) -> AsyncCodexFleet:
        return self

    async def __aexit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        await self.close()


class _Connecting:
    def __init__(self, fleet: AsyncCodexFleet) -> None:
        self._fleet = fleet

    def __await__(self) -> Generator[Any, None, AsyncCodexFleet]:
        return self._connect().__await__()

    async def _connect(self) -> AsyncCodexFleet:
        try:
            await self._fleet._start()
        except BaseException:
            await self._fleet.close()
            raise
        return self._fleet

    async def __aenter__(self) -> AsyncCodexFleet:
        return await self._connect()

    async def __aexit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        await self._fleet.close()


class AsyncEventIterator:
    """The events a ``fleet.events(...)`` call asked for, collected from the moment of the call."""

    def __init__(self, stream: EventStream, matcher: Matcher, session_id: str | None) -> None:
        self._stream = stream
        self._queue: asyncio.Queue[QueueItem] = asyncio.Queue()
        self._registration = stream.handlers.add(matcher, self._queue.put_nowait, session_id)
        stream.listeners.append(self._on_item)
        self._closed = False

    def _on_item(self, item: QueueItem) -> None:
        if item is None:
            self._queue.put_nowait(None)

    def __aiter__(self) -> AsyncEventIterator:
        return self

    async def __anext__(self) -> FleetEvent:
        item = None if self._closed else await self._queue.get()
        if not isinstance(item, FleetEvent):
            await self.aclose()
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._stream.handlers.remove(self._registration)
            self._stream.listeners.remove(self._on_item)


def _filter_kwargs(filt: dict[str, Any] | None) -> dict[str, Any]:
    filt = filt or {}
    return {"session_ids": filt.get("sessionIds"), "kinds": filt.get("kinds")}
