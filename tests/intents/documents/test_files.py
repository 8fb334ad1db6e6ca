"""Contract files: type from content, size cap, damaged files, PDFs rasterized page by page."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from intents.documents.files import DocumentError, load_pages, sniff


def _image(fmt: str, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (250, 250, 250)).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt, kind", [("JPEG", "jpeg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif"),
                                       ("BMP", "bmp"), ("TIFF", "tiff"), ("PDF", "pdf")])
def test_the_type_comes_from_the_bytes(fmt, kind):
    assert sniff(_image(fmt)) == kind


def test_a_png_named_like_a_pdf_is_read_as_the_png_it_is():
    pages = load_pages(_image("PNG", (80, 60)), source="contract.pdf", max_bytes=10_000_000)
    assert len(pages) == 1 and pages[0].image.shape == (60, 80, 3)


def test_a_pdf_gives_one_rgb_image_per_page():
    out = io.BytesIO()
    first, second = Image.new("RGB", (300, 400), "white"), Image.new("RGB", (300, 400), "white")
    first.save(out, "PDF", save_all=True, append_images=[second], resolution=72)
    pages = load_pages(out.getvalue(), source="scan.pdf", max_bytes=10_000_000)
    assert [p.number for p in pages] == [1, 2]
    assert pages[0].image.ndim == 3 and pages[0].image.shape[2] == 3
    assert pages[0].image.shape[0] > 400  # rasterized above 72 dpi


@pytest.mark.parametrize("data, code", [
    (b"", "empty"),
    (b"PK\x03\x04 a zip, a docx", "unsupported"),
    ("合同 LJ-2026-1187".encode(), "unsupported"),
    (b"\xff\xd8\xff\xe0 truncated jpeg", "corrupt"),
    (b"%PDF-1.7\n garbage", "corrupt"),
])
def test_what_cannot_be_read_is_refused_with_one_line(data, code):
    with pytest.raises(DocumentError) as err:
        load_pages(data, source="x.jpg", max_bytes=10_000_000)
    assert err.value.code == code
    assert "\n" not in str(err.value) and str(err.value).startswith("x.jpg: ")


def test_an_oversized_file_is_refused_before_it_is_decoded():
    data = _image("PNG")
    with pytest.raises(DocumentError) as err:
        load_pages(data, source="big.png", max_bytes=len(data) - 1)
    assert err.value.code == "too_large" and "ATTACHMENT_MAX_BYTES" in str(err.value)


def test_the_limit_is_a_setting(monkeypatch):
    from storage.config import Settings

    assert Settings(_env_file=None).attachment_max_bytes == 10 * 1024 * 1024
    monkeypatch.setenv("ATTACHMENT_MAX_BYTES", "2048")
    assert Settings(_env_file=None).attachment_max_bytes == 2048
