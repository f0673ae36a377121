"""The synthetic company has the shapes real companies show, and keeps the dataset rules."""

from datetime import date

import numpy as np
import pytest

from fairtree.simulation.synth import generate

MEMBERS = 20_000
MONTHS = 12


@pytest.fixture(scope="module")
def company():
    return generate(MEMBERS, MONTHS, seed=11)


def month_edges():
    return np.arange(np.datetime64("2026-01", "M"), np.datetime64("2027-01", "M") + 1).astype(
        "datetime64[D]"
    )


def test_sponsor_tree_is_a_tree_in_join_order(company):
    members = company.members
    assert len(members) == MEMBERS
    assert members.sponsor[0] == -1
    assert (members.sponsor[1:] >= 0).all()
    assert (members.sponsor[1:] < np.arange(1, MEMBERS)).all()
    assert (np.diff(members.joined_on.astype(np.int64)) >= 0).all()


def test_recruiting_is_concentrated_in_a_few_members(company):
    recruits = np.bincount(company.members.sponsor[1:], minlength=MEMBERS)
    assert (recruits == 0).mean() > 0.6  # most recruit nobody
    top_tenth = np.sort(recruits)[::-1][: MEMBERS // 10]
    assert top_tenth.sum() / recruits.sum() > 0.6  # a tenth of members recruit most
    assert recruits.max() > 100


def test_members_join_every_month_and_more_each_month(company):
    month = (
        company.members.joined_on.astype("datetime64[M]") - np.datetime64("2026-01", "M")
    ).astype(np.int64)
    per_month = np.bincount(month, minlength=MONTHS)
    assert per_month.shape[0] == MONTHS
    assert (per_month > 0).all()
    assert (np.diff(per_month) > 0).all()
    assert per_month[-1] > 2 * per_month[0]


def test_members_leave_every_month_with_dated_statuses(company):
    members, edges = company.members, month_edges()
    for month in range(1, MONTHS):
        there = (members.joined_on < edges[month]) & (members.left_on >= edges[month])
        left = there & (members.left_on < edges[month + 1])
        assert 0.02 < left.sum() / there.sum() < 0.2
    gone = members.status != "active"
    assert set(np.unique(members.status)) == {"active", "inactive", "terminated", "closed"}
    assert (members.status_since[gone] == members.left_on[gone]).all()
    assert (members.status_since[gone] < company.end).all()
    assert (members.status_since[~gone] == members.joined_on[~gone]).all()
    assert (members.status_since >= members.joined_on).all()
    assert 0.15 < gone.mean() < 0.5  # many joined late in the year


def test_most_members_place_no_order_in_any_month(company):
    members, orders, edges = company.members, company.orders, month_edges()
    for month in range(MONTHS):
        there = (members.joined_on < edges[month + 1]) & (members.left_on > edges[month])
        in_month = (
            (orders.buyer_member >= 0)
            & (orders.placed_on >= edges[month])
            & (orders.placed_on < edges[month + 1])
        )
        buyers = np.zeros(MEMBERS, dtype=bool)
        buyers[orders.buyer_member[in_month]] = True
        assert 0.2 < buyers[there].mean() < 0.5


def test_a_minority_keep_retail_customers_who_order(company):
    customers, orders = company.customers, company.orders
    owns = np.zeros(MEMBERS, dtype=bool)
    owns[customers.owner] = True
    assert 0.1 < owns.mean() < 0.4
    assert (customers.created_on >= company.members.joined_on[customers.owner]).all()
    by_customer = orders.buyer_customer >= 0
    assert 0.2 < by_customer.mean() < 0.6
    assert ((orders.buyer_customer >= 0) != (orders.buyer_member >= 0)).all()


def test_order_values_are_skewed(company):
    lines, orders = company.order_lines, company.orders
    value = np.bincount(lines.order, weights=lines.quantity * lines.unit_price)
    usd = (orders.currency == "USD") & (orders.kind == "order")
    usd_values = value[usd]
    assert usd_values.mean() > 1.2 * np.median(usd_values)
    skewness = ((usd_values - usd_values.mean()) ** 3).mean() / usd_values.std() ** 3
    assert skewness > 1.0
    top_tenth = np.sort(usd_values)[::-1][: usd_values.shape[0] // 10]
    assert top_tenth.sum() / usd_values.sum() > 0.25


def test_orders_are_never_dated_before_the_buyer_existed(company):
    orders, members, customers = company.orders, company.members, company.customers
    by_member = orders.buyer_member >= 0
    assert (orders.placed_on[by_member] >= members.joined_on[orders.buyer_member[by_member]]).all()
    by_customer = ~by_member
    created = customers.created_on[orders.buyer_customer[by_customer]]
    assert (orders.placed_on[by_customer] >= created).all()
    assert (orders.placed_on >= company.start).all()
    assert (orders.placed_on < company.end).all()
    assert (np.diff(orders.placed_on.astype(np.int64)) >= 0).all()  # creation order


def test_returns_reverse_part_of_an_earlier_order_by_the_same_buyer(company):
    orders, lines = company.orders, company.order_lines
    returns = np.flatnonzero(orders.kind == "return")
    assert 0.01 < returns.shape[0] / len(orders) < 0.05
    original = orders.returns_order[returns]
    assert (original >= 0).all() and (original < returns).all()
    assert (orders.kind[original] == "order").all()
    assert (orders.placed_on[returns] > orders.placed_on[original]).all()
    assert (orders.buyer_member[returns] == orders.buyer_member[original]).all()
    assert (orders.buyer_customer[returns] == orders.buyer_customer[original]).all()
    assert (orders.returns_order[orders.kind == "order"] == -1).all()
    first_line = np.searchsorted(lines.order, np.arange(len(orders)))
    returned_line, bought_line = first_line[returns], first_line[original]
    assert (lines.sku[returned_line] == lines.sku[bought_line]).all()
    assert (lines.quantity[returned_line] <= lines.quantity[bought_line]).all()
    assert (lines.unit_price[returned_line] == lines.unit_price[bought_line]).all()


def test_lines_use_the_price_row_of_the_orders_country(company):
    orders, lines, products = company.orders, company.order_lines, company.products
    assert (np.diff(lines.order) >= 0).all()
    starts = np.flatnonzero(np.diff(lines.order, prepend=-1))
    assert (lines.line_no[starts] == 1).all()
    assert np.unique(lines.order).shape[0] == len(orders)
    assert (products.country[lines.sku] == orders.country[lines.order]).all()
    by_member = orders.buyer_member[lines.order] >= 0
    expected = np.where(
        by_member, products.member_price[lines.sku], products.retail_price[lines.sku]
    )
    assert (lines.unit_price == expected).all()
    assert lines.unit_price.dtype == np.int64 and lines.pv.dtype == np.int64
    assert (lines.quantity > 0).all()
    assert (orders.currency[orders.country == "JP"] == "JPY").all()


def test_party_orders_are_customer_orders_of_the_consultant_on_the_party_day(company):
    orders, parties, customers = company.orders, company.parties, company.customers
    at_party = np.flatnonzero(orders.party >= 0)
    assert len(parties) > 10 and at_party.shape[0] > 10
    party = orders.party[at_party]
    assert (orders.buyer_customer[at_party] >= 0).all()
    assert (customers.owner[orders.buyer_customer[at_party]] == parties.consultant[party]).all()
    assert (orders.placed_on[at_party] == parties.held_on[party]).all()
    hosted = parties.host_customer >= 0
    assert (customers.owner[parties.host_customer[hosted]] == parties.consultant[hosted]).all()


def test_same_seed_same_company_other_seed_other_company():
    first = generate(2000, 3, seed=5, placement="matrix")
    again = generate(2000, 3, seed=5, placement="matrix")
    other = generate(2000, 3, seed=6, placement="matrix")
    for table in ("members", "customers", "orders", "order_lines", "parties"):
        left, right = getattr(first, table), getattr(again, table)
        for name in left.__dataclass_fields__:
            assert np.array_equal(getattr(left, name), getattr(right, name)), (table, name)
    assert not np.array_equal(first.members.sponsor, other.members.sponsor)


def test_placement_kinds_and_start_date():
    matrix = generate(500, 2, seed=1, placement="matrix", matrix_width=4)
    placed = matrix.members.placement_parent >= 0
    assert placed[1:].all() and not placed[0]
    assert set(np.unique(matrix.members.placement_position[placed])) == {1, 2, 3, 4}
    none = generate(500, 2, seed=1, placement="none", start=date(2025, 7, 15))
    assert (none.members.placement_parent == -1).all()
    assert none.members.joined_on[0] == np.datetime64("2025-07-15")
    assert none.end == np.datetime64("2025-09-01")
    with pytest.raises(ValueError, match=r"matrix_width must be 2\.\.100"):
        generate(10, 1, seed=1, placement="matrix", matrix_width=1)
    with pytest.raises(ValueError, match="members must be at least 1"):
        generate(0, 1, seed=1)


@pytest.mark.parametrize(
    ("members", "months", "placement"), [(1, 1, "binary"), (2, 1, "matrix"), (5, 3, "none")]
)
def test_tiny_companies_generate_and_write(members, months, placement, tmp_path):
    from fairtree.simulation.synth import write_dataset

    tiny = generate(members, months, seed=0, placement=placement)
    assert len(tiny.members) == members
    folder = write_dataset(tiny, tmp_path / "tiny")
    lines = (folder / "members.csv").read_text().splitlines()
    assert len(lines) == members + 1
    assert lines[1].startswith("M0000001,,,,2026-01-01,active,2026-01-01,US,USD,")


def test_uniform_recruiting_knobs_give_a_random_recursive_tree():
    """Known mathematics: recruited by a uniformly random earlier member, the share of
    members recruiting exactly k approaches 2^-(k+1) (half recruit nobody)."""
    from fairtree.simulation.synth_network import NetworkKnobs

    uniform = NetworkKnobs(
        preferential_share=0.0, recency_power=1.0, quick_quitter_share=0.0,
        steady_quit_monthly=1e-12,
    )  # fmt: skip
    members = 200_000
    tree = generate(members, 12, seed=3, placement="none", network=uniform)
    recruits = np.bincount(tree.members.sponsor[1:], minlength=members)
    shares = np.bincount(recruits)[:5] / members
    assert np.allclose(shares, [0.5, 0.25, 0.125, 0.0625, 0.03125], atol=0.005)
