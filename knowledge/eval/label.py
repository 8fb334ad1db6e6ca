"""Write each query's relevant deal ids into `queries.jsonl`, from its `where` (what the query
means, as facts of the demo deals): `python -m knowledge.eval.label`.

Labels never come from a retriever; `where` is checked against `knowledge.eval.facts`, which
reads the demo dataset's own notes.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from knowledge.eval.facts import demo_facts, relevant

QUERIES = Path(__file__).with_name("queries.jsonl")


def read_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def labelled(queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    _, facts = demo_facts()
    out = []
    for query in queries:
        ids = relevant(facts, query["where"])
        if not ids:
            raise ValueError(f"query {query['id']}: no demo deal matches {query['where']}")
        out.append({**query, "relevant": ids})
    return out


def main() -> int:
    queries = labelled(read_queries())
    with QUERIES.open("w", encoding="utf-8") as fh:
        for query in queries:
            fh.write(json.dumps(query, ensure_ascii=False) + "\n")
    langs = {lang: sum(q["lang"] == lang for q in queries) for lang in ("zh", "en")}
    print(f"labelled {len(queries)} queries ({langs['zh']} zh, {langs['en']} en) in {QUERIES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
