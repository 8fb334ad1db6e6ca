"""Synthetic contract photos with known fields: several zh and en layouts, rendered with the Noto
CJK font (scripts/system-deps.sh installs it), then photographed badly: a slight rotation, blur,
sensor noise and JPEG compression. Deterministic for a seed, so tests and `make eval-contracts`
read the same photos."""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

FONT_CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                   "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
SELLERS_ZH = ("星云软件有限公司", "远景信息技术有限公司")
SELLERS_EN = ("Nebula Software Ltd.", "Bright Harbor Software Inc.")
ZH_SUFFIXES = ("有限公司", "股份有限公司", "")
EN_SUFFIXES = (" Co., Ltd.", " Inc.", " Limited", "")
_DIGITS = "零壹贰叁肆伍陆柒捌玖"


@dataclass(frozen=True)
class Truth:
    """What a photo says: the account it was written for and the fields as they should be read."""

    account_id: int
    contract_no: str
    party_a: str
    party_b: str
    amount: Decimal
    currency: str
    signed_on: date
    start_on: date
    end_on: date
    layout: str
    lang: str


@dataclass(frozen=True)
class Photo:
    name: str
    jpeg: bytes
    truth: Truth


def same_name(read: object, written: str) -> bool:
    """A party name is read right when it matches what was written but for case, width and spaces
    (OCR often drops the space between English words; name matching ignores spaces too)."""
    from storage.names import fold

    return isinstance(read, str) and fold(read).replace(" ", "") == fold(written).replace(" ", "")


def font_path() -> str:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return path
    raise FileNotFoundError("no CJK font: run scripts/system-deps.sh (installs fonts-noto-cjk)")


def capital(amount: Decimal) -> str:
    """800000 → 捌拾万元整 (the 大写 a contract writes; whole yuan, jiao and fen)."""
    yuan = int(amount)
    fen = int((amount - yuan) * 100)

    def four(n: int) -> str:
        out, zero = "", False
        for unit, base in (("仟", 1000), ("佰", 100), ("拾", 10), ("", 1)):
            d = n // base % 10
            if d:
                out += ("零" if zero and out else "") + _DIGITS[d] + unit
                zero = False
            else:
                zero = True
        return out

    parts = []
    for unit, base in (("亿", 10**8), ("万", 10**4), ("", 1)):
        chunk = yuan // base % 10**4
        if chunk:
            text = four(chunk)
            if parts and chunk < 1000:
                text = "零" + text
            parts.append(text + unit)
    text = "".join(parts) + "元"
    if fen:
        jiao, f = divmod(fen, 10)
        text += (_DIGITS[jiao] + "角" if jiao else "零") + (_DIGITS[f] + "分" if f else "")
    else:
        text += "整"
    return text


def _zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _en(d: date, style: int) -> str:
    month = d.strftime("%B")
    return (f"{month} {d.day}, {d.year}", f"{d.day} {month} {d.year}", d.isoformat())[style % 3]


def _lines(t: Truth, rng: random.Random) -> list[tuple[str, str]]:
    """(alignment, text) rows of the contract's first page."""
    money = f"{t.amount:,.2f}"
    if t.layout == "zh-formal":
        return [("c", "产品销售合同"), ("r", f"合同编号：{t.contract_no}"), ("l", ""),
                ("l", f"甲方（买方）：{t.party_a}"), ("l", f"乙方（卖方）：{t.party_b}"), ("l", ""),
                ("l", "经双方友好协商，就甲方采购乙方数据平台软件及服务事宜达成如下协议："),
                ("l", "一、产品及服务：数据平台软件许可及实施服务，详见附件一。"),
                ("l", f"二、合同总金额：人民币¥{money}元"), ("l", f"（大写：人民币{capital(t.amount)}）"),
                ("l", f"三、合同期限：自{_zh(t.start_on)}起至{_zh(t.end_on)}止。"),
                ("l", "四、付款方式：合同签订后十个工作日内支付合同总金额的百分之五十。"),
                ("l", "五、本合同一式两份，双方各执一份，具有同等法律效力。"), ("l", ""),
                ("l", "甲方（盖章）：                    乙方（盖章）："),
                ("l", f"签订日期：{_zh(t.signed_on)}")]
    if t.layout == "zh-table":
        symbol = {"CNY": "¥", "USD": "US$", "EUR": "€"}[t.currency]
        words = f"人民币{capital(t.amount)}" if t.currency == "CNY" else "—"
        return [("c", "技术服务合同"), ("l", f"合同号：{t.contract_no}"),
                ("l", f"买方：{t.party_a}"), ("l", f"卖方：{t.party_b}"), ("l", ""),
                ("l", "服务内容：系统集成、数据迁移与一年运维支持"),
                ("l", f"合同金额：{symbol}{money}"), ("l", f"大写金额：{words}"),
                ("l", f"服务期限：{t.start_on.isoformat()} 至 {t.end_on.isoformat()}"),
                ("l", "违约责任：任何一方违约，应承担由此给对方造成的损失。"), ("l", ""),
                ("l", f"签署日期：{t.signed_on.isoformat()}")]
    style = rng.randrange(3)
    code = {"CNY": "RMB", "USD": "USD", "EUR": "EUR"}[t.currency]
    if t.layout == "en-formal":
        return [("c", "SALES CONTRACT"), ("r", f"Contract No.: {t.contract_no}"), ("l", ""),
                ("l", f"Buyer: {t.party_a}"), ("l", f"Seller: {t.party_b}"), ("l", ""),
                ("l", "1. Scope: software licences and implementation services as listed in Annex 1."),
                ("l", f"2. Total Contract Price: {code} {money}"),
                ("l", f"3. Term: from {_en(t.start_on, style)} to {_en(t.end_on, style)}"),
                ("l", "4. Payment: 50% within ten business days of signing, 50% on acceptance."),
                ("l", "5. This contract is made in two copies of equal legal effect."), ("l", ""),
                ("l", f"Signing Date: {_en(t.signed_on, style)}")]
    return [("c", "SERVICE AGREEMENT"), ("l", f"Agreement No. {t.contract_no}"),
            ("l", f"Party A (Customer): {t.party_a}"), ("l", f"Party B (Supplier): {t.party_b}"), ("l", ""),
            ("l", "The Supplier shall provide data platform subscription and support services."),
            ("l", f"Amount: {code} {money}"),
            ("l", f"Service period: {_en(t.start_on, style)} - {_en(t.end_on, style)}"),
            ("l", "Either party may terminate this agreement with 30 days written notice."), ("l", ""),
            ("l", f"Date of Signing: {_en(t.signed_on, style)}")]


def render(t: Truth, rng: random.Random, *, width: int = 1100) -> bytes:
    """The photo as JPEG bytes."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    height = int(width * 1.35)
    page = Image.new("RGB", (width, height), (rng.randint(235, 255),) * 3)
    draw = ImageDraw.Draw(page)
    size = rng.choice((26, 28, 30))
    font = ImageFont.truetype(font_path(), size)
    title = ImageFont.truetype(font_path(), size + 12)
    margin, y = 70, 80
    for align, text in _lines(t, rng):
        f = title if align == "c" else font
        w = draw.textlength(text, font=f)
        x = (width - w) / 2 if align == "c" else (width - margin - w if align == "r" else margin)
        draw.text((x, y), text, fill=(rng.randint(0, 40),) * 3, font=f)
        y += int(f.size * (1.9 if align == "c" else 1.6))
    angle = rng.uniform(-3.0, 3.0)
    page = page.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(90, 80, 70))
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.1)))
    pixels = np.asarray(page).astype(np.int16)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(3, 9), pixels.shape)
    page = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=rng.randint(45, 80))
    return out.getvalue()


def truths(accounts: list[dict], n: int, *, seed: int = 7) -> list[Truth]:
    """`n` contracts for accounts of the demo shape ({"id", "name", "lang", "currency"}), cycling
    through the layouts; zh accounts get zh layouts and en accounts en ones."""
    rng = random.Random(seed)
    layouts = {"zh": ("zh-formal", "zh-table"), "en": ("en-formal", "en-agreement")}
    out = []
    for i in range(n):
        acc = accounts[i % len(accounts)]
        lang = "zh" if acc.get("lang", "zh") == "zh" else "en"
        layout = layouts[lang][(i // len(accounts) + i) % 2]
        currency = acc.get("currency") or "CNY"
        if layout == "zh-formal":
            currency = "CNY"
        amount = Decimal(rng.choice((rng.randrange(5, 300) * 10_000, rng.randrange(50_000, 2_000_000))))
        if rng.random() < 0.3:
            amount += Decimal(rng.randrange(1, 100)) / 100
        signed = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 360))
        start = signed + timedelta(days=rng.randrange(0, 20))
        suffix = rng.choice(ZH_SUFFIXES if lang == "zh" else EN_SUFFIXES)
        customer = acc["name"] + ("" if acc["name"].endswith(suffix.strip()) else suffix)
        seller = rng.choice(SELLERS_ZH if lang == "zh" else SELLERS_EN)
        prefix = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2))
        out.append(Truth(acc["id"], f"{prefix}-{signed.year}-{rng.randrange(100, 9999):04d}", customer, seller,
                         amount, currency, signed, start, start + timedelta(days=364), layout, lang))
    return out


def photos(accounts: list[dict], n: int, *, seed: int = 7) -> list[Photo]:
    rng = random.Random(seed + 1)
    return [Photo(f"contract-{i:02d}-{t.layout}.jpg", render(t, rng), t)
            for i, t in enumerate(truths(accounts, n, seed=seed))]
