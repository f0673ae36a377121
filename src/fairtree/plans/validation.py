"""Checks a typed plan can be evaluated: every name resolves, bonuses form no cycle.

Checks every bonus shares are here; a kind's own checks are its config model's
``check`` (in the kind's module, fairtree/engine/kinds/).

Returns Problems (never raises) so a plan file reports everything wrong at once.
"""

from __future__ import annotations

from fairtree.errors import Problem
from fairtree.plans.bonus_kinds import PlanFacts, bonus_models
from fairtree.plans.schema import Plan


def product_limited_kinds() -> tuple[str, ...]:
    """The bonus kinds a plan may limit to some products (``paid_on``)."""
    return tuple(name for name, model in bonus_models().items() if model.pays_on_products)


def check_plan(plan: Plan, source: str, prefix: str = "") -> list[Problem]:
    problems: list[Problem] = []

    def bad(location: str, field: str, reason: str) -> None:
        problems.append(Problem(source, prefix + location, field, reason))

    rank_names = [rank.name for rank in plan.ranks]
    known = set(rank_names)
    ids = [bonus.id for bonus in plan.bonuses]
    facts = PlanFacts(plan.currency, tuple(rank_names), tuple(ids), bad)
    rank_ref = facts.rank_ref
    for i, name in enumerate(rank_names):
        if name in rank_names[:i]:
            bad(f"ranks[{i}].name", "name", f"rank {name!r} is listed twice")

    for i, rank in enumerate(plan.ranks):
        for j, condition in enumerate(rank.conditions.legs_with_rank):
            where = f"ranks[{i}].conditions.legs_with_rank[{j}].rank"
            if condition.rank not in known:
                rank_ref(where, "rank", condition.rank)
            elif rank_names.index(condition.rank) >= i:
                bad(where, "rank", f"must name a rank below {rank.name!r} (ranks go up in order)")

    for i, bonus in enumerate(plan.bonuses):
        where = f"bonuses[{i}]"
        if bonus.id in ids[:i]:
            bad(f"{where}.id", "id", f"bonus id {bonus.id!r} is used twice")
        rank_ref(f"{where}.min_rank", "min_rank", bonus.min_rank)
        for field in ("depth_by_rank", "generations_by_rank", "cap_by_rank", "shares"):
            table = getattr(bonus, field, None) or {}
            for name, value in table.items():
                rank_ref(f"{where}.{field}.{name}", field, name)
                if field in ("depth_by_rank", "generations_by_rank"):
                    rates = getattr(bonus, "rates")  # noqa: B009 - kinds with these tables have rates
                    if not 0 <= value <= len(rates):
                        bad(f"{where}.{field}.{name}", field, f"must be 0..{len(rates)}")
        if bonus.paid_on is not None and not bonus.pays_on_products:
            bad(
                f"{where}.paid_on",
                "paid_on",
                f"a {bonus.kind} bonus cannot be limited to products "
                f"(kinds that can: {', '.join(product_limited_kinds())})",
            )
        bonus.check(facts, where)
    problems.extend(_cycles(plan, source, prefix))
    return problems


def _cycles(plan: Plan, source: str, prefix: str) -> list[Problem]:
    """A bonus that (through others) reads its own pay cannot be evaluated."""
    graph = {bonus.id: bonus.depends_on() for bonus in plan.bonuses}
    index = {bonus.id: i for i, bonus in enumerate(plan.bonuses)}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    problems: list[Problem] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in graph.get(node, ()):
            if dep not in graph:
                continue
            if state.get(dep) == 1:
                loop = [*path[path.index(dep) :], dep] if dep in path else [node, dep]
                problems.append(
                    Problem(
                        source,
                        f"{prefix}bonuses[{index[node]}].of",
                        "of",
                        "bonuses depend on each other in a cycle: " + " -> ".join(loop),
                    )
                )
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for bonus_id in graph:
        if bonus_id not in state:
            visit(bonus_id, [bonus_id])
    return problems


def evaluation_order(plan: Plan) -> list[str]:
    """Bonus ids so every bonus comes after those it reads (plan order otherwise)."""
    done: list[str] = []
    pending = [bonus.id for bonus in plan.bonuses]
    deps = {bonus.id: set(bonus.depends_on()) for bonus in plan.bonuses}
    while pending:
        ready = [b for b in pending if deps[b] <= set(done)]
        if not ready:
            raise ValueError("bonuses depend on each other in a cycle")
        done.append(ready[0])
        pending.remove(ready[0])
    return done
