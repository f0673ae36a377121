"""Entry point of the ``fairtree`` command; each topic registers its commands here."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from fairtree import __version__
from fairtree.cli.output import error_console, print_problems
from fairtree.errors import FairtreeError, ValidationError


class _RefusalsAreOneLine(TyperGroup):
    """A refusal (any ``FairtreeError``: a finalized period, an unknown member, a bad
    value) is printed as one line, or one line per problem, and the command exits 1.
    Anything else is a bug and keeps its traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's click.Context
        try:
            return super().invoke(ctx)
        except ValidationError as error:
            print_problems(error)
            raise typer.Exit(1) from None
        except FairtreeError as error:
            error_console.print(f"refused: {error}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    name="fairtree",
    help="fairtree: an open back office and compensation engine for network marketing.",
    no_args_is_help=True,
    add_completion=False,
    cls=_RefusalsAreOneLine,
)

# Command groups shared by several modules (e.g. `bench close` and `bench import`).
bench_app = typer.Typer(help="Benchmarks: each prints one JSON line.", no_args_is_help=True)
plan_app = typer.Typer(help="Compensation plans: validate, test, compare.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")
app.add_typer(plan_app, name="plan")


@app.command()
def version() -> None:
    """Print the fairtree version."""
    typer.echo(__version__)


def _register() -> None:
    """Import the command modules so each adds its commands to ``app``."""
    import importlib
    import pkgutil

    import fairtree.cli as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("cmd_"):
            importlib.import_module(f"fairtree.cli.{module.name}")


_register()
