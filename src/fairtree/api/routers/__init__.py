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
from fairtree.web import disclosure_pages, pages, pages_more

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
    pages_more.router,
    disclosure_pages.router,
]
