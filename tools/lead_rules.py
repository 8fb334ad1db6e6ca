"""The lead routing rules file (`ROUTING_RULES`, default `config/routing.yaml`).

```yaml
existing_customer: owner            # a lead for a known account goes to its owner (or: rules)
capacity: {default: 50, 李娜: 10}    # most open leads a rep holds; no entry = no limit
sla: {first_contact: 24h, then: reassign, grace: 4h}   # then: reassign | notify_manager
rules:                              # first match wins
  - when: {region: [上海, 杭州, 苏州]}   # any lead field; a list means any of; no `when` = any lead
    assign: {team: 张伟, strategy: round_robin}   # the team of manager 张伟; or least_loaded
  - when: {source: 官网, industry: 医药}
    assign: {rep: 李娜}
```

`parse_rules` reads the text and reports every problem with its line number (`RulesError`);
`unknown_users` lists the people a valid file names that the CRM does not have. Users are named by
id or by name (or alias); durations are `30m`, `24h`, `2d` or `1d12h`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import yaml

LEAD_FIELDS = ("company", "contact", "phone", "email", "region", "industry", "source", "note", "credit_code")
STRATEGIES = ("round_robin", "least_loaded")
SLA_THEN = ("reassign", "notify_manager")
_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$")


@dataclass(frozen=True)
class Assign:
    """Who a matching lead goes to: one rep, or a team (its manager's reports) by a strategy."""

    rep: str | None = None
    team: str | None = None
    strategy: str = "round_robin"
    line: int = 0


@dataclass(frozen=True)
class Rule:
    when: dict[str, tuple[str, ...]]
    assign: Assign
    line: int

    def describe(self) -> str:
        cond = ", ".join(f"{k} in {list(v)}" if len(v) > 1 else f"{k}={v[0]}" for k, v in self.when.items())
        target = f"rep {self.assign.rep}" if self.assign.rep else f"team {self.assign.team} ({self.assign.strategy})"
        return f"line {self.line}: {cond or 'any lead'} → {target}"


@dataclass(frozen=True)
class Sla:
    first_contact: timedelta | None = None
    then: str = "notify_manager"
    grace: timedelta = timedelta(hours=4)


@dataclass(frozen=True)
class RoutingRules:
    existing_customer: str = "owner"
    capacity_default: int | None = None
    capacity: dict[str, int] = field(default_factory=dict)
    sla: Sla = Sla()
    rules: tuple[Rule, ...] = ()
    # (line, user as written) of every person the file names, to check against the CRM
    people: tuple[tuple[int, str], ...] = ()


class RulesError(Exception):
    """The rules file is not valid; `problems` are (line, message), line 0 for the whole file."""

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        self.path, self.problems = path, problems
        super().__init__("\n".join(f"{path}:{line}: {msg}" if line else f"{path}: {msg}" for line, msg in problems))


def parse_duration(text: str) -> timedelta | None:
    m = _DURATION.match(str(text))
    if not m or not any(m.groups()):
        return None
    d, h, mi = (int(x or 0) for x in m.groups())
    return timedelta(days=d, hours=h, minutes=mi)


def span(delta: timedelta) -> str:
    """A duration the way the file writes it: 1d12h, 24h, 30m."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    text = (f"{days}d" if days else "") + (f"{hours}h" if hours else "") + (f"{mins}m" if mins else "")
    return text or "0m"


def load_rules(path: str | Path) -> RoutingRules:
    """The rules in `path`; a missing file is a `RulesError` naming ROUTING_RULES."""
    p = Path(path)
    if not p.is_file():
        raise RulesError(str(p), [(0, "no such file; set ROUTING_RULES to your rules file "
                                      "(see docs/leads.md for the format)")])
    return parse_rules(p.read_text(encoding="utf-8"), str(p))


def parse_rules(text: str, path: str = "routing.yaml") -> RoutingRules:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RulesError(path, [(mark.line + 1 if mark else 0, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None
    problems: list[tuple[int, str]] = []
    people: list[tuple[int, str]] = []
    if root is None:
        raise RulesError(path, [(0, "the file is empty; it needs at least `rules:`")])
    if not isinstance(root, yaml.MappingNode):
        raise RulesError(path, [(_line(root), "the file must be a mapping with existing_customer, capacity, sla and rules")])
    top = _mapping(root, problems)
    known = {"existing_customer", "capacity", "sla", "rules"}
    for key, (k_node, _) in top.items():
        if key not in known:
            problems.append((_line(k_node), f"unknown key {key!r}; expected one of {', '.join(sorted(known))}"))

    existing = "owner"
    if "existing_customer" in top:
        node = top["existing_customer"][1]
        existing = _scalar(node)
        if existing not in ("owner", "rules"):
            problems.append((_line(node), f"existing_customer must be owner or rules, not {existing!r}"))

    capacity_default, capacity = None, {}
    if "capacity" in top:
        node = top["capacity"][1]
        if not isinstance(node, yaml.MappingNode):
            problems.append((_line(node), "capacity must be a mapping like {default: 50, 李娜: 10}"))
        else:
            for who, (k_node, v_node) in _mapping(node, problems).items():
                value = _scalar(v_node)
                if not value.isdigit():
                    problems.append((_line(v_node), f"capacity of {who} must be a whole number, not {value!r}"))
                    continue
                if who == "default":
                    capacity_default = int(value)
                else:
                    capacity[who] = int(value)
                    people.append((_line(k_node), who))

    sla = Sla()
    if "sla" in top:
        node = top["sla"][1]
        if not isinstance(node, yaml.MappingNode):
            problems.append((_line(node), "sla must be a mapping like {first_contact: 24h, then: reassign}"))
        else:
            fields = _mapping(node, problems)
            first, then, grace = None, "notify_manager", timedelta(hours=4)
            for key, (k_node, v_node) in fields.items():
                value = _scalar(v_node)
                if key in ("first_contact", "grace"):
                    span = parse_duration(value)
                    if span is None or span <= timedelta(0):
                        problems.append((_line(v_node), f"sla {key} must be a duration like 24h, 2d or 30m, not {value!r}"))
                    elif key == "first_contact":
                        first = span
                    else:
                        grace = span
                elif key == "then":
                    if value not in SLA_THEN:
                        problems.append((_line(v_node), f"sla then must be reassign or notify_manager, not {value!r}"))
                    then = value
                else:
                    problems.append((_line(k_node), f"unknown sla key {key!r}; expected first_contact, then, grace"))
            sla = Sla(first, then, grace)

    rules: list[Rule] = []
    if "rules" not in top:
        problems.append((0, "no `rules:` list; add at least one rule (a last rule without `when` catches every lead)"))
    else:
        node = top["rules"][1]
        if not isinstance(node, yaml.SequenceNode):
            problems.append((_line(node), "rules must be a list of `- when: {...}  assign: {...}`"))
        else:
            for item in node.value:
                rule = _rule(item, problems, people)
                if rule is not None:
                    rules.append(rule)
    if problems:
        raise RulesError(path, sorted(problems))
    return RoutingRules(existing, capacity_default, capacity, sla, tuple(rules), tuple(people))


def _rule(node, problems: list, people: list) -> Rule | None:
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        problems.append((line, "a rule must be a mapping with `assign` (and optionally `when`)"))
        return None
    fields = _mapping(node, problems)
    for key, (k_node, _) in fields.items():
        if key not in ("when", "assign"):
            problems.append((_line(k_node), f"unknown rule key {key!r}; a rule has when and assign"))
    when: dict[str, tuple[str, ...]] = {}
    if "when" in fields:
        w_node = fields["when"][1]
        if not isinstance(w_node, yaml.MappingNode):
            problems.append((_line(w_node), "when must be a mapping of lead fields, e.g. {region: [上海, 杭州]}"))
        else:
            for name, (k_node, v_node) in _mapping(w_node, problems).items():
                if name not in LEAD_FIELDS:
                    problems.append((_line(k_node), f"unknown lead field {name!r}; use one of {', '.join(LEAD_FIELDS)}"))
                    continue
                values = ([_scalar(v) for v in v_node.value] if isinstance(v_node, yaml.SequenceNode)
                          else [_scalar(v_node)])
                values = [v for v in values if v]
                if not values:
                    problems.append((_line(v_node), f"when {name} needs a value or a list of values"))
                    continue
                when[name] = tuple(values)
    if "assign" not in fields:
        problems.append((line, "the rule has no assign; add assign: {rep: NAME} or {team: MANAGER, strategy: round_robin}"))
        return None
    a_node = fields["assign"][1]
    if not isinstance(a_node, yaml.MappingNode):
        problems.append((_line(a_node), "assign must be {rep: NAME} or {team: MANAGER, strategy: round_robin|least_loaded}"))
        return None
    a = {k: (kn, _scalar(vn), vn) for k, (kn, vn) in _mapping(a_node, problems).items()}
    for key, (k_node, _, _) in a.items():
        if key not in ("rep", "team", "strategy"):
            problems.append((_line(k_node), f"unknown assign key {key!r}; use rep, or team with strategy"))
    rep, team = a.get("rep"), a.get("team")
    if bool(rep) == bool(team):
        problems.append((_line(a_node), "assign needs exactly one of rep or team"))
        return None
    strategy = a["strategy"][1] if "strategy" in a else "round_robin"
    if "strategy" in a and rep:
        problems.append((_line(a["strategy"][0]), "strategy applies to a team, not to one rep"))
    if strategy not in STRATEGIES:
        problems.append((_line(a["strategy"][2]), f"strategy must be round_robin or least_loaded, not {strategy!r}"))
    who = rep or team
    if not who[1]:
        problems.append((_line(who[2]), "name the rep or the team's manager (a user id or name)"))
        return None
    people.append((_line(who[2]), who[1]))
    assign = Assign(rep=rep[1] if rep else None, team=team[1] if team else None, strategy=strategy,
                    line=_line(who[2]))
    return Rule(when, assign, line)


def _line(node) -> int:
    return node.start_mark.line + 1


def _scalar(node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value).strip()
    return ""


def _mapping(node, problems: list) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for k_node, v_node in node.value:
        key = _scalar(k_node)
        if key in out:
            problems.append((_line(k_node), f"{key!r} appears twice"))
        out[key] = (k_node, v_node)
    return out
