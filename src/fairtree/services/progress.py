"""How long-running services report progress without knowing about terminals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Progress(Protocol):
    def stage(self, name: str, total: int | None) -> None:
        """A new stage begins; ``total`` units of work (None when unknown)."""

    def advance(self, units: int) -> None:
        """``units`` more units of the current stage are done."""


@dataclass
class NoProgress:
    """Progress that goes nowhere (tests, library use)."""

    def stage(self, name: str, total: int | None) -> None:
        return None

    def advance(self, units: int) -> None:
        return None
