"""End to end with the real PP-OCRv4 model: synthetic phone photos of contracts (rotated, blurred,
noisy JPEG) through `salesbot contract read` and the reader. Two photos only; `make eval-contracts`
reads the full set."""
from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal

import pytest

from bot.cli import main
from intents.documents.eval.synth import Truth, render, same_name
from intents.documents.reader import ContractReader, rapid_ocr
from tests.conftest import FIXTURE_PATH

pytest.importorskip("rapidocr_onnxruntime")


@pytest.fixture
def crm(tmp_path, monkeypatch):
    """The eval fixture's CRM (青松制药 has deal 2 'GMP 合规系统' in negotiation at ¥1,200,000)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'crm.db'}")
    monkeypatch.delenv("ATTACHMENT_MAX_BYTES", raising=False)
    assert main(["import", str(FIXTURE_PATH)]) == 0
    return tmp_path


def test_a_photographed_chinese_contract_is_read_and_matched_to_the_deal(crm, capsys):
    truth = Truth(3, "QS-2026-0815", "青松制药股份有限公司", "星云软件有限公司", Decimal("1200000"), "CNY",
                  date(2026, 12, 1), date(2026, 12, 10), date(2027, 12, 9), "zh-formal", "zh")
    photo = crm / "IMG_0815.jpg"
    photo.write_bytes(render(truth, random.Random(3)))
    capsys.readouterr()
    assert main(["contract", "read", str(photo), "--as", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["fields"] == {"contract_no": "QS-2026-0815", "party_a": "青松制药股份有限公司",
                             "party_b": "星云软件有限公司", "amount": "1200000.00", "currency": "CNY",
                             "signed_on": "2026-12-01", "start_on": "2026-12-10", "end_on": "2027-12-09"}
    assert out["account"] == {"id": 3, "name": "青松制药"}
    assert out["opportunity"] == {"id": 2, "name": "GMP 合规系统"}
    assert out["warnings"] == [] and isinstance(out["seconds"], float) and out["seconds"] > 0


def test_a_photographed_english_contract():
    truth = Truth(12, "AC-2026-0042", "Acme Corporation Inc.", "Nebula Software Ltd.", Decimal("250000.50"),
                  "USD", date(2026, 11, 18), date(2026, 12, 1), date(2027, 11, 30), "en-agreement", "en")
    from intents.documents.files import load_pages

    pages = load_pages(render(truth, random.Random(12)), source="scan.jpg", max_bytes=10_000_000)
    reading = ContractReader(rapid_ocr()).read(pages)
    got = {name: f.value for name, f in reading.fields.items()}
    # OCR may drop a space between English words; names are compared (and matched) without spaces
    assert same_name(got.pop("party_a"), "Acme Corporation Inc.")
    assert same_name(got.pop("party_b"), "Nebula Software Ltd.")
    assert got == {"contract_no": "AC-2026-0042",
                   "amount": Decimal("250000.50"), "currency": "USD", "signed_on": date(2026, 11, 18),
                   "start_on": date(2026, 12, 1), "end_on": date(2027, 11, 30)}
    assert all(0.5 < f.confidence <= 1 for f in reading.fields.values())


def test_the_model_is_loaded_once_per_process():
    assert rapid_ocr() is rapid_ocr()


def test_what_is_not_a_readable_image_or_pdf_exits_2_with_one_line(crm, capsys):
    (crm / "notes.jpg").write_text("这不是图片")
    (crm / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    for name, says in (("notes.jpg", "not an image"), ("broken.png", "damaged"), ("missing.jpg", "cannot read")):
        capsys.readouterr()
        assert main(["contract", "read", str(crm / name), "--as", "1", "--json"]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and says in captured.err and captured.err.count("\n") == 1


def test_an_oversized_file_exits_2_naming_the_setting(crm, capsys, monkeypatch):
    monkeypatch.setenv("ATTACHMENT_MAX_BYTES", "2048")
    (crm / "big.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 4096)
    assert main(["contract", "read", str(crm / "big.jpg"), "--as", "1"]) == 2
    assert "ATTACHMENT_MAX_BYTES" in capsys.readouterr().err


def test_help_says_what_is_read_and_printed(capsys):
    with pytest.raises(SystemExit):
        main(["contract", "read", "--help"])
    text = capsys.readouterr().out
    assert "大写" in text and "opportunity" in text and "exits with status 2" in text
