"""A Rich progress bar behind the services' Progress protocol."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class RichProgress:
    """Shows each stage as a bar (or a spinner when its size is unknown)."""

    def __init__(self, console: Console | None = None) -> None:
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self._bar.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._finish()
        self._bar.__exit__(kind, error, trace)

    def _finish(self) -> None:
        if self._task is not None:
            task = self._bar.tasks[self._task]
            if task.total is None:
                self._bar.update(self._task, total=1, completed=1)

    def stage(self, name: str, total: int | None) -> None:
        self._finish()
        self._task = self._bar.add_task(name, total=total)

    def advance(self, units: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, units)
