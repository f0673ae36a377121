"""A Rich progress bar behind the services' ``Progress`` protocol."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class RichProgress:
    """Shows each service stage as a bar (or a spinner-like line when the total is unknown)."""

    def __init__(self, console: Console | None = None) -> None:
        self._bar = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self._bar.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._task is not None:
            task = self._bar.tasks[-1]
            if task.total is not None and exc is None:
                self._bar.update(self._task, completed=task.total)
        self._bar.stop()

    def stage(self, name: str, total: int | None) -> None:
        if self._task is not None:
            previous = self._bar.tasks[-1]
            if previous.total is not None:
                self._bar.update(self._task, completed=previous.total)
        self._task = self._bar.add_task(name, total=total)

    def advance(self, units: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, units)
