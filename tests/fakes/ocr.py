"""A fake of the OCR interface (`intents.documents.reader.Ocr`): each page image a test makes
carries the text lines the fake "recognises" on it, so the contract reading, matching and card
run for real without the model. `page(lines)` returns PNG bytes; a page the fake never made
reads as no text (a photo with no contract on it)."""
from __future__ import annotations

import hashlib
import io
import itertools

from intents.documents.reader import OcrLine

_seeds = itertools.count(1)


class PageOcr:
    def __init__(self) -> None:
        self._pages: dict[str, list[str]] = {}
        self.calls = 0

    def page(self, texts: list[str], *, size: tuple[int, int] = (64, 48), fmt: str = "PNG") -> bytes:
        """A small image unique to this call, whose text is `texts` (one line each)."""
        import numpy as np
        from PIL import Image

        rng = np.random.default_rng(next(_seeds))
        pixels = rng.integers(0, 255, size=(size[1], size[0], 3), dtype=np.uint8)
        buf = io.BytesIO()
        Image.fromarray(pixels).save(buf, format=fmt)
        data = buf.getvalue()
        with Image.open(io.BytesIO(data)) as img:
            self._pages[_key(np.asarray(img.convert("RGB")))] = list(texts)
        return data

    def lines(self, image) -> list[OcrLine]:
        self.calls += 1
        texts = self._pages.get(_key(image), [])
        return [OcrLine(text, 0.97, 200.0, 40.0 * i + 40, 20.0) for i, text in enumerate(texts)]


def _key(image) -> str:
    return hashlib.sha256(image.tobytes()).hexdigest()


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
