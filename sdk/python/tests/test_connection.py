"""The client's side of the protocol against a recording peer on a real unix socket: initialize goes first,
errors come back typed, events are decoded, deduplicated by seq and dispatched to handlers in order.
(The real sidecar is exercised by test/integration/sdkPython.test.ts.)"""

from __future__ import annotations

import asyncio
import os
import tempfile
import unittest
from typing import Any

from codex_fleet import (
    AsyncCodexFleet,
    ProtocolError,
    SessionNotFoundError,
    TurnCompletedEvent,
)
from codex_fleet.connection import Connection
from codex_fleet.framing import FrameDecoder, encode_message
from codex_fleet.paths import state_paths
from codex_fleet.types import FleetEvent


class Peer:
    """Answers each request from a script and records the methods in arrival order."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.methods: list[str] = []
        self.params: list[Any] = []
        self.writer: asyncio.StreamWriter | None = None
        self.closed = asyncio.Event()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        decoder = FrameDecoder()
        while chunk := await reader.read(65536):
            for msg in decoder.feed(chunk):
                self.methods.append(msg["method"])
                self.params.append(msg.get("params"))
                if "id" not in msg:
                    continue
                answer = self.answers.get(msg["method"], {"error": {"code": -32601, "message": "no"}})
                if callable(answer):
                    answer = answer(msg.get("params"))
                writer.write(encode_message({"jsonrpc": "2.0", "id": msg["id"], **answer}))
        writer.close()
        self.closed.set()

    def event(self, seq: int, kind: str, **fields: Any) -> None:
        assert self.writer is not None
        self.writer.write(
            encode_message({"jsonrpc": "2.0", "method": "fleet/event", "params": {"seq": seq, "time": 0, "kind": kind, **fields}})
        )


INIT = {
    "result": {"capabilities": {}, "serverInfo": {"name": "codex-fleet-sidecar", "version": "t"}, "status": {"sidecar": {"startedAt": 1}}}
}
SUBSCRIBED = {"result": {"replayed": 0, "gap": False, "oldestSeq": 0, "lastSeq": 0, "sidecarStartedAt": 1}}


class ConnectionTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.env = {"CODEX_FLEET_STATE_DIR": self.tmp.name}
        self.paths = state_paths(self.tmp.name, self.env)
        os.makedirs(self.paths.dir, mode=0o700)
        self.peer = Peer(
            {
                "initialize": INIT,
                "events/subscribe": SUBSCRIBED,
                "sessions/read": {"error": {"code": -32001, "message": "no session x"}},
                "shutdown": {"result": None},
            }
        )
        self.server = await asyncio.start_unix_server(self.peer.serve, path=self.paths.socket_path)

    async def asyncTearDown(self) -> None:
        if self.peer.writer is not None:
            await asyncio.wait_for(self.peer.closed.wait(), 5)  # the client hung up; the peer closed its side
        self.server.close()
        await self.server.wait_closed()
        self.tmp.cleanup()

    async def test_initialize_is_first_and_carries_client_info(self) -> None:
        async with AsyncCodexFleet.connect(self.paths.workspace, env=self.env, auto_start=False, client_name="unit") as fleet:
            self.assertEqual(fleet.status, {"sidecar": {"startedAt": 1}})
            self.assertFalse(fleet.started)
        self.assertEqual(self.peer.methods[:2], ["initialize", "events/subscribe"])
        self.assertEqual(self.peer.params[0]["clientInfo"]["name"], "unit")
        self.assertEqual(self.peer.params[0]["processId"], os.getpid())
        await asyncio.wait_for(self.peer.closed.wait(), 5)
        self.assertEqual(self.peer.methods[-2:], ["shutdown", "exit"])

    async def test_nothing_goes_out_before_initialize(self) -> None:
        conn = await Connection.open(self.paths, lambda m, p: None, lambda c: None)
        with self.assertRaisesRegex(ProtocolError, "initialize must be the first message"):
            await conn.request("sessions/list", {})
        await conn.initialize("unit", None)
        self.assertEqual(self.peer.methods, ["initialize"])
        await conn.close()

    async def test_errors_are_typed(self) -> None:
        async with AsyncCodexFleet.connect(self.paths.workspace, env=self.env, auto_start=False) as fleet:
            with self.assertRaises(SessionNotFoundError) as e:
                await fleet.sessions.get("x")
            self.assertEqual((e.exception.code, e.exception.message), (-32001, "no session x"))

    async def test_events_decoded_deduplicated_and_dispatched_in_order(self) -> None:
        got: list[tuple[str, int]] = []
        done = asyncio.Event()
        async with AsyncCodexFleet.connect(self.paths.workspace, env=self.env, auto_start=False) as fleet:

            @fleet.on("turn/")
            async def on_turn(e: FleetEvent) -> None:
                got.append(("turn", e.seq))
                if isinstance(e, TurnCompletedEvent):
                    self.assertEqual((e.session_id, e.reply, e.status), ("s1", "hi", "completed"))
                    done.set()

            fleet.on(lambda e: e.kind == "sidecar/warning", lambda e: got.append(("warn", e.seq)))
            fleet.on("turn/started", lambda e: got.append(("only-s2", e.seq)), session_id="s2")
            self.peer.event(1, "turn/started", sessionId="s1", turnId="t1")
            self.peer.event(2, "sidecar/warning", message="careful")
            self.peer.event(2, "sidecar/warning", message="careful")  # a duplicate seq is dropped
            self.peer.event(3, "future/kind", whatever=1)  # unknown kinds still arrive (as FleetEvent)
            self.peer.event(4, "turn/completed", sessionId="s1", turnId="t1", status="completed", reply="hi")
            await asyncio.wait_for(done.wait(), 5)
        self.assertEqual(got, [("turn", 1), ("warn", 2), ("turn", 4)])
        self.assertEqual(fleet.last_seq, 4)

    async def test_unknown_kind_in_on_is_an_error(self) -> None:
        fleet = AsyncCodexFleet(self.paths.workspace, env=self.env)
        with self.assertRaisesRegex(ValueError, "unknown event kind"):
            fleet.on("turn/complete", lambda e: None)


if __name__ == "__main__":
    unittest.main()
