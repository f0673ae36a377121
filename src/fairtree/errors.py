"""One exception tree for the whole product; no HTTP codes here (the API maps them).

    FairtreeError
    ├── ValidationError      bad input; carries every Problem found, not just the first
    │   ├── DatasetError     a dataset folder (file, line, field, reason)
    │   └── PlanError        a plan file (file, path, reason)
    ├── GenealogyError       a rule of the tree is broken
    │   ├── CycleError       a sponsor or placement chain that loops
    │   ├── UnknownMemberError
    │   ├── SlotTakenError   a placement slot (parent, position) that is already filled
    │   └── PositionOutOfRangeError  a position the placement tree does not have
    ├── NotFoundError        a record that does not exist *or* the caller may not see
    ├── ConflictError        duplicate ids, replayed requests, finalized runs
    └── PermissionDeniedError

Errors are collected as values (``Problem``) so one run reports every bad row, then
raised once, so nothing is written when anything is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where it is, which field, and why."""

    source: str
    location: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.location}" if self.location else self.source
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.reason}"


class FairtreeError(Exception):
    """Base of every error fairtree raises on purpose."""


class ValidationError(FairtreeError):
    """Input that cannot be accepted; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("input", "", "", problems)]
        self.problems: list[Problem] = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s):\n{shown}{tail}")


class DatasetError(ValidationError):
    """A dataset folder has bad rows; nothing was imported."""


class PlanError(ValidationError):
    """A plan file cannot be evaluated; it is refused before any run."""


class GenealogyError(FairtreeError):
    """An operation would break a rule of the sponsor or placement tree."""


class CycleError(GenealogyError):
    """A sponsor or placement chain would loop back on itself."""


class UnknownMemberError(GenealogyError):
    """A member id that the network does not contain."""


class SlotTakenError(GenealogyError):
    """A placement slot (parent, position) that already holds another member."""


class PositionOutOfRangeError(GenealogyError):
    """A placement position the tree does not have (not L/R in a binary, not 1..W in a matrix)."""


class NotFoundError(FairtreeError):
    """No such record, or none the caller may see (the two look the same on purpose)."""


class ConflictError(FairtreeError):
    """The request collides with existing state: a duplicate id, a replay, a finalized run."""


class PermissionDeniedError(FairtreeError):
    """The caller is known but may not do this."""


__all__ = [
    "ConflictError",
    "CycleError",
    "DatasetError",
    "FairtreeError",
    "GenealogyError",
    "NotFoundError",
    "PermissionDeniedError",
    "PlanError",
    "PositionOutOfRangeError",
    "Problem",
    "SlotTakenError",
    "UnknownMemberError",
    "ValidationError",
]
