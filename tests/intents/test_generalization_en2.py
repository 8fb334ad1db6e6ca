"""English and mixed sentences written after the English rules of `test_generalization_en.py` and
scored once, unchanged since: how the same classes fare on phrasings the rules were not written
against. Cases still wrong are marked with the reason (strict: a fix shows up as a pass).
Each case is (now, user, text, expected calls), checked as in the eval.
"""
from __future__ import annotations

import pytest

from tests.intents.heldout import X, check, predict

WED = "2026-11-25T10:00"
JAN = "2027-01-12T10:00"

CASES = [
    (WED, 5, 'rej #104. tell 小王 the discount has to come down to 5%', [('reject_quote', dict(quote_id=104, comment=X))]),
    (WED, 5, 'Q-101 is a go from me - Acme is worth it', [('approve_quote', dict(quote_id=101, comment=X))]),
    (WED, 5, 'the Tailspin quote gets a no. too early in the cycle', [('reject_quote', dict(account='Tailspin Airlines'))]),
    (WED, 5, 'ok on 103 w/ note "no more exceptions this year", then show me my reminders for today',
     [('approve_quote', dict(quote_id=103, comment=X)), ('list_reminders', dict(period='today'))]),
    (WED, 5, 'Fabrikam goes over to 刘洋 next month', [('reassign_accounts', dict(to_user='刘洋', account='Fabrikam Manufacturing'))]),
    (WED, 4, "I'm off from December - please hand all my accounts to Bob", [('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith'))]),
    (WED, 4, 'Initech went with Oracle for the TPS suite - their VP said our pricing was too high',
     [('update_opportunity', dict(account='Initech', stage='lost', competitor=X, lost_reason=X))]),
    (WED, 4, 'Contoso Insurance claims portal is now in legal review, 95k USD',
     [('update_opportunity', dict(account='Contoso Insurance', opportunity=X, stage='negotiation', amount=95000, currency='USD'))]),
    (WED, 4, 'Globex signed the supplier portal rollout today, $130k',
     [('update_opportunity', dict(account='Globex Industries', opportunity=X, stage='won', amount=130000, currency='USD'))]),
    (JAN, 5, 'Q4 wrap-up for the team: pipeline + win rate', [('pipeline_report', dict(period='last_quarter', scope='team'))]),
    (WED, 5, 'pending approvals + my reminders this week', [('list_pending_approvals', {}), ('list_reminders', dict(period='this_week'))]),
    (WED, 4, 'look up Northwind and tell me how to get Nancy to commit', [('account_overview', dict(account='Northwind Traders')),
                                                                      ('suggest_next_steps', dict(account='Northwind Traders', question=X))]),
    (WED, 4, 'raise a quote for Tailspin: $48,000, 6% off, crew app licences', [('create_quote', dict(account='Tailspin Airlines', amount=48000, currency='USD', discount_pct=6, product=X))]),
    (WED, 4, 'met Hank at Globexs this morning re the renewal', [('log_visit', dict(account='Globex Industries', contacts=['Hank Scorpio'], occurred_on='2026-11-25', channel='onsite', summary=X))]),
    (WED, 4, 'Umbrella renewal negotation kicked off, 150k EUR', [('update_opportunity', dict(account='Umbrella Health', opportunity=X, stage='negotiation', amount=150000, currency='EUR'))]),
    (WED, 4, 'what worked in past deals when a CFO stalls like at Contoso Bank?', [('suggest_next_steps', dict(account='Contoso Bank', question=X))]),
]
# first scoring: 14 of 16 right
NOT_YET = {
    "Q-101 is a go from me - Acme is worth it": "'a go' is not read as an approval",
    "Umbrella renewal negotation kicked off, 150k EUR": "a one-word deal kind right after the account (Umbrella renewal) is not a deal name",
}
PARAMS = [pytest.param(i, id=f"en2-{i:02d}", marks=[pytest.mark.xfail(reason=NOT_YET[case[2]], strict=True)] if case[2] in NOT_YET else [])
          for i, case in enumerate(CASES)]


@pytest.fixture(scope="module")
def predictions(fixture_data) -> dict[str, list[dict]]:
    return predict(fixture_data, CASES, "n")


@pytest.mark.parametrize("index", PARAMS)
def test_held_out_sentence(predictions, index):
    check(CASES[index], predictions[f"n{index:03d}"])
