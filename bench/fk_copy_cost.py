"""Benchmark: what foreign keys cost a close's biggest write.

    python bench/fk_copy_cost.py postgresql://postgres@127.0.0.1:5432/postgres [rows]

A close writes one ``rank_history`` row per member (1,000,000 at the benchmark size),
referencing ``members`` and ``commission_runs``. This script copies the same rows into
four tables in a scratch database (created and dropped here) that differ only in their
foreign keys and secondary index, and prints one JSON line with the seconds of each
``COPY`` (and its commit). PostgreSQL checks a foreign key with one query per row, which
also takes a share lock on the referenced row, so every member row is written to.
"""

from __future__ import annotations

import json
import sys
import time

import psycopg

SCRATCH = "fairtree_fk_copy_cost"
TABLE = """CREATE TABLE {name} (
    run_id bigint {run_fk}, member_id bigint {member_fk}, period_key varchar(32),
    paid_as_rank smallint, highest_rank smallint, pv bigint, group_volume bigint,
    PRIMARY KEY (run_id, member_id))"""
VARIANTS = {
    "foreign_keys_and_index": (True, True),
    "index_only": (False, True),
    "foreign_keys_only": (True, False),
    "neither": (False, False),
}


def main() -> None:
    url = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {SCRATCH}")
    scratch = psycopg.conninfo.make_conninfo(url, dbname=SCRATCH)
    seconds: dict[str, float] = {}
    try:
        with psycopg.connect(scratch) as connection:
            connection.execute("CREATE TABLE members (id bigint PRIMARY KEY)")
            connection.execute("INSERT INTO members SELECT generate_series(1, %s)", (rows,))
            connection.execute("CREATE TABLE runs (id bigint PRIMARY KEY)")
            connection.execute("INSERT INTO runs SELECT generate_series(1, 10)")
            connection.commit()
            for run, (name, (keys, index)) in enumerate(VARIANTS.items(), start=1):
                connection.execute(
                    TABLE.format(
                        name=name,
                        run_fk="REFERENCES runs (id)" if keys else "",
                        member_fk="REFERENCES members (id)" if keys else "",
                    )
                )
                if index:
                    connection.execute(f"CREATE INDEX ON {name} (member_id, period_key)")
                connection.commit()
                data = "".join(f"{run},{i},2026-03,1,2,{i * 3},{i * 7}\n" for i in range(1, rows))
                started = time.perf_counter()
                with connection.cursor().copy(f"COPY {name} FROM STDIN (FORMAT csv)") as copy:
                    copy.write(data)
                connection.commit()
                seconds[name] = round(time.perf_counter() - started, 2)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
    print(json.dumps({"benchmark": "fk_copy_cost", "rows": rows, "copy_seconds": seconds}))


if __name__ == "__main__":
    main()
