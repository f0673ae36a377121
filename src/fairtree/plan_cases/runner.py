"""Run plan-test case files: evaluate with the engine AND the reference evaluator and
compare both with the hand-computed expectations. Used by pytest and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pydantic

from fairtree.engine.evaluate import evaluate
from fairtree.engine.reference import evaluate_reference
from fairtree.engine.result import Evaluation
from fairtree.errors import GenealogyError, PlanError, Problem
from fairtree.money import currency_exponent, format_amount, format_points
from fairtree.periods import Period
from fairtree.plan_cases.case_format import Case
from fairtree.plan_cases.case_input import case_input
from fairtree.plans.load import (
    PlanDocument,
    load_plan,
    parse_plan,
    parse_yaml_text,
    read_yaml,
    yaml_path,
)


@dataclass
class CaseOutcome:
    path: str
    mismatches: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.mismatches


def load_case(path: Path) -> Case:
    return _validated_case(read_yaml(path), str(path))


def load_case_text(text: str, source: str) -> Case:
    """A case from its YAML text (a case uploaded or kept beside a stored plan version)."""
    return _validated_case(parse_yaml_text(text, source), source)


def _validated_case(raw: object, source: str) -> Case:
    try:
        return Case.model_validate(raw)
    except pydantic.ValidationError as exc:
        problems = [
            Problem(
                source,
                yaml_path(tuple(e["loc"])),
                "",
                "unknown key" if e["type"] == "extra_forbidden" else e["msg"],
            )
            for e in exc.errors()
        ]
        raise PlanError(problems) from None


def _plan_of(case: Case, path: Path) -> PlanDocument:
    if isinstance(case.plan, str):
        return load_plan(path.parent / case.plan)
    return parse_plan(case.plan, f"{path}:plan")


def run_case(path: Path | str) -> CaseOutcome:
    path = Path(path)
    case = load_case(path)
    return _run(case, CaseOutcome(str(path)), lambda: _plan_of(case, path))


def run_case_under(source: str, text: str, document: PlanDocument) -> CaseOutcome:
    """The case's network, orders and expectations evaluated under ``document`` instead of
    the plan the case names (a stored plan version tried on its cases). A case that cannot
    be read fails, and its difference says why."""
    outcome = CaseOutcome(source)
    try:
        case = load_case_text(text, source)
        Period.parse(case.period)
    except PlanError as exc:
        outcome.mismatches.append(f"case refused: {exc}")
        return outcome
    except ValueError as exc:
        outcome.mismatches.append(f"case refused: period: {exc}")
        return outcome
    return _run(case, outcome, lambda: document)


def _run(
    case: Case, outcome: CaseOutcome, plan_document: Callable[[], PlanDocument]
) -> CaseOutcome:
    period = Period.parse(case.period)
    try:
        document = plan_document()
        plan = document.for_date(period.start)
        inputs = case_input(case, plan)
        results = {"engine": evaluate(inputs, document, period)}
        results["reference"] = evaluate_reference(inputs, document, period)
    except (PlanError, GenealogyError) as exc:
        expected = case.expect_error
        kind = "plan" if isinstance(exc, PlanError) else "network"
        if expected is None:
            outcome.mismatches.append(f"evaluation refused: {exc}")
        elif expected.kind != kind or expected.contains not in str(exc):
            outcome.mismatches.append(
                f"expected a {expected.kind} error containing {expected.contains!r}, "
                f"got a {kind} error: {exc}"
            )
        return outcome
    if case.expect_error is not None:
        outcome.mismatches.append(
            f"expected a {case.expect_error.kind} error containing "
            f"{case.expect_error.contains!r}, but the case evaluated"
        )
        return outcome
    for name, result in results.items():
        outcome.mismatches += [f"{name}: {m}" for m in compare(case, plan.currency, result)]
    return outcome


def _minor(amount: Decimal, currency: str) -> int:
    scaled = amount.scaleb(currency_exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more decimals than {currency} allows")
    return int(scaled)


def compare(case: Case, currency: str, result: Evaluation) -> list[str]:
    """Every difference between the expectations and ``result``, as readable lines."""
    expect = case.expect
    assert expect is not None
    out: list[str] = []
    ids = [str(i) for i in result.member_ids]
    row = {member: i for i, member in enumerate(ids)}
    money = lambda minor: format_amount(int(minor), currency)  # noqa: E731

    def check(label: str, want: object, got: object) -> None:
        if want != got:
            out.append(f"{label}: expected {want}, got {got}")

    for field_name, ranks in (("rank", result.paid_as), ("highest rank", result.highest)):
        table = expect.ranks if field_name == "rank" else expect.highest_ranks
        if table is not None:
            for member in ids:
                check(
                    f"{field_name} {member}",
                    table.get(member),
                    result.rank_name(int(ranks[row[member]])),
                )
    if expect.active is not None:
        for member, want in expect.active.items():
            check(f"active {member}", want, bool(result.active[row[member]]))
    if expect.payouts is not None:
        unknown = set(expect.payouts) - set(ids)
        out += [f"payouts name unknown member {m!r}" for m in sorted(unknown)]
        for member in ids:
            listed = expect.payouts.get(member, {})
            out += [
                f"payouts {member} name unknown bonus {b!r}"
                for b in listed
                if b not in result.outcomes
            ]
            for bonus_id, bonus in result.outcomes.items():
                due = _minor(listed[bonus_id], currency) if bonus_id in listed else 0
                check(f"pay {member} {bonus_id}", money(due), money(bonus.pay[row[member]]))
    amounts: tuple[tuple[str, dict[str, Decimal] | None], ...] = (
        ("breakage", expect.breakage),
        ("pool", expect.pool),
    )
    for attribute, amount_table in amounts:
        label = attribute
        for bonus_id, amount in (amount_table or {}).items():
            if bonus_id not in result.outcomes:
                out.append(f"{label} names unknown bonus {bonus_id!r}")
                continue
            got = getattr(result.outcomes[bonus_id], attribute)
            check(f"{label} {bonus_id}", money(_minor(amount, currency)), money(got))
    if expect.total_paid is not None:
        check("total paid", money(_minor(expect.total_paid, currency)), money(result.total_paid()))
    if expect.host_credits is not None:
        out += compare_credits(expect.host_credits, currency, result)
    for key, per_member in (expect.carry_out or {}).items():
        values = result.carry_out.values.get(key)
        if values is None:
            out.append(f"carry_out {key}: not produced")
            continue
        for member, carried in per_member.items():
            check(
                f"carry_out {key} {member}",
                format_points(carried),
                format_points(int(values[row[member]])),
            )
    return out


def compare_credits(
    expected: dict[str, dict[str, Decimal]], currency: str, result: Evaluation
) -> list[str]:
    """Host credit lines, complete: every party listed, and no credit for any other."""
    got: dict[str, dict[str, int]] = {}
    for outcome in result.outcomes.values():
        for line in outcome.credits:
            got.setdefault(line.party, {})[line.holder] = line.amount
    want = {
        party: {holder: _minor(amount, currency) for holder, amount in holders.items()}
        for party, holders in expected.items()
    }
    out = []
    for party in sorted(set(want) | set(got)):
        shown = lambda table: {  # noqa: E731
            holder: format_amount(amount, currency) for holder, amount in table.items()
        }
        if want.get(party, {}) != got.get(party, {}):
            out.append(
                f"host credit {party}: expected {shown(want.get(party, {}))}, "
                f"got {shown(got.get(party, {}))}"
            )
    return out
