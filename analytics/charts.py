"""Charts for digests: the sales funnel and the weekly trend, as PNG bytes, with a text table of
the same numbers for chats that show no images (`Reply.image_alt`).

matplotlib (the `charts` extra) draws with a CJK font found on the machine (scripts/system-deps.sh
installs fonts-noto-cjk): Chinese labels in a Latin-only font come out as empty boxes, so a font is
used only when its character map has every glyph a chart needs (checked with fontTools). Without
matplotlib or such a font `ChartUnavailable` is raised and the caller sends the table alone.
matplotlib is imported on first use; the console never loads it.
"""
from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from functools import lru_cache

# Families with full simplified-Chinese coverage, best first.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans SC",
                "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback", "SimHei",
                "Microsoft YaHei", "PingFang SC")
PROBE = "销售漏斗每周趋势拜访新商机成交评估谈判潜在阶段金额"
_DRAW = threading.Lock()  # pyplot-free, but font caches and rc state are shared


class ChartUnavailable(RuntimeError):
    """No matplotlib, or no font with the glyphs a chart needs."""


@dataclass(frozen=True)
class Font:
    name: str
    path: str
    index: int = 0


@dataclass(frozen=True)
class FunnelStage:
    label: str
    count: int
    amount: str = ""


def cjk_font() -> Font:
    """The font charts are drawn with; `ChartUnavailable` when there is none."""
    font = _find_font()
    if font is None:
        raise ChartUnavailable("no CJK font found: install fonts-noto-cjk (scripts/system-deps.sh)")
    return font


@lru_cache(maxsize=1)
def _find_font() -> Font | None:
    try:
        from matplotlib import font_manager
    except ImportError as exc:
        raise ChartUnavailable("matplotlib is not installed: pip install 'salesbot[charts]'") from exc
    entries = font_manager.fontManager.ttflist
    ranked = sorted((e for e in entries if e.name in CJK_FAMILIES),
                    key=lambda e: (CJK_FAMILIES.index(e.name), abs(_weight(e.weight) - 400)))
    for entry in ranked:
        font = Font(entry.name, entry.fname, getattr(entry, "index", 0) or 0)
        if missing_glyphs(font, PROBE) == "":
            return font
    return None


def _weight(value) -> int:
    return value if isinstance(value, int) else 400


@lru_cache(maxsize=8)
def _codepoints(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    container = TTCollection(path, lazy=True) if path.lower().endswith((".ttc", ".otc")) else TTFont(path, lazy=True)
    try:
        font = container.fonts[index] if isinstance(container, TTCollection) else container
        return frozenset((font.getBestCmap() or {}).keys())
    finally:
        container.close()


def missing_glyphs(font: Font, text: str) -> str:
    """The characters of `text` the font has no glyph for ('' when it has them all)."""
    have = _codepoints(font.path, font.index)
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in have}))


def funnel_png(stages: list[FunnelStage], title: str, *, count_label: str = "") -> bytes:
    """Horizontal bars, widest stage on top, each labelled with its count and amount."""
    labels = [s.label for s in stages]
    texts = [f"{s.count}" + (f" · {s.amount}" if s.amount else "") for s in stages]
    font = _font_for(title + "".join(labels) + "".join(texts) + count_label)
    with _DRAW:
        fig, ax, props = _figure(font, (7.0, 0.9 + 0.75 * max(1, len(stages))))
        counts = [s.count for s in stages]
        top = max(counts or [0]) or 1
        positions = list(range(len(stages)))[::-1]
        colors = ["#4C78A8", "#72B7B2", "#F58518", "#54A24B", "#E45756", "#B279A2"]
        ax.barh(positions, counts, color=[colors[i % len(colors)] for i in range(len(stages))], height=0.6)
        ax.set_yticks(positions, labels, fontproperties=props)
        ax.set_xlim(0, top * 1.45)
        for y, count, text in zip(positions, counts, texts):
            ax.text(count + top * 0.02, y, text, va="center", fontproperties=props)
        ax.set_xticks([])
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        _title(ax, title, props)
        return _png(fig)


def trend_png(weeks: list[str], series: dict[str, list[int]], title: str) -> bytes:
    """One line per series over the weeks (oldest first)."""
    from matplotlib.ticker import MaxNLocator

    font = _font_for(title + "".join(weeks) + "".join(series))
    with _DRAW:
        fig, ax, props = _figure(font, (7.0, 3.6))
        x = list(range(len(weeks)))
        for name, values in series.items():
            ax.plot(x, values, marker="o", label=name)
        ax.set_xticks(x, weeks, fontproperties=props)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(prop=props, frameon=False, loc="upper left")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _title(ax, title, props)
        return _png(fig)


def funnel_table(stages: list[FunnelStage], headers: tuple[str, str, str]) -> str:
    rows = [(s.label, str(s.count), s.amount) for s in stages]
    return table(headers, rows)


def trend_table(weeks: list[str], series: dict[str, list[int]], week_header: str) -> str:
    names = list(series)
    rows = [(week, *(str(series[n][i]) for n in names)) for i, week in enumerate(weeks)]
    return table((week_header, *names), rows)


def table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Columns separated by two spaces, padded by display width (a CJK character is two cells)."""
    cells = [tuple(headers)] + [tuple(r) for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in cells]
    return "\n".join(lines)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _font_for(text: str) -> Font:
    font = cjk_font()
    missing = missing_glyphs(font, text)
    if missing:
        raise ChartUnavailable(f"{font.name} has no glyph for {missing!r}")
    return font


def _figure(font: Font, size: tuple[float, float]):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    fig = Figure(figsize=size, dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot(), FontProperties(family=font.name, size=10)


def _title(ax, title: str, props) -> None:
    big = props.copy()
    big.set_size(13)
    ax.set_title(title, fontproperties=big)


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
