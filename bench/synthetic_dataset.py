"""A large synthetic dataset in canonical form, generated with numpy (no per-member loop).

Used by the import benchmark when ``fairtree.simulation.synth`` is not available.
Sponsors form a random recursive tree (each new member recruited by a uniformly random
earlier one); the binary placement tree is filled level by level; orders are dated on or
after their buyer joined; one order in a hundred is partly returned.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fairtree.dataset import schema
from fairtree.dataset.csvio import encode_lines
from fairtree.dataset.writer import format_fixed

START_DAY = int(np.datetime64("2025-01-01", "D").astype(np.int64))
SKUS = 20


def _ids(prefix: str, count: int, width: int) -> pa.Array:
    numbers = pa.array(np.arange(1, count + 1)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, width, "0"), "")


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype("datetime64[D]")).cast(pa.string())


def _const(text: str, count: int) -> pa.Array:
    return pa.array(np.full(count, text, dtype=object), pa.string())


def _write(folder: Path, spec: schema.FileSpec, columns: list[pa.Array], chunk: int) -> None:
    with (folder / spec.name).open("wb") as stream:
        stream.write((",".join(spec.columns) + "\n").encode())
        for start in range(0, len(columns[0]), chunk):
            stream.write(encode_lines([c.slice(start, chunk) for c in columns]))


def write_synthetic_dataset(
    folder: Path, members: int, orders_per_member: int, seed: int, months: int = 24
) -> dict[str, int]:
    """Write the dataset into ``folder``; returns rows per file."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "company.csv").write_text(
        ",".join(schema.COMPANY.columns) + "\nsynth,Synthetic Co,USD,US,month,binary,,weaker_leg\n"
    )
    member_ids = _ids("M", members, 8)
    index = np.arange(members)
    sponsor = np.floor(rng.random(members) * index).astype(np.int64)  # a random earlier member
    sponsor_text = pc.if_else(pa.array(index == 0), "", member_ids.take(pa.array(sponsor)))
    parent = (index - 1) // 2
    parent_text = pc.if_else(
        pa.array(index == 0), "", member_ids.take(pa.array(np.maximum(parent, 0)))
    )
    position = pc.if_else(pa.array(index == 0), "", pc.if_else(pa.array(index % 2 == 1), "L", "R"))
    joined = START_DAY + np.sort(rng.integers(0, months * 30, members))
    joined_text = _dates(joined)
    verified = pc.if_else(pa.array(rng.random(members) < 0.7), "true", "false")
    names = pc.binary_join_element_wise("Member ", pa.array(index).cast(pa.string()), "")
    _write(
        folder,
        schema.MEMBERS,
        [
            member_ids,
            sponsor_text,
            parent_text,
            position,
            joined_text,
            _const("active", members),
            joined_text,
            _const("US", members),
            _const("USD", members),
            names,
            verified,
        ],
        500_000,
    )
    (folder / "customers.csv").write_text(",".join(schema.CUSTOMERS.columns) + "\n")
    price = rng.integers(1_000, 20_000, SKUS)
    pv = rng.integers(5, 100, SKUS) * 100
    skus = _ids("SKU", SKUS, 3)
    _write(
        folder,
        schema.PRODUCTS,
        [
            skus,
            _const("US", SKUS),
            pc.binary_join_element_wise("Product ", skus, ""),
            _const("USD", SKUS),
            format_fixed(price + price // 4, np.full(SKUS, 2)),
            format_fixed(price, np.full(SKUS, 2)),
            format_fixed(pv, np.full(SKUS, 2)),
            format_fixed(pv * 4 // 5, np.full(SKUS, 2)),
            _const("true", SKUS),
        ],
        SKUS,
    )
    count = members * orders_per_member
    buyer = rng.integers(0, members, count)
    placed = joined[buyer] + rng.integers(0, 60, count)
    returned = np.flatnonzero(rng.random(count) < 0.01)
    kind = np.zeros(count, dtype=bool)  # True = return
    target = np.full(count, -1)
    # Turn the order right after each picked one into a partial return of it.
    returned = returned[returned + 1 < count]
    returned = returned[~np.isin(returned, returned + 1)]
    kind[returned + 1] = True
    target[returned + 1] = returned
    buyer[returned + 1] = buyer[returned]
    placed[returned + 1] = placed[returned] + 7
    order_ids = _ids("O", count, 9)
    _write(
        folder,
        schema.ORDERS,
        [
            order_ids,
            pc.if_else(pa.array(kind), "return", "order"),
            _dates(placed),
            member_ids.take(pa.array(buyer)),
            _const("", count),
            _const("US", count),
            _const("USD", count),
            _const("", count),
            pc.if_else(pa.array(kind), order_ids.take(pa.array(np.maximum(target, 0))), ""),
        ],
        1_000_000,
    )
    sku = rng.integers(0, SKUS, count)
    sku[returned + 1] = sku[returned]
    quantity = rng.integers(1, 4, count)
    quantity[returned + 1] = 1
    _write(
        folder,
        schema.ORDER_LINES,
        [
            order_ids,
            _const("1", count),
            skus.take(pa.array(sku)),
            pa.array(quantity).cast(pa.string()),
            format_fixed(price[sku], np.full(count, 2)),
            format_fixed(pv[sku], np.full(count, 2)),
            format_fixed(pv[sku] * 4 // 5, np.full(count, 2)),
        ],
        1_000_000,
    )
    (folder / "plan.yaml").write_text("plan: synthetic\n")
    return {"members": members, "orders": count, "order_lines": count}
