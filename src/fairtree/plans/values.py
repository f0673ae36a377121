"""Scalar types of the plan language: volumes, rates, money, each parsed exactly.

Volumes are integer hundredths of a point; rates are integer millionths of the whole
(``RATE_SCALE`` = 100%), so "12.5%" is 125000; money is a Decimal in the plan currency,
turned into minor units once the currency is known. No float survives parsing.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

from fairtree.money import POINT_SCALE, parse_points

RATE_SCALE = 1_000_000  # 100% as an integer: rates are exact to 0.0001%


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"{what} must be a number, got {value!r}")
    try:
        # floats from YAML go through their shortest repr, so 12.5 stays 12.5
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{what} {value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{what} {value!r} is not a finite number")
    return number


def parse_volume(value: object) -> int:
    """Points (``100``, ``"37.5"``) to hundredths; negative volumes are refused."""
    number = _decimal(value, "volume")
    if number < 0:
        raise ValueError(f"volume {value!r} must not be negative")
    return parse_points(str(number))


def parse_rate(value: object) -> int:
    """A percentage (``"5%"``, ``5``, ``"12.5%"`` all mean percent) to millionths."""
    text = value.strip().removesuffix("%") if isinstance(value, str) else value
    number = _decimal(text, "rate")
    if number < 0:
        raise ValueError(f"rate {value!r} must not be negative")
    if number > 100:
        raise ValueError(f"rate {value!r} is above 100%")
    scaled = number * (RATE_SCALE // 100)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"rate {value!r} has more than 4 decimals of a percent")
    return int(scaled)


def parse_money(value: object) -> Decimal:
    number = _decimal(value, "amount")
    if number < 0:
        raise ValueError(f"amount {value!r} must not be negative")
    return number


def format_rate(rate: int) -> str:
    whole, frac = divmod(rate, RATE_SCALE // 100)
    return f"{whole}%" if frac == 0 else f"{whole}.{frac:04d}".rstrip("0") + "%"


Volume = Annotated[
    int,
    BeforeValidator(parse_volume),
    PlainSerializer(lambda v: str(Decimal(v) / POINT_SCALE)),
]
Rate = Annotated[int, BeforeValidator(parse_rate), PlainSerializer(format_rate)]
Amount = Annotated[Decimal, BeforeValidator(parse_money), PlainSerializer(str)]
