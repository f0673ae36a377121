"""Test data, one import path: ``from tests.factories import ...``.

- records: one record with defaults, every field overridable (``member``, ``product``,
  ``order``...), and ``add_*`` to add one to a session.
- ledger: Tiny Co, the A <- B <- C <- D company of the ledger and close tests.
- intake: Tiny Co ready for order intake (products, retail customers, an April plan).
- world: Acme, one member (T) in every relationship, with sign-ins and grants (API tests).
- member_data: T's contacts, notes, goals and help requests in Acme (authorization matrix).
- genealogy: the root and enrolments of a placement tree, and the principals that act.
- dataset: Acme's small dataset in canonical form.
- disclosure: an income disclosure statement built from arrays alone (no database).
"""

from tests.factories.dataset import SAMPLE_DATASET
from tests.factories.disclosure import sample_statement
from tests.factories.genealogy import ADMIN, MEMBER, SUPPORT, add_root, join, signed_in_admin
from tests.factories.intake import APRIL_PLAN, CUSTOMERS, PRODUCTS, seed_intake
from tests.factories.ledger import (
    MARCH_ORDERS,
    MAX_LEG_PLAN,
    NETWORK,
    PLAN_YAML,
    add_tiny_member,
    post_order,
    seed_company,
)
from tests.factories.member_data import MemberDataWorld, build_member_data, member_data_body
from tests.factories.records import (
    JAN_1,
    add_company,
    add_member,
    add_plan,
    company,
    customer,
    member,
    member_db_id,
    order,
    order_line,
    product,
)
from tests.factories.world import ACME_PLAN, PASSWORD, STAFF, TREE, World, build_world

__all__ = [
    "ACME_PLAN",
    "ADMIN",
    "APRIL_PLAN",
    "CUSTOMERS",
    "JAN_1",
    "MARCH_ORDERS",
    "MAX_LEG_PLAN",
    "MEMBER",
    "NETWORK",
    "PASSWORD",
    "PLAN_YAML",
    "PRODUCTS",
    "SAMPLE_DATASET",
    "STAFF",
    "SUPPORT",
    "TREE",
    "MemberDataWorld",
    "World",
    "add_company",
    "add_member",
    "add_plan",
    "add_root",
    "add_tiny_member",
    "build_member_data",
    "build_world",
    "company",
    "customer",
    "join",
    "member",
    "member_data_body",
    "member_db_id",
    "order",
    "order_line",
    "post_order",
    "product",
    "sample_statement",
    "seed_company",
    "seed_intake",
    "signed_in_admin",
]
