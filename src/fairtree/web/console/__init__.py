"""The operator console under /console: staff pages over the same services as the API.

Owners and admins run the company (periods, payouts, plans, members, the tree); support
staff answer help requests and look members up without private data. Every form that
changes money or the tree shows what it will do first, carries a one-time token (a
second submit does nothing more) and is audited with the actor and the reason.
"""

from fairtree.web.console import (
    compliance,
    disclosure,
    genealogy,
    helpdesk,
    home,
    logs,
    members,
    payouts,
    periods,
    plans,
    simulations,
)

ROUTERS = [
    home.router,
    members.router,
    genealogy.router,
    periods.router,
    payouts.router,
    plans.router,
    logs.router,
    helpdesk.router,
    disclosure.router,
    compliance.router,
    simulations.router,
]
