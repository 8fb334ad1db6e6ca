"""A synthetic CRM for scale benchmarks: the eval fixture's names plus thousands of generated
accounts (Chinese and English), contacts who share common surnames (so 王总 and 老王 fit hundreds of
people) and open deals. Deterministic for a seed."""
from __future__ import annotations

import random

from storage.names import Directory, Entry

_ZH_HEAD = "东南西北中华新金银铁海山川云星月日天宇恒瑞德泰安康明远达通祥盛鼎鸿嘉丰宏信诚和兴隆旺"
_ZH_TAIL = ("科技", "物流", "医疗", "能源", "食品", "零售", "汽车", "软件", "教育", "制药", "数据", "电气", "建设", "传媒")
_EN_HEAD = ("North", "Blue", "Silver", "Iron", "Bright", "Clear", "Summit", "Harbor", "Pioneer", "Atlas", "Vertex",
            "Orbit", "Cedar", "Maple", "Falcon", "Granite", "Nova", "Quantum", "Apex", "Lumen")
_EN_TAIL = ("Systems", "Logistics", "Health", "Energy", "Foods", "Retail", "Motors", "Software", "Labs", "Bank",
            "Insurance", "Partners", "Networks", "Analytics")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国文辉鹏飞斌宇浩凯"
_FIRST = ("James", "Mary", "John", "Linda", "Robert", "Susan", "Michael", "Karen", "David", "Nancy", "Daniel", "Lisa",
          "Paul", "Sandra", "Mark", "Emily", "Steven", "Laura", "Kevin", "Amy")
_LAST = ("Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark", "Hall", "Young", "King",
         "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Turner")


def synthetic_directory(base: Directory, *, accounts: int = 10_000, contacts: int = 20_000,
                        seed: int = 11) -> Directory:
    """`base`'s entries plus `accounts` accounts, `contacts` contacts and one open deal for every
    other account."""
    rng = random.Random(seed)
    new_accounts: list[Entry] = []
    names: set[str] = {e.name for e in base.accounts}
    next_id = 100_000
    while len(new_accounts) < accounts:
        if rng.random() < 0.6:
            name = "".join(rng.sample(_ZH_HEAD, 2)) + rng.choice(_ZH_TAIL)
            if rng.random() < 0.5:
                name += rng.choice(("", "有限公司", "集团"))
        else:
            name = f"{rng.choice(_EN_HEAD)}{rng.choice(_EN_HEAD).lower()} {rng.choice(_EN_TAIL)}"
        if name in names:
            name = f"{name}{len(new_accounts)}"
        names.add(name)
        owner = rng.choice(base.users).id if base.users else None
        new_accounts.append(Entry("account", next_id, name, owner_id=owner))
        next_id += 1
    new_contacts = []
    for i in range(contacts):
        account = new_accounts[i % len(new_accounts)]
        if "\u4e00" <= account.name[0] <= "\u9fff":
            name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
        else:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        new_contacts.append(Entry("contact", 500_000 + i, name, account_id=account.id))
    deals = [Entry("opportunity", 900_000 + i, f"{a.name[:2]}平台{i % 3 + 1}期" if "\u4e00" <= a.name[0] <= "\u9fff"
                   else f"{a.name.split()[0]} rollout", account_id=a.id)
             for i, a in enumerate(new_accounts[::2])]
    return Directory(accounts=base.accounts + new_accounts, contacts=base.contacts + new_contacts,
                     users=list(base.users), opportunities=base.opportunities + deals)
