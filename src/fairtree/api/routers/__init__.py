"""One router per topic; ``ROUTERS`` is what create_app mounts, in this order."""

from fairtree.api.routers import (
    admin,
    auth,
    contacts,
    health,
    help,
    members,
    notes_goals,
    policies,
    portability,
    sharing,
    team,
)

ROUTERS = [
    health.router,
    auth.router,
    members.router,
    team.router,
    sharing.router,
    admin.router,
    contacts.router,
    notes_goals.router,
    help.router,
    policies.router,
    portability.router,
]
