"""The console in headless Chromium against a live server: sign in through the link `/web` gives
in chat, the pipeline shows `pipeline_report`'s numbers, a quote approved in the browser reaches
the rep's chat through the outbox, two duplicate accounts are merged, CSV and Parquet downloads
read back; at desktop and phone width, in Chinese and English. Screenshots of each page go to the
test's temporary folder. Assertions are on visible text."""
from __future__ import annotations

import asyncio
import csv
import re

import pytest

from bot.adapters import Outbox
from bot.app import build_app
from bot.identity import link
from bot.loop import ConversationLoop
from bot.messages import IncomingMessage
from bot.scheduler.runner import Scheduler
from storage.db import session_scope
from storage.models import Account, Quote, User
from tests.fakes.engines import ScriptedEngine
from tests.web.live import browser, chromium_path, serve
from tools.base import ToolContext, get_tool
from web.app import create_app

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed (scripts/system-deps.sh)")]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class ChatRecorder:
    platform = "test"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, chat_id, reply) -> None:
        self.sent.append((chat_id, reply.text))


@pytest.fixture
def world(crm_sqlite, web_settings, clock):
    """The eval fixture plus an admin and a duplicate of 青松制药; the bot and the console on it."""
    with session_scope(crm_sqlite) as session:
        session.add(User(id=7, name="Grace Hopper", role="admin", language="en"))
        session.add(Account(id=50, name="青松制药有限公司", owner_id=1, industry="医药"))
        session.flush()
        for user_id in (1, 3, 5):
            link(user_id, "test", f"u{user_id}", chat_id=f"chat{user_id}", session=session, now=clock())
    bot = build_app(web_settings, clock=clock, engine=ScriptedEngine(), db=crm_sqlite, run_migrations=False)
    return bot, create_app(web_settings, db=crm_sqlite, clock=clock, run_migrations=False)


def chat(bot, user_id: int, text: str) -> str:
    msg = IncomingMessage(platform="test", chat_id=f"chat{user_id}", external_user_id=f"u{user_id}",
                          message_id=f"m-{user_id}-{text}", text=text)
    return "\n".join(r.text for r in ConversationLoop(bot).handle_sync(msg).replies)


def sign_in_from_chat(page, bot, user_id: int, base: str) -> None:
    reply = chat(bot, user_id, "/web")
    link_url = re.search(r"http://\S+", reply).group(0).replace("http://127.0.0.1:8080", base)
    page.goto(link_url)
    page.get_by_role("button").click()
    page.wait_for_url("**/web/pipeline")


def shoot(page, tmp_path, name: str) -> None:
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(tmp_path / f"{name}-{label}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), \
            f"{name} scrolls sideways at {label} width"
    page.set_viewport_size(DESKTOP)


def test_a_manager_signs_in_from_chat_sees_the_pipeline_approves_merges_and_exports(world, tmp_path, clock):
    bot, web = world
    with session_scope(bot.db) as session:
        ctx = ToolContext(user=session.get(User, 3), session=session, settings=bot.settings, clock=clock)
        report = get_tool("pipeline_report").run(ctx, {}).data
    with serve(web) as base, browser() as chrome:
        page = chrome.new_page(viewport=DESKTOP, accept_downloads=True)
        sign_in_from_chat(page, bot, 3, base)

        kpi = page.locator("[data-kpi=open]")
        assert kpi.inner_text() == str(report["open"]["count"])
        assert page.locator("[data-kpi=won]").inner_text() == str(report["won"]["count"])
        funnel = page.locator("details[open] table").first.inner_text()
        for stage, label in zip(report["stages"], ("潜在", "评估", "谈判")):
            assert re.search(rf"{label}\s+{stage['count']}\b", funnel), funnel
        assert page.get_by_role("heading", name="各阶段在手商机").is_visible()
        shoot(page, tmp_path, "pipeline")

        for name in ("team", "accounts", "health", "audit", "tokens"):
            page.goto(f"{base}/web/{name}")
            shoot(page, tmp_path, name)
        page.goto(f"{base}/web/accounts/1")
        assert page.get_by_role("heading", name="蓝鲸数据").is_visible()
        shoot(page, tmp_path, "account")

        page.goto(f"{base}/web/approvals")
        row = page.locator("#quote-102")
        assert "蓝鲸数据" in row.inner_text()
        shoot(page, tmp_path, "approvals")
        row.get_by_placeholder("意见").fill("同意，本周签约")
        row.get_by_role("button", name="批准").click()
        page.get_by_text("王磊 会在聊天里收到通知").wait_for()
        with session_scope(bot.db) as session:
            assert session.get(Quote, 102).status == "approved"

        page.goto(f"{base}/web/health")
        page.get_by_role("button", name=re.compile("青松制药有限公司")).click()
        page.get_by_text("已合并").wait_for()
        assert "青松制药有限公司 → 青松制药" in page.inner_text("main").replace("已合并：", "")
        with session_scope(bot.db) as session:
            assert session.get(Account, 50).merged_into_id == 3

        page.goto(f"{base}/web/pipeline")
        with page.expect_download() as csv_download:
            page.get_by_role("link", name="CSV").first.click()
        csv_path = tmp_path / csv_download.value.suggested_filename
        csv_download.value.save_as(csv_path)
        with page.expect_download() as parquet_download:
            page.get_by_role("link", name="Parquet").first.click()
        parquet_path = tmp_path / parquet_download.value.suggested_filename
        parquet_download.value.save_as(parquet_path)
        page.get_by_role("button", name="退出").click()
        page.get_by_text("你已退出").wait_for()

    rows = list(csv.DictReader(csv_path.open(encoding="utf-8-sig")))
    assert csv_path.name.startswith("opportunities-") and {int(r["owner_id"]) for r in rows} <= {1, 2, 3, 6}
    assert len(rows) == sum(1 for r in rows if r["stage"] in ("prospect", "evaluation", "negotiation", "won", "lost"))
    import pyarrow.parquet as pq

    table = pq.read_table(parquet_path)
    assert parquet_path.suffix == ".parquet" and table.num_rows == len(rows)
    assert sorted(table.column("id").to_pylist()) == sorted(int(r["id"]) for r in rows)

    recorder = ChatRecorder()
    outbox = Outbox()
    outbox.register(recorder)
    asyncio.run(Scheduler(bot, outbox, platforms=["test"], worker_id="bot").tick())
    told = [text for chat_id, text in recorder.sent if chat_id == "chat1" and "同意，本周签约" in text]
    assert len(told) == 1 and "张伟" in told[0] and "批准" in told[0]


def test_an_english_manager_gets_english_pages_on_a_phone(world, tmp_path):
    bot, web = world
    with serve(web) as base, browser() as chrome:
        page = chrome.new_page(viewport=PHONE)
        sign_in_from_chat(page, bot, 5, base)
        assert page.get_by_role("heading", name="Open deals by stage").is_visible()
        assert page.get_by_role("link", name="Approvals").is_visible()
        page.goto(f"{base}/web/approvals")
        assert "Acme Corporation" in page.inner_text("main")
        page.screenshot(path=str(tmp_path / "approvals-en-phone.png"), full_page=True)
