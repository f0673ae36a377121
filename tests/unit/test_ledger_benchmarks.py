"""The ledger benchmarks run end to end at a tiny size (SQLite in a temp folder)."""

from __future__ import annotations

from pathlib import Path

from fairtree.benchmarks.load import run_load
from fairtree.benchmarks.progress import run_progress
from fairtree.store.database import make_engine
from fairtree.store.migrate import upgrade


def engine_in(folder: Path):
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    upgrade(url)
    return make_engine(url)


def test_progress_benchmark_reports_percentiles(tmp_path: Path) -> None:
    engine = engine_in(tmp_path)
    line = run_progress(engine, members=300, postings=5, seed_value=3)
    engine.dispose()
    assert (line["members"], line["postings"], line["backend"]) == (300, 5, "sqlite")
    assert 0 < line["p50_ms"] <= line["p99_ms"] <= line["max_ms"]
    assert line["line_length_max"] >= 1


def test_load_benchmark_loads_closes_finalizes_and_explains(tmp_path: Path) -> None:
    engine = engine_in(tmp_path)
    load, close, finalize, statement = run_load(
        engine, members=300, orders=900, seed_value=3, statements=20
    )
    engine.dispose()
    assert [line["benchmark"] for line in (load, close, finalize, statement)] == [
        "load",
        "close",
        "finalize",
        "statement",
    ]
    assert (load["members"], load["orders"]) == (300, 900)
    assert close["lines"] > 0 and close["total_paid"] > 0
    assert {"load", "evaluate", "write_lines", "write_rank_history"} <= set(close["steps"])
    assert {"post_run", "settle_clawbacks"} <= set(finalize["steps"])
    assert statement["statements"] == 21
    assert 0 < statement["p50_ms"] <= statement["p95_ms"] <= statement["max_ms"]
    assert statement["top_earner_explanation_lines"] > 3


def test_member_pages_benchmark_times_every_page_of_a_member_with_a_downline(
    tmp_path: Path,
) -> None:
    from fairtree.benchmarks.member_pages import PLACEMENT_PAGES, TARGETS_MS, run_member_pages

    engine = engine_in(tmp_path)
    lines = run_member_pages(engine, members=400, runs=4, seed_value=3)
    engine.dispose()
    pages = {line["page"]: line for line in lines}
    opened = {"statement_line", "statement_line_page"}
    assert set(pages) == {*TARGETS_MS, *opened} - set(PLACEMENT_PAGES)
    assert all(line["members"] == 400 and line["backend"] == "sqlite" for line in lines)
    assert pages["dashboard"]["downline"] >= 20  # about a tenth of the company
    assert pages["tree_node"]["calls"] == 6  # 4 random nodes, the member, the widest level
    assert all(0 < line["p50_ms"] <= line["p95_ms"] <= line["max_ms"] for line in lines)
    assert pages["statement_page"]["lines"] >= 1
    # the line opened whole and its first page: each with its steps' seconds per call
    for page in opened:
        steps = pages[page]["steps_s"]
        assert {"statement_load_downline", "statement_explain", "statement_describe"} <= set(steps)
        assert all(seconds >= 0 for seconds in steps.values())


def test_member_pages_benchmark_of_a_binary_company_times_placement_levels(
    tmp_path: Path,
) -> None:
    from fairtree.benchmarks.member_pages import TARGETS_MS, run_member_pages

    engine = engine_in(tmp_path)
    lines = run_member_pages(engine, members=400, runs=4, seed_value=3, binary=True)
    engine.dispose()
    pages = {line["page"]: line for line in lines}
    assert set(pages) == {*TARGETS_MS, "statement_line", "statement_line_page"}
    closed = pages["tree_node_placement_closed"]
    assert closed["calls"] == 5  # the top and 4 random members
    assert len(closed["top_legs"]) == 2 and min(closed["top_legs"]) > 0  # both legs shown
    assert pages["tree_node_placement"]["target_p95_ms"] == 300


def test_console_benchmark_times_search_review_and_a_what_if(tmp_path: Path) -> None:
    from fairtree.benchmarks.console import TARGETS, run_console

    engine = engine_in(tmp_path)
    lines = run_console(engine, members=300, runs=4, seed_value=3)
    again = run_console(engine, members=300, runs=2, seed_value=3)  # kept: not seeded again
    engine.dispose()
    figures = {line["figure"]: line for line in lines}
    assert set(figures) == {"member_search", "review_page", "what_if"}
    assert all(line["members"] == 300 and line["database"] == "sqlite" for line in lines)
    assert "seeded" in lines[0] and all("seeded" not in line for line in again)
    for name in ("member_search", "review_page"):
        assert 0 < figures[name]["p50_ms"] <= figures[name]["p95_ms"] <= figures[name]["max_ms"]
        assert figures[name]["target_ms"] == TARGETS[f"{name}_ms"]
    what_if = figures["what_if"]
    assert what_if["what_if_members"] == 300 and what_if["gainers"] > 0  # level one up
    assert what_if["losers"] == 0 and set(what_if["stages_s"]) >= {"evaluating both plans"}
