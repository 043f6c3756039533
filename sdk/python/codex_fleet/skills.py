"""Remote skills: functions in this process that the model can call during a turn (Codex dynamic tools).

    skills = Skills()

    @skills.skill()
    def lookup_ticket(ticket_id: str, include_history: bool = False) -> str:
        '''Look up a ticket in the tracker.

        Args:
            ticket_id: The ticket's id, e.g. FLEET-7.
            include_history: Also return the ticket's history.
        '''

The input schema comes from the type hints, the descriptions from the docstring. Calls are validated
against the schema before the function runs; a bad call, an exception or a timeout is answered with
``success: false`` and a message the model can act on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import inspect
import json
import re
import threading
import typing
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, overload

from .schema import JsonSchema, SchemaError, function_schema, to_python, type_schema
from .types import ToolCallRequest
from .validator import validate

F = TypeVar("F", bound=Callable[..., Any])
_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclasses.dataclass(frozen=True)
class Skill:
    name: str
    description: str
    input_schema: JsonSchema
    func: Callable[..., Any]
    timeout: float | None = None
    inferred: bool = True

    @property
    def spec(self) -> dict[str, Any]:
        """The dynamic tool spec sent with ``sessions/start``."""
        return {"type": "function", "name": self.name, "description": self.description, "inputSchema": self.input_schema}

    @property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.func)


@dataclasses.dataclass(frozen=True)
class SkillResult:
    """A skill's answer. A skill may return one itself: to fail without raising, or to attach images
    (``image_urls``: ``data:`` or ``https:`` URLs, sent as ``inputImage`` content items)."""

    success: bool
    text: str
    image_urls: tuple[str, ...] = ()

    def answer(self) -> dict[str, Any]:
        """The ``requests/answer`` answer for a tool call."""
        items: list[dict[str, str]] = [{"type": "inputText", "text": self.text}]
        items += [{"type": "inputImage", "imageUrl": url} for url in self.image_urls]
        return {"type": "toolResult", "success": self.success, "contentItems": items}


class Skills:
    """A set of skills; pass it to ``fleet.sessions.create(skills=...)`` or ``fleet.run_with_skills``."""

    def __init__(self) -> None:
        self._skills: dict[str, Skill] = {}

    @overload
    def skill(self, func: F) -> F: ...

    @overload
    def skill(
        self,
        *,
        name: str | None = None,
        description: str | None = None,
        input_schema: JsonSchema | None = None,
        timeout: float | None = None,
    ) -> Callable[[F], F]: ...

    def skill(
        self,
        func: Any = None,
        *,
        name: str | None = None,
        description: str | None = None,
        input_schema: JsonSchema | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Register a function as a skill (``@skills.skill()`` or ``@skills.skill``); returns it unchanged."""

        def register(f: F) -> F:
            self.add(f, name=name, description=description, input_schema=input_schema, timeout=timeout)
            return f

        return register(func) if func is not None else register

    def add(
        self,
        func: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
        input_schema: JsonSchema | None = None,
        timeout: float | None = None,
    ) -> Skill:
        skill_name = name or func.__name__
        if not _NAME.match(skill_name):
            raise ValueError(f"skill name {skill_name!r} must be 1-64 letters, digits, _ or -")
        if skill_name in self._skills:
            raise ValueError(f"a skill named {skill_name!r} is already registered")
        inferred, docs = function_schema(func) if input_schema is None else ({}, None)
        if docs is None:
            from .schema import parse_docstring

            docs = parse_docstring(func.__doc__)
        if description is None and not docs.summary:
            raise ValueError(f"skill {skill_name!r} needs a description: write a docstring or pass description=")
        text = description if description is not None else _with_output_hint(docs.summary, func, docs.returns)
        skill = Skill(skill_name, text, input_schema if input_schema is not None else inferred, func, timeout, input_schema is None)
        self._skills[skill_name] = skill
        return skill

    def __contains__(self, name: object) -> bool:
        return name in self._skills

    def __iter__(self) -> Iterator[Skill]:
        return iter(self._skills.values())

    def __len__(self) -> int:
        return len(self._skills)

    def get(self, name: str) -> Skill | None:
        return self._skills.get(name)

    def specs(self) -> list[dict[str, Any]]:
        return [s.spec for s in self._skills.values()]

    def handles(self, request: object) -> bool:
        """Whether ``request`` is a tool call for one of these skills (others are left for whoever registered them)."""
        return isinstance(request, ToolCallRequest) and not request.namespace and request.tool in self._skills

    async def call(self, request: ToolCallRequest) -> SkillResult:
        """Validate, run (sync functions in a worker thread) and turn the outcome into a result."""
        skill = self._skills.get(request.tool)
        if skill is None:
            return SkillResult(False, f"unknown skill {request.tool!r}")
        arguments = request.arguments
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except json.JSONDecodeError as e:
                return SkillResult(False, f"invalid arguments for {skill.name}: not JSON ({e})")
        if arguments is None:
            arguments = {}
        problems = validate(skill.input_schema, arguments)
        if problems:
            return SkillResult(False, f"invalid arguments for {skill.name}: " + "; ".join(problems))
        try:
            kwargs = _bind(skill, arguments)
            if skill.is_async:
                outcome = await asyncio.wait_for(skill.func(**kwargs), skill.timeout)
            else:
                outcome = await asyncio.wait_for(_in_daemon_thread(functools.partial(skill.func, **kwargs)), skill.timeout)
        except asyncio.TimeoutError:
            return SkillResult(False, f"{skill.name} timed out after {skill.timeout:g} s")
        except Exception as e:  # the skill's own failure goes back to the model
            return SkillResult(False, f"{skill.name} failed: {type(e).__name__}: {e}")
        if isinstance(outcome, SkillResult):
            return outcome
        return SkillResult(True, _text(outcome))


def _with_output_hint(text: str, func: Callable[..., Any], returns: str | None) -> str:
    """The description plus what comes back: the ``Returns:`` text, and the JSON Schema of a structured result."""
    if returns:
        text = f"{text}\n\nReturns: {returns}"
    hint = typing.get_type_hints(func).get("return")
    if hint is not None and hint not in (str, type(None), SkillResult):
        try:
            schema = type_schema(hint)
        except SchemaError:
            return text.strip()
        if schema.get("type") in ("object", "array") or "anyOf" in schema:
            text = f"{text}\n\nThe result is JSON matching this schema: {json.dumps(schema, separators=(',', ':'))}"
    return text.strip()


def _in_daemon_thread(func: Callable[[], Any]) -> asyncio.Future[Any]:
    """Run a sync skill on its own daemon thread: one that overran its timeout never holds up the process's exit."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(outcome: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(outcome)

    def work() -> None:
        try:
            outcome = func()
        except BaseException as e:  # handed to the awaiting coroutine
            _call_soon(loop, settle, None, e)
        else:
            _call_soon(loop, settle, outcome, None)

    threading.Thread(target=work, name="codex-fleet-skill", daemon=True).start()
    return future


def _call_soon(loop: asyncio.AbstractEventLoop, func: Callable[..., None], *args: Any) -> None:
    try:
        loop.call_soon_threadsafe(func, *args)
    except RuntimeError:  # the loop closed while the skill ran
        pass


def _bind(skill: Skill, arguments: dict[str, Any]) -> dict[str, Any]:
    if not skill.inferred:
        return dict(arguments)
    hints = typing.get_type_hints(skill.func)
    return {k: to_python(hints.get(k, Any), v) for k, v in arguments.items()}


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "value") and hasattr(type(value), "__members__"):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _text(outcome: Any) -> str:
    if outcome is None:
        return ""
    if isinstance(outcome, str):
        return outcome
    return json.dumps(outcome, default=_jsonable, ensure_ascii=False)
