import json

from typer.testing import CliRunner

from fairtree.benchmarks.close_plan import close_plan
from fairtree.cli.main import app
from fairtree.plans.load import parse_plan


def test_bench_plan_is_valid_with_and_without_binary():
    for with_binary in (False, True):
        plan = parse_plan(close_plan(with_binary), "bench").base
        assert len(plan.ranks) == 8
        assert plan.ranks[3].conditions.max_leg.max_leg_percent == 500000
        kinds = [b.kind for b in plan.bonuses]
        assert kinds[:2] == ["unilevel", "matching"] and ("binary" in kinds) == with_binary
        assert len(plan.bonuses[0].rates) == 7 and len(plan.bonuses[1].rates) == 3


def test_bench_close_prints_one_json_line(tmp_path):
    out = CliRunner().invoke(
        app, ["bench", "close", "--members", "3000", "--seed", "5", "--workdir", str(tmp_path)]
    )
    assert out.exit_code == 0, out.output
    line = json.loads(out.stdout.strip().splitlines()[-1])
    assert line["members"] == 3000 and line["orders"] > 0
    assert line["seconds"] >= 0 and line["peak_rss_mb"] > 0
    # a gather over as many int64s as members, timed in the same run, and the ratio
    assert line["gather_seconds"] > 0 and line["gathers"] > 0
    paid = sum(float(v) for v in line["bonuses"].values())
    assert abs(paid - float(line["payout_total"])) < 0.005 and paid > 0


def test_bench_sales_kinds_prints_one_json_line(tmp_path):
    args = ["bench", "sales-kinds", "--members", "3000", "--seed", "5"]
    out = CliRunner().invoke(app, [*args, "--workdir", str(tmp_path)])
    assert out.exit_code == 0, out.output
    line = json.loads(out.stdout.strip().splitlines()[-1])
    assert line["members"] == 3000 and line["orders"] > 0
    # the compiled breakaway pass and the numpy one find the same leaders
    assert line["same_leaders"] is True
    assert line["stairstep_paid"] > 0 and line["party_total"] > 0 and line["retail_total"] > 0
