"""All tables, importable from one place (Alembic autogenerate reads `SQLModel.metadata`)."""
from .attachments import Attachment
from .crm import (
    Account, AccountCreate, Contact, ContactCreate, Opportunity, OpportunityCreate,
    OpportunityUpdate, StageChange, Visit, VisitContact, VisitCreate,
)
from .inbox import InboxMessage
from .ops import AuditLog, Draft, EngineCall, JobRun, ProcessedMessage, Reminder
from .leads import OPEN_LEAD_STATUSES, Lead, LeadEvent, LeadStatus
from .people import ChatIdentity, InviteCode, User, UserCreate
from .quotes import ApprovalRule, Quote, QuoteCreate
from .usage import UsageEvent
from .types import (
    STAGE_ORDER, STAGE_PROBABILITY, Channel, DraftStatus, Money, QuoteStatus, ReminderStatus, Role,
    Stage, UTCDateTime, utcnow,
)
from .web import ApiToken, OutboxMessage, SignInLink, WebSession

__all__ = [
    "Account", "AccountCreate", "ApiToken", "Attachment", "ApprovalRule", "AuditLog", "Channel", "ChatIdentity", "Contact",
    "ContactCreate", "Draft", "DraftStatus", "EngineCall", "InboxMessage", "InviteCode", "JobRun", "Lead", "LeadEvent", "LeadStatus", "OPEN_LEAD_STATUSES", "Money", "Opportunity",
    "OpportunityCreate", "OpportunityUpdate", "OutboxMessage", "ProcessedMessage", "Quote", "QuoteCreate",
    "QuoteStatus", "Reminder", "ReminderStatus", "Role", "STAGE_ORDER", "STAGE_PROBABILITY", "SignInLink", "Stage",
    "StageChange", "UTCDateTime", "UsageEvent", "User", "UserCreate", "Visit", "VisitContact", "VisitCreate",
    "WebSession", "utcnow",
]
