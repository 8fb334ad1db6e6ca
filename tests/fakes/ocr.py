"""A fake of the OCR interface (`intents.documents.reader.Ocr`): each page image a test makes
carries the text lines the fake "recognises" on it, so the contract reading, matching and card
run for real without the model. `page(lines)` returns PNG (or JPEG) bytes; a page the fake never
made reads as no text (a photo with no contract on it)."""
from __future__ import annotations

import io
import itertools

from intents.documents.reader import OcrLine

_seeds = itertools.count(1)


class PageOcr:
    """Each page is a 4×4 grid of flat colours (from four levels a channel) unique to it; a page is
    recognised by the colours of its grid, so it still reads after JPEG compression, a round trip
    through a PDF and rasterizing at another size."""

    def __init__(self) -> None:
        self._pages: dict[tuple, list[str]] = {}
        self.calls = 0

    def page(self, texts: list[str], *, size: tuple[int, int] = (256, 192), fmt: str = "PNG") -> bytes:
        """A picture unique to this call, whose text is `texts` (one line each)."""
        import numpy as np
        from PIL import Image

        rng = np.random.default_rng(next(_seeds))
        while True:
            grid = rng.integers(0, 4, size=(4, 4, 3), dtype=np.uint8) * 85
            if _grid_key(grid) not in self._pages:
                break
        img = Image.fromarray(grid).resize(size, Image.NEAREST)
        buf = io.BytesIO()
        img.save(buf, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
        self._pages[_grid_key(grid)] = list(texts)
        return buf.getvalue()

    def lines(self, image) -> list[OcrLine]:
        self.calls += 1
        texts = self._pages.get(_key(image), [])
        return [OcrLine(text, 0.97, 200.0, 40.0 * i + 40, 20.0) for i, text in enumerate(texts)]


def _grid_key(grid) -> tuple:
    return tuple(int(v) for v in grid.reshape(-1))


def _key(image) -> tuple:
    import numpy as np
    from PIL import Image

    small = np.asarray(Image.fromarray(np.asarray(image, dtype=np.uint8)).resize((4, 4), Image.BOX), dtype=float)
    return _grid_key((np.rint(small / 85) * 85).astype(np.uint8))


def contract_lines(*, number: str | None = "LJ-2026-1187", buyer: str | None = "蓝鲸数据科技有限公司",
                   seller: str = "星云软件有限公司", amount: str | None = "800,000.00", words: str | None = "捌拾万元整",
                   signed: str | None = "2026年11月20日") -> list[str]:
    """The lines of a Chinese contract's first page; None leaves a field out (unreadable)."""
    lines = ["技术服务合同"]
    if number:
        lines.append(f"合同编号：{number}")
    if buyer:
        lines.append(f"甲方（买方）：{buyer}")
    lines.append(f"乙方（卖方）：{seller}")
    if amount:
        lines.append(f"合同总金额：人民币{amount}元")
    if words:
        lines.append(f"大写：人民币{words}")
    if signed:
        lines.append(f"签订日期：{signed}")
    return lines
