"""One router per topic; ``ROUTERS`` is what create_app mounts, in this order (the
member back office pages of ``fairtree.web`` last)."""

from fairtree.api.routers import (
    admin,
    admin_genealogy,
    auth,
    contacts,
    health,
    help,
    members,
    notes_goals,
    orders,
    pay,
    policies,
    portability,
    sharing,
    team,
)
from fairtree.web import (
    disclosure_pages,
    pages,
    pages_account,
    pages_more,
    pages_my_data,
    pages_pay,
    pages_records,
    pages_statements,
    pages_team,
)
from fairtree.web.console import ROUTERS as CONSOLE_ROUTERS

ROUTERS = [
    health.router,
    auth.router,
    members.router,
    team.router,
    sharing.router,
    admin.router,
    admin_genealogy.router,
    orders.router,
    contacts.router,
    notes_goals.router,
    pay.router,
    help.router,
    policies.router,
    portability.router,
    pages.entrance,
    pages.router,
    pages_pay.router,
    pages_team.router,
    pages_statements.router,
    pages_my_data.router,
    pages_records.router,
    pages_more.router,
    disclosure_pages.router,
    pages_account.router,
    *CONSOLE_ROUTERS,
]
