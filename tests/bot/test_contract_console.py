"""The real program with the real PP-OCRv4 model: `/photo` in `salesbot chat` reads a synthetic phone
photo of a contract (rotated, blurred, noisy JPEG), shows the card, and one confirm closes the deal
and files the photo. Marked slow: OCR takes seconds a page on 2 cores."""
from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from intents.documents.eval.synth import Truth, render
from storage.db import make_engine, session_scope
from storage.models import Attachment, Opportunity

pytest.importorskip("rapidocr_onnxruntime")
pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent / "salesbot"


def test_a_photo_in_the_console_closes_the_right_deal_after_one_confirm(tmp_path, fixture_data):
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "ENGINE", "DATABASE_URL"))}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'console.db'}", "LOG_LEVEL": "WARNING",
            "ATTACHMENTS_DIR": str(tmp_path / "files")}
    fixture = tmp_path / "fixture.json"
    fixture.write_text(json.dumps(fixture_data, ensure_ascii=False), encoding="utf-8")
    assert subprocess.run([str(BIN), "import", str(fixture)], env=env, capture_output=True, timeout=120).returncode == 0
    truth = Truth(3, "QS-2026-0815", "青松制药股份有限公司", "星云软件有限公司", Decimal("1180000"), "CNY",
                  date(2026, 11, 20), date(2026, 12, 10), date(2027, 12, 9), "zh-formal", "zh")
    photo = tmp_path / "IMG 0815.jpg"
    photo.write_bytes(render(truth, random.Random(3)))

    done = subprocess.run([str(BIN), "chat", "--as", "1"], input=f'/photo "{photo}"\n1\n/quit\n', env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "正在识别合同" in out
    assert "📄 合同 QS-2026-0815 · 青松制药 · ¥1,180,000 · 2026-11-20 签署 → 关联「GMP 合规系统」并标记成交？" in out, out
    assert "⚠️ 与商机金额 ¥1,200,000 相差 -1.7%" in out
    assert "已保存" in out
    with session_scope(make_engine(env["DATABASE_URL"])) as s:
        deal = s.get(Opportunity, 2)
        assert (deal.stage, deal.amount, deal.closed_on) == ("won", Decimal("1180000.00"), date(2026, 11, 20))
        [row] = s.exec(select(Attachment)).all()
        assert (row.account_id, row.opportunity_id, row.name, row.mime) == (3, 2, "IMG 0815.jpg", "image/jpeg")
    assert (tmp_path / "files" / row.sha256[:2] / row.sha256).read_bytes() == photo.read_bytes()
