"""Printing errors the same way in every command."""

from __future__ import annotations

from rich.console import Console

from fairtree.errors import ValidationError

error_console = Console(stderr=True, highlight=False)


def print_problems(error: ValidationError) -> None:
    """Every problem on its own unwrapped line: ``file:line [field]: reason``."""
    error_console.print(
        f"[bold red]{len(error.problems)} problem(s); nothing was changed[/bold red]"
    )
    for problem in error.problems:
        error_console.print(str(problem), markup=False, soft_wrap=True)
