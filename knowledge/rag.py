"""The retrieval-augmented answer: a chat model rewrites the templated steps from the retrieved
deals' facts (`prompts/knowledge.py`), and the answer is kept only if its citations hold.

Checks on the model's text: two to four numbered lines, each citing at least one deal as [#id],
and every cited id among the deals it was given. Anything else (an error, a timeout, an invented
deal) keeps the templated answer, which is always grounded.
"""
from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from prompts import knowledge as words

if TYPE_CHECKING:
    from knowledge.suggest import Suggestion

log = logging.getLogger("salesbot.knowledge")
_STEP = re.compile(r"^\s*(\d+)[.、)]\s*(.+)$")
_CITE = re.compile(r"#(\d+)")
_CITE_GROUP = re.compile(r"\[[^\]]*#\d+[^\]]*\]")


def messages(suggestion: Suggestion) -> list[tuple[str, str]]:
    lang = suggestion.lang
    draft = "\n".join(f"{i}. {s.text} {words.cites(s.cites)}" for i, s in enumerate(suggestion.steps, 1))
    deal = (f"{suggestion.deal['name']} ({suggestion.deal['stage']})" if suggestion.deal
            else ("暂无进行中的商机" if lang == "zh" else "no open deal"))
    user = words.RAG_USER[lang].format(account=suggestion.account["name"], deal=deal,
                                       question=suggestion.question or "—", facts="\n".join(suggestion.facts),
                                       draft=draft)
    return [("system", words.RAG_SYSTEM[lang]), ("human", user)]


def allowed_ids(suggestion: Suggestion) -> set[int]:
    return {int(m) for fact in suggestion.facts for m in re.findall(r"^\[#(\d+)\]", fact)}


def check(text: str, allowed: set[int]) -> str | None:
    """The model's steps if they are two to four numbered, cited lines citing only `allowed`."""
    steps = []
    for line in text.strip().splitlines():
        match = _STEP.match(line)
        if not match:
            continue
        cited = {int(c) for group in _CITE_GROUP.findall(line) for c in _CITE.findall(group)}
        if not cited or not cited <= allowed:
            return None
        steps.append(line.strip())
    if not 2 <= len(steps) <= 4:
        return None
    return "\n".join(steps)


def rewrite(chat_model, suggestion: Suggestion) -> str | None:
    """The model's answer with the templated header and sources around it, or None to keep the
    templated one."""
    try:
        reply = chat_model.invoke(messages(suggestion))
    except Exception as exc:  # a provider error or timeout must not cost the rep the answer
        log.warning("LLM suggestion failed, keeping the templated one: %s", exc.__class__.__name__)
        return None
    content = reply.content if isinstance(reply.content, str) else " ".join(
        part.get("text", "") for part in reply.content if isinstance(part, dict))
    steps = check(content, allowed_ids(suggestion))
    if steps is None:
        log.warning("LLM suggestion dropped: its steps or citations did not check out")
        return None
    lines = suggestion.answer.splitlines()
    return "\n".join([lines[0], steps, lines[-1]])
