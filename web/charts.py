"""Charts drawn on the server as SVG: no script, readable in both languages (the labels are the
page's), scaled to the screen by the browser. Each chart states its numbers in its accessible
name, and the page puts the same numbers in a table next to it."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

ROW_H = 34
LABEL_W = 110
WIDTH = 520
PALETTE = ("#4e79a7", "#59a14f", "#f28e2b", "#76b7b2", "#e15759", "#af7aa1")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown (a count, money, a percentage)


def bars(title: str, items: list[Bar], *, centered: bool = False) -> Markup:
    """Horizontal bars, one a row; `centered` draws a funnel (bars centred on one axis)."""
    height = ROW_H * max(len(items), 1) + 8
    top = max((b.value for b in items), default=0) or 1
    span = WIDTH - LABEL_W - 10
    summary = "; ".join(f"{b.label}: {b.text}" for b in items)
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{escape(title)}: {escape(summary)}" xmlns="http://www.w3.org/2000/svg">',
           f"<title>{escape(title)}</title>"]
    for i, bar in enumerate(items):
        y = 4 + i * ROW_H
        width = max(2.0, span * bar.value / top) if bar.value > 0 else 0
        x = LABEL_W + (span - width) / 2 if centered else LABEL_W
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<text x="{LABEL_W - 8}" y="{y + ROW_H / 2 + 5:.0f}" text-anchor="end" '
                   f'font-size="14">{escape(bar.label)}</text>')
        out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW_H - 8}" rx="3" fill="{colour}"/>')
        inside = width > 90
        tx = x + width - 6 if inside else x + width + 6
        out.append(f'<text x="{tx:.1f}" y="{y + ROW_H / 2 + 5:.0f}" font-size="13" '
                   f'text-anchor="{"end" if inside else "start"}" fill="{"#fff" if inside else "#222"}">'
                   f'{escape(bar.text)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def chart_block(chart: Markup, headers: list[str], rows: list[list[object]], *, open: bool = False) -> dict:
    """What `_chart.html` shows: the chart and the table of its numbers."""
    return {"chart": chart, "headers": headers, "rows": rows, "open": open}
