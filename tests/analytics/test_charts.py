"""Charts are real PNGs with their Chinese text drawn in a font that has the glyphs (no boxes)."""
from __future__ import annotations

import io
import warnings

import pytest

pytest.importorskip("matplotlib")

from analytics.charts import (ChartUnavailable, FunnelStage, cjk_font, funnel_png, funnel_table, missing_glyphs,
                        table, trend_png, trend_table)

STAGES = [FunnelStage("潜在", 10, "¥1,000,000"), FunnelStage("评估", 6, "¥800,000"),
          FunnelStage("谈判", 3, "¥500,000"), FunnelStage("成交", 2, "¥300,000")]
WEEKS = ["10-26", "11-02", "11-09", "11-16"]
SERIES = {"拜访": [3, 5, 2, 6], "新商机": [1, 0, 2, 1], "成交": [0, 1, 0, 1]}


def decode(png: bytes):
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_the_font_has_every_glyph_the_charts_use():
    font = cjk_font()
    text = "销售漏斗（本季度）每周趋势" + "".join(s.label for s in STAGES) + "".join(SERIES) + "¥,0123456789·-"
    assert missing_glyphs(font, text) == ""
    assert missing_glyphs(font, "漏斗\U0001F9FE") == "\U0001F9FE"  # and the check can fail


def test_charts_are_pngs_drawn_without_missing_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" when it draws boxes
        funnel = funnel_png(STAGES, "销售漏斗（本季度）")
        trend = trend_png(WEEKS, SERIES, "每周趋势")
    for png in (funnel, trend):
        image = decode(png)
        assert image.format == "PNG" and image.width > 400 and image.height > 200
        assert len(image.convert("L").getcolors(65536) or ()) > 10  # something was drawn


def test_chinese_characters_render_as_distinct_shapes():
    """Tofu draws every missing character as the same box; real glyphs differ from each other."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    props = FontProperties(family=cjk_font().name, size=40)

    def raster(char: str) -> bytes:
        fig = Figure(figsize=(1, 1), dpi=50)
        canvas = FigureCanvasAgg(fig)
        fig.text(0.1, 0.1, char, fontproperties=props)
        canvas.draw()
        return bytes(canvas.buffer_rgba())

    shapes = {raster(c) for c in "漏斗趋势"}
    assert len(shapes) == 4


def test_a_label_the_font_cannot_draw_is_refused_not_drawn_as_boxes():
    with pytest.raises(ChartUnavailable):
        funnel_png([FunnelStage("\U0001F9FE", 1)], "x")


def test_text_tables_line_up_chinese_and_digits():
    assert funnel_table(STAGES[:2], ("阶段", "商机", "金额")).splitlines() == [
        "阶段  商机  金额", "潜在  10    ¥1,000,000", "评估  6     ¥800,000"]
    assert trend_table(WEEKS[:1], {"拜访": [3], "成交": [0]}, "周").splitlines() == ["周     拜访  成交", "10-26  3     0"]
    assert table(("a",), []) == "a"
