"""``fairtree simulate``: run a plan over a simulated company, compare two plans, sweep seeds.

``fairtree simulate PLAN --scenario FILE`` is the single run; ``compare`` and ``sweep``
are subcommands. Progress goes to stderr, so the report on stdout stays clean.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer._click.core import Context
from typer.core import TyperGroup

from fairtree.cli.main import app
from fairtree.cli.output import print_problems
from fairtree.errors import ValidationError


class _DefaultRun(TyperGroup):
    """``simulate PLAN ...`` runs ``simulate run PLAN ...`` (a subcommand name wins)."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


simulate_app = typer.Typer(
    cls=_DefaultRun,
    help="Simulate a plan over a synthetic company (see docs/simulation.md).",
    no_args_is_help=True,
)
app.add_typer(simulate_app, name="simulate")
progress_console = Console(stderr=True)


class Format(StrEnum):
    HTML = "html"
    JSON = "json"
    CSV = "csv"


ScenarioOption = Annotated[Path, typer.Option("--scenario", help="Scenario YAML file.")]
MonthsOption = Annotated[int, typer.Option(min=1, max=600, help="Months to simulate.")]
SeedOption = Annotated[int, typer.Option(min=0, help="Random seed: same seed, same report.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
]


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        progress_console.print(f"wrote {output}")


def _loaded(plan: Path, scenario: Path) -> tuple[Any, Any]:
    from fairtree.engine.evaluate import check_kinds
    from fairtree.plans.load import load_plan
    from fairtree.simulation.scenario import load_scenario

    try:
        document = load_plan(plan)
        for _, version in document.versions:
            check_kinds(version, str(plan))
        return document, load_scenario(scenario)
    except ValidationError as exc:
        print_problems(exc)
        raise typer.Exit(2) from None


class _MonthBar:
    """A Rich bar advanced once per simulated month (``on_month`` callback)."""

    def __init__(self, label: str, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.progress = Progress(
            "{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=progress_console,
        )
        self.task = self.progress.add_task(label, total=total)

    def __enter__(self) -> _MonthBar:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)

    def __call__(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)


@simulate_app.command("run")
def run(
    plan: Annotated[Path, typer.Argument(help="Plan YAML file.")],
    scenario: ScenarioOption,
    months: MonthsOption = 24,
    seed: SeedOption = 1,
    fmt: Annotated[Format, typer.Option("--format", help="Report format.")] = Format.JSON,
    output: OutputOption = None,
    fake_accounts: Annotated[
        bool, typer.Option(help="Check whether fake accounts of one's own pay (last month).")
    ] = True,
) -> None:
    """Grow a company month by month under PLAN and report what everyone earned."""
    from fairtree.simulation.false_name import fake_account_check
    from fairtree.simulation.report import build_report
    from fairtree.simulation.report_files import write_report
    from fairtree.simulation.simulate import simulate

    document, setting = _loaded(plan, scenario)
    with _MonthBar("simulating", months) as bar:
        result = simulate(document, setting, months, seed, on_month=bar, keep_last_input=True)
    report = build_report(result)
    if fake_accounts:
        report["fake_accounts"] = fake_account_check(document, result)
    _emit(write_report(report, fmt.value, None), output)


@simulate_app.command("compare")
def compare(
    plan_a: Annotated[Path, typer.Argument(help="Plan A (the current plan).")],
    plan_b: Annotated[Path, typer.Argument(help="Plan B (the proposed plan).")],
    scenario: ScenarioOption,
    months: MonthsOption = 24,
    seed: SeedOption = 1,
    fmt: Annotated[Format, typer.Option("--format", help="Report format.")] = Format.JSON,
    output: OutputOption = None,
) -> None:
    """Run A and B on the same simulated people: who gains, who loses, by how much."""
    from fairtree.simulation.compare import compare_plans
    from fairtree.simulation.report_files import write_comparison

    document_a, setting = _loaded(plan_a, scenario)
    document_b, _ = _loaded(plan_b, scenario)
    with _MonthBar("simulating A and B", 2 * months) as bar:
        report = compare_plans(
            document_a, document_b, setting, months, seed, on_month=lambda d, t: bar(d, 2 * t)
        )
    _emit(write_comparison(report, fmt.value), output)


@simulate_app.command("sweep")
def sweep(
    plan: Annotated[Path, typer.Argument(help="Plan YAML file.")],
    scenario: ScenarioOption,
    runs: Annotated[int, typer.Option(min=1, max=100_000, help="Seeds to run.")] = 20,
    months: MonthsOption = 24,
    seed: SeedOption = 1,
    scheduler: Annotated[
        str | None, typer.Option(help="Address of a running Dask scheduler (tcp://host:8786).")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Local cluster workers.")] = 2,
    batch: Annotated[int, typer.Option(min=1, help="Runs per task.")] = 0,
    fmt: Annotated[Format, typer.Option("--format", help="Report format.")] = Format.JSON,
    output: OutputOption = None,
) -> None:
    """Run RUNS seeds on Dask (a local cluster unless --scheduler); medians and 5-95% bands."""
    from fairtree.simulation.report_files import write_sweep
    from fairtree.simulation.sweep import run_sweep

    document, setting = _loaded(plan, scenario)
    with _MonthBar("runs", runs) as bar:
        report = run_sweep(
            plan,
            scenario,
            runs=runs,
            months=months,
            seed=seed,
            scheduler=scheduler,
            workers=workers,
            batch=batch or None,
            on_done=lambda done: bar(done, runs),
        )
    del document, setting  # validated here; workers load the files themselves
    _emit(write_sweep(report, fmt.value), output)
