"""One router per topic; ``ROUTERS`` is what create_app mounts, in this order."""

from fairtree.api.routers import admin, auth, health, members, sharing, team

ROUTERS = [health.router, auth.router, members.router, team.router, sharing.router, admin.router]
