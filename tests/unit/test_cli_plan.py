from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fairtree.cli.main import app
from fairtree.genealogy.compress import compressed_parent, compressed_parent_reference

ROOT = Path(__file__).resolve().parents[2]


def test_plan_test_passes_on_example_cases():
    out = CliRunner().invoke(app, ["plan", "test", str(ROOT / "plans" / "unilevel")])
    assert out.exit_code == 0, out.output
    assert "15 passed, 0 failed" in out.output


def test_plan_test_fails_with_a_diff(tmp_path):
    source = ROOT / "plans" / "unilevel" / "cases" / "01_chain_associates.yaml"
    text = source.read_text().replace(
        "plan: ../plan.yaml", f"plan: {ROOT / 'plans/unilevel/plan.yaml'}"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace('B: {unilevel: "4.00"}', 'B: {unilevel: "4.01"}'))
    out = CliRunner().invoke(app, ["plan", "test", str(bad)])
    assert out.exit_code == 1
    assert "engine: pay B unilevel: expected 4.01, got 4.00" in out.output
    assert "reference: pay B unilevel: expected 4.01, got 4.00" in out.output


def test_plan_check_names_path_and_reason(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "plan: {name: x}\ncurrency: USD\nbonuses:\n"
        "  - {id: u, kind: unilevel, rates: ['5%', '120%']}\n"
    )
    out = CliRunner().invoke(app, ["plan", "check", str(plan)])
    assert out.exit_code == 1
    assert "bonuses[0].rates[1] [rates]: rate '120%' is above 100%" in out.output
    good = CliRunner().invoke(
        app, ["plan", "check", str(ROOT / "plans" / "unilevel" / "plan.yaml")]
    )
    assert good.exit_code == 0 and "2 version(s)" in good.output


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_compressed_parent_matches_plain_walk(data):
    n = data.draw(st.integers(1, 60))
    parent = [-1] + [data.draw(st.integers(-1, k - 1)) for k in range(1, n)]
    keep = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    import numpy as np

    fast = compressed_parent(np.array(parent), np.array(keep))
    assert fast.tolist() == compressed_parent_reference(parent, keep)
