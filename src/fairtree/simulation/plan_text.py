"""The plan.yaml written beside a synthetic dataset.

When the source tree has an example unilevel plan (plans/unilevel*/plan.yaml) that file is
copied as is; otherwise a clearly labelled placeholder is written, which says so.
"""

from __future__ import annotations

from pathlib import Path

from fairtree.simulation.company import SyntheticCompany

EXAMPLE_PLANS = Path(__file__).resolve().parents[3] / "plans"

PLACEHOLDER = """\
# PLACEHOLDER PLAN - not a real compensation plan.
# Written by `fairtree synth` because no example plan (plans/unilevel*/plan.yaml) was found.
# Replace this file with a plan in the fairtree plan language before running a close.
placeholder: true
company_id: {company_id}
period_kind: {period_kind}
placement: {placement}
"""


def example_plan(plans_dir: Path = EXAMPLE_PLANS) -> Path | None:
    """The first unilevel example plan of the source tree, if there is one."""
    if not plans_dir.is_dir():
        return None
    candidates = sorted(plans_dir.glob("unilevel*/plan.yaml"))
    return candidates[0] if candidates else None


def plan_text(company: SyntheticCompany, plans_dir: Path = EXAMPLE_PLANS) -> str:
    """The example plan's text, or the placeholder naming the company's settings."""
    source = example_plan(plans_dir)
    if source is not None:
        return source.read_text(encoding="utf-8")
    settings = company.company
    return PLACEHOLDER.format(
        company_id=settings.company_id,
        period_kind=settings.period_kind,
        placement=settings.placement,
    )
