"""Binary's weak-leg settlement in one compiled pass over the members.

The numpy form in :func:`fairtree.engine.kinds.binary.settle_numpy` (which also keeps
every intermediate figure for an explanation) takes about fifteen passes over the
members at 10M; this takes one, reading the two leg volumes, the carry-in, the
qualification and the cap and writing pay and carry-out in place. Tests hold the two
to each other and to the reference evaluator.
"""

from __future__ import annotations

import numba
import numpy as np

from fairtree.money import round_div_compiled


@numba.njit(cache=True)
def _weak_leg_kernel(
    left,
    right,
    carry_left,
    carry_right,
    has_carry,
    qualified,
    active,
    pay_rank,
    cap,
    rate,
    multiplier,
    denominator,
    rule,
    carry_enabled,
    flush_inactive,
    flush_weaker,
    max_carry,
    pay,
    carry_out_left,
    carry_out_right,
):  # pragma: no cover - compiled
    """Per member: legs = period volume + carry-in (written back over the period
    volume); a qualified member is paid rate x the weaker leg (rounded once, then
    capped by rank) and that volume leaves both legs; the rest carries out under the
    flush rules. Returns the pool (uncapped)."""
    pool = 0
    for i in range(left.shape[0]):
        lv = left[i]
        rv = right[i]
        if has_carry:
            lv += carry_left[i]
            rv += carry_right[i]
        left[i] = lv
        right[i] = rv
        left_stronger = lv >= rv
        weak = 0
        if qualified[i]:
            weak = lv if lv < rv else rv
        lv -= weak
        rv -= weak
        numerator = weak * rate
        if multiplier != 1:
            numerator *= multiplier
        uncapped = round_div_compiled(numerator, denominator, rule)
        pool += uncapped
        limit = cap[pay_rank[i]]
        pay[i] = uncapped if limit < 0 or uncapped < limit else limit
        if not carry_enabled or (flush_inactive and not active[i]):
            lv = 0
            rv = 0
        if flush_weaker and qualified[i]:
            if left_stronger:
                rv = 0
            else:
                lv = 0
        if max_carry >= 0:
            lv = lv if lv < max_carry else max_carry
            rv = rv if rv < max_carry else max_carry
        carry_out_left[i] = lv
        carry_out_right[i] = rv
    return pool


def settle_weak_leg(
    left: np.ndarray,
    right: np.ndarray,
    carry: tuple[np.ndarray, np.ndarray] | None,
    qualified: np.ndarray,
    active: np.ndarray,
    pay_rank: np.ndarray,
    cap: np.ndarray,
    rate: int,
    scale: tuple[int, int, int],
    flush: tuple[bool, bool, bool, int | None],
) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """(pay, pool, carry-out left, carry-out right). ``left`` and ``right`` (this
    period's leg volumes, int64) become the legs compared, carry-in included, in
    place. ``carry`` is the carry-in per side (None: nothing carried in), ``cap`` the
    cap per rank index (-1: none), ``scale`` (multiplier, denominator, rounding rule
    code) from rate x volume to minor units, ``flush`` (carry enabled, flush if
    inactive, flush the weaker side, max carry or None)."""
    n = left.shape[0]
    pay = np.empty(n, dtype=np.int64)  # numpy's allocations take huge pages
    carry_out_left, carry_out_right = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    none = np.zeros(1, dtype=np.int64)
    carry_left, carry_right = (none, none) if carry is None else carry
    enabled, inactive, weaker, max_carry = flush
    pool = _weak_leg_kernel(
        left,
        right,
        np.asarray(carry_left, dtype=np.int64),
        np.asarray(carry_right, dtype=np.int64),
        carry is not None,
        np.asarray(qualified, dtype=np.bool_),
        np.asarray(active, dtype=np.bool_),
        pay_rank,
        np.asarray(cap, dtype=np.int64),
        np.int64(rate),
        np.int64(scale[0]),
        np.int64(scale[1]),
        scale[2],
        enabled,
        inactive,
        weaker,
        np.int64(-1 if max_carry is None else max_carry),
        pay,
        carry_out_left,
        carry_out_right,
    )
    return pay, int(pool), carry_out_left, carry_out_right
