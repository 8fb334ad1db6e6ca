"""The tool registry as the function specs a chat model is bound with.

Each spec is built from the registered `Tool` itself (name, docstring, `args_model` JSON schema), so
the model sees exactly the schema that later validates its calls; there is no second copy. The only
change is a format one: `$ref`s into `$defs` are inlined, because several OpenAI-compatible servers
(llama.cpp, older Ollama, some hosted gateways) reject references in function parameters.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from tools.base import Tool


def tool_spec(tool: Tool) -> dict[str, Any]:
    """One tool in the OpenAI function-tool format, which `bind_tools` accepts for every provider."""
    return {"type": "function",
            "function": {"name": tool.name, "description": tool.description,
                         "parameters": inline_refs(tool.json_schema())}}


def tool_specs(tools: Iterable[Tool]) -> list[dict[str, Any]]:
    return [tool_spec(t) for t in sorted(tools, key=lambda t: t.name)]


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with every local `{"$ref": "#/$defs/X"}` replaced by a copy of X and `$defs` dropped.
    Sibling keys of a `$ref` (a field's description) are kept next to the inlined definition."""
    defs = schema.get("$defs", {})

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name in seen:
                raise ValueError(f"recursive schema definition {name!r} cannot be inlined")
            target = walk(copy.deepcopy(defs[name]), (*seen, name))
            extra = {k: walk(v, seen) for k, v in node.items() if k != "$ref"}
            return {**target, **extra}
        return {k: walk(v, seen) for k, v in node.items() if k != "$defs"}

    return walk(schema, ())
