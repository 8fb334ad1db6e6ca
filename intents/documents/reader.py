"""`DocumentReader.read(pages) -> ContractReading`: page images in, contract fields out, each with a
confidence. The OCR engine behind it is an `Ocr` (image → text lines); `RapidOcr` runs PP-OCRv4
offline from the models inside the `rapidocr-onnxruntime` wheel and is loaded once per process
(`rapid_ocr()`), or from other det/rec ONNX files given in the settings."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Protocol, Sequence

from intents.documents.files import Page


@dataclass(frozen=True)
class OcrLine:
    """One recognised line: its text, the recogniser's score (0–1) and its box's centre and height
    in page pixels (used to put lines back in reading order and pair labels with values)."""

    text: str
    score: float
    x: float = 0.0
    y: float = 0.0
    height: float = 0.0
    page: int = 1


class Ocr(Protocol):
    def lines(self, image) -> list[OcrLine]:
        """The text lines of one RGB page image (numpy h×w×3), in any order."""


@dataclass(frozen=True)
class ReadField:
    value: object  # str, Decimal or date
    confidence: float  # 0–1: the OCR score of the line it came from, lowered when a cross-check failed


@dataclass
class ContractReading:
    """What was read: fields by name (contract_no, party_a, party_b, amount, currency, signed_on,
    start_on, end_on; absent = not found), notes on disagreements, and the OCR lines."""

    fields: dict[str, ReadField] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    lines: list[OcrLine] = field(default_factory=list)

    def value(self, name: str):
        found = self.fields.get(name)
        return found.value if found else None


class DocumentReader(Protocol):
    def read(self, pages: Sequence[Page]) -> ContractReading:
        """Read a contract from its page images (several photos of one contract = several pages).
        Blocking and CPU-bound: call it off the event loop."""


class ContractReader:
    """The DocumentReader: OCR every page, then find the contract's fields in the lines."""

    def __init__(self, ocr: Ocr):
        self.ocr = ocr

    def read(self, pages: Sequence[Page]) -> ContractReading:
        from intents.documents.contract import extract

        lines: list[OcrLine] = []
        for number, page in enumerate(pages, 1):
            lines += [OcrLine(ln.text, ln.score, ln.x, ln.y, ln.height, number) for ln in self.ocr.lines(page.image)]
        return extract(lines)


class RapidOcr:
    """PP-OCRv4 (detection, direction, recognition) through rapidocr-onnxruntime 1.4.4."""

    def __init__(self, *, det_model: str | None = None, rec_model: str | None = None, threads: int | None = None):
        from rapidocr_onnxruntime import RapidOCR

        options: dict = {}
        if det_model:
            options["det_model_path"] = det_model
        if rec_model:
            options["rec_model_path"] = rec_model
        if threads:
            options["intra_op_num_threads"] = threads
        self._engine = RapidOCR(**options)
        self._lock = threading.Lock()  # one onnxruntime session per model; calls are serialised

    def lines(self, image) -> list[OcrLine]:
        with self._lock:
            result, _elapsed = self._engine(image)
        out = []
        for box, text, score in result or ():
            xs, ys = [p[0] for p in box], [p[1] for p in box]
            out.append(OcrLine(text, float(score), sum(xs) / 4, sum(ys) / 4, max(ys) - min(ys)))
        return out


_shared: dict[tuple, RapidOcr] = {}
_shared_lock = threading.Lock()


def rapid_ocr(*, det_model: str | None = None, rec_model: str | None = None) -> RapidOcr:
    """The process's RapidOcr for these models, loaded on first use (about a second) and kept."""
    key = (det_model, rec_model)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = RapidOcr(det_model=det_model, rec_model=rec_model)
        return _shared[key]


def build_reader(settings) -> ContractReader:
    """The configured reader: PP-OCRv4 from the wheel unless OCR_DET_MODEL / OCR_REC_MODEL name
    other ONNX files."""
    return ContractReader(rapid_ocr(det_model=settings.ocr_det_model, rec_model=settings.ocr_rec_model))
