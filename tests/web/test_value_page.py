"""The quarterly value report as a console page: managers and admins only, in the viewer's
language, the current quarter by default, a clear answer to a quarter that is not one."""
from __future__ import annotations

import html

import pytest

from analytics.quarters import Quarter
from analytics.report import SECTIONS
from analytics.report_text import rt
from tests.web.conftest import ADMIN_ID


@pytest.mark.parametrize("user_id,lang", [(3, "zh"), (ADMIN_ID, "en")])
def test_a_manager_sees_the_report_in_their_language(browser_as, clock, user_id, lang):
    client = browser_as(user_id)
    assert 'href="/web/value"' in client.get("/web/pipeline").text  # in the navigation
    response = client.get("/web/value")
    assert response.status_code == 200, response.text[:300]
    report = html.unescape(response.text)  # the report sits in the page's frame
    assert rt(lang, "title") in report
    for section in SECTIONS:
        assert f'id="{section}"' in report and rt(lang, section) in report, section
    assert rt(lang, "duplicates_found") in report
    current = Quarter.of(clock().date())
    assert f'<option value="{current}" selected' in response.text
    earlier = client.get(f"/web/value?quarter={current.previous()}")
    assert earlier.status_code == 200 and f"{current.previous()}" in html.unescape(earlier.text)


def test_a_rep_is_refused_and_has_no_link(browser_as):
    client = browser_as(1)
    assert 'href="/web/value"' not in client.get("/web/pipeline").text
    response = client.get("/web/value")
    assert response.status_code == 403
    assert "你没有权限查看这个页面" in response.text and rt("zh", "summary") not in response.text


@pytest.mark.parametrize("quarter,words", [("2026Q5", "2026Q5"), ("next year", "next year"), ("2099Q1", "2099Q1")])
def test_a_bad_or_future_quarter_gets_a_clear_message(browser_as, quarter, words):
    response = browser_as(3).get("/web/value", params={"quarter": quarter})
    assert response.status_code == 422
    assert words in html.unescape(response.text) and "Traceback" not in response.text
    assert "2026Q4" in response.text or "还没有开始" in response.text
