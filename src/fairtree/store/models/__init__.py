"""The fairtree tables. Import from here so every model is registered on ``Base.metadata``."""

from fairtree.store.base import Base
from fairtree.store.models.audit import AuditRecord
from fairtree.store.models.catalog import Product
from fairtree.store.models.company import Company, Period, PlanVersion
from fairtree.store.models.customers import Contact, Customer
from fairtree.store.models.members import GenealogyRecord, Member
from fairtree.store.models.orders import Order, OrderLine, Party

__all__ = [
    "AuditRecord",
    "Base",
    "Company",
    "Contact",
    "Customer",
    "GenealogyRecord",
    "Member",
    "Order",
    "OrderLine",
    "Party",
    "Period",
    "PlanVersion",
    "Product",
]
