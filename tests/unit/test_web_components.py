"""Shared page components: money and date formats, server-side table links, SVG charts."""

from __future__ import annotations

import re
from datetime import date, datetime

from fairtree.web.charts import bar_chart
from fairtree.web.formatting import day, grouped, money, percent, period_name, points
from fairtree.web.tables import Listing, TableQuery


def test_money_has_thousands_separators_and_the_currency_decimals() -> None:
    assert money(6965900, "USD") == "69,659.00"
    assert money(-123456789, "EUR") == "-1,234,567.89"
    assert money(5, "USD") == "0.05"
    assert money(1234567, "JPY") == "1,234,567"
    assert money(6965900, "USD", with_code=True) == "69,659.00 USD"
    assert points(123456) == "1,234.56"
    assert grouped(10**20 + 1, 2) == "1,000,000,000,000,000,000.01"  # no float on the way


def test_one_date_format() -> None:
    assert day(date(2026, 12, 7)) == "7 Dec 2026"
    assert day(datetime(2026, 3, 1, 14, 5)) == "1 Mar 2026, 14:05 UTC"
    assert day("2026-03-01") == "1 Mar 2026" and day("not a date") == "not a date"
    assert day(None) == "–"
    assert period_name("2026-03") == "Mar 2026" and period_name("2026-W10") == "2026-W10"
    assert percent(50, 200) == 25 and percent(300, 200) == 100 and percent(1, 0) == 100


def test_table_query_refuses_unknown_sort_and_bad_pages_quietly() -> None:
    query = TableQuery.parse(
        {"sort": "email", "page": "-3", "per_page": "100000"},
        sortable=("name", "gv"),
        default_sort="gv",
        default_descending=True,
    )
    assert (query.sort, query.descending, query.page, query.per_page) == ("gv", True, 1, 500)
    query = TableQuery.parse(
        {"sort": "name", "dir": "desc", "page": "3", "rank": "Gold"},
        sortable=("name",),
        default_sort="name",
        filter_names=("rank",),
    )
    assert (query.offset, query.limit, dict(query.filters)) == (100, 50, {"rank": "Gold"})


def test_listing_links_keep_filters_and_flip_the_sort() -> None:
    query = TableQuery(page=2, sort="gv", descending=False, filters={"rank": "Gold"})
    listing = Listing("/app/downline", query, rows=list(range(50)), total=601, noun="members")
    assert listing.pages == 13 and (listing.first, listing.last) == (51, 100)
    assert listing.page_url(3) == "/app/downline?rank=Gold&sort=gv&dir=asc&page=3"
    assert listing.page_url(1) == "/app/downline?rank=Gold&sort=gv&dir=asc"
    assert listing.sort_url("gv") == "/app/downline?rank=Gold&sort=gv&dir=desc"
    assert listing.sort_url("name") == "/app/downline?rank=Gold&sort=name&dir=asc"
    assert listing.sort_state("gv") == "ascending" and listing.sort_state("name") == ""


def test_chart_is_svg_without_inline_styles_and_its_table_is_exact() -> None:
    chart = bar_chart(
        "earnings",
        "Paid per period",
        ["Jan 2026", "Feb 2026", "Mar 2026"],
        [10, 6965900, 20],
        2,
        "Paid (USD)",
    )
    svg = str(chart.svg)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="earnings-title">Paid per period</title>' in svg
    assert "style=" not in svg and "<style" not in svg  # the CSP forbids inline styles
    assert "<script" not in svg and "<?xml" not in svg
    assert [row.value for row in chart.rows] == ["0.10", "69,659.00", "0.20"]
    assert chart.total == "69,659.30"  # summed as integers: 0.1 + 0.2 is exact
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert len(ids) == len(set(ids)) and "figure_1" not in ids


def test_console_home_groups_member_counts_and_draws_no_navigation_of_its_own() -> None:
    from decimal import Decimal
    from types import SimpleNamespace

    from fairtree.services.commissions.company_figures import HomeFigures, PayoutShare
    from fairtree.web.render import templates

    figures = HomeFigures(
        period_key="2026-12",
        currency="USD",
        members={"all": 1_234_567, "active": 987_654, "new": 12_345, "left": 1_001},
        volumes={"pv": 123_456_789, "bv": 100, "sales": 4_556_900},
        payout_shares=[PayoutShare("2026-11", 3_472_00, 10_000_00, Decimal("0.3472"))],
        awaiting_review=[],
        open_help=1_200,
        median_answer_hours=None,
    )
    staff = SimpleNamespace(login="admin@x", role="admin")
    html = templates.get_template("console/home.html").render(
        figures=figures, chart=None, staff=staff, money=money, points=points,
        navigation=[("/console/", "Home")], home="/console/", path="/console/",
    )  # fmt: skip
    for text in ("1,234,567", "987,654", "12,345", "1,001", "1,200 open", "1,234,567.89"):
        assert text in html, text
    assert html.count("<nav") == 1 and "<style" not in html
    assert '<table id="payout-share" class="stack">' in html and 'data-label="Period"' in html


def test_line_and_lorenz_charts_are_csp_safe_svg_with_their_tables() -> None:
    from decimal import Decimal

    from fairtree.web.charts import Series, line_chart, lorenz_chart

    line = line_chart(
        "cohort-test",
        "Mean pay by joining month",
        ["2026-01", "2026-02", "2026-03"],
        [
            Series("mean pay", [1.5, -2.0, 3.25], ["1.50", "-2.00", "3.25"]),
            Series("median net", [0.0, -1.0, 2.0], ["0.00", "-1.00", "2.00"],
                   band=([-1.0, -2.0, 1.0], [1.0, 0.0, 3.0])),
        ],
        "Joined",
    )  # fmt: skip
    assert [(r.label, r.value, r.more) for r in line.rows] == [
        ("2026-01", "1.50", ("0.00",)),
        ("2026-02", "-2.00", ("-1.00",)),
        ("2026-03", "3.25", ("2.00",)),
    ]
    assert (line.label_heading, line.value_heading, line.more_headings) == (
        "Joined",
        "mean pay",
        ("median net",),
    )
    lorenz = lorenz_chart(
        "lorenz-test",
        "Lorenz curve",
        [Decimal("0"), Decimal("0.5"), Decimal("1")],
        [Decimal("0"), Decimal("0.1234"), Decimal("1")],
        "Least-paid share",
        "Share of pay",
    )
    assert [(r.label, r.value) for r in lorenz.rows] == [
        ("0.0%", "0.0%"),
        ("50.0%", "12.3%"),
        ("100.0%", "100.0%"),
    ]
    for chart in (line, lorenz):
        svg = str(chart.svg)
        assert svg.startswith("<svg") and 'role="img"' in svg
        assert "style=" not in svg and "<style" not in svg
    again = lorenz_chart(
        "lorenz-test",
        "Lorenz curve",
        [Decimal("0"), Decimal("0.5"), Decimal("1")],
        [Decimal("0"), Decimal("0.1234"), Decimal("1")],
        "Least-paid share",
        "Share of pay",
    )
    assert str(again.svg) == str(lorenz.svg)  # the same figures, the same bytes


def test_decimal_text_gets_thousands_separators_exactly() -> None:
    from fairtree.web.formatting import grouped_text

    assert grouped_text("-19419.90") == "-19,419.90"
    assert grouped_text("1234567") == "1,234,567"
    assert grouped_text("0.4777") == "0.4777"
    assert grouped_text("12345678901234567890.01") == "12,345,678,901,234,567,890.01"
    assert grouped_text("M0000001") == "M0000001"
