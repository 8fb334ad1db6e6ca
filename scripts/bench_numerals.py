#!/usr/bin/env python3
"""Chinese numerals: the rules engine's reader against cn2an, on the forms both read.

Prints per-call time of each; the engine keeps its own reader only while it is faster and agrees.
"""
from __future__ import annotations

import json
import time
from decimal import Decimal

import cn2an

from intents.rules.numerals import chinese

FORMS = ["三百二十万", "两百五十万", "一百二十万", "一万五", "三千五", "十二", "一千二百万", "一百八十万", "十万"]
ROUNDS = 5000


def per_call_us(fn) -> float:
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for form in FORMS:
            fn(form)
    return (time.perf_counter() - started) / (ROUNDS * len(FORMS)) * 1e6


def main() -> None:
    agree = all(chinese(f) == Decimal(cn2an.cn2an(f, "smart")) for f in FORMS)
    ours = per_call_us(chinese)
    theirs = per_call_us(lambda f: cn2an.cn2an(f, "smart"))
    print(json.dumps({"numerals_agree_with_cn2an": agree, "rules_reader_us_per_call": round(ours, 2),
                      "cn2an_us_per_call": round(theirs, 2), "speedup": round(theirs / ours, 2)}))


if __name__ == "__main__":
    main()
