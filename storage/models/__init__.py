"""All tables, importable from one place (Alembic autogenerate reads `SQLModel.metadata`)."""
from .crm import (
    Account, AccountCreate, Contact, ContactCreate, Opportunity, OpportunityCreate,
    OpportunityUpdate, StageChange, Visit, VisitContact, VisitCreate,
)
from .ops import AuditLog, Draft, EngineCall, JobRun, ProcessedMessage, Reminder
from .people import ChatIdentity, InviteCode, User, UserCreate
from .quotes import ApprovalRule, Quote, QuoteCreate
from .usage import UsageEvent
from .types import (
    STAGE_ORDER, STAGE_PROBABILITY, Channel, DraftStatus, Money, QuoteStatus, ReminderStatus, Role,
    Stage, UTCDateTime, utcnow,
)

__all__ = [
    "Account", "AccountCreate", "ApprovalRule", "AuditLog", "Channel", "ChatIdentity", "Contact",
    "ContactCreate", "Draft", "DraftStatus", "EngineCall", "InviteCode", "JobRun", "Money", "Opportunity",
    "OpportunityCreate", "OpportunityUpdate", "ProcessedMessage", "Quote", "QuoteCreate",
    "QuoteStatus", "Reminder", "ReminderStatus", "Role", "STAGE_ORDER", "STAGE_PROBABILITY", "Stage",
    "StageChange", "UTCDateTime", "UsageEvent", "User", "UserCreate", "Visit", "VisitContact", "VisitCreate",
    "utcnow",
]
