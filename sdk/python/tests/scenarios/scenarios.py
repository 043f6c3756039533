"""Scenarios of the Python SDK against a real sidecar, the real codex and the scripted model.

Run by test/integration/sdkPython.test.ts, which scripts the model before each one:
``python3 scenarios.py NAME`` with FLEET_WORKSPACE and the harness's environment. Each prints JSON lines;
the last is ``{"result": {...}}``. Waits are on events (threading.Event set by handlers), never sleeps.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from codex_fleet import (  # noqa: E402
    AlreadyResolvedError,
    AsyncCodexFleet,
    CodexFleet,
    FleetEvent,
    Reconnected,
    RequestPendingEvent,
    Skills,
    TurnCompletedEvent,
    TurnFailedError,
    TurnInterruptedError,
)

WORKSPACE = os.environ["FLEET_WORKSPACE"]
WAIT_S = 30.0
SCENARIOS: dict[str, Callable[[], dict[str, Any]]] = {}


def scenario(func: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    SCENARIOS[func.__name__.replace("_", "-")] = func
    return func


def say(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


def wait(event: threading.Event, what: str) -> None:
    if not event.wait(WAIT_S):
        raise AssertionError(f"timed out waiting for {what}")


def connect(name: str, **options: Any) -> CodexFleet:
    return CodexFleet.connect(workspace=WORKSPACE, client_name=name, **options)


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


# ----------------------------------------------------------------------------------------------
# Remote skills


@dataclasses.dataclass
class Ticket:
    """A backlog ticket.

    Attributes:
        title: One line.
        points: Story points.
        labels: Free labels.
    """

    title: str
    points: int
    labels: list[str] = dataclasses.field(default_factory=list)


def backlog_skills(calls: list[Ticket]) -> Skills:
    skills = Skills()

    @skills.skill()
    def file_ticket(ticket: Ticket, priority: int = 3) -> str:
        """File a ticket in the backlog.

        Args:
            ticket: The ticket to file.
            priority: 1 (urgent) to 5.

        Returns:
            The new ticket's id.
        """
        calls.append(ticket)
        return f"filed T-{len(calls)} '{ticket.title}' ({ticket.points} pts, p{priority}, labels {','.join(ticket.labels) or '-'})"

    @skills.skill()
    def explode(reason: str) -> str:
        """Always fails.

        Args:
            reason: Why.
        """
        raise ValueError(f"boom: {reason}")

    never = threading.Event()

    @skills.skill(timeout=0.5)
    def slow_lookup(key: str) -> str:
        """Never answers in time.

        Args:
            key: What to look up.
        """
        never.wait(10)  # the skill under test is slow on purpose; the SDK answers at its timeout
        return "too late"

    return skills


@scenario
def skill_three_calls() -> dict[str, Any]:
    calls: list[Ticket] = []
    with connect("py-skills") as fleet:
        reply = fleet.run_with_skills(backlog_skills(calls), "file three tickets", timeout=60)
        return {"reply": reply, "calls": [dataclasses.asdict(t) for t in calls], "types": sorted({type(t).__name__ for t in calls})}


@scenario
def skill_throws() -> dict[str, Any]:
    with connect("py-skills") as fleet:
        return {"reply": fleet.run_with_skills(backlog_skills([]), "make it explode", timeout=60)}


@scenario
def skill_timeout() -> dict[str, Any]:
    with connect("py-skills") as fleet:
        return {"reply": fleet.run_with_skills(backlog_skills([]), "look something up slowly", timeout=60)}


def alpha_beta() -> tuple[Skills, Skills]:
    alpha, beta = Skills(), Skills()

    @alpha.skill()
    def alpha_tool(n: int) -> str:
        """Alpha doubles.

        Args:
            n: A number.
        """
        return f"alpha:{n * 2}:pid{os.getpid()}"

    @beta.skill()
    def beta_tool(word: str) -> str:
        """Beta shouts.

        Args:
            word: A word.
        """
        return f"beta:{word.upper()}:pid{os.getpid()}"

    return alpha, beta


@scenario
def serve_beta() -> dict[str, Any]:
    """The second process: serves beta_tool for any session until it answered one call."""
    _, beta = alpha_beta()
    with connect("py-beta-worker") as fleet:
        done = threading.Event()

        @fleet.on("request/ended")
        def on_ended(e: FleetEvent) -> None:
            if e.raw.get("by") == "py-beta-worker":
                done.set()

        server = fleet.serve_skills(beta)
        say(ready=True, pid=os.getpid())
        fleet.run_forever(stop_event=done)
        fleet.stop_serving(server)
        return {"answered": server.answered}


@scenario
def two_process_a() -> dict[str, Any]:
    alpha, beta = alpha_beta()
    with connect("py-alpha") as fleet:
        session = fleet.sessions.create(skills=alpha, dynamic_tools=beta.specs())
        server = fleet.serve_skills(alpha, session_id=session.id)
        result = session.send_and_wait("use alpha and beta", timeout=60)
        fleet.stop_serving(server)
        return {"reply": result.reply, "answered": server.answered, "pid": os.getpid()}


@scenario
def drain_mode() -> dict[str, Any]:
    """Polling: no stream handler; the pending call is found with requests/list and answered."""
    calls: list[Ticket] = []
    with connect("py-drain") as fleet:
        skills = backlog_skills(calls)
        session = fleet.sessions.create(skills=skills)
        pending = threading.Event()
        session.on(lambda e: isinstance(e, RequestPendingEvent), lambda e: pending.set())
        sent = session.send("file one ticket, polling")
        wait(pending, "the tool call to be pending")
        answered = fleet.drain(skills, session_id=session.id)
        result = session.wait(sent.turn_id or "", timeout=60)
        return {"answered": answered, "again": fleet.drain(skills, session_id=session.id), "reply": result.reply, "calls": len(calls)}


@scenario
def async_api() -> dict[str, Any]:
    async def main() -> dict[str, Any]:
        async with AsyncCodexFleet.connect(workspace=WORKSPACE, client_name="py-async") as fleet:
            session = await fleet.sessions.create()
            kinds: list[str] = []
            turn_events = fleet.events("turn/", session_id=session.id)  # collects from here on

            async def collect() -> None:
                async for e in turn_events:
                    kinds.append(e.kind)
                    if e.kind == "turn/completed":
                        return

            result = await session.send_and_wait("hello async", timeout=60)
            await asyncio.wait_for(collect(), WAIT_S)
            await turn_events.aclose()

            skills = Skills()

            @skills.skill()
            async def async_echo(text: str, times: int = 2) -> str:
                """Echo asynchronously.

                Args:
                    text: What to echo.
                    times: How often.
                """
                await asyncio.sleep(0)
                return " ".join([text] * times)

            reply = await fleet.run_with_skills(skills, "echo please", timeout=60)
            return {"reply": result.reply, "kinds": kinds, "skillReply": reply}

    return asyncio.run(main())


def main() -> int:
    name = sys.argv[1]
    if name not in SCENARIOS:
        print(f"unknown scenario {name}; known: {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    say(result=SCENARIOS[name]())
    return 0


if __name__ == "__main__":
    sys.exit(main())
