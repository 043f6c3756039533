"""A remote skill: the model files backlog items by calling a Python function with structured arguments
(a dataclass with a dozen fields). The input schema is inferred from the type hints and the docstrings;
arguments are validated before the function runs.

    python3 examples/python/backlog_skill.py --workspace .
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, field
from typing import Literal, Optional

from _common import workspace_arg

from codex_fleet import CodexFleet, Skills


class Priority(enum.Enum):
    """How urgent the item is."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass
class BacklogItem:
    """One item of the team's backlog.

    Attributes:
        title: A one-line title.
        description: What needs doing and why.
        kind: bug, feature, chore or spike.
        priority: How urgent it is.
        estimate_points: Story points (1-13).
        component: The part of the product it touches.
        reporter: Who asked for it.
        assignee: Who will do it, if known.
        labels: Free-form labels.
        acceptance_criteria: Checks that say it is done.
        blocked: Whether it waits on something.
        due_date: ISO date (YYYY-MM-DD), if there is a deadline.
    """

    title: str
    description: str
    kind: Literal["bug", "feature", "chore", "spike"]
    priority: Priority
    estimate_points: int
    component: str
    reporter: str
    assignee: Optional[str] = None
    labels: list[str] = field(default_factory=list)
    acceptance_criteria: list[str] = field(default_factory=list)
    blocked: bool = False
    due_date: Optional[str] = None


skills = Skills()
backlog: list[BacklogItem] = []
lock = threading.Lock()


@skills.skill()
def file_backlog_item(item: BacklogItem, notify_team: bool = False) -> dict[str, object]:
    """File an item in the team's backlog.

    Args:
        item: The backlog item to file.
        notify_team: Also post it to the team channel.

    Returns:
        The new item's id and its position in the backlog.
    """
    with lock:  # calls of one turn run concurrently, each on its own thread
        backlog.append(item)
        position = len(backlog)
        item_id = f"BL-{position:03d}"
        print(f"filed {item_id}: {item.title} [{item.kind}, {item.priority.value}, {item.estimate_points} pts]", flush=True)
    return {"id": item_id, "position": position, "notified": notify_team}


def main() -> int:
    workspace = workspace_arg(__doc__ or "")
    with CodexFleet.connect(workspace=workspace, client_name="example-backlog-skill") as fleet:
        reply = fleet.run_with_skills(
            skills,
            "Use file_backlog_item to file three backlog items for the login page: "
            "a bug (the form forgets the e-mail), a feature (remember me) and a chore (update the copy).",
            timeout=300,
        )
        print(reply)
        print(f"\n{len(backlog)} items filed.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
