"""A bonus kind is one module: a config model and a registered class are all the plan
language, its validation and the engine need."""

from typing import Literal

import numpy as np
import pytest

from fairtree.engine import registry
from fairtree.engine.context import Context
from fairtree.engine.evaluate import evaluate
from fairtree.engine.explain import explain_member
from fairtree.engine.inputs import EngineInput, Members, Orders
from fairtree.engine.reference import ReferenceContext, evaluate_reference
from fairtree.engine.result import BonusOutcome
from fairtree.engine.trace import TraceLine, trace_line
from fairtree.errors import PlanError
from fairtree.periods import Period
from fairtree.plans import bonus_kinds
from fairtree.plans.bonus_kinds import BonusBase, PlanFacts
from fairtree.plans.load import parse_plan
from fairtree.plans.values import Amount


class FlatConfig(BonusBase):
    """Test kind: a fixed amount to every active member."""

    kind: Literal["flat_test"]
    amount: Amount

    def check(self, plan: PlanFacts, where: str) -> None:
        plan.money_precision([self.amount], f"{where}.amount")


def _flat_pay(active: np.ndarray, config: FlatConfig) -> np.ndarray:
    return np.where(active, int(config.amount * 100), 0).astype(np.int64)


class FlatKind:
    @staticmethod
    def evaluate(ctx: Context, config: FlatConfig) -> BonusOutcome:
        pay = _flat_pay(ctx.active, config)
        return BonusOutcome(pay=pay, pool=int(pay.sum()))

    @staticmethod
    def reference(ref: ReferenceContext, config: FlatConfig) -> BonusOutcome:
        pay = _flat_pay(np.array(ref.active, dtype=bool), config)
        return BonusOutcome(pay=pay, pool=int(pay.sum()))

    @staticmethod
    def explain(
        ctx: Context, config: FlatConfig, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]:
        exact = str(config.amount) if ctx.active[member] else "0"
        return [trace_line(ctx, config, outcome, member, exact=exact, rule="flat amount")]


@pytest.fixture
def flat_kind(monkeypatch):
    bonus_kinds.bonus_models(), registry.registered_kinds()  # load the real kinds first
    monkeypatch.setattr(bonus_kinds, "_MODELS", dict(bonus_kinds._MODELS))
    monkeypatch.setattr(registry, "_KINDS", dict(registry._KINDS))
    registry.register(FlatConfig)(FlatKind)
    yield
    # the registries are restored by monkeypatch; the plan model follows on next use


PLAN = {
    "plan": {"name": "flat"},
    "currency": "USD",
    "bonuses": [{"id": "flat", "kind": "flat_test", "amount": "2.50"}],
}


def one_member() -> EngineInput:
    members = Members(
        ids=np.array(["A"], dtype=object),
        sponsor=np.array([-1]),
        joined_on=np.array(["2026-01-01"], dtype="datetime64[D]"),
        status=np.zeros(1, dtype=np.int8),
    )
    return EngineInput(members, Orders.empty())


def test_a_registered_kind_parses_checks_evaluates_and_explains(flat_kind):
    document = parse_plan(PLAN, "flat.yaml")
    march = Period.parse("2026-03")
    assert evaluate(one_member(), document, march).pay("flat").tolist() == [250]
    assert evaluate_reference(one_member(), document, march).pay("flat").tolist() == [250]
    [line] = explain_member(one_member(), document, march, "A")
    assert (line.bonus_id, line.kind, line.member, line.amount) == ("flat", "flat_test", "A", 250)
    bad = dict(PLAN, bonuses=[{"id": "flat", "kind": "flat_test", "amount": "2.505"}])
    with pytest.raises(PlanError, match=r"bonuses\[0\]\.amount \[amount\]: 2.505 has more than 2"):
        parse_plan(bad, "flat.yaml")


def test_an_unregistered_kind_is_an_unknown_kind():
    with pytest.raises(PlanError, match=r"bonuses\[0\] \[bonuses\]: unknown bonus kind"):
        parse_plan(PLAN, "flat.yaml")


def test_every_kind_of_the_engine_is_in_the_plan_language():
    assert registry.registered_kinds() == sorted(bonus_kinds.bonus_kinds())


_THREADS_AT_ONCE = """
import importlib, json, threading, time
from fairtree.plans import bonus_kinds

real = importlib.import_module
def slow(name, *args):  # each kind module takes a while to import
    time.sleep(0.02)
    return real(name, *args)
bonus_kinds.importlib.import_module = slow
seen = []
def ask():
    seen.append(list(bonus_kinds.bonus_kinds()))
threads = [threading.Thread(target=ask) for _ in range(6)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps(seen))
"""


def test_threads_asking_at_once_all_see_every_kind() -> None:
    """A server's request threads read their first plan at once: each sees the whole
    registry, none a partial one while the kind modules are still being imported."""
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _THREADS_AT_ONCE], capture_output=True, text=True, check=True
    ).stdout
    seen = json.loads(out)
    assert len(seen) == 6
    assert all(kinds == seen[0] for kinds in seen)
    assert {"unilevel", "binary", "matching"} <= set(seen[0])
