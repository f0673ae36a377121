"""The bonus kinds the plan language knows: what every kind's config shares, and a
registry of the config models, chosen in a plan file by ``kind``.

Import direction (the rule that keeps both layers pure): a bonus kind is ONE module
in ``fairtree/engine/kinds/``, holding its config model (a ``BonusBase`` subclass with
a one-value ``kind`` literal), its checks (the model's ``check``), its vectorized
evaluation, its reference evaluation and its explanation. The engine imports plans;
plans never imports the engine. Plans learns which kinds exist from the packages
named in the ``fairtree.bonus_kinds`` entry-point group (pyproject.toml names the
engine's kinds package); loading one registers its config models here. Another
installed package can add kinds the same way.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import entry_points
from typing import Annotated, Any, ClassVar, Literal, TypeVar, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fairtree.money import currency_exponent

VolumeName = Literal["pv", "bv"]
ENTRY_POINT_GROUP = "fairtree.bonus_kinds"

Report = Callable[[str, str, str], None]  # bad(location, field, reason)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class PlanFacts:
    """What a kind's checks may read of the whole plan, and where they report."""

    currency: str
    ranks: tuple[str, ...]
    bonus_ids: tuple[str, ...]
    bad: Report

    def rank_ref(self, location: str, field: str, name: str | None) -> None:
        """Report ``name`` when it is not a rank of the plan (None is fine)."""
        if name is not None and name not in self.ranks:
            self.bad(location, field, f"unknown rank {name!r} (ranks: {', '.join(self.ranks)})")

    def money_precision(self, amounts: Iterable[Decimal], where: str) -> None:
        """Report amounts with more decimals than the plan currency has."""
        exponent = currency_exponent(self.currency)
        for amount in amounts:
            scaled = amount.scaleb(exponent)
            if scaled != scaled.to_integral_value():
                self.bad(
                    where,
                    "amount",
                    f"{amount} has more than {exponent} decimals for {self.currency}",
                )


PRODUCT_NAME = r"^[A-Za-z0-9._-]{1,64}$"  # as dataset ids (fields.ID_PATTERN)


class ProductLimit(Strict):
    """The products a bonus pays on (``paid_on``): an order line counts when its
    product's category is one of ``categories`` or its product id (sku) one of
    ``products``. The rest of the volume is still volume for everything else."""

    categories: tuple[Annotated[str, Field(pattern=PRODUCT_NAME)], ...] = ()
    products: tuple[Annotated[str, Field(pattern=PRODUCT_NAME)], ...] = ()

    @model_validator(mode="after")
    def _names_something(self) -> ProductLimit:
        if not self.categories and not self.products:
            raise ValueError("name at least one category or product")
        return self

    @property
    def key(self) -> str:
        """One text per selection (for caching derived volumes)."""
        return f"{','.join(sorted(self.categories))}|{','.join(sorted(self.products))}"


class BonusBase(Strict):
    """Keys every bonus has; a kind's model adds ``kind: Literal["<name>"]`` and its own."""

    # kinds that pay on order volume and can be limited to some products (``paid_on``)
    pays_on_products: ClassVar[bool] = False

    kind: str  # each kind's model narrows it to Literal["<name>"]
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    description: str = ""
    min_rank: str | None = None  # a receiver below this paid-as rank is paid nothing
    paid_on: ProductLimit | None = None  # only these products' volume (kinds that allow it)

    def depends_on(self) -> tuple[str, ...]:
        """Ids of bonuses whose pay this bonus reads (evaluated first)."""
        return ()

    def check(self, plan: PlanFacts, where: str) -> None:
        """Report what the schema cannot state (rank names, orderings, precision)
        through ``plan.bad``, so a plan file lists every problem at once."""


ConfigT = TypeVar("ConfigT", bound=type[BonusBase])

_MODELS: dict[str, type[BonusBase]] = {}
_loaded = False
_loading = False
# Request threads may ask for the kinds at once: the first loads them, the others wait
# until every kind module is imported (not just begun), so none sees a partial registry.
_load_lock = threading.RLock()


def kind_of(model: type[BonusBase]) -> str:
    """The one name a config model's ``kind`` literal allows."""
    field = model.model_fields.get("kind")
    values = get_args(field.annotation) if field is not None else ()
    if len(values) != 1 or not isinstance(values[0], str):
        raise TypeError(f"{model.__name__} needs a kind: Literal['<name>'] field")
    return values[0]


def register_config(model: ConfigT) -> ConfigT:
    """Add a kind's config model to the language (called by the kind's module)."""
    name = kind_of(model)
    if _MODELS.get(name, model) is not model:
        raise ValueError(f"bonus kind {name!r} is registered twice")
    _MODELS[name] = model
    return model


def _load_entry_points() -> None:
    global _loaded, _loading
    if _loaded:
        return
    with _load_lock:
        if _loaded or _loading:  # _loading: a kind module asked while being imported
            return
        _loading = True
        try:
            found = entry_points(group=ENTRY_POINT_GROUP)
            if not found:
                raise RuntimeError(
                    f"no bonus kinds installed (entry-point group {ENTRY_POINT_GROUP!r}): "
                    "reinstall fairtree (make venv)"
                )
            for entry in found:
                module = importlib.import_module(entry.value)
                for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
                    importlib.import_module(f"{module.__name__}.{info.name}")
            _loaded = True
        finally:
            _loading = False


def bonus_models() -> dict[str, type[BonusBase]]:
    """Every registered config model by kind name, in name order."""
    _load_entry_points()
    return dict(sorted(_MODELS.items()))


def bonus_kinds() -> tuple[str, ...]:
    return tuple(bonus_models())


def bonus_union() -> Any:
    """The type of one ``bonuses`` entry: the registered models, chosen by ``kind``."""
    models = tuple(bonus_models().values())
    if len(models) == 1:
        return models[0]
    return Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007
