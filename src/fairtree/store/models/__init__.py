"""The fairtree tables. Import from here so every model is registered on ``Base.metadata``."""

from fairtree.store.base import Base
from fairtree.store.models.access import AccessGrant, AccessLogEntry, IdempotencyRecord
from fairtree.store.models.accounting import LedgerEntry, LedgerTransaction
from fairtree.store.models.accounts import (
    ApiToken,
    AuthSession,
    LoginAttempt,
    PasswordResetToken,
    User,
)
from fairtree.store.models.audit import AuditRecord
from fairtree.store.models.catalog import Product
from fairtree.store.models.company import Company, Period, PlanVersion
from fairtree.store.models.customers import Contact, Customer
from fairtree.store.models.disclosure import DisclosurePublication
from fairtree.store.models.help import HelpMessage, HelpRequest, MentoringOffer
from fairtree.store.models.jobs import Job, RunApproval
from fairtree.store.models.members import GenealogyRecord, Member
from fairtree.store.models.notes_goals import Goal, Note
from fairtree.store.models.orders import Order, OrderLine, Party
from fairtree.store.models.payouts import PayoutBatch, PayoutHold, PayoutItem
from fairtree.store.models.policies import PolicyAcknowledgement, PolicyVersion
from fairtree.store.models.runs import (
    CommissionRun,
    PayoutLine,
    RankRecord,
    RunBonusTotal,
    RunCarryValue,
    RunExchangeRate,
)
from fairtree.store.models.volumes import MemberPeriodLeg, MemberPeriodVolume

__all__ = [
    "AccessGrant",
    "AccessLogEntry",
    "ApiToken",
    "AuditRecord",
    "AuthSession",
    "Base",
    "CommissionRun",
    "Company",
    "Contact",
    "Customer",
    "DisclosurePublication",
    "GenealogyRecord",
    "Goal",
    "HelpMessage",
    "HelpRequest",
    "IdempotencyRecord",
    "Job",
    "LedgerEntry",
    "LedgerTransaction",
    "LoginAttempt",
    "Member",
    "MemberPeriodLeg",
    "MemberPeriodVolume",
    "MentoringOffer",
    "Note",
    "Order",
    "OrderLine",
    "Party",
    "PasswordResetToken",
    "PayoutBatch",
    "PayoutHold",
    "PayoutItem",
    "PayoutLine",
    "Period",
    "PlanVersion",
    "PolicyAcknowledgement",
    "PolicyVersion",
    "Product",
    "RankRecord",
    "RunApproval",
    "RunBonusTotal",
    "RunCarryValue",
    "RunExchangeRate",
    "User",
]
