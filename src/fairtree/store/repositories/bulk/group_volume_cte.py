"""Group volume the way a team writes it by hand in SQL: a recursive CTE over a
sponsor table. Used by `fairtree bench close --compare-postgres` as the yardstick.

The members are bulk-loaded with COPY into a temporary (scratch) table; nothing
persists after the connection closes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import psycopg

SCRATCH = """
CREATE TEMPORARY TABLE bench_member (
    id bigint PRIMARY KEY,
    sponsor bigint,
    pv bigint NOT NULL
) ON COMMIT PRESERVE ROWS
"""

GROUP_VOLUME = """
WITH RECURSIVE chain (member, ancestor, pv) AS (
    SELECT id, id, pv FROM bench_member
    UNION ALL
    SELECT chain.member, m.sponsor, chain.pv
    FROM chain JOIN bench_member m ON m.id = chain.ancestor
    WHERE m.sponsor IS NOT NULL
)
SELECT ancestor, sum(pv)::bigint FROM chain GROUP BY ancestor
"""


@dataclass(frozen=True)
class CteResult:
    group_volume: np.ndarray  # int64 per member id (input index)
    load_seconds: float
    query_seconds: float


def group_volume_by_cte(url: str, sponsor: np.ndarray, pv: np.ndarray) -> CteResult:
    """Every member's group volume (own PV + all downline PV) computed by PostgreSQL."""
    n = sponsor.shape[0]
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        started = time.perf_counter()
        cur.execute(SCRATCH)
        with cur.copy("COPY bench_member (id, sponsor, pv) FROM STDIN") as copy:
            block = 200_000
            for start in range(0, n, block):
                stop = min(start + block, n)
                ids = np.arange(start, stop)
                parents = sponsor[start:stop]
                lines = [
                    f"{i}\t{p if p >= 0 else chr(92) + 'N'}\t{v}\n"
                    for i, p, v in zip(
                        ids.tolist(), parents.tolist(), pv[start:stop].tolist(), strict=True
                    )
                ]
                copy.write("".join(lines))
        cur.execute("ANALYZE bench_member")
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        cur.execute(GROUP_VOLUME)
        rows = cur.fetchall()
        query_seconds = time.perf_counter() - started
    result = np.zeros(n, dtype=np.int64)
    if rows:
        index, value = zip(*rows, strict=True)
        result[np.array(index, dtype=np.int64)] = np.array(value, dtype=np.int64)
    return CteResult(result, load_seconds, query_seconds)
