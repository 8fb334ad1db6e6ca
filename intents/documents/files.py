"""Contract files as they arrive: the type is told from the content (magic bytes), never from the
name, the size is capped, and PDFs are rasterized locally (pypdfium2), one image per page."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

Kind = Literal["jpeg", "png", "webp", "gif", "bmp", "tiff", "pdf"]
MIME: dict[str, str] = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif",
                        "bmp": "image/bmp", "tiff": "image/tiff", "pdf": "application/pdf"}
PDF_DPI = 150  # enough for body text at the detector's input size; higher only costs time
MAX_PDF_PAGES = 20


class DocumentError(ValueError):
    """A file that cannot be read as a contract: `code` for programs, `str()` one line for people."""

    def __init__(self, code: Literal["unsupported", "corrupt", "too_large", "empty"], message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Page:
    """One page image (RGB, as a numpy array of shape h×w×3) and where it came from."""

    image: object  # numpy.ndarray; typed loosely so importing this module stays cheap
    source: str
    number: int = 1


def sniff(data: bytes) -> Kind | None:
    """The file's type from its first bytes, or None when it is neither an image we read nor a PDF."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:2] == b"BM":
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return None


def load_pages(data: bytes, *, source: str, max_bytes: int) -> list[Page]:
    """The page images of one file. Raises DocumentError for an empty, oversized, unsupported or
    corrupt file; nothing is kept from a file that fails."""
    if not data:
        raise DocumentError("empty", f"{source}: the file is empty")
    if len(data) > max_bytes:
        raise DocumentError("too_large", f"{source}: {len(data) / 1e6:.1f} MB is over the "
                                         f"{max_bytes / 1e6:.0f} MB limit (ATTACHMENT_MAX_BYTES)")
    kind = sniff(data)
    if kind is None:
        raise DocumentError("unsupported", f"{source}: not an image (JPEG, PNG, WebP, GIF, BMP, TIFF) or a PDF")
    if kind == "pdf":
        return _pdf_pages(data, source)
    return [Page(_image_array(data, source), source)]


def _image_array(data: bytes, source: str):
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            img = ImageOps.exif_transpose(img)  # phones store portrait photos sideways plus a tag
            return np.asarray(img.convert("RGB"))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise DocumentError("corrupt", f"{source}: the image is damaged and cannot be read ({exc})") from None


def _pdf_pages(data: bytes, source: str) -> list[Page]:
    import numpy as np
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise DocumentError("corrupt", f"{source}: the PDF is damaged and cannot be read ({exc})") from None
    try:
        if len(pdf) == 0:
            raise DocumentError("empty", f"{source}: the PDF has no pages")
        if len(pdf) > MAX_PDF_PAGES:
            raise DocumentError("too_large", f"{source}: {len(pdf)} pages; a contract of at most "
                                             f"{MAX_PDF_PAGES} pages is read")
        pages = []
        for i in range(len(pdf)):
            bitmap = pdf[i].render(scale=PDF_DPI / 72)
            pages.append(Page(np.asarray(bitmap.to_pil().convert("RGB")), source, i + 1))
        return pages
    finally:
        pdf.close()
