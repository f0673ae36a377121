"""`fairtree bench keys`: what checking references costs a close's biggest write.

A close writes one ``rank_history`` row per member (1,000,000 at the benchmark size),
referencing ``members`` and ``commission_runs``. This benchmark copies the same rows
into tables of a scratch database (created and dropped here) that differ only in how
the references are checked, and emits one JSON line with the seconds of each ``COPY``
(with its commit):

- ``foreign_keys``: two foreign keys, checked by PostgreSQL with one lookup per row,
  each also locking the referenced row (FOR KEY SHARE);
- ``statement_trigger``: the check fairtree uses on PostgreSQL (migration 0015): one
  anti-join of the statement's rows (its transition table) against each referenced
  table, after the statement;
- ``unchecked``: no check at all (the floor).

Each table also has the primary key and the secondary index of ``rank_history``.
"""

from __future__ import annotations

import os
import time
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

SCRATCH = "fairtree_bench_key_checks"
TABLE = """CREATE TABLE {name} (
    run_id bigint {run_fk}, member_id bigint {member_fk}, period_key varchar(32),
    paid_as_rank smallint, highest_rank smallint, pv bigint, group_volume bigint,
    PRIMARY KEY (run_id, member_id))"""
CHECK = """
CREATE FUNCTION check_{name}() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS
               (SELECT 1 FROM members m WHERE m.id = n.member_id)) THEN
        RAISE EXCEPTION 'missing member' USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS
               (SELECT 1 FROM runs r WHERE r.id = n.run_id)) THEN
        RAISE EXCEPTION 'missing run' USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name}_keys AFTER INSERT ON {name} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION check_{name}()"""
VARIANTS = ("foreign_keys", "statement_trigger", "unchecked")


def _libpq(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def run_key_checks(url: str, rows: int) -> dict[str, Any]:
    """Copy ``rows`` rank rows under each way of checking keys; seconds per variant."""
    with psycopg.connect(_libpq(url), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {SCRATCH}")
    seconds: dict[str, float] = {}
    try:
        with psycopg.connect(_libpq(url, SCRATCH)) as connection:
            connection.execute("CREATE TABLE members (id bigint PRIMARY KEY)")
            connection.execute("INSERT INTO members SELECT generate_series(1, %s)", (rows,))
            connection.execute("CREATE TABLE runs (id bigint PRIMARY KEY)")
            connection.execute("INSERT INTO runs SELECT generate_series(1, 10)")
            connection.commit()
            for run, name in enumerate(VARIANTS, start=1):
                keys = name == "foreign_keys"
                connection.execute(
                    TABLE.format(
                        name=name,
                        run_fk="REFERENCES runs (id)" if keys else "",
                        member_fk="REFERENCES members (id)" if keys else "",
                    )
                )
                connection.execute(f"CREATE INDEX ON {name} (member_id, period_key)")
                if name == "statement_trigger":
                    connection.execute(CHECK.format(name=name))
                connection.commit()
                data = "".join(f"{run},{i},2026-03,1,2,{i * 3},{i * 7}\n" for i in range(1, rows))
                started = time.perf_counter()
                with connection.cursor().copy(f"COPY {name} FROM STDIN (FORMAT csv)") as copy:
                    copy.write(data)
                connection.commit()
                seconds[name] = round(time.perf_counter() - started, 2)
    finally:
        with psycopg.connect(_libpq(url), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
    return {
        "benchmark": "key_checks",
        "rows": rows,
        "copy_seconds": seconds,
        "load_average": round(os.getloadavg()[0], 2),
    }
