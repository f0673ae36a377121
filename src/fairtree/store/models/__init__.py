"""The fairtree tables. Import from here so every model is registered on ``Base.metadata``."""

from fairtree.store.base import Base
from fairtree.store.models.access import AccessGrant, AccessLogEntry, IdempotencyRecord
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
from fairtree.store.models.help import HelpMessage, HelpRequest, MentoringOffer
from fairtree.store.models.members import GenealogyRecord, Member
from fairtree.store.models.notes_goals import Goal, Note
from fairtree.store.models.orders import Order, OrderLine, Party
from fairtree.store.models.policies import PolicyAcknowledgement, PolicyVersion

__all__ = [
    "AccessGrant",
    "AccessLogEntry",
    "ApiToken",
    "AuditRecord",
    "AuthSession",
    "Base",
    "Company",
    "Contact",
    "Customer",
    "GenealogyRecord",
    "Goal",
    "HelpMessage",
    "HelpRequest",
    "IdempotencyRecord",
    "LoginAttempt",
    "Member",
    "MentoringOffer",
    "Note",
    "Order",
    "OrderLine",
    "Party",
    "PasswordResetToken",
    "Period",
    "PlanVersion",
    "PolicyAcknowledgement",
    "PolicyVersion",
    "Product",
    "User",
]
