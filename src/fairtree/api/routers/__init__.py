"""One router per topic; ``ROUTERS`` is what create_app mounts, in this order."""

from fairtree.api.routers import auth, health

ROUTERS = [health.router, auth.router]
