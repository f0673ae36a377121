"""TRUNCATE guards: PostgreSQL's TRUNCATE fires no UPDATE or DELETE trigger, so the run
guards of 0006_run_guards did not see it. Statement triggers now refuse it:

- on ``commission_runs`` and the rows written with a run (``payout_lines``,
  ``run_bonus_totals``, ``rank_history``, ``run_carry_values``, ``run_exchange_rates``)
  while any run is finalized (the message names the earliest one and its period);
- on the ledger (``ledger_transactions``, ``ledger_entries``) while it holds any entry:
  the ledger is append-only, corrected by new entries, never emptied.

A ``TRUNCATE ... CASCADE`` that reaches one of these tables is refused the same way.
SQLite has no TRUNCATE (its ``DELETE`` without ``WHERE`` already meets the row guards).
Maintenance that must empty a database (a test fixture) sets
``session_replication_role = replica`` for its transaction, which needs a superuser.

Revision ID: 0011_truncate_guards
Revises: 0010_jobs
Create Date: 2026-12-07 03:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_truncate_guards"
down_revision: str | None = "0010_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUN_TABLES = (
    "commission_runs",
    "payout_lines",
    "run_bonus_totals",
    "rank_history",
    "run_carry_values",
    "run_exchange_rates",
)
LEDGER_TABLES = ("ledger_transactions", "ledger_entries")

PG_RUN_TRUNCATE_GUARD = """
CREATE OR REPLACE FUNCTION run_truncate_guard() RETURNS trigger AS $$
DECLARE
    refused_run integer;
    refused_period text;
BEGIN
    SELECT r.id, r.period_key INTO refused_run, refused_period
    FROM commission_runs r WHERE r.status = 'finalized' ORDER BY r.id LIMIT 1;
    IF refused_run IS NOT NULL THEN
        RAISE EXCEPTION 'commission run % (period %) is finalized: TRUNCATE of % refused',
            refused_run, refused_period, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

PG_LEDGER_TRUNCATE_GUARD = """
CREATE OR REPLACE FUNCTION ledger_truncate_guard() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM ledger_entries) OR EXISTS (SELECT 1 FROM ledger_transactions) THEN
        RAISE EXCEPTION 'the ledger is append-only: TRUNCATE of % refused', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(PG_RUN_TRUNCATE_GUARD)
    op.execute(PG_LEDGER_TRUNCATE_GUARD)
    for table in RUN_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_guard_truncate BEFORE TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION run_truncate_guard()"
        )
    for table in LEDGER_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_guard_truncate BEFORE TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION ledger_truncate_guard()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in (*RUN_TABLES, *LEDGER_TABLES):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_guard_truncate ON {table}")
    op.execute("DROP FUNCTION IF EXISTS ledger_truncate_guard()")
    op.execute("DROP FUNCTION IF EXISTS run_truncate_guard()")
