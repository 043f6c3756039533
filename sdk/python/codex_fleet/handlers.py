"""Event handler matching, shared by the sync and async clients.

A handler is registered for a kind (``"request/pending"``), a prefix ending in ``/`` (``"turn/"``), ``"*"`` for
every event, or a predicate ``(event) -> bool``; optionally only for one session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .types import EVENT_TYPES, FleetEvent

Matcher = str | Callable[[FleetEvent], bool]
H = TypeVar("H", bound=Callable[..., Any])


def matcher_predicate(matcher: Matcher) -> Callable[[FleetEvent], bool]:
    if callable(matcher):
        return matcher
    if matcher == "*":
        return lambda e: True
    if matcher.endswith("/"):
        return lambda e: e.kind.startswith(matcher)
    if matcher not in EVENT_TYPES:
        raise ValueError(f"unknown event kind {matcher!r}: use one of {sorted(EVENT_TYPES)}, a prefix ending in '/', '*', or a predicate")
    return lambda e: e.kind == matcher


@dataclass(frozen=True, eq=False)
class Registration(Generic[H]):
    predicate: Callable[[FleetEvent], bool]
    handler: H
    session_id: str | None

    def wants(self, event: FleetEvent) -> bool:
        if self.session_id is not None and event.event_session_id != self.session_id:
            return False
        return self.predicate(event)


class HandlerSet(Generic[H]):
    """Thread-safe list of registrations; ``matching`` is a snapshot, so handlers may (un)register handlers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Registration[H]] = []

    def add(self, matcher: Matcher, handler: H, session_id: str | None = None) -> Registration[H]:
        reg = Registration(matcher_predicate(matcher), handler, session_id)
        with self._lock:
            self._items.append(reg)
        return reg

    def remove(self, reg: Registration[H]) -> None:
        with self._lock:
            if reg in self._items:
                self._items.remove(reg)

    def matching(self, event: FleetEvent) -> list[H]:
        with self._lock:
            items = list(self._items)
        return [r.handler for r in items if r.wants(event)]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
