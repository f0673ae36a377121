"""Stairstep (breakaway), party and retail-profit kinds: the compiled breakaway pass
against its numpy fallback and a brute force, explain lines that add up to the pay,
host credits from a dataset folder, and the parameter checks."""

import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from fairtree.dataset.engine_input import load_dataset_input
from fairtree.engine.breakaway import (
    leader_above,
    marked_above,
    own_group,
    volume_breakaways,
    volume_breakaways_numpy,
)
from fairtree.engine.evaluate import build_context, evaluate, run_bonuses
from fairtree.engine.reference import evaluate_reference
from fairtree.engine.registry import get_kind
from fairtree.errors import PlanError, ValidationError
from fairtree.genealogy.compress import compressed_parent
from fairtree.genealogy.tree import build_tree
from fairtree.money import currency_exponent
from fairtree.periods import Period
from fairtree.plans.load import parse_plan, read_yaml
from fairtree.plans.values import RATE_SCALE
from fairtree.simulation.engine_input import company_input
from tests.unit.engine_strategies import networks, plans

MARCH = Period.parse("2026-03")
PARTY_PLAN = Path(__file__).resolve().parents[2] / "plans" / "party-plan" / "plan.yaml"


def random_forest(rng: np.random.Generator, n: int) -> np.ndarray:
    parent = np.array([-1] + [int(rng.integers(-1, k)) for k in range(1, n)], dtype=np.int64)
    perm = rng.permutation(n)
    out = np.full(n, -1, dtype=np.int64)
    out[perm] = np.where(parent >= 0, perm[np.maximum(parent, 0)], -1)
    return out


def brute_breakaways(parent, pv, eligible, threshold):
    """Deepest first: own group = own PV + own groups of children that stayed."""
    n = len(parent)
    children = [[] for _ in range(n)]
    for m, p in enumerate(parent):
        if p >= 0:
            children[p].append(m)

    def depth(m):
        d = 0
        while parent[m] >= 0:
            m, d = parent[m], d + 1
        return d

    group, broke = [0] * n, [False] * n
    for m in sorted(range(n), key=depth, reverse=True):
        group[m] = pv[m] + sum(group[c] for c in children[m] if not broke[c])
        broke[m] = parent[m] >= 0 and eligible[m] and group[m] >= threshold
    return broke, group


@pytest.mark.parametrize("seed", range(40))
def test_breakaway_pass_compiled_numpy_and_brute_force_agree(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 120))
    parent = random_forest(rng, n)
    tree = build_tree(parent)
    pv = rng.integers(0, 3000, n).astype(np.int64)
    eligible = rng.random(n) < 0.8
    threshold = int(rng.integers(0, 20000))
    pre_pv, pre_eligible = pv[tree.order], eligible[tree.order]
    fast = volume_breakaways(tree, pre_pv, pre_eligible, threshold)
    assert fast.tolist() == volume_breakaways_numpy(tree, pre_pv, pre_eligible, threshold).tolist()
    broke, group = brute_breakaways(parent.tolist(), pv.tolist(), eligible.tolist(), threshold)
    assert fast[tree.position].tolist() == broke
    # the compiled nearest-marked-ancestor pass equals pointer jumping
    assert marked_above(tree, fast).tolist() == compressed_parent(tree.parent, fast).tolist()
    # own group by prefix sums equals the deepest-first sums for the same breakaways
    assert own_group(tree, pre_pv, fast)[tree.position].tolist() == group


def test_leader_above_skips_members_that_stayed():
    #   0 - 1 - 2(breaks) - 3 - 4(breaks)
    tree = build_tree([-1, 0, 1, 2, 3])
    broke = np.array([False, False, True, False, True])
    assert leader_above(tree, broke).tolist() == [-1, 0, 0, 2, 2]


@settings(max_examples=150, deadline=None)
@given(networks(), plans())
def test_explain_amount_is_the_pay_and_contributions_add_up(inputs, plan):
    resolved = plan.base
    ctx = build_context(inputs, resolved, MARCH)
    outcomes = run_bonuses(ctx)
    for bonus in resolved.bonuses:
        if bonus.kind not in ("stairstep", "party", "retail_profit"):
            continue
        kind = get_kind(bonus.kind)
        outcome = outcomes[bonus.id]
        for member in range(ctx.size):
            lines = kind.explain(ctx, bonus, outcome, member)
            if not lines:
                assert outcome.pay[member] == 0
                continue
            (line,) = lines
            assert line.amount == outcome.pay[member]
            paid = sum(c.base * c.rate for c in line.contributions if c.paid)
            exact = Decimal(line.exact)
            if bonus.kind == "stairstep":  # rate units x hundredths of a point
                assert exact * RATE_SCALE * 100 == paid
            elif bonus.kind == "party":  # rate units x minor units
                assert exact.scaleb(currency_exponent(resolved.currency)) * RATE_SCALE == paid
            else:  # retail profit: the net margin, shown as 0 when negative
                net = sum(c.base for c in line.contributions)
                assert exact.scaleb(currency_exponent(resolved.currency)) == net
                assert outcome.pay[member] == max(net, 0)


def test_party_credits_from_a_dataset_folder_match_the_company(tmp_path):
    from fairtree.simulation.synth import generate, write_dataset

    company = generate(300, 3, 5)
    folder = tmp_path / "acme"
    write_dataset(company, folder)
    shutil.copy(PARTY_PLAN, folder / "plan.yaml")
    doc = read_yaml(PARTY_PLAN)
    doc["bonuses"][0]["host_tiers"][0]["min_sales"] = 10  # small synthetic parties
    plan = parse_plan(doc, str(PARTY_PLAN))
    from_files, from_arrays = load_dataset_input(folder), company_input(company)
    assert from_files.parties.host_customer.tolist() == from_arrays.parties.host_customer.tolist()
    for period in ("2026-01", "2026-02", "2026-03"):
        month = Period.parse(period)
        files = evaluate(from_files, plan, month)
        arrays = evaluate(from_arrays, plan, month)
        slow = evaluate_reference(from_arrays, plan, month)
        for result in (arrays, slow):
            for bonus_id in ("party", "retail"):
                assert result.pay(bonus_id).tolist() == files.pay(bonus_id).tolist()
            assert result.outcomes["party"].credits == files.outcomes["party"].credits
    assert any(
        evaluate(from_files, plan, Period.parse(p)).outcomes["party"].credits
        for p in ("2026-01", "2026-02", "2026-03")
    )


def test_an_order_of_a_party_not_given_is_refused_by_name():
    from fairtree.engine.inputs import EngineInput, Members, Orders

    members = Members(
        ids=np.array(["K"], dtype=object),
        sponsor=np.array([-1]),
        joined_on=np.array(["2025-01-01"], dtype="datetime64[D]"),
        status=np.zeros(1, dtype=np.int8),
    )
    one = np.ones(1, dtype=np.int64)
    orders = Orders(
        ids=np.array(["o1"], dtype=object),
        buyer=np.zeros(1, dtype=np.int64),
        from_customer=np.ones(1, dtype=bool),
        placed_on=np.array(["2026-03-02"], dtype="datetime64[D]"),
        pv=one,
        bv=one,
        sales=one,
        noncommissionable_sales=one * 0,
        retail_margin=one * 0,
        party=np.array([3]),
    )
    plan = parse_plan(
        {
            "plan": {"name": "p"},
            "currency": "USD",
            "bonuses": [{"id": "party", "kind": "party", "consultant_rate": "10%"}],
        },
        "p.yaml",
    )
    with pytest.raises(ValidationError, match=r"order o1 \[party\]: names party #3"):
        evaluate(EngineInput(members, orders), plan, MARCH)


BASE = {"plan": {"name": "bad"}, "currency": "USD", "ranks": [{"name": "Star"}]}


@pytest.mark.parametrize(
    ("bonus", "message"),
    [
        (
            {
                "id": "s",
                "kind": "stairstep",
                "brackets": [{"min_volume": 1, "rate": "1%"}],
                "breakaway": {"generation_rates": ["1%"]},
            },
            "bonuses[0].breakaway [breakaway]: give rank, group_volume or both",
        ),
        (
            {
                "id": "s",
                "kind": "stairstep",
                "brackets": [{"min_volume": 1, "rate": "1%"}],
                "breakaway": {"rank": "Gold"},
            },
            "bonuses[0].breakaway.rank [rank]: unknown rank 'Gold'",
        ),
        (
            {
                "id": "s",
                "kind": "stairstep",
                "brackets": [{"min_volume": 5, "rate": "1%"}, {"min_volume": 5, "rate": "2%"}],
            },
            "bonuses[0].brackets[1].min_volume [min_volume]: brackets must be listed by "
            "strictly increasing min_volume",
        ),
        (
            {
                "id": "s",
                "kind": "stairstep",
                "brackets": [{"min_volume": 1, "rate": "1%"}],
                "breakaway": {"rank": "Star", "generation_min_rank": "Star"},
            },
            "generation_min_rank [generation_min_rank]: names a rank for overrides but "
            "generation_rates is empty",
        ),
        (
            {
                "id": "p",
                "kind": "party",
                "consultant_rate": "5%",
                "host_tiers": [{"min_sales": "10.005", "reward_percent": "1%"}],
            },
            "bonuses[0].host_tiers[0].min_sales [min_sales]: 10.005 has more than 2 decimals",
        ),
        (
            {"id": "p", "kind": "party", "consultant_rate": "150%"},
            "bonuses[0].consultant_rate [consultant_rate]: rate '150%' is above 100%",
        ),
    ],
)
def test_bad_parameters_are_refused_naming_file_and_path(bonus, message):
    with pytest.raises(PlanError) as error:
        parse_plan({**BASE, "bonuses": [bonus]}, "company/plan.yaml")
    assert "company/plan.yaml" in str(error.value)
    assert message in str(error.value)


def test_retail_profit_is_reported_not_paid():
    doc = {
        "plan": {"name": "r"},
        "currency": "USD",
        "bonuses": [{"id": "retail", "kind": "retail_profit"}],
    }
    plan = parse_plan(doc, "r.yaml")
    from fairtree.engine.inputs import EngineInput, Members, Orders

    members = Members(
        ids=np.array(["A", "B"], dtype=object),
        sponsor=np.array([-1, 0]),
        joined_on=np.array(["2025-01-01"] * 2, dtype="datetime64[D]"),
        status=np.zeros(2, dtype=np.int8),
    )
    z = np.zeros(2, dtype=np.int64)
    orders = Orders(
        ids=np.array(["o1", "o2"], dtype=object),
        buyer=np.array([1, 1]),
        from_customer=np.array([True, False]),
        placed_on=np.array(["2026-03-02"] * 2, dtype="datetime64[D]"),
        pv=z,
        bv=z,
        sales=z,
        noncommissionable_sales=z,
        retail_margin=np.array([1250, 900]),
        party=np.array([-1, -1]),
    )
    result = evaluate(EngineInput(members, orders), plan, MARCH)
    assert result.pay("retail").tolist() == [0, 1250]
    assert result.outcomes["retail"].report_only
    assert result.total_paid() == 0
    assert dataclasses.asdict(result.outcomes["retail"])["pool"] == 1250
