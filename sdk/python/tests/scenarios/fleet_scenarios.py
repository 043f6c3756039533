"""Scenarios of sessions, events and approvals (see scenarios.py)."""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from typing import Any

from common import connect, scenario, wait

from codex_fleet import (
    AlreadyResolvedError,
    CodexFleet,
    FleetEvent,
    Reconnected,
    RequestPendingEvent,
    TurnCompletedEvent,
    TurnFailedError,
    TurnInterruptedError,
)


@scenario
def send_and_wait() -> dict[str, Any]:
    with connect("py-send") as fleet:
        session = fleet.sessions.create(name="py summary")
        with fleet.events("turn/", session_id=session.id) as turn_events:  # collects from here on
            result = session.send_and_wait("Summarise this repository", timeout=60)
            kinds = []
            for event in turn_events:
                kinds.append(event.kind)
                if isinstance(event, TurnCompletedEvent):
                    break
        listed = [s.id for s in fleet.sessions.list()]
        renamed = fleet.sessions.rename(session.id, "renamed by python")
        return {
            "started": fleet.started,
            "turnId": result.turn_id,
            "status": result.status,
            "reply": result.reply,
            "kinds": kinds,
            "listed": session.id in listed,
            "name": renamed.name,
        }


@scenario
def failed_turn() -> dict[str, Any]:
    with connect("py-fail") as fleet:
        session = fleet.sessions.create()
        try:
            session.send_and_wait("this will fail", timeout=60)
        except TurnFailedError as e:
            return {"raised": type(e).__name__, "status": e.result.status, "error": e.result.error, "turnId": e.turn_id}
        return {"raised": None}


@scenario
def interrupted_turn() -> dict[str, Any]:
    with connect("py-interrupt") as fleet:
        session = fleet.sessions.create()
        streaming = threading.Event()  # the model's reply is streaming: the model got the request, the turn runs
        session.on("item/delta", lambda e: streaming.set())
        sent = session.send("take forever")
        wait(streaming, "the first delta")
        session.interrupt()
        try:
            session.wait(sent.turn_id or "", timeout=60)
        except TurnInterruptedError as e:
            return {"raised": type(e).__name__, "status": e.result.status, "sameTurn": e.turn_id == sent.turn_id}
        return {"raised": None}


@scenario
def events_replay() -> dict[str, Any]:
    """Handlers by kind, prefix and predicate; a dropped connection replays what it missed; a later client replays from a seq."""
    with connect("py-events-a", reconnect=False) as a, connect("py-events-b") as b:
        session = b.sessions.create()
        seen: list[FleetEvent] = []
        by_kind: list[str] = []
        by_predicate: list[int] = []
        turns_done: dict[str, threading.Event] = {}
        lock = threading.Lock()

        @a.on("turn/", session_id=session.id)
        def on_turn(e: FleetEvent) -> None:
            with lock:
                seen.append(e)
            if isinstance(e, TurnCompletedEvent):
                turns_done.setdefault(e.turn_id, threading.Event()).set()

        @a.on("turn/completed")
        def on_completed(e: FleetEvent) -> None:
            by_kind.append(e.kind)

        a.on(lambda e: e.kind == "item/completed" and e.event_session_id == session.id, lambda e: by_predicate.append(e.seq))

        first = session.send_and_wait("first turn", timeout=60)
        wait(turns_done.setdefault(first.turn_id, threading.Event()), "the first turn/completed on client A")
        first_seq = min(e.seq for e in seen)
        a._drop_connection()
        second = session.send_and_wait("second turn while A is away", timeout=60)
        info = a.reconnect()
        wait(turns_done.setdefault(second.turn_id, threading.Event()), "the second turn/completed, replayed")
        seqs = [e.seq for e in seen]

        # A late client asks for everything since before the first turn.
        with connect("py-events-c", subscribe=False) as c:
            replayed: list[str] = []
            got_second = threading.Event()

            @c.on("turn/completed", session_id=session.id)
            def on_replayed(e: FleetEvent) -> None:
                assert isinstance(e, TurnCompletedEvent)
                replayed.append(e.turn_id)
                if e.turn_id == second.turn_id:
                    got_second.set()

            sub = c.subscribe(since_seq=first_seq - 1)
            wait(got_second, "replayed turn/completed on client C")

        # Automatic reconnect: drop again and wait for the on_reconnect callback.
        with connect("py-events-d") as d:
            back = threading.Event()
            infos: list[Reconnected] = []

            @d.on_reconnect
            def on_back(r: Reconnected) -> None:
                infos.append(r)
                back.set()

            d._drop_connection()
            wait(back, "automatic reconnect")
            status = d.fleet_status()

        return {
            "kinds": sorted({e.kind for e in seen}),
            "ordered": seqs == sorted(seqs),
            "unique": len(seqs) == len(set(seqs)),
            "completedTurns": [e.turn_id for e in seen if isinstance(e, TurnCompletedEvent)],
            "turns": [first.turn_id, second.turn_id],
            "byKind": len(by_kind),
            "byPredicate": len(by_predicate),
            "reconnect": dataclasses.asdict(info),
            "lateReplay": replayed,
            "lateReplayed": sub.replayed,
            "auto": dataclasses.asdict(infos[0]),
            "afterAuto": status["sidecar"]["pid"] > 0,
        }


@scenario
def gap_after_sidecar_restart() -> dict[str, Any]:
    """The sidecar dies: the SDK starts a new one, resumes, and reports the gap (seqs of a new sidecar)."""
    with connect("py-gap") as fleet:
        back = threading.Event()
        infos: list[Reconnected] = []

        @fleet.on_reconnect
        def on_back(r: Reconnected) -> None:
            infos.append(r)
            back.set()

        before = fleet.fleet_status()["sidecar"]["pid"]
        os.kill(before, signal.SIGKILL)  # the sidecar this test run started
        wait(back, "the reconnect to a new sidecar")
        after = fleet.fleet_status()["sidecar"]["pid"]
        done = threading.Event()
        fleet.on("turn/completed", lambda e: done.set())
        result = fleet.sessions.create().send_and_wait("after the restart", timeout=60)
        wait(done, "turn/completed from the new sidecar")
        return {"gap": infos[0].gap, "newSidecar": after != before, "reply": result.reply}


@scenario
def approval_handler() -> dict[str, Any]:
    with connect("py-approver") as fleet:
        session = fleet.sessions.create(approval_policy="on-request", sandbox="workspace-write")
        answered: list[str] = []

        @session.on("request/pending")
        def approve(e: FleetEvent) -> None:
            assert isinstance(e, RequestPendingEvent)
            fleet.requests.accept(e.request)
            answered.append(e.request.kind)

        result = session.send_and_wait("run the approved command", timeout=60)
        audit = fleet.requests.audit(limit=5)
        return {"reply": result.reply, "answered": answered, "by": audit[-1]["by"], "outcome": audit[-1]["outcome"]}


@scenario
def first_answer_wins() -> dict[str, Any]:
    with connect("py-first") as one, connect("py-second") as two:
        session = one.sessions.create(approval_policy="on-request", sandbox="workspace-write")
        pending = threading.Event()
        session.on("request/pending", lambda e: pending.set())
        sent = session.send("run something twice-approved")
        wait(pending, "request/pending")
        (request,) = two.requests.list(session_id=session.id)
        barrier = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def answer(name: str, fleet: CodexFleet, decision: str) -> None:
            barrier.wait()
            try:
                fleet.requests.decide(request, decision)
                outcomes[name] = "won"
            except AlreadyResolvedError:
                outcomes[name] = "AlreadyResolvedError"

        threads = [
            threading.Thread(target=answer, args=("one", one, "accept")),
            threading.Thread(target=answer, args=("two", two, "accept")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        try:
            one.requests.decline(request)
            late = "accepted"
        except AlreadyResolvedError:
            late = "AlreadyResolvedError"
        result = session.wait(sent.turn_id or "", timeout=60)
        return {"outcomes": sorted(outcomes.values()), "late": late, "status": result.status}
