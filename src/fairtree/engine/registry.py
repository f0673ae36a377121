"""Bonus kinds register here; the engine looks a plan's ``kind`` up by name.

A kind is a class with three static methods, all taking the kind's config model
(fairtree.plans.schema_bonuses) as ``config``:

- ``evaluate(ctx: Context, config) -> BonusOutcome``: vectorized, preorder arrays.
- ``reference(ref: ReferenceContext, config) -> BonusOutcome``: per-member loops with
  Decimal, input order; the property tests require both to agree to the cent.
- ``explain(ctx: Context, config, outcome, member: int) -> list[TraceLine]``: how one
  member's line was derived (member is a preorder position).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Protocol

_KINDS: dict[str, type[BonusKind]] = {}


class BonusKind(Protocol):
    name: str

    @staticmethod
    def evaluate(ctx: Any, config: Any) -> Any: ...

    @staticmethod
    def reference(ref: Any, config: Any) -> Any: ...

    @staticmethod
    def explain(ctx: Any, config: Any, outcome: Any, member: int) -> list[Any]: ...


def register(name: str):  # type: ignore[no-untyped-def]
    """Class decorator: ``@register("unilevel") class Unilevel: ...``."""

    def decorate(cls: type[BonusKind]) -> type[BonusKind]:
        if name in _KINDS and _KINDS[name] is not cls:
            raise ValueError(f"bonus kind {name!r} is registered twice")
        cls.name = name
        _KINDS[name] = cls
        return cls

    return decorate


def _load_kinds() -> None:
    import fairtree.engine.kinds as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"fairtree.engine.kinds.{module.name}")


def get_kind(name: str) -> type[BonusKind] | None:
    _load_kinds()
    return _KINDS.get(name)


def registered_kinds() -> list[str]:
    _load_kinds()
    return sorted(_KINDS)
