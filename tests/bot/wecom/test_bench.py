"""`make bench-wecom`'s measuring function on a few members: it runs and counts correctly."""
from __future__ import annotations

from scripts.bench_wecom import bench


async def test_the_bench_counts_every_members_card_and_visit(tmp_path):
    lines = await bench(4, f"sqlite:///{tmp_path / 'bench.db'}")
    assert [line.split()[0] for line in lines] == ["note", "confirm", "correct:"]
    assert lines[-1] == "  correct: 4/4 cards for the right account, 4/4 visits written"
