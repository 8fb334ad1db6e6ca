"""Argument models of every tool: CONTRACT.md's names, types and enums, and nothing else.

These models are the schemas an LLM sees (via `Tool.json_schema`) and the validation every engine's
output passes. An argument a message does not state is absent (None here); defaults named by the
contract (period, metric, scope, limit, currency, 09:00) are applied by the tools when they run, so
an engine never has to guess them. Field descriptions are written for the model reading them.
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from storage.models import Channel, Stage

Period = Literal["today", "this_week", "last_week", "next_week", "this_month", "last_month",
                 "this_quarter", "last_quarter", "this_year"]
Metric = Literal["activity", "pipeline", "won"]
Scope = Literal["mine", "team"]

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Currency = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{3}$")]
Amount = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2,
                                  description="the figure as a plain number: 50万 → 500000, $1.2M → 1200000")]


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    def contract_args(self) -> dict:
        """The arguments as CONTRACT.md writes them: absent ones left out, values JSON-ready."""
        return self.model_dump(mode="json", exclude_none=True)


class LogVisitArgs(Args):
    account: Name = Field(description="the customer: its CRM name if known, else as written")
    contacts: list[Name] | None = Field(None, description="people met, as written or their CRM names")
    occurred_on: date | None = Field(None, description="the day it happened, YYYY-MM-DD; a bare weekday means the past one")
    channel: Channel | None = Field(None, description="onsite, phone, video, message (WeChat/chat), email, event (trade show)")
    summary: Text | None = Field(None, description="what was discussed, in the rep's words")
    next_step: Text | None = Field(None, description="the agreed next step, if one was stated")
    next_step_due: date | None = Field(None, description="the day the next step is due, YYYY-MM-DD, if the next step states one")


class UpdateOpportunityArgs(Args):
    account: Name = Field(description="the customer whose deal changed")
    opportunity: Name | None = Field(None, description="the deal's name if the message names it")
    stage: Stage | None = Field(None, description="prospect, evaluation, negotiation, won or lost")
    amount: Amount | None = None
    currency: Currency | None = Field(None, description="ISO 4217: CNY, USD, EUR...")
    expected_close: date | None = Field(None, description="expected close date YYYY-MM-DD; a quarter means its last day")
    lost_reason: Text | None = None
    competitor: Name | None = None


class RenameOpportunityArgs(Args):
    new_name: Name = Field(description="the deal's new name, as the user wrote it")
    account: Name | None = Field(None, description="the customer, if named; omitted means the deal just discussed")
    opportunity: Name | None = Field(None, description="the deal's current name, if the message names it")


class RenameAccountArgs(Args):
    account: Name = Field(description="the customer as it is called now")
    new_name: Name = Field(description="the customer's new name, as the user wrote it")


class CreateQuoteArgs(Args):
    account: Name = Field(description="the customer the quote is for")
    amount: Amount = Field(description="the quoted figure as stated, before any discount")
    currency: Currency | None = Field(None, description="ISO 4217; omitted means the CRM default")
    discount_pct: Annotated[Decimal, Field(ge=0, lt=100)] | None = Field(
        None, description="percentage taken off: 85折 → 15, 九折 → 10, 15% off → 15")
    product: Name | None = None
    note: Text | None = None


class DecideQuoteArgs(Args):
    quote_id: Annotated[int, Field(gt=0)] | None = Field(None, description="Q-101, #101, 101号 → 101")
    account: Name | None = Field(None, description="the customer, when the quote is named by customer only")
    comment: Text | None = None

    @model_validator(mode="after")
    def _names_a_quote(self):
        if self.quote_id is None and self.account is None:
            raise ValueError("give quote_id or account")
        return self


class ApproveQuoteArgs(DecideQuoteArgs):
    pass


class RejectQuoteArgs(DecideQuoteArgs):
    pass


class CreateReminderArgs(Args):
    due_at: datetime = Field(description="local wall-clock time YYYY-MM-DDTHH:MM; no time stated → 09:00")
    text: Text = Field(description="what to do")
    account: Name | None = Field(None, description="the customer it concerns, if any")


class ReminderRefArgs(Args):
    """Which of the user's open reminders is meant: by number, by what it says, by customer, by
    when it is due, or any mix. Nothing given means the user's only open reminder."""

    reminder_id: Annotated[int, Field(gt=0)] | None = Field(None, description="the reminder's number, if given")
    text: Text | None = Field(None, description="words of the reminder as the user refers to it, e.g. 给袁总回电话, call Dana")
    account: Name | None = Field(None, description="the customer the reminder is about, if named")
    due_on: date | None = Field(None, description="the day it is due, YYYY-MM-DD, if the user says (12月31号那个 → that day)")
    due_time: time | None = Field(None, description="the time of day it is due, HH:MM, if the user says (my 3pm reminder → 15:00)")


class CompleteReminderArgs(ReminderRefArgs):
    pass


class DeleteReminderArgs(ReminderRefArgs):
    pass


class MoveReminderArgs(ReminderRefArgs):
    new_day: date | None = Field(None, description="the new day, YYYY-MM-DD; omitted keeps the day")
    new_time: time | None = Field(None, description="the new time of day, HH:MM; omitted keeps the time")

    @model_validator(mode="after")
    def _says_when(self):
        if self.new_day is None and self.new_time is None:
            raise ValueError("give new_day or new_time")
        return self


class ListRemindersArgs(Args):
    period: Period | None = None


class ListPendingApprovalsArgs(Args):
    pass


class TopAccountsArgs(Args):
    period: Period | None = Field(None, description="defaults to this_month")
    metric: Metric | None = Field(None, description="activity (visits), pipeline (open amount), won (closed amount); default activity")
    limit: Annotated[int, Field(ge=1, le=50)] | None = Field(None, description="how many; default 5")
    scope: Scope | None = Field(None, description="mine or team; default: team for managers, mine for reps")


class PipelineReportArgs(Args):
    period: Period | None = Field(None, description="defaults to this_quarter")
    scope: Scope | None = None
    rep: Name | None = Field(None, description="one team member whose pipeline is asked for (王磊这个月的pipeline)")
    by_rep: bool | None = Field(None, description="true to break the figures down by rep (按人分, by rep)")


class WeeklyReportArgs(Args):
    period: Literal["last_week", "this_week"] | None = Field(None, description="which week; default last_week")


class AccountOverviewArgs(Args):
    account: Name


class SuggestNextStepsArgs(Args):
    account: Name
    question: Text | None = None


class DataHealthArgs(Args):
    scope: Scope | None = None


class ReassignAccountsArgs(Args):
    from_user: Name = Field(description="the user handing accounts over")
    to_user: Name = Field(description="the user receiving them")
    account: Name | None = Field(None, description="one account; omitted means all of from_user's")


class SalesForecastArgs(Args):
    quarter: Literal["this_quarter", "next_quarter"] | None = Field(
        None, description="the quarter to forecast; default next_quarter (下季度)")
    by: Literal["rep"] | None = Field(None, description="rep: one line per sales rep (按人, by rep)")
    scope: Scope | None = Field(None, description="mine or team; default: team for managers, mine for reps")


class AccountPotentialArgs(Args):
    limit: Annotated[int, Field(ge=1, le=50)] | None = Field(None, description="how many; default 5")
    scope: Scope | None = Field(None, description="mine or team; default: team for managers, mine for reps")


class ContractFile(BaseModel):
    """A file of the contract, already in the attachment store (named by its sha256)."""

    model_config = ConfigDict(extra="forbid")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    mime: Annotated[str, StringConstraints(max_length=64)]
    bytes: int = Field(ge=1)
    pages: int = Field(1, ge=1)
    name: Annotated[str, StringConstraints(max_length=200)] | None = None


class FileContractArgs(Args):
    account: Name = Field(description="the customer party of the contract")
    opportunity: Name | None = Field(None, description="the deal the contract closes; omitted means the account's open deal")
    amount: Amount = Field(description="the contract's total")
    currency: Currency | None = Field(None, description="ISO 4217; omitted means the deal's")
    signed_on: date = Field(description="the signing date, YYYY-MM-DD: becomes the deal's close date")
    contract_no: Name | None = None
    start_on: date | None = None
    end_on: date | None = None
    files: list[ContractFile] = Field(min_length=1, description="the contract's files (photos of its pages, a PDF)")
    read: dict | None = Field(None, description="the fields as read from the files, kept with the attachment")
