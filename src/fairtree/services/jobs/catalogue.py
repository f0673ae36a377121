"""Every job kind, registered by importing the module that defines it. A worker imports
this module before it runs anything; add a kind by importing its module here."""

import fairtree.services.commissions.jobs
import fairtree.services.simulation.jobs  # noqa: F401
