"""The compensation engine: evaluate a plan over a period, explain it, compare plans.

Pure: arrays and a plan in, payout arrays and trace lines out; no store and no I/O.
Engine input is built elsewhere: ``fairtree.dataset.engine_input`` from a dataset
folder, ``fairtree.simulation.engine_input`` from a synthetic company, the store's
bulk loaders from a database.
"""

from fairtree.engine.evaluate import evaluate
from fairtree.engine.explain import explain_member
from fairtree.engine.inputs import CarryState, EngineInput, Members, Orders, Parties
from fairtree.engine.reference import evaluate_reference
from fairtree.engine.result import BonusOutcome, Evaluation
from fairtree.engine.trace import Contribution, TraceLine
from fairtree.engine.whatif import PlanDiff, diff_plans

__all__ = [
    "BonusOutcome",
    "CarryState",
    "Contribution",
    "EngineInput",
    "Evaluation",
    "Members",
    "Orders",
    "Parties",
    "PlanDiff",
    "TraceLine",
    "diff_plans",
    "evaluate",
    "evaluate_reference",
    "explain_member",
]
