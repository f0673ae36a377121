"""Every rule of docs/dataset.md has a bad dataset that breaks it, and is reported
with file, line, field and reason."""

from __future__ import annotations

import pytest

from fairtree.dataset.reader import read_dataset
from fairtree.errors import DatasetError, Problem
from tests.factories import SAMPLE_DATASET

MEMBER_HEADER = SAMPLE_DATASET["members.csv"].split("\n")[0] + "\n"
ORDERS = SAMPLE_DATASET["orders.csv"]
LINES = SAMPLE_DATASET["order_lines.csv"]


def problems_of(folder) -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_the_sample_dataset_is_valid(make_dataset):
    parsed = read_dataset(make_dataset())
    assert parsed.counts == {
        "members": 5,
        "customers": 2,
        "products": 3,
        "parties": 1,
        "orders": 4,
        "order_lines": 5,
    }


def test_a_sponsor_loop_names_a_member_on_it(make_dataset):
    folder = make_dataset(
        add={
            "members.csv": "X1,X3,,,2026-01-01,active,2026-01-01,US,USD,x1,false\n"
            "X2,X1,,,2026-01-01,active,2026-01-01,US,USD,x2,false\n"
            "X3,X2,,,2026-01-01,active,2026-01-01,US,USD,x3,false\n"
            "X4,X3,,,2026-01-01,active,2026-01-01,US,USD,x4,false\n"
        }
    )
    problem = only(problems_of(folder))
    assert (problem.source, problem.location, problem.field) == (
        "members.csv",
        "line 7",
        "sponsor_id",
    )
    assert "following the sponsor loops: X1 -> X3 -> X2 -> X1" in problem.reason
    assert "(3 members)" in problem.reason


def test_a_member_sponsoring_themselves_is_a_loop(make_dataset):
    folder = make_dataset(
        add={"members.csv": "X1,X1,,,2026-01-01,active,2026-01-01,US,USD,x1,false\n"}
    )
    problem = only(problems_of(folder))
    assert problem.location == "line 7"
    assert "X1 -> X1" in problem.reason


def test_an_unknown_sponsor(make_dataset):
    folder = make_dataset(
        add={"members.csv": "X1,NOBODY,,,2026-01-01,active,2026-01-01,US,USD,x1,false\n"}
    )
    assert only(problems_of(folder)) == Problem(
        "members.csv", "line 7", "sponsor_id", "unknown sponsor 'NOBODY'"
    )


def test_a_duplicate_member_id(make_dataset):
    folder = make_dataset(
        add={"members.csv": "M3,M1,,,2026-01-01,active,2026-01-01,US,USD,again,false\n"}
    )
    assert only(problems_of(folder)) == Problem(
        "members.csv", "line 7", "member_id", "duplicate member_id 'M3' (first on line 4)"
    )


def test_a_negative_quantity(make_dataset):
    folder = make_dataset(order_lines=LINES.replace("O3,1,SHAKE,3,", "O3,1,SHAKE,-3,"))
    assert only(problems_of(folder)) == Problem(
        "order_lines.csv", "line 5", "quantity", "quantity must be a whole number greater than zero"
    )


def test_an_order_dated_before_its_buyer_joined(make_dataset):
    folder = make_dataset(
        orders=ORDERS.replace("O3,subscription,2026-02-12", "O3,subscription,2026-01-05")
    )
    assert only(problems_of(folder)) == Problem(
        "orders.csv", "line 4", "placed_on", "order is dated before its buyer joined"
    )


def test_an_order_dated_before_its_customer_was_created(make_dataset):
    folder = make_dataset(orders=ORDERS.replace("O2,order,2026-02-10", "O2,order,2026-01-19"))
    assert only(problems_of(folder)).reason == "order is dated before its customer was created"


def test_an_unknown_product(make_dataset):
    folder = make_dataset(add={"order_lines.csv": "O3,2,GIFT,1,0,0,0\n"})
    # GIFT exists, but not for Japan, where O3 was sold.
    assert only(problems_of(folder)) == Problem(
        "order_lines.csv", "line 7", "sku", "unknown product 'GIFT' for country 'JP'"
    )


def test_a_malformed_csv_line(make_dataset):
    folder = make_dataset(add={"customers.csv": "C3,M1,Extra,US,2026-02-01,surplus\n"})
    problem = only(problems_of(folder))
    assert (problem.source, problem.location) == ("customers.csv", "line 4")
    assert "6 fields where 5 columns are expected" in problem.reason


def test_a_malformed_line_in_a_file_with_quoted_line_breaks(make_dataset):
    customers = SAMPLE_DATASET["customers.csv"] + 'C3,M1,"Two\nlines",US,2026-02-01\nC4,M1\n'
    problem = only(problems_of(make_dataset(customers=customers)))
    assert problem.location == "line 6"


def test_a_wrong_column_name(make_dataset):
    folder = make_dataset(
        customers=SAMPLE_DATASET["customers.csv"].replace("created_on", "created_at", 1)
    )
    problems = problems_of(folder)
    assert Problem("customers.csv", "line 1", "created_at", "unknown column 'created_at'") in (
        problems
    )
    assert Problem("customers.csv", "line 1", "created_on", "missing column 'created_on'") in (
        problems
    )


def test_columns_out_of_order(make_dataset):
    text = SAMPLE_DATASET["customers.csv"].replace("name,country", "country,name", 1)
    problem = only(problems_of(make_dataset(customers=text)))
    assert problem.reason.startswith("columns must be in this order")


def test_a_missing_file(make_dataset):
    assert only(problems_of(make_dataset(products=None))) == Problem(
        "products.csv", "", "", "file is missing"
    )


def test_crlf_line_ends_are_refused(make_dataset):
    text = SAMPLE_DATASET["customers.csv"].replace("\n", "\r\n")
    assert "\\r\\n" in only(problems_of(make_dataset(customers=text))).reason


def test_an_impossible_date(make_dataset):
    text = SAMPLE_DATASET["customers.csv"].replace("2026-01-20", "2026-02-30")
    assert only(problems_of(make_dataset(customers=text))) == Problem(
        "customers.csv", "line 2", "created_on", "not a date (YYYY-MM-DD)"
    )


def test_status_since_before_joining(make_dataset):
    text = SAMPLE_DATASET["members.csv"].replace("inactive,2026-02-01", "inactive,2025-12-31")
    assert only(problems_of(make_dataset(members=text))).field == "status_since"


def test_a_placement_slot_taken_twice(make_dataset):
    folder = make_dataset(
        add={"members.csv": "X1,M1,M1,L,2026-01-01,active,2026-01-01,US,USD,x1,false\n"}
    )
    assert only(problems_of(folder)) == Problem(
        "members.csv",
        "line 7",
        "placement_position",
        "placement slot already taken by an earlier member",
    )


def test_a_position_that_does_not_fit_the_placement_kind(make_dataset):
    folder = make_dataset(
        add={"members.csv": "X1,M1,M3,2,2026-01-01,active,2026-01-01,US,USD,x1,false\n"}
    )
    assert only(problems_of(folder)).reason == "binary position must be L or R"


def test_money_needs_exactly_the_currency_digits(make_dataset):
    text = SAMPLE_DATASET["products.csv"].replace("5000,4200", "5000.00,4200")
    problem = only(problems_of(make_dataset(products=text)))
    assert (problem.location, problem.field) == ("line 3", "retail_price")


def test_volumes_have_at_most_two_decimals(make_dataset):
    text = SAMPLE_DATASET["products.csv"].replace(
        "25.00,20.50,true,nutrition\nSHAKE,JP", "25.125,20.50,true,nutrition\nSHAKE,JP"
    )
    assert only(problems_of(make_dataset(products=text))).field == "pv"


def test_an_order_with_two_buyers(make_dataset):
    text = ORDERS.replace("O1,order,2026-01-06,M1,,", "O1,order,2026-01-06,M1,C1,")
    reasons = {p.reason for p in problems_of(make_dataset(orders=text))}
    assert "exactly one of buyer_member_id, buyer_customer_id must be set" in reasons


def test_a_return_of_more_than_was_bought(make_dataset):
    text = LINES.replace("R1,1,SHAKE,1,", "R1,1,SHAKE,3,")
    assert only(problems_of(make_dataset(order_lines=text))) == Problem(
        "order_lines.csv",
        "line 6",
        "quantity",
        "returns more units of this product than the order bought",
    )


def test_a_return_by_another_buyer(make_dataset):
    text = ORDERS.replace("R1,return,2026-02-20,M1,", "R1,return,2026-02-20,M3,")
    assert only(problems_of(make_dataset(orders=text))).reason == (
        "a return must have the same buyer as its order"
    )


def test_a_return_dated_before_its_order(make_dataset):
    text = ORDERS.replace("R1,return,2026-02-20", "R1,return,2026-01-06").replace(
        "O1,order,2026-01-06", "O1,order,2026-01-07"
    )
    assert only(problems_of(make_dataset(orders=text))).reason == (
        "a return is dated before the order it reverses"
    )


def test_a_return_of_a_return(make_dataset):
    folder = make_dataset(
        add={
            "orders.csv": "R2,return,2026-02-21,M1,,US,USD,,R1\n",
        }
    )
    assert only(problems_of(folder)).reason == "a return must reverse an order, not a return"


def test_a_party_host_who_is_not_the_consultants_customer(make_dataset):
    text = SAMPLE_DATASET["parties.csv"].replace("P1,M2,C1", "P1,M2,C2")
    assert only(problems_of(make_dataset(parties=text))).reason == (
        "host is not a customer of the consultant"
    )


def test_every_problem_is_reported_at_once(make_dataset):
    folder = make_dataset(
        add={
            "members.csv": "X1,NOBODY,,,2026-01-01,active,2026-01-01,US,USD,x1,false\n",
            "order_lines.csv": "O1,3,SHAKE,0,39.90,25.00,20.50\n",
        },
        customers=SAMPLE_DATASET["customers.csv"].replace("created_on", "created"),
    )
    sources = sorted(p.source for p in problems_of(folder))
    assert sources == ["customers.csv", "customers.csv", "members.csv", "order_lines.csv"]


def test_many_bad_rows_are_summarised(make_dataset):
    rows = "".join(
        f"X{i},NOBODY,,,2026-01-01,active,2026-01-01,US,USD,x,false\n" for i in range(150)
    )
    problems = problems_of(make_dataset(add={"members.csv": rows}))
    assert len(problems) == 101
    assert problems[-1] == Problem(
        "members.csv", "", "sponsor_id", "50 more rows: the same problem"
    )


def test_a_nul_byte_is_refused(make_dataset):
    text = SAMPLE_DATASET["customers.csv"].replace("Carol", "Ca\x00rol")
    assert only(problems_of(make_dataset(customers=text))) == Problem(
        "customers.csv", "line 2", "", "contains a NUL byte"
    )


def test_a_quoted_field_that_is_never_closed(make_dataset):
    text = SAMPLE_DATASET["customers.csv"] + 'C3,M1,"Open,US,2026-02-01\n'
    reasons = [p.reason for p in problems_of(make_dataset(customers=text))]
    assert "a quoted field is never closed" in reasons


def test_line_numbers_count_quoted_line_breaks(make_dataset):
    text = (
        SAMPLE_DATASET["customers.csv"]
        + 'C3,M1,"Two\nline name",US,2026-02-01\n'
        + "C4,NOBODY,Dan,US,2026-02-01\n"
    )
    assert only(problems_of(make_dataset(customers=text))) == Problem(
        "customers.csv", "line 6", "member_id", "unknown member 'NOBODY'"
    )


def test_two_returns_together_exceeding_the_order(make_dataset):
    folder = make_dataset(
        add={
            "orders.csv": "R2,return,2026-02-21,M1,,US,USD,,O1\n",
            "order_lines.csv": "R2,1,SHAKE,2,39.90,25.00,20.50\n",
        }
    )
    # O1 bought 2 SHAKE; R1 returns 1 and R2 returns 2: both return lines are flagged.
    problems = problems_of(folder)
    assert [(p.location, p.field) for p in problems] == [
        ("line 6", "quantity"),
        ("line 7", "quantity"),
    ]


def test_a_matrix_position_beyond_the_width(make_dataset):
    company = (
        "company_id,name,currency,country,period_kind,placement,matrix_width,binary_rule\n"
        "m,M,USD,US,month,matrix,2,\n"
    )
    members = (
        SAMPLE_DATASET["members.csv"].split("\n")[0]
        + "\nA,,,,2026-01-01,active,2026-01-01,US,USD,A,false\n"
        + "B,A,A,3,2026-01-02,active,2026-01-02,US,USD,B,false\n"
    )
    empty = {
        name: SAMPLE_DATASET[f"{name}.csv"].split("\n")[0] + "\n"
        for name in ("customers", "orders", "order_lines", "parties")
    }
    folder = make_dataset(company=company, members=members, **empty)
    assert only(problems_of(folder)) == Problem(
        "members.csv", "line 3", "placement_position", "matrix position must be 1..2"
    )


def test_a_company_file_with_two_rows(make_dataset):
    company = SAMPLE_DATASET["company.csv"] + "other,Other,USD,US,month,none,,\n"
    assert only(problems_of(make_dataset(company=company))) == Problem(
        "company.csv", "", "", "must hold exactly one row, found 2"
    )


def test_a_binary_rule_outside_a_binary_tree(make_dataset):
    company = SAMPLE_DATASET["company.csv"].replace(",binary,,weaker_leg", ",none,,weaker_leg")
    members = "\n".join(
        ",".join(f if i not in (2, 3) else "" for i, f in enumerate(line.split(","))) if n else line
        for n, line in enumerate(SAMPLE_DATASET["members.csv"].split("\n"))
    )
    problem = only(problems_of(make_dataset(company=company, members=members)))
    assert (problem.field, problem.reason) == (
        "binary_rule",
        "must be empty unless placement is binary",
    )


def test_products_written_before_categories_are_read_without_them(make_dataset):
    old = "\n".join(line.rsplit(",", 1)[0] for line in SAMPLE_DATASET["products.csv"].splitlines())
    assert old.startswith(
        "sku,country,name,currency,retail_price,member_price,pv,bv,commissionable\n"
    )
    parsed = read_dataset(make_dataset(products=old + "\n"))
    products = next(rows for rows in parsed.tables if rows.table == "products")
    assert products.columns["category"].to_pylist() == ["", "", ""]


def test_a_category_must_be_an_id(make_dataset):
    text = SAMPLE_DATASET["products.csv"].replace(
        "true,nutrition\nSHAKE,JP", "true,hair care\nSHAKE,JP"
    )
    problem = only(problems_of(make_dataset(products=text)))
    assert (problem.location, problem.field) == ("line 2", "category")


def test_an_order_kind_is_a_lowercase_name(make_dataset):
    text = ORDERS.replace("O3,subscription,", "O3,Subscription!,")
    problem = only(problems_of(make_dataset(orders=text)))
    assert (problem.location, problem.field) == ("line 4", "kind")
