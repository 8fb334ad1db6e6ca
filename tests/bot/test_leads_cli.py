"""`salesbot leads import|rules check|away` and `salesbot export leads` on a real SQLite CRM."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.cli import main
from storage.models import AuditLog, Lead, LeadEvent, OutboxMessage, User

ROOT = Path(__file__).resolve().parents[2]
ZH = """公司,联系人,电话,邮箱,地区,行业,来源,备注,统一社会信用代码
远航物流有限公司,刘经理,13800001111,,上海,物流,展会,展会上认识的,
遠航物流,刘经理,+86 138-0000-1111,liu@yuanhang.cn,上海,,官网,,
健康医药,王医生,13911112222,,北京,医药,官网,,
,无名,13900000000,,,,,,
星河科技,赵总,abc,,深圳,,天猫,,
北辰制造,孙总,13700003333,bad-email,,,门店,,
藍鯨數據有限公司,李总,,,北京,,展会,,
南山建材,周总,,,成都,,官网,,91350100M000100Y44
"""


@pytest.fixture
def cli_db(crm_sqlite, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", str(crm_sqlite.url))
    monkeypatch.setenv("ROUTING_RULES", str(ROOT / "config" / "routing.yaml"))
    return crm_sqlite


def _import_zh(tmp_path, capsys) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(ZH, encoding="utf-8")
    main(["leads", "import", str(path)])
    capsys.readouterr()


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_import_reports_bad_rows_and_loads_the_rest(cli_db, tmp_path, capsys):
    path = tmp_path / "leads.csv"
    path.write_text(ZH, encoding="utf-8-sig")
    assert main(["leads", "import", str(path), "--dry-run", "--json"]) == 0
    dry = _json(capsys)
    with Session(cli_db) as session:
        assert session.exec(select(Lead)).all() == []  # a dry run writes nothing
    assert main(["leads", "import", str(path), "--json", "--as", "张伟"]) == 0
    out = _json(capsys)
    assert out == dry
    assert (out["imported"], out["merged"], out["existing_customer"]) == (3, 1, 1)
    assert [r["row"] for r in out["rejected"]] == [5, 6, 7, 9]
    reasons = {r["row"]: r["reason"] for r in out["rejected"]}
    assert reasons[5].startswith("company: required") and reasons[6].startswith("phone:")
    assert reasons[7].startswith("email:") and reasons[9].startswith("credit_code:")
    # 远航 (上海 → 张伟's team, round robin) , 健康医药 (官网 + 医药 → 李娜), 蓝鲸数据 → its owner 王磊
    assert out["assigned"] == {"王磊": 2, "李娜": 1}
    with Session(cli_db) as session:
        rows = session.exec(select(Lead).order_by(Lead.id)).all()
        assert [r.sources for r in rows] == [["展会", "官网"], ["官网"], ["展会"]]
        assert rows[2].account_id == 1
        events = session.exec(select(LeadEvent).where(LeadEvent.lead_id == rows[0].id).order_by(LeadEvent.id)).all()
        assert [e.action for e in events] == ["created", "assigned", "merged"]
        assert {e.actor_id for e in events} == {3}
        assert session.exec(select(AuditLog).where(AuditLog.action == "import")).one().after["imported"] == 3
        told = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "lead_assigned")).all()
        assert sorted(m.user_id for m in told) == [1, 1, 2]


def test_english_headers_and_a_bad_header(cli_db, tmp_path, capsys):
    path = tmp_path / "en.csv"
    path.write_text("Company,Contact,Phone,Email,Source\nAcme Corp.,Jo,+1 415 555 0100,jo@acme.com,web\n",
                    encoding="utf-8")
    assert main(["leads", "import", str(path), "--json"]) == 0
    out = _json(capsys)
    assert out["existing_customer"] == 1 and out["imported"] == 1  # Acme Corporation, Alice Chen's
    assert out["assigned"] == {"Alice Chen": 1}
    bad = tmp_path / "bad.csv"
    bad.write_text("company,fax\nX,1\n", encoding="utf-8")
    assert main(["leads", "import", str(bad)]) == 2
    assert "unknown column 'fax'" in capsys.readouterr().err


def test_gb18030_file(cli_db, tmp_path, capsys):
    path = tmp_path / "gbk.csv"
    path.write_bytes("公司,来源\n云杉家居,门店\n".encode("gb18030"))
    assert main(["leads", "import", str(path), "--json"]) == 0
    assert _json(capsys)["imported"] == 1


def test_rules_check(cli_db, tmp_path, capsys):
    _import_zh(tmp_path, capsys)
    assert main(["leads", "rules", "check"]) == 0
    out = capsys.readouterr().out
    assert "3 rules" in out and "line 7: region in ['上海', '杭州', '苏州'] → team 张伟 (round_robin)" in out
    assert "the last 3 leads would go to:" in out and "owner of the existing customer" in out
    bad = tmp_path / "r.yaml"
    bad.write_text("rules:\n  - when: {region: 上海}\n    assign: {rep: 张三}\n  - assign: {team: 3, strategy: x}\n",
                   encoding="utf-8")
    assert main(["leads", "rules", "check", "--file", str(bad)]) == 1
    assert f"{bad}:4: strategy must be round_robin or least_loaded" in capsys.readouterr().err
    bad.write_text("rules:\n  - when: {region: 上海}\n    assign: {rep: 张三}\n", encoding="utf-8")
    assert main(["leads", "rules", "check", "--file", str(bad)]) == 1
    assert f"{bad}:3: no user '张三'" in capsys.readouterr().err


def test_away_and_back(cli_db, tmp_path, capsys):
    assert main(["leads", "away", "李娜"]) == 0
    assert "李娜 is away" in capsys.readouterr().out
    path = tmp_path / "l.csv"
    path.write_text("公司,来源,行业\n健康医药,官网,医药\n", encoding="utf-8")
    main(["leads", "import", str(path), "--json"])
    assert _json(capsys)["assigned"] == {"张伟": 1}  # 李娜 away: her manager
    assert main(["leads", "away", "李娜", "--back"]) == 0
    with Session(cli_db) as session:
        assert session.get(User, 2).preferences.get("away") is False


def test_export_leads(cli_db, tmp_path, capsys):
    _import_zh(tmp_path, capsys)
    assert main(["export", "leads", "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    first = rows[0]
    assert first["sources"] == ["展会", "官网"] and first["status"] == "assigned"
    assert first["owner_name"] == "王磊" and first["contact_due"] and first["assigned_at"]
    assert [h.split()[1] for h in first["history"]] == ["created", "assigned", "merged"]
    assert rows[2]["account_id"] == 1 and rows[2]["account_name"] == "蓝鲸数据"
    assert main(["export", "leads", "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert table[0]["sources"] == "展会; 官网" and table[0]["owner_id"] == "1"
    for fmt in ("xlsx", "parquet"):
        out = tmp_path / f"leads.{fmt}"
        assert main(["export", "leads", "--format", fmt, "-o", str(out)]) == 0
        assert out.stat().st_size > 0
    import pyarrow.parquet as pq

    rows = pq.read_table(tmp_path / "leads.parquet").to_pylist()
    assert rows[0]["sources"] == ["展会", "官网"] and rows[0]["contact_due"] is not None


def test_report(cli_db, tmp_path, capsys):
    _import_zh(tmp_path, capsys)
    assert main(["leads", "report", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"]["leads"] == 3 and {r["key"] for r in out["by_source"]} == {"展会", "官网"}
    assert main(["leads", "report"]) == 0
    assert "by source" in capsys.readouterr().out
