"""One JSON-RPC connection to a sidecar over its unix socket (asyncio streams). ``initialize`` is sent
first; nothing else may go out before it has been answered."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from typing import Any

from .errors import (
    FleetError,
    FleetTimeoutError,
    ProtocolError,
    SidecarUnavailableError,
)
from .framing import FrameDecoder, encode_message
from .paths import StatePaths, check_paths_trusted

log = logging.getLogger("codex_fleet")

NotificationHandler = Callable[[str, Any], None]

INITIALIZE_TIMEOUT_S = 5.0


class Connection:
    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        on_notification: NotificationHandler,
        on_close: Callable[[Connection], None],
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._on_notification = on_notification
        self._on_close = on_close
        self._next_id = 1
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._initialized = False
        self._closed = False
        self._task = asyncio.get_running_loop().create_task(self._read_loop())

    @classmethod
    async def open(
        cls,
        paths: StatePaths,
        on_notification: NotificationHandler,
        on_close: Callable[[Connection], None],
    ) -> Connection:
        """Connect to the socket after checking it can be trusted; raises ``SidecarUnavailableError`` when nobody listens."""
        check_paths_trusted(paths)
        try:
            reader, writer = await asyncio.open_unix_connection(paths.socket_path, limit=1 << 24)
        except (FileNotFoundError, ConnectionRefusedError) as e:
            raise SidecarUnavailableError(f"no sidecar is listening at {paths.socket_path}") from e
        except OSError as e:
            raise SidecarUnavailableError(f"could not connect to {paths.socket_path}: {e}") from e
        return cls(reader, writer, on_notification, on_close)

    @property
    def closed(self) -> bool:
        return self._closed

    async def initialize(self, client_name: str, client_version: str | None) -> dict[str, Any]:
        params = {
            "processId": os.getpid(),
            "clientInfo": {"name": client_name, "version": client_version},
            "capabilities": {},
            "initializationOptions": {"logs": False},
        }
        try:
            result = await self._send("initialize", params, INITIALIZE_TIMEOUT_S)
        except FleetTimeoutError as e:
            self.abort()
            raise SidecarUnavailableError(f"the sidecar did not answer initialize within {INITIALIZE_TIMEOUT_S:g} s") from e
        self._initialized = True
        if not isinstance(result, dict):
            raise ProtocolError("initialize returned no result object")
        return result

    async def request(self, method: str, params: Any = None, timeout: float | None = None) -> Any:
        if not self._initialized:
            raise ProtocolError(f"{method} sent before initialize: initialize must be the first message")
        return await self._send(method, params, timeout)

    async def _send(self, method: str, params: Any, timeout: float | None) -> Any:
        if self._closed:
            raise SidecarUnavailableError("the connection to the sidecar is closed")
        request_id = self._next_id
        self._next_id += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        try:
            self._writer.write(encode_message(message))
            await self._writer.drain()
            if timeout is None:
                return await future
            try:
                return await asyncio.wait_for(asyncio.shield(future), timeout)
            except asyncio.TimeoutError as e:
                raise FleetTimeoutError(f"{method} got no answer within {timeout:g} s") from e
        except (ConnectionError, OSError) as e:
            raise SidecarUnavailableError(f"the connection to the sidecar broke: {e}") from e
        finally:
            self._pending.pop(request_id, None)

    def notify(self, method: str, params: Any = None) -> None:
        if self._closed:
            return
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self._writer.write(encode_message(message))

    async def _read_loop(self) -> None:
        decoder = FrameDecoder()
        try:
            while True:
                chunk = await self._reader.read(1 << 16)
                if not chunk:
                    break
                for message in decoder.feed(chunk):
                    self._dispatch(message)
        except (ConnectionError, OSError, ProtocolError) as e:
            log.warning("sidecar connection: %s", e)
        except asyncio.CancelledError:
            pass
        finally:
            self._mark_closed()

    def _dispatch(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if isinstance(method, str):
            if "id" in message:  # a request from the sidecar: none are defined for clients
                self._writer.write(
                    encode_message(
                        {"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": f"unhandled method {method}"}}
                    )
                )
                return
            try:
                self._on_notification(method, message.get("params"))
            except Exception:  # a listener's bug must not end the connection
                log.exception("notification handler for %s failed", method)
            return
        future = self._pending.get(message.get("id", -1))
        if future is None or future.done():
            return
        if "error" in message:
            future.set_exception(FleetError.from_wire(message["error"]))
        else:
            future.set_result(message.get("result"))

    def _mark_closed(self) -> None:
        if self._closed:
            return
        self._closed = True
        for future in self._pending.values():
            if not future.done():
                future.set_exception(SidecarUnavailableError("the connection to the sidecar closed"))
        self._pending.clear()
        try:
            self._writer.close()
        except Exception:  # already gone
            pass
        self._on_close(self)

    def abort(self) -> None:
        """Drop the connection at once (the sidecar sees it go away)."""
        transport = self._writer.transport
        transport.abort()
        self._mark_closed()

    async def close(self) -> None:
        """Say goodbye (LSP ``shutdown``/``exit``) and close; the sidecar keeps running."""
        if self._closed:
            return
        try:
            await self._send("shutdown", None, 2.0)
            self.notify("exit")
            await self._writer.drain()
        except Exception:  # closing anyway
            pass
        self._writer.close()
        self._mark_closed()
        self._task.cancel()
