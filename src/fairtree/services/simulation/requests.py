"""What a simulation job needs, checked before it is queued: the plan (a stored version,
or YAML pasted or uploaded), the scenario (an example from ``scenarios/`` or YAML), the
months, the seed, and for a sweep the runs or for a comparison plan B. Every problem is
reported at once, as the CLI reports a plan's."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fairtree.errors import NotFoundError, Problem, ValidationError
from fairtree.plans.load import parse_yaml_text
from fairtree.services.commissions import plan_versions
from fairtree.services.commissions.whatif import parse_draft
from fairtree.simulation.scenario import parse_scenario

EXAMPLE_SCENARIOS = Path(__file__).resolve().parents[4] / "scenarios"
KINDS = {"run": "simulation", "sweep": "simulation_sweep", "compare": "simulation_compare"}
MAX_MONTHS = 120
MAX_RUNS = 1000
MAX_YAML_CHARACTERS = 200_000


@dataclass(frozen=True)
class Source:
    """One YAML document as the form gave it: a name chosen from a list, or text."""

    chosen: str  # a stored plan version or an example scenario's name; "" for none
    text: str  # pasted or uploaded YAML; wins over ``chosen`` when given


@dataclass(frozen=True)
class SimulationForm:
    kind: str  # run | sweep | compare
    plan: Source
    scenario: Source
    months: str
    seed: str
    runs: str = ""
    plan_b: Source = Source("", "")


def example_scenarios(folder: Path = EXAMPLE_SCENARIOS) -> list[str]:
    """The example scenarios' names (file stems), in name order."""
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def _whole(text: str, field: str, low: int, high: int, problems: list[Problem]) -> int:
    value = text.strip()
    if not value.isdigit() or not low <= int(value) <= high:
        problems.append(Problem("simulation", value, field, f"a whole number {low} to {high}"))
        return low
    return int(value)


def _plan(session: Session, source: Source, field: str) -> tuple[str, str]:
    """(YAML text, label) of a plan; ValidationError names the field."""
    if source.text.strip():
        return source.text, "uploaded plan"
    if not source.chosen.strip():
        raise ValidationError([Problem("simulation", "", field, "choose a plan or give its YAML")])
    try:
        row = plan_versions.version_named(session, source.chosen.strip())
    except NotFoundError:
        raise ValidationError(
            [Problem("simulation", source.chosen, field, "no such plan version")]
        ) from None
    return row.yaml_text, f"plan version {row.version}"


def _scenario(source: Source, folder: Path) -> tuple[str, str]:
    if source.text.strip():
        return source.text, "uploaded scenario"
    name = source.chosen.strip()
    if name not in example_scenarios(folder):
        raise ValidationError(
            [Problem("simulation", name, "scenario", "choose an example or give its YAML")]
        )
    return (folder / f"{name}.yaml").read_text(encoding="utf-8"), f"scenarios/{name}.yaml"


def _within(document: str, found: list[Problem]) -> list[Problem]:
    """Problems inside a document, named by the form field and the place in the YAML
    (``plan bonuses[0]: unknown bonus kind``)."""
    return [
        Problem(p.source, p.location, f"{document} {p.location}".strip(), p.reason)
        if p.source != "simulation"
        else p
        for p in found
    ]


def prepare(
    session: Session, form: SimulationForm, folder: Path = EXAMPLE_SCENARIOS
) -> tuple[str, dict[str, Any]]:
    """(job kind, job parameters) for the form; ValidationError with every problem."""
    problems: list[Problem] = []
    if form.kind not in KINDS:
        problems.append(Problem("simulation", form.kind, "kind", "choose run, sweep or compare"))
    months = _whole(form.months, "months", 1, MAX_MONTHS, problems)
    seed = _whole(form.seed, "seed", 0, 2**31 - 1, problems)
    runs = _whole(form.runs, "runs", 2, MAX_RUNS, problems) if form.kind == "sweep" else 1
    params: dict[str, Any] = {"months": months, "seed": seed, "runs": runs}
    documents = [("plan", form.plan)] + (
        [("plan_b", form.plan_b)] if form.kind == "compare" else []
    )
    for field, source in documents:
        try:
            text, label = _plan(session, source, field)
            if len(text) > MAX_YAML_CHARACTERS:
                raise ValidationError(
                    [Problem("simulation", label, field, "YAML of at most 200,000 characters")]
                )
            parse_draft(text, label)
            params[f"{field}_yaml"], params[f"{field}_label"] = text, label
        except ValidationError as error:
            problems += _within(field, error.problems)
    try:
        text, label = _scenario(form.scenario, folder)
        if len(text) > MAX_YAML_CHARACTERS:
            raise ValidationError(
                [Problem("simulation", label, "scenario", "YAML of at most 200,000 characters")]
            )
        parse_scenario(parse_yaml_text(text, label, "scenario"), label)
        params["scenario_yaml"], params["scenario_label"] = text, label
    except ValidationError as error:
        problems += _within("scenario", error.problems)
    if problems:
        raise ValidationError(problems)
    return KINDS.get(form.kind, ""), params
