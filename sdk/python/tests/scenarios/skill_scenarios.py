"""Scenarios of remote skills and the async client (see scenarios.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import threading
from typing import Any

from common import WAIT_S, WORKSPACE, connect, say, scenario, wait

from codex_fleet import (
    AsyncCodexFleet,
    FleetEvent,
    RequestPendingEvent,
    Skills,
)

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
