import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from fairtree.cli.main import app
from fairtree.dataset.engine_input import load_dataset_input
from fairtree.engine.evaluate import evaluate
from fairtree.engine.explain import explain_member
from fairtree.engine.reference import evaluate_reference
from fairtree.engine.whatif import diff_plans
from fairtree.errors import DatasetError
from fairtree.periods import Period
from fairtree.plans.load import load_plan, parse_plan, read_yaml
from fairtree.simulation.engine_input import company_input
from fairtree.simulation.synth import generate, write_dataset

PLAN = Path(__file__).resolve().parents[2] / "plans" / "unilevel" / "plan.yaml"
MARCH = Period.parse("2026-03")


@pytest.fixture(scope="module")
def company():
    return generate(400, 3, 11)


@pytest.fixture(scope="module")
def dataset(company, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ds") / "acme"
    write_dataset(company, folder)
    shutil.copy(PLAN, folder / "plan.yaml")
    return folder


def test_dataset_loader_matches_the_company_arrays(company, dataset):
    from_files, from_arrays = load_dataset_input(dataset), company_input(company)
    assert from_files.members.sponsor.tolist() == from_arrays.members.sponsor.tolist()
    assert from_files.members.status.tolist() == from_arrays.members.status.tolist()
    for field in ("buyer", "from_customer", "pv", "bv", "sales", "retail_margin", "party"):
        assert (
            getattr(from_files.orders, field).tolist()
            == getattr(from_arrays.orders, field).tolist()
        )
    assert int(from_files.orders.pv.sum()) > 0


def test_dataset_loader_names_unknown_sponsor(dataset, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(dataset, broken)
    members = (broken / "members.csv").read_text().splitlines()
    cells = members[2].split(",")
    cells[1] = "NOBODY"
    members[2] = ",".join(cells)
    (broken / "members.csv").write_text("\n".join(members) + "\n")
    with pytest.raises(DatasetError, match=r"members.csv:line 3 \[sponsor_id\]: unknown sponsor"):
        load_dataset_input(broken)


def test_explain_lines_add_up_to_pay(dataset):
    inputs = load_dataset_input(dataset)
    document = load_plan(PLAN)
    result = evaluate(inputs, document, MARCH)
    total = result.member_total()
    top = int(np.argmax(total))
    member = str(result.member_ids[top])
    lines = explain_member(inputs, document, MARCH, member)
    assert sum(line.amount for line in lines) == int(total[top]) > 0
    for line in lines:
        assert line.amount == int(result.pay(line.bonus_id)[top])
        assert any(c.paid for c in line.contributions)


def test_whatif_diff_totals(dataset):
    inputs = load_dataset_input(dataset)
    raw = read_yaml(PLAN)
    raw["bonuses"][0]["rates"][0] = "6%"
    before, after = load_plan(PLAN), parse_plan(raw, "raised.yaml")
    diff = diff_plans(inputs, before, after, MARCH)
    [uni, _match] = diff.bonuses()
    assert uni.bonus_id == "unilevel" and uni.delta > 0
    assert diff.total_after - diff.total_before == sum(b.delta for b in diff.bonuses())
    rows = diff.members()
    assert sum(r.delta for r in rows) == diff.total_after - diff.total_before
    assert rows == sorted(rows, key=lambda r: (-abs(r.delta), r.member))
    same = diff_plans(inputs, before, before, MARCH)
    assert same.members() == [] and same.total_after == same.total_before


def test_cli_explain_and_diff(dataset, tmp_path):
    inputs = load_dataset_input(dataset)
    result = evaluate(inputs, load_plan(PLAN), MARCH)
    top = str(result.member_ids[int(np.argmax(result.member_total()))])
    runner = CliRunner()
    out = runner.invoke(app, ["explain", top, "--period", "2026-03", "--dataset", str(dataset)])
    assert out.exit_code == 0, out.output
    assert f"unilevel (unilevel) for {top}" in out.output
    assert "level 1:" in out.output
    raised = tmp_path / "raised.yaml"
    raised.write_text(PLAN.read_text().replace('rates: ["5%", "5%"', 'rates: ["6%", "5%"'))
    out = runner.invoke(
        app,
        ["plan", "diff", str(PLAN), str(raised), "--period", "2026-03", "--dataset", str(dataset)],
    )
    assert out.exit_code == 0, out.output
    assert "member(s) paid differently" in out.output
    missing = runner.invoke(
        app, ["explain", "NOPE", "--period", "2026-03", "--dataset", str(dataset)]
    )
    assert missing.exit_code == 1 and "no member 'NOPE'" in missing.output


def test_engine_and_reference_agree_on_a_synthetic_company(dataset):
    inputs = load_dataset_input(dataset)
    plans_dir = PLAN.parents[1]
    # the synthetic company has a binary placement tree, so the matrix plan does not fit
    for plan_file in (
        plans_dir / "unilevel" / "plan.yaml",
        plans_dir / "binary-hybrid" / "plan.yaml",
    ):
        document = load_plan(plan_file)
        for key in ("2026-01", "2026-03"):
            fast = evaluate(inputs, document, Period.parse(key))
            slow = evaluate_reference(inputs, document, Period.parse(key))
            assert fast.paid_as.tolist() == slow.paid_as.tolist(), plan_file
            for bonus_id in fast.bonus_ids:
                assert fast.pay(bonus_id).tolist() == slow.pay(bonus_id).tolist(), (
                    plan_file,
                    bonus_id,
                )
                assert fast.outcomes[bonus_id].pool == slow.outcomes[bonus_id].pool
    assert fast.total_paid() > 0
