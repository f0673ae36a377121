"""Compliance monitors of a finalized period from a real ledger (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairtree.disclosure import render_compliance
from fairtree.errors import NotFoundError, ValidationError
from fairtree.money import parse_points
from fairtree.services.commissions.close import close_period, finalize_run
from fairtree.services.disclosure.compliance import compliance_report
from fairtree.store.models import Customer, Product
from fairtree.store.repositories.orders.orders import record_order
from tests import factories
from tests.factories import member_db_id, seed_company


def customer_order(session: Session, order_id: str, owner: str, customer: str, units: int) -> None:
    """An order of ``owner``'s retail customer: ``units`` x 8.00, 10 points each."""
    found = session.scalar(select(Customer).where(Customer.customer_id == customer))
    if found is None:
        found = factories.customer(
            customer, member_db_id(session, owner), name=customer, created_on=date(2026, 3, 1)
        )
        session.add(found)
        session.flush()
    product = session.scalars(select(Product.id).where(Product.sku == "P")).one()
    order = factories.order(order_id, date(2026, 3, 12), customer_pk=found.id)
    line = factories.order_line(product, parse_points("10"), parse_points("10"), quantity=units)
    record_order(session, order, [line])


@pytest.fixture
def march(session: Session) -> Session:
    """The tiny company's March, plus C's retail customers buying 12 x 8.00."""
    seed_company(session)
    for number in range(12):
        customer_order(session, f"CO-{number}", "C", f"cust-{number}", 1)
    close_period(session, "2026-03")
    finalize_run(session, "2026-03", {})
    return session


def flagged(report, monitor: str) -> list[str]:
    (flags,) = [f for f in report.member_flags if f.monitor == monitor]
    return sorted(flags.member_ids.astype(str).tolist())


def test_sales_to_non_participants_per_member_and_company(march: Session) -> None:
    report = compliance_report(march, "2026-03")
    # Own orders 4 x 8.00 = 32.00; customer orders 12 x 8.00 = 96.00 (credited to C).
    assert report.company.total_sales == 12800
    assert report.company.non_participant_sales == 9600
    assert str(report.company.non_participant_share) == "0.7500"
    # C's team (C, D): 96.00 of 112.00 from customers; A's team: 96.00 of 128.00 = 75%.
    assert flagged(report, "customer_share") == []
    # Company: 75% is under the 80% line.
    assert [f.monitor for f in report.company_flags] == ["company_customer_share"]


def test_retail_customers_counted_for_paid_members(march: Session) -> None:
    report = compliance_report(march, "2026-03")
    assert flagged(report, "retail_customers") == ["A"]  # C has 12 customers, A none


def test_counting_buyer_only_members_as_customers_is_a_visible_setting(march: Session) -> None:
    report = compliance_report(march, "2026-03")
    assert report.settings["sale_classes.buyer_only_member"] == "participant"
    assert report.settings["company_min_customer_share"] == "80%"


def test_lost_money_and_the_70_percent_rule_stated(march: Session) -> None:
    report = compliance_report(march, "2026-03")
    # Each member bought 8.00; B and D were paid nothing.
    assert "B" in flagged(report, "lost_money") and "D" in flagged(report, "lost_money")
    assert report.company.lost_money_last_12_months == len(flagged(report, "lost_money"))
    assert any("70% rule" in text and "cannot" in text for text in report.cannot_tell)


def test_every_format_carries_each_flag_with_its_figures(march: Session) -> None:
    report = compliance_report(march, "2026-03")
    data = json.loads(render_compliance.to_json(report, 2))
    (customers,) = [m for m in data["monitors"] if m["monitor"] == "retail_customers"]
    assert customers["members"] == [{"member": "A", "retail_customers": "0", "pay": "19.34"}]
    csv_text = render_compliance.to_csv(report, 2)
    assert "A,retail_customers,retail_customers,0\n" in csv_text
    html_text = render_compliance.to_html(report, 2)
    assert "retail_customers: 1 member(s) flagged" in html_text
    assert "cannot" in html_text


def test_a_period_without_a_finalized_run_is_refused(march: Session) -> None:
    with pytest.raises(NotFoundError, match="2026-04 has no finalized run"):
        compliance_report(march, "2026-04")
    with pytest.raises(ValidationError):
        compliance_report(march, "March")


def test_own_orders_in_another_currency_convert_at_the_runs_rate(session: Session) -> None:
    """Own orders in the run's currency are summed in the store, others converted one by
    one at the finalized run's stored rate: D's 10.00 EUR at 0.5 EUR per USD is 20.00 USD
    of D's purchases, in the period, the window and the year."""
    seed_company(session)
    product = session.scalars(select(Product.id).where(Product.sku == "P")).one()
    euro_order = factories.order(
        "EU-1", date(2026, 3, 30), buyer_pk=member_db_id(session, "D"), currency="EUR"
    )
    line = factories.order_line(product, parse_points("10"), parse_points("10"), unit_price=1000)
    record_order(session, euro_order, [line])
    close_period(session, "2026-03")
    finalize_run(session, "2026-03", {"EUR": "0.5"})
    report = compliance_report(session, "2026-03")
    assert report.company.total_sales == 3200 + 2000  # four 8.00 orders and 20.00 from EUR
    (lost,) = [f for f in report.member_flags if f.monitor == "lost_money"]
    d = lost.member_ids.astype(str).tolist().index("D")
    assert int(lost.figures["purchases"][d]) == 800 + 2000
