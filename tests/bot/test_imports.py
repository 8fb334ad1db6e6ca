"""No import cycles inside bot/: module-level imports (not the lazy ones inside functions) form a
graph without cycles, and the handlers below the loop do not import the loop at all, not even for
type checking: they take a `Turn`."""
from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
HANDLERS = ("bot.drafts", "bot.routes", "bot.turn", "bot.card", "bot.cards", "bot.choices", "bot.quotes",
            "bot.reminders", "bot.knowledge_sync", "bot.executor", "bot.notices")


def _module(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str], *, type_checking: bool) -> set[str]:
    body = ast.parse(path.read_text(encoding="utf-8")).body
    nodes = list(body)
    if type_checking:
        nodes += [inner for n in body if isinstance(n, ast.If) for inner in n.body]
    found: set[str] = set()
    for node in nodes:
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found |= {n for n in names if n in modules}
    return found


def _files() -> dict[str, Path]:
    return {_module(p): p for p in BOT.rglob("*.py")}


def test_bot_has_no_import_cycles():
    files = _files()
    graph = {name: _imports(path, set(files), type_checking=False) - {name} for name, path in files.items()}
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


def test_handlers_never_import_the_loop():
    files = _files()
    for name in HANDLERS:
        assert "bot.loop" not in _imports(files[name], set(files), type_checking=True), name
