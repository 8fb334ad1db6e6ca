"""English and mixed sentences for the classes the English rules read: managers' quote decisions in
shorthand and idiom (rej #101, decline Q-103. <reason>, the Acme quote gets a hard no, approve 101
(Acme) - <comment>), handing accounts over in plain words (Northwind goes back to Alice, I will
cover her accounts), deal names, competitors and loss reasons (signed the fleet analytics renewal,
chose SAP and said our plan was too slow), stage cues (in contract review), questions read by what
they ask about (Q4 numbers for the team, year-end figures, pull up X and tell me how…), quote
products, and misspelt English accounts with a known contact as evidence.

Written before the rules for these classes and scored before them (3 of 26 right) and after (26 of
26). They were the rules' targets beside the eval's misses, so they show the classes are read, not
how unseen text fares: `test_generalization_en2.py` is the set written after the rules and scored
once. Each case is (now, user, text, expected calls), checked as in the eval.
"""
from __future__ import annotations

import pytest

from tests.intents.heldout import X, check, predict

WED = "2026-11-25T10:00"
JAN = "2027-01-12T10:00"

QUOTE_DECISIONS = [
    (WED, 5, 'rej Q-104, way too much discount', [('reject_quote', dict(quote_id=104, comment=X))]),
    (WED, 5, 'Decline #103. Initech still has not picked a vendor.', [('reject_quote', dict(quote_id=103, comment=X))]),
    (WED, 5, 'the Acme quote gets a hard no from me', [('reject_quote', dict(account='Acme Corporation'))]),
    (WED, 5, 'the Initech quote is a yes from me', [('approve_quote', dict(account='Initech'))]),
    (WED, 5, 'approve quote #101 (Acme) - fine given the three-year term', [('approve_quote', dict(quote_id=101, account='Acme Corporation', comment=X))]),
    (WED, 5, "approve 102 w/ comment 'one-off exception', and show me what else is waiting",
     [('approve_quote', dict(quote_id=102, comment=X)), ('list_pending_approvals', {})]),
    (WED, 5, 'quote no. 104 — rejected. Ask 小王 to come back with 5% max.', [('reject_quote', dict(quote_id=104, comment=X))]),
]

HANDOVERS = [
    (WED, 5, 'Northwind goes back to Alice starting Monday', [('reassign_accounts', dict(to_user='Alice Chen', account='Northwind Traders'))]),
    (WED, 5, 'Alice is out on leave next month; I will cover her accounts myself', [('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith'))]),
    (WED, 4, "I'm joining the partner team in March — please pass my accounts to Bob", [('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith'))]),
    (WED, 5, 'Alice is off for two weeks: Initech and Umbrella go to 刘洋 meanwhile',
     [('reassign_accounts', dict(from_user='Alice Chen', to_user='刘洋', account='Initech')),
      ('reassign_accounts', dict(from_user='Alice Chen', to_user='刘洋', account='Umbrella Health'))]),
]

DEALS = [
    (WED, 4, 'Acme signed the fleet analytics renewal! $260k, PO landed today',
     [('update_opportunity', dict(account='Acme Corporation', opportunity=X, stage='won', amount=260000, currency='USD'))]),
    (WED, 4, 'Northwind POS integration slipped — now looking like end of Q1',
     [('update_opportunity', dict(account='Northwind Traders', opportunity=X, expected_close='2027-03-31'))]),
    (WED, 4, 'we lost Globex: they chose SAP, and their COO said our rollout plan was too slow',
     [('update_opportunity', dict(account='Globex Industries', stage='lost', competitor=X, lost_reason=X))]),
    (WED, 4, "Hank from Globex emailed this morning - they've gone with Oracle, citing budget",
     [('log_visit', dict(account='Globex Industries', contacts=['Hank Scorpio'], occurred_on='2026-11-25', channel='email', summary=X)),
      ('update_opportunity', dict(account='Globex Industries', stage='lost', competitor=X, lost_reason=X))]),
    (WED, 4, 'Umbrella clinical data module is in contract review now, 140k EUR',
     [('update_opportunity', dict(account='Umbrella Health', opportunity=X, stage='negotiation', amount=140000, currency='EUR'))]),
]

QUESTIONS = [
    (JAN, 5, 'Q4 numbers for the team - win rate and pipeline', [('pipeline_report', dict(period='last_quarter', scope='team'))]),
    (WED, 5, 'year-end figures for the team: pipeline and win rate', [('pipeline_report', dict(period='this_year', scope='team'))]),
    (WED, 5, "what's waiting for my approval, and my reminders for next week",
     [('list_pending_approvals', {}), ('list_reminders', dict(period='next_week'))]),
    (WED, 4, 'pull up Initech and tell me how to get their security review unstuck',
     [('account_overview', dict(account='Initech')), ('suggest_next_steps', dict(account='Initech', question=X))]),
    (WED, 5, 'move Northwind to Alice, and run a data health check on the team',
     [('reassign_accounts', dict(to_user='Alice Chen', account='Northwind Traders')), ('data_health', dict(scope='team'))]),
    (WED, 5, 'team pipeline this month + top 3 accounts by activity',
     [('pipeline_report', dict(period='this_month', scope='team')), ('top_accounts', dict(metric='activity', limit=3))]),
]

QUOTE_REQUESTS = [
    (WED, 4, 'pls raise a quote for Northwind: $45,000, 10% off, POS integration',
     [('create_quote', dict(account='Northwind Traders', amount=45000, currency='USD', discount_pct=10, product=X))]),
    (WED, 4, 'Globex wants pricing on the supply-chain module - $180k with 10% off. Can you send it for approval?',
     [('create_quote', dict(account='Globex Industries', amount=180000, currency='USD', discount_pct=10, product=X))]),
]

TYPOS = [
    (WED, 4, 'mtg w/ Hank at Globexx yesterday re the renewal', [('log_visit', dict(account='Globex Industries', contacts=['Hank Scorpio'], occurred_on='2026-11-24', summary=X))]),
    (WED, 4, 'visted Nortwind today, walked Nancy Davolio through the pilot results', [('log_visit', dict(account='Northwind Traders', contacts=['Nancy Davolio'], occurred_on='2026-11-25', channel='onsite', summary=X))]),
]

CLASSES = {"quote_decisions": QUOTE_DECISIONS, "handovers": HANDOVERS, "deals": DEALS, "questions": QUESTIONS,
           "quote_requests": QUOTE_REQUESTS, "typos": TYPOS}
CASES = [(name, case) for name, cases in CLASSES.items() for case in cases]
IDS = [f"{name}-{i:02d}" for i, (name, _) in enumerate(CASES)]
NOT_YET: dict[str, str] = {}
PARAMS = [pytest.param(i, id=IDS[i], marks=[pytest.mark.xfail(reason=NOT_YET[case[2]], strict=True)] if case[2] in NOT_YET else [])
          for i, (_, case) in enumerate(CASES)]


@pytest.fixture(scope="module")
def predictions(fixture_data) -> dict[str, list[dict]]:
    return predict(fixture_data, [case for _, case in CASES], "e")


@pytest.mark.parametrize("index", PARAMS)
def test_held_out_sentence(predictions, index):
    check(CASES[index][1], predictions[f"e{index:03d}"])
