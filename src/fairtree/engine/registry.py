"""Bonus kinds register here; the engine looks a plan's ``kind`` up by name.

A kind is ONE module in ``fairtree/engine/kinds/``: its config model (a
``fairtree.plans.bonus_kinds.BonusBase`` subclass with ``kind: Literal["<name>"]``
and its checks in ``check``), and a class decorated with ``@register(ConfigModel)``
that has three static methods:

- ``evaluate(ctx, config) -> BonusOutcome``: vectorized, preorder arrays.
- ``reference(ref, config) -> BonusOutcome``: per-member loops with Decimal, input
  order; the property tests require both to agree to the cent.
- ``explain(ctx, config, outcome, member) -> list[TraceLine]``: how one member's line
  was derived (member is a preorder position), built with ``trace.trace_line``.

``register`` adds the config model to the plan language too, so the plan schema,
its validation and this registry all learn the kind from that one module. The
engine imports plans, never the reverse (see ``fairtree.plans.bonus_kinds``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from fairtree.plans.bonus_kinds import BonusBase, kind_of, register_config

if TYPE_CHECKING:
    from fairtree.engine.context import Context
    from fairtree.engine.reference import ReferenceContext
    from fairtree.engine.result import BonusOutcome
    from fairtree.engine.trace import TraceLine

ConfigT = TypeVar("ConfigT", bound=BonusBase)
ConfigT_contra = TypeVar("ConfigT_contra", bound=BonusBase, contravariant=True)


class BonusKind(Protocol, Generic[ConfigT_contra]):
    """What the engine calls on a kind; ``ConfigT_contra`` is the kind's config model."""

    name: ClassVar[str]

    @staticmethod
    def evaluate(ctx: Context, config: ConfigT_contra) -> BonusOutcome: ...

    @staticmethod
    def reference(ref: ReferenceContext, config: ConfigT_contra) -> BonusOutcome: ...

    @staticmethod
    def explain(
        ctx: Context, config: ConfigT_contra, outcome: BonusOutcome, member: int
    ) -> list[TraceLine]: ...


# Any: one registry holds kinds of every config model; each call passes the model its
# own kind registered (``evaluate`` looks the kind up by ``config.kind``).
_KINDS: dict[str, type[BonusKind[Any]]] = {}

KindT = TypeVar("KindT", bound=type)


def register(config: type[ConfigT]) -> Callable[[KindT], KindT]:
    """Class decorator: ``@register(Unilevel) class UnilevelKind: ...``."""
    name = kind_of(config)

    def decorate(cls: KindT) -> KindT:
        if name in _KINDS and _KINDS[name] is not cls:
            raise ValueError(f"bonus kind {name!r} is registered twice")
        register_config(config)
        cls.name = name  # type: ignore[attr-defined]
        _KINDS[name] = cls
        return cls

    return decorate


def _load_kinds() -> None:
    import fairtree.engine.kinds as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"fairtree.engine.kinds.{module.name}")


def get_kind(name: str) -> type[BonusKind[Any]] | None:
    _load_kinds()
    return _KINDS.get(name)


def registered_kinds() -> list[str]:
    _load_kinds()
    return sorted(_KINDS)
