"""Contract fields from OCR lines (no OCR here: the lines are what PP-OCRv4 returns, positioned)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from intents.documents.contract import capital_value, extract, figure_values, parse_dates
from intents.documents.eval.synth import capital
from intents.documents.reader import OcrLine


def page(*rows, score=0.97) -> list[OcrLine]:
    """One OCR line per cell; a row given as a tuple is several boxes side by side."""
    out = []
    for i, row in enumerate(rows):
        cells = row if isinstance(row, tuple) else (row,)
        for j, text in enumerate(cells):
            out.append(OcrLine(text, score, x=100 + 400 * j, y=100 + 40 * i + j, height=28))
    return out


def values(lines) -> dict:
    reading = extract(lines)
    return {name: f.value for name, f in reading.fields.items()}


def test_a_chinese_contract():
    got = values(page("采购合同", "合同编号：LJ-2026-1187", "甲方（买方）：蓝鲸数据科技有限公司",
                      "乙方（卖方）：星云软件有限公司",
                      "合同总金额：人民币￥800,000.00元（大写：人民币捌拾万元整）",
                      "合同期限：自2026年12月1日起至2027年11月30日止。", "签订日期：2026年12月1日"))
    assert got == {"contract_no": "LJ-2026-1187", "party_a": "蓝鲸数据科技有限公司", "party_b": "星云软件有限公司",
                   "amount": Decimal("800000.00"), "currency": "CNY", "signed_on": date(2026, 12, 1),
                   "start_on": date(2026, 12, 1), "end_on": date(2027, 11, 30)}


def test_labels_and_values_in_separate_boxes_of_one_row_and_other_party_words():
    got = values(page(("需方：", "青松制药股份有限公司"), ("供方：", "远景信息技术有限公司"),
                      ("价款", "¥1,200,000.00"), ("签约日期", "2026/11/03")))
    assert got["party_a"] == "青松制药股份有限公司" and got["party_b"] == "远景信息技术有限公司"
    assert got["amount"] == Decimal("1200000.00") and got["signed_on"] == date(2026, 11, 3)


def test_both_parties_on_one_row_are_told_apart():
    got = values(page("买方：金桥物流有限公司   卖方：星云软件有限公司"))
    assert (got["party_a"], got["party_b"]) == ("金桥物流有限公司", "星云软件有限公司")


def test_an_english_contract():
    got = values(page("MASTER SERVICES AGREEMENT", "Agreement No. AC-2026-0042",
                      "Party A (Customer): Acme Corporation Inc.", "Party B (Supplier): Nebula Software Ltd.",
                      "Total Contract Price: USD 250,000.00",
                      "Term: from January 5, 2027 to January 4, 2028", "Signing Date: 18 December 2026"))
    assert got == {"contract_no": "AC-2026-0042", "party_a": "Acme Corporation Inc.",
                   "party_b": "Nebula Software Ltd.", "amount": Decimal("250000.00"), "currency": "USD",
                   "signed_on": date(2026, 12, 18), "start_on": date(2027, 1, 5), "end_on": date(2028, 1, 4)}


@pytest.mark.parametrize("figure, amount", [
    ("800,000.00", "800000.00"), ("800.000,00", "800000.00"), ("800,000,00", "800000.00"),
    ("800.000.00", "800000.00"), ("800.000", "800000"), ("1.250.000,50", "1250000.50"), ("99.5", "99.5"),
])
def test_ocr_comma_and_point_confusion(figure, amount):
    assert Decimal(amount) in figure_values(figure)
    assert values(page(f"Total amount: RMB {figure}"))["amount"] == Decimal(amount)


def test_the_amount_in_words_wins_a_disagreement_and_says_so():
    reading = extract(page("合同金额：¥880,000.00", "大写：人民币捌拾万元整"))
    assert reading.fields["amount"].value == Decimal("800000")
    assert reading.fields["amount"].confidence <= 0.6
    assert "differs" in reading.warnings[0]


def test_figures_and_words_that_agree_raise_the_confidence():
    reading = extract(page("合同金额：¥800.000,00", "大写：人民币捌拾万元整", score=0.9))
    assert reading.fields["amount"].value == Decimal("800000") and not reading.warnings


@pytest.mark.parametrize("amount", ["800000", "1234567.89", "100005", "10200300", "50000.50", "3000000000", "60.08"])
def test_capital_amounts_round_trip(amount):
    assert capital_value(capital(Decimal(amount))) == Decimal(amount)


def test_capital_with_currency_word_and_the_older_forms():
    assert capital_value("捌拾万圆正") == Decimal("800000")
    assert capital_value("伍万元") == Decimal("50000")
    assert capital_value("万元") is None and capital_value("捌拾") is None


@pytest.mark.parametrize("text, day", [
    ("2026年12月1日", date(2026, 12, 1)), ("2026-12-01", date(2026, 12, 1)), ("2026.12.1", date(2026, 12, 1)),
    ("Dec. 1, 2026", date(2026, 12, 1)), ("1st December 2026", date(2026, 12, 1)),
    ("September 30 2026", date(2026, 9, 30)), ("Date:April13,2026", date(2026, 4, 13)),
    ("from26March2026", date(2026, 3, 26)), ("fromJune28,2026", date(2026, 6, 28)),
])
def test_dates(text, day):
    assert parse_dates(text) == [day]


def test_a_term_read_without_spaces():
    got = values(page("Serviceperiod:April28,2026-April27,2027", "3.Term:from26March2026to25March2027"))
    assert (got["start_on"], got["end_on"]) == (date(2026, 4, 28), date(2027, 4, 27))
    assert values(page("Eitherpartymay terminate with30 days notice.")) == {}


def test_impossible_dates_are_skipped():
    assert parse_dates("2026-02-30") == []


def test_signature_block_without_names_is_no_party():
    got = values(page("甲方（盖章）：", "乙方（盖章）：", "日期：2026年3月2日"))
    assert "party_a" not in got and "party_b" not in got
    assert got["signed_on"] == date(2026, 3, 2)  # a bare 日期 is taken when no signing date is labelled


def test_a_page_with_no_contract_on_it_gives_no_fields():
    assert values(page("会议纪要", "今天讨论了扩容方案", "下周三跟进")) == {}


def test_pages_are_read_in_order():
    first = page("合同编号：LJ-2026-1187")
    second = [OcrLine("签订日期：2026年12月1日", 0.9, 100, 100, 28, page=2),
              OcrLine("签订日期：2025年1月1日", 0.9, 100, 50, 28, page=3)]
    assert values(first + second)["signed_on"] == date(2026, 12, 1)
