"""docs/plans.md stays true: every bonus kind has an example there, and every bonus
example in it is accepted by the plan loader."""

import re
from pathlib import Path

import yaml

from fairtree.plans.bonus_kinds import bonus_kinds
from fairtree.plans.load import parse_plan

DOC = Path(__file__).resolve().parents[2] / "docs" / "plans.md"
RANKS = ["Associate", "Builder", "Leader", "Gold", "Director", "Platinum", "Emerald", "Diamond"]


def bonus_examples() -> list[list[dict]]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), re.S)
    return [yaml.safe_load(b) for b in blocks if b.lstrip().startswith("- id:")]


def test_every_kind_has_an_example():
    documented = {bonus["kind"] for example in bonus_examples() for bonus in example}
    assert documented == set(bonus_kinds())


def test_every_bonus_example_is_a_valid_plan():
    examples = bonus_examples()
    assert len(examples) >= len(bonus_kinds())
    for example in examples:
        bonuses = [{"id": "unilevel", "kind": "unilevel", "rates": ["5%"]}]
        bonuses += [b for b in example if b["id"] != "unilevel"]
        document = {
            "plan": {"name": "docs example"},
            "currency": "USD",
            "ranks": [{"name": name} for name in RANKS],
            "bonuses": bonuses,
        }
        plan = parse_plan(document, "docs/plans.md").base
        assert [b.kind for b in plan.bonuses][1:] == [b["kind"] for b in bonuses[1:]]


def test_section_examples_form_a_valid_plan():
    """The volumes, activity, ranks and changes examples, put together, load."""
    document = {"plan": {"name": "docs"}, "currency": "USD"}
    document["bonuses"] = [{"id": "unilevel", "kind": "unilevel", "rates": ["5%", "5%"]}]
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), re.S)
    for key in ("volumes", "activity", "ranks", "changes"):
        [block] = [b for b in blocks if b.startswith(f"{key}:")]
        document.update(yaml.safe_load(block))
    loaded = parse_plan(document, "docs/plans.md")
    assert [rank.name for rank in loaded.base.ranks] == ["Associate", "Builder", "Leader"]
    assert len(loaded.versions) == 2  # the dated change makes a second version
