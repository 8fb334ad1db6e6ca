"""Check and normalize the calls a chat model proposes, so they read like CONTRACT.md's.

Each proposed call goes through three steps:

1. `clean`: forgivable surface forms are fixed (nulls and empties dropped, "Q-101" → 101, "¥" →
   CNY, "谈判" → negotiation, a due date without a time → 09:00, an offset time → local wall-clock).
   Nothing is guessed: a value that cannot be read as-is is left for the schema to reject.
2. `Tool.validate`, the registry's own pydantic model. A call whose only problem is missing required
   arguments is kept with a `missing` question (the model was told to leave out what is not said);
   any other problem makes the call invalid, for the repair round.
3. contract form: numbers as numbers, dates `YYYY-MM-DD`, `due_at` `YYYY-MM-DDTHH:MM`, and names
   resolved through the directory (canonical when one entry matches; an `ambiguous` question when
   several do). An amount without a currency keeps none: the tool takes the deal's currency.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from intents.base import ParseContext, Question
from storage.names import Directory
from tools.base import Tool, ToolCall, validation_problems

CURRENCY_WORDS = {
    "¥": "CNY", "￥": "CNY", "元": "CNY", "块": "CNY", "rmb": "CNY", "人民币": "CNY", "yuan": "CNY",
    "$": "USD", "us$": "USD", "dollar": "USD", "dollars": "USD", "美元": "USD", "美金": "USD",
    "€": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR",
}
STAGE_WORDS = {"潜在": "prospect", "评估": "evaluation", "谈判": "negotiation", "成交": "won", "赢单": "won",
               "流失": "lost", "丢单": "lost"}
DATE_FIELDS = ("occurred_on", "expected_close")
ENUM_FIELDS = ("stage", "channel", "period", "metric", "scope")
NUMBER_FIELDS = ("amount", "discount_pct")


@dataclass
class CheckedCall:
    """One proposed call after checking: `call` when usable, `problems` when not."""

    index: int
    name: str
    call_id: str | None
    call: ToolCall | None = None
    problems: list[dict[str, str]] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.call is not None and not self.problems


def check_call(index: int, name: str, args: Any, call_id: str | None, tools: Mapping[str, Tool],
               ctx: ParseContext) -> CheckedCall:
    checked = CheckedCall(index=index, name=name, call_id=call_id)
    tool = tools.get(name)
    if tool is None:
        checked.problems = [{"field": "name", "type": "unknown_tool", "message": f"no tool named {name!r}"}]
        return checked
    if not isinstance(args, dict):
        checked.problems = [{"field": "args", "type": "not_an_object", "message": "arguments must be a JSON object"}]
        return checked
    raw = clean(args, ctx)
    try:
        values = _python_values(tool.validate(raw))
    except ValidationError as exc:
        problems = validation_problems(exc)
        missing = [p["field"] for p in problems if p["type"] == "missing" and "." not in p["field"]]
        if len(missing) != len(problems):
            # Missing arguments are not the model's error (it was told to leave out what is not
            # said); repairing only the rest keeps it from inventing them.
            checked.problems = [p for p in problems if p["field"] not in missing or p["type"] != "missing"]
            return checked
        try:
            values = _validate_fields(tool.args_model, raw)
        except ValidationError as inner:
            checked.problems = validation_problems(inner)
            return checked
        checked.questions = [Question(kind="missing", call_index=index, arg=f) for f in missing]
    args_out, questions = contract_args(name, values, ctx, index)
    checked.call = ToolCall(name=name, args=args_out)
    checked.questions += questions
    return checked


def clean(args: dict[str, Any], ctx: ParseContext) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in args.items():
        if value is None or value == "" or value == [] or value == {}:
            continue
        if isinstance(value, str):
            value = value.strip()
            if key == "quote_id" and (m := re.search(r"\d+", value)):
                value = int(m.group())
            elif key in NUMBER_FIELDS:
                value = _plain_number(value)
            elif key == "currency":
                value = CURRENCY_WORDS.get(value.casefold(), value)
            elif key == "stage":
                value = STAGE_WORDS.get(value, value.casefold())
            elif key in ENUM_FIELDS:
                value = value.casefold().replace(" ", "_")
            elif key in DATE_FIELDS and re.match(r"^\d{4}-\d{2}-\d{2}[T ]", value):
                value = value[:10]
            elif key == "due_at":
                value = _local_due_at(value, ctx)
            elif key == "contacts":
                value = [value]
        out[key] = value
    return out


def _plain_number(text: str) -> Any:
    """'500,000' → '500000', '15%' → '15'; anything else is left for the schema to reject."""
    candidate = re.sub(r"[,\s%]|^[¥￥$€]", "", text)
    return candidate if re.fullmatch(r"\d+(\.\d+)?", candidate) else text


def _local_due_at(text: str, ctx: ParseContext) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"{text}T09:00"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(ctx.now.tzinfo).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M")


def _python_values(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="python", exclude_none=True)


def _validate_fields(model: type[BaseModel], raw: dict[str, Any]) -> dict[str, Any]:
    """Validate the arguments that are present one by one (used when only required ones are
    missing, which the whole-model validation cannot separate from the rest)."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        info = model.model_fields.get(key)
        if info is None:  # extra="forbid" would have reported it; keep the check total anyway
            raise ValidationError.from_exception_data(model.__name__, [
                {"type": "extra_forbidden", "loc": (key,), "input": value}])
        adapter = TypeAdapter(Annotated[info.annotation, *info.metadata]) if info.metadata \
            else TypeAdapter(info.annotation)
        parsed = adapter.validate_python(value)
        if parsed is not None:
            values[key] = parsed
    return values


def contract_args(name: str, values: dict[str, Any], ctx: ParseContext,
                  index: int) -> tuple[dict[str, Any], list[Question]]:
    args = {key: _contract_value(key, value, ctx) for key, value in values.items()}
    questions = _resolve_names(args, ctx.directory, index)
    return args, questions


def _contract_value(key: str, value: Any, ctx: ParseContext) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(ctx.now.tzinfo).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):  # a reminder's time of day: HH:MM
        return value.strftime("%H:%M")
    if isinstance(value, list):
        return [_contract_value(key, v, ctx) for v in value]
    return value


def _resolve_names(args: dict[str, Any], directory: Directory, index: int) -> list[Question]:
    questions: list[Question] = []
    account_id = None
    if isinstance(args.get("account"), str):
        found = directory.resolve("account", args["account"])
        if found.entry is not None:
            args["account"], account_id = found.entry.name, found.entry.id
        elif found.status == "ambiguous":
            questions.append(Question(kind="ambiguous", call_index=index, arg="account",
                                      mention=args["account"],
                                      candidates=tuple(e.name for e in found.matches)))
    if isinstance(args.get("contacts"), list):
        names = []
        for contact in args["contacts"]:
            found = directory.resolve("contact", contact, account_id=account_id)
            names.append(found.entry.name if found.entry is not None and account_id is not None else contact)
        args["contacts"] = names
    for key in ("from_user", "to_user"):
        if isinstance(args.get(key), str):
            found = directory.resolve("user", args[key])
            if found.entry is not None:
                args[key] = found.entry.name
            elif found.status == "ambiguous":
                questions.append(Question(kind="ambiguous", call_index=index, arg=key, mention=args[key],
                                          candidates=tuple(e.name for e in found.matches)))
    return questions
