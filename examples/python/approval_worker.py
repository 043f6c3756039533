"""A stream-driven approval worker: while one session's turn runs, accept every approval it asks for
(and nothing from other sessions). The pattern for CI: decide in code, from the event stream.

    python3 examples/python/approval_worker.py --workspace .
"""

from __future__ import annotations

from _common import workspace_arg

from codex_fleet import (
    CodexFleet,
    CommandApprovalRequest,
    FleetEvent,
    RequestPendingEvent,
)


def main() -> int:
    workspace = workspace_arg(__doc__ or "")
    with CodexFleet.connect(workspace=workspace, client_name="example-approval-worker") as fleet:
        session = fleet.sessions.create(approval_policy="on-request", sandbox="workspace-write")

        @session.on("request/pending")  # only this session's requests
        def approve(event: FleetEvent) -> None:
            assert isinstance(event, RequestPendingEvent)
            request = event.request
            if request.kind not in ("commandApproval", "fileChangeApproval", "permissionsApproval"):
                return  # questions and tool calls are not ours to answer
            what = request.command if isinstance(request, CommandApprovalRequest) else request.kind
            fleet.requests.accept(request)
            print(f"accepted {request.kind}: {what}", flush=True)

        @session.on("item/completed")
        def show(event: FleetEvent) -> None:
            item = event.raw.get("item", {})
            if item.get("type") == "commandExecution":
                print(f"ran: {item.get('command')} (exit {item.get('exitCode')})", flush=True)

        result = session.send_and_wait("Please run the tests.", timeout=300)
        print(result.reply)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
