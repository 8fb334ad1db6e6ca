"""No import cycles inside bot/: module-level imports, those for type checking included (not the
lazy ones inside functions), form a graph without cycles, so handlers never reach back into the
loop."""
from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"


def _module(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    found: set[str] = set()
    body = ast.parse(path.read_text(encoding="utf-8")).body
    nodes = [n for n in body] + [inner for n in body if isinstance(n, ast.If) for inner in n.body]
    for node in nodes:  # module level and `if TYPE_CHECKING:` blocks
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found |= {n for n in names if n in modules}
    return found


def test_bot_has_no_import_cycles():
    files = {_module(p): p for p in BOT.rglob("*.py")}
    graph = {name: _imports(path, set(files)) - {name} for name, path in files.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            assert state.get(nxt) != 1, "import cycle: " + " → ".join(trail + [node, nxt])
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [])
    assert "bot.loop" not in graph["bot.drafts"] and "bot.loop" not in graph["bot.routes"]
