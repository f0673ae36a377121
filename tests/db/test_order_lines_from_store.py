"""A plan limited to some products, or asking for an order of a kind, evaluates the
same from the store (after an import) as from the dataset folder."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.dataset.engine_input import load_dataset_input
from fairtree.engine.evaluate import evaluate
from fairtree.periods import Period
from fairtree.plans.load import parse_plan
from fairtree.services.commissions.close import close_period
from fairtree.services.commissions.statements import member_statement
from fairtree.services.datasets import import_dataset
from fairtree.store.models import Order, Product
from fairtree.store.repositories.bulk.engine_arrays import FactsRead, load_period_facts

PLAN = parse_plan(
    {
        "plan": {"name": "kits"},
        "currency": "USD",
        "ranks": [
            {
                "name": "Subscriber",
                "conditions": {"qualifying_order": {"min_pv": 10, "kind": "subscription"}},
            }
        ],
        "bonuses": [
            {
                "id": "kits",
                "kind": "unilevel",
                "rates": ["10%"],
                "compression": "none",
                "paid_on": {"categories": ["kits"]},
            }
        ],
    },
    "plan.yaml",
)
KIT = "KIT,US,Starter kit,USD,10.00,8.00,10.00,10.00,true,kits\n"
# M6 (sponsor M2) buys two kits and a shake on a subscription order in February
ORDER = "O4,subscription,2026-02-15,M6,,US,USD,,\n"
LINES = "O4,1,KIT,2,8.00,10.00,10.00\nO4,2,SHAKE,1,39.90,25.00,20.50\n"


def test_product_limit_and_order_kind_from_the_store(session: Session, make_dataset) -> None:
    folder = make_dataset(add={"products.csv": KIT, "orders.csv": ORDER, "order_lines.csv": LINES})
    import_dataset(session, folder)
    assert session.scalar(select(Order.order_kind).where(Order.order_id == "O4")) == "subscription"
    assert session.scalar(select(Order.kind).where(Order.order_id == "O4")) == "order"
    assert session.scalar(select(Product.category).where(Product.sku == "KIT")) == "kits"
    period = Period.parse("2026-02")
    facts = load_period_facts(session, period, reads=FactsRead(order_kinds=True, order_lines=True))
    stored = evaluate(facts.inputs, PLAN, period)
    from_files = evaluate(load_dataset_input(folder), PLAN, period)
    for result in (stored, from_files):
        ids = list(result.member_ids)
        pay = dict(zip(ids, result.outcomes["kits"].pay.tolist(), strict=True))
        # 10% of M6's kit BV (2 x 10.00) to its sponsor M2; the shake is not paid on
        assert pay == {"M1": 0, "M2": 200, "M3": 0, "M4": 0, "M6": 0}
        ranks = dict(zip(ids, result.paid_as.tolist(), strict=True))
        # M6's subscription order qualifies; M3's subscription order does not (M3 is
        # inactive), and M2's orders are plain orders
        assert ranks == {"M1": 0, "M2": 0, "M3": 0, "M4": 0, "M6": 1}
        assert result.pv[ids.index("M6")] == 4500  # the shake still counts as PV


def test_without_asking_no_lines_or_kinds_are_read(session: Session, make_dataset) -> None:
    import_dataset(session, make_dataset())
    facts = load_period_facts(session, Period.parse("2026-02"))
    assert facts.inputs.orders.lines is None and facts.inputs.orders.kind is None

    def kinds_of(month: str) -> list[str]:
        read = FactsRead(order_kinds=True)
        kinds = load_period_facts(session, Period.parse(month), reads=read).inputs.orders.kind
        assert kinds is not None
        return sorted(np.asarray(kinds).tolist())

    assert kinds_of("2026-02") == ["order", "subscription"]  # O2, O3
    # R1 returns O1 of January: it counts in January, as a return
    assert kinds_of("2026-01") == ["order", "return"]


PLAN_YAML = """\
plan: {name: kits}
currency: USD
ranks:
  - {name: Subscriber, conditions: {qualifying_order: {min_pv: 10, kind: subscription}}}
bonuses:
  - {id: kits, kind: unilevel, rates: ["10%"], compression: none, paid_on: {categories: [kits]}}
"""


def test_close_and_statement_of_a_plan_limited_to_kits(session: Session, make_dataset) -> None:
    folder = make_dataset(
        add={"products.csv": KIT, "orders.csv": ORDER, "order_lines.csv": LINES},
        plan=PLAN_YAML,
    )
    import_dataset(session, folder)
    result = close_period(session, "2026-02")
    assert result.total_paid == 200  # 10% of M6's 20.00 kit BV, to M2
    statement = member_statement(session, "2026-02", "M2")
    (line,) = statement.lines
    assert (line.bonus_id, line.amount) == ("kits", 200)
    text = " ".join(line.explanation)
    assert "on category kits" in text and "O4" in text
