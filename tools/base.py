"""The tool contract.

A tool is a typed function::

    @tool(writes=True)
    def log_visit(ctx: ToolContext, args: LogVisitArgs) -> ToolResult:
        \"\"\"Record a visit, call or meeting a rep had with a customer.\"\"\"

- its name is the function's name and one of CONTRACT.md's tool names;
- its docstring is the description an LLM sees;
- the pydantic model in the `args` hint is the argument schema an LLM sees, and validates what any
  engine proposes (`Tool.validate`);
- `ToolContext` (acting user, session, clock, settings, source message) is injected by the caller and
  never part of the schema;
- `writes=True` tools only run after the user confirmed a draft, inside one transaction that also
  writes an audit entry (`ToolContext.audit`).

A business failure raises `ToolError(code, **params)`: `code` names a message in `prompts/` that the
bot renders in the user's language and shows verbatim; anything else is a bug.

Results are data (`ToolResult.data`), not text: the bot renders them. `notify` lists messages for
other users (an approver, the rep whose quote was decided) that the bot delivers after commit.
"""
from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from storage.config import Settings
from storage.models import AuditLog, User


class ToolError(Exception):
    """A failure the user can act on. `code` keys a message template in `prompts/messages`."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.code}({extra})" if extra else self.code


@dataclass(frozen=True)
class ToolCall:
    """One call as in CONTRACT.md: a tool name and its arguments (absent = not stated)."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "args": dict(self.args)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ToolCall:
        return cls(name=str(data["name"]), args=dict(data.get("args") or {}))


@dataclass(frozen=True)
class Notice:
    """A message for another user, delivered by the bot after the transaction commits."""

    user_id: int
    kind: str
    data: dict[str, Any]


@dataclass
class ToolResult:
    tool: str
    data: dict[str, Any] = field(default_factory=dict)
    notify: list[Notice] = field(default_factory=list)


Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


NAMED_ENTITIES = frozenset({"account", "contact", "opportunity", "user"})


@dataclass
class ToolContext:
    """What a tool may know besides its arguments. Never part of a schema."""

    user: User
    session: Session
    settings: Settings
    clock: Clock = system_clock
    source_message: str | None = None
    draft_id: int | None = None
    source: str = "text"  # "voice" when source_message is a voice note's transcript
    transcript: str | None = None
    # (entity, id) of every row created through this context, in order: the calls of one card
    # share a context, so a later call can see what an earlier one wrote (a visit and the deal
    # created after it in the same card).
    created: list[tuple[str, int]] = field(default_factory=list)
    # Writes to rows that carry names (accounts, contacts, deals, users) audited through this
    # context so far, and what was read for it that such a write could change (the name
    # directory: `tools.resolve`), so one card reads its names once.
    name_writes: int = 0
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def tz(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.user.timezone or self.settings.default_timezone)
        except Exception:
            return self.settings.tz

    def now(self) -> datetime:
        """Aware 'now' in the acting user's timezone."""
        return self.clock().astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()

    def created_ids(self, entity: str) -> list[int]:
        """Ids of the `entity` rows created through this context so far."""
        return [i for e, i in self.created if e == entity]

    @property
    def english(self) -> bool:
        return (self.user.language or "").lower().startswith("en")

    def audit(self, action: str, entity: str, entity_id: int | None,
              before: dict | None = None, after: dict | None = None) -> AuditLog:
        if action == "create" and entity_id is not None:
            self.created.append((entity, entity_id))
        if entity in NAMED_ENTITIES:
            self.name_writes += 1
        entry = AuditLog(
            at=self.clock(), actor_id=self.user.id, action=action, entity=entity,
            entity_id=entity_id, before=before, after=after,
            source_message=self.source_message, draft_id=self.draft_id,
        )
        self.session.add(entry)
        return entry


ToolFn = Callable[[ToolContext, BaseModel], ToolResult]


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args_model: type[BaseModel]
    writes: bool
    fn: ToolFn
    offered: bool = True

    def validate(self, args: dict[str, Any]) -> BaseModel:
        """Validate raw arguments; raises pydantic `ValidationError`."""
        return self.args_model.model_validate(args)

    def json_schema(self) -> dict[str, Any]:
        return self.args_model.model_json_schema()

    def run(self, ctx: ToolContext, args: dict[str, Any] | BaseModel) -> ToolResult:
        parsed = args if isinstance(args, BaseModel) else self.validate(args)
        result = self.fn(ctx, parsed)
        # the user's local date, so a renderer can write "11-25" instead of "2026-11-25"
        result.data.setdefault("as_of", ctx.today().isoformat())
        return result


REGISTRY: dict[str, Tool] = {}


def tool(*, writes: bool, offered: bool = True) -> Callable[[ToolFn], ToolFn]:
    """Register a typed function as a tool (see the module docstring). `offered=False` keeps it out
    of what the engines are offered (`all_tools`) while callers that name it (`get_tool`: the web
    console, a draft) still run it."""

    def register(fn: ToolFn) -> ToolFn:
        hints = typing.get_type_hints(fn)
        model = hints.get("args")
        if not (inspect.isclass(model) and issubclass(model, BaseModel)):
            raise TypeError(f"tool {fn.__name__}: the `args` parameter needs a pydantic model hint")
        doc = inspect.getdoc(fn)
        if not doc:
            raise TypeError(f"tool {fn.__name__}: the docstring is its description and is required")
        if fn.__name__ in REGISTRY:
            raise ValueError(f"tool {fn.__name__} registered twice")
        REGISTRY[fn.__name__] = Tool(fn.__name__, doc, model, writes, fn, offered)
        return fn

    return register


def get_tool(name: str) -> Tool:
    from tools import registry  # noqa: F401  (imports every tool module once)

    try:
        return REGISTRY[name]
    except KeyError:
        raise ToolError("unknown_tool", name=name) from None


def all_tools() -> dict[str, Tool]:
    """The tools the engines are offered: CONTRACT.md's."""
    from tools import registry  # noqa: F401

    return {name: t for name, t in REGISTRY.items() if t.offered}


def validation_problems(exc: ValidationError) -> list[dict[str, str]]:
    """Pydantic errors as (field, message) pairs, for the repair round and for missing-arg questions."""
    return [{"field": ".".join(str(p) for p in e["loc"]), "type": e["type"], "message": e["msg"]}
            for e in exc.errors()]


def require_modules(*modules: str) -> None:
    """Raise `analytics_unavailable` naming the first of `modules` that is not installed (an
    optional extra), instead of failing inside the tool with an ImportError."""
    import importlib.util

    for module in modules:
        if importlib.util.find_spec(module) is None:
            raise ToolError("analytics_unavailable", package=module)


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    return start, start + timedelta(days=1)
