"""One shot: start a session, ask for a summary of the repository, print the reply.

python3 examples/python/summarise_repository.py --workspace .
"""

from __future__ import annotations

from _common import workspace_arg

from codex_fleet import CodexFleet, TurnEndedError


def main() -> int:
    workspace = workspace_arg(__doc__ or "")
    with CodexFleet.connect(workspace=workspace, client_name="example-summarise") as fleet:
        session = fleet.sessions.create(name="Repository summary", sandbox="read-only")
        try:
            result = session.send_and_wait("Summarise this repository in a few bullet points.", timeout=300)
        except TurnEndedError as e:  # failed or interrupted
            print(f"The turn did not complete: {e}")
            return 1
        print(result.reply)
        print(f"\n(session {session.id}, turn {result.turn_id}: {result.status})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
