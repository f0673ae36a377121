"""Run guards: finalized runs immutable in the database, the exchange-rate snapshot stored
with the run, and each member's status kept in the dated genealogy history.

1. Triggers refuse UPDATE and DELETE of a finalized ``commission_runs`` row (the one
   allowed change of status is draft -> finalized, and a run is never inserted as
   finalized), and INSERT, UPDATE and DELETE of the rows written with a finalized run
   (``payout_lines``, ``run_bonus_totals``, ``rank_history``, ``run_carry_values``,
   ``run_exchange_rates``). Every refusal names the run and its period, e.g.
   ``commission run 7 (period 2026-03) is finalized: DELETE from payout_lines refused``.

   PostgreSQL: row triggers on ``commission_runs``; statement triggers with transition
   tables on the other tables, so a close that writes a million rows checks them with
   one query instead of a function call per row. The exception is DELETE on
   ``payout_lines``: a finalized line is referenced by its ledger entry, whose foreign
   key is checked before statement triggers run, so a row trigger (a primary-key lookup
   per deleted line, paid when a draft is replaced) refuses first and names the run.
   SQLite: row triggers with a ``WHEN`` clause (one primary-key lookup per row).
   SQLite before 3.46 takes only a literal as the message of ``RAISE()``, so each
   SQLite trigger first fails through ``json_extract('{}', <message>)``, whose error
   quotes the message as the bad JSON path (``JSON path error near '<message>'``, or
   ``bad JSON path: '<message>'`` on newer versions); a literal ``RAISE(ABORT, ...)``
   follows as a backstop.

2. ``run_exchange_rates``: (run, currency, rate as an exact Decimal string, captured_at),
   written when the run is finalized; payout batches convert at it.

3. ``genealogy_history.status``: the member's status on the row's days, so a close reads
   each member's status as of the period's last day. Backfill from ``members.status``:
   a member whose status is not ``active`` has held it since ``status_since``; before
   that day we record ``active`` (the earlier status is not known; a member is enrolled
   active, and an inactive spell before the current status is not recorded anywhere).
   So a row that spans ``status_since`` is split there: the part before keeps
   ``active``, a new row (reason ``status``) from ``status_since`` carries the current
   status. Rows ending on or before ``status_since`` get ``active``; all others the
   current status. Terminations recorded by ``fairtree terminate`` already start a row
   on ``status_since``, so only imported statuses and account closings are split.
   A downgrade drops the column and leaves the split rows (two rows with the same
   position, which read as one).

Revision ID: 0006_run_guards
Revises: 0005_order_totals
Create Date: 2026-11-22 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_run_guards"
down_revision: str | None = "0005_order_totals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUN_ROWS = (
    "payout_lines",
    "run_bonus_totals",
    "rank_history",
    "run_carry_values",
    "run_exchange_rates",
)
STATUSES = "status IN ('active', 'inactive', 'terminated', 'closed')"
CURRENT_INDEX = "uq_genealogy_history_current"

# --- PostgreSQL -------------------------------------------------------------------

PG_RUN_GUARD = """
CREATE OR REPLACE FUNCTION commission_runs_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'finalized' THEN
            RAISE EXCEPTION 'commission run % (period %): %', NEW.id, NEW.period_key,
                'INSERT as finalized refused (a run starts as a draft)'
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.status = 'finalized' THEN
        RAISE EXCEPTION 'commission run % (period %) is finalized: % refused',
            OLD.id, OLD.period_key, TG_OP USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""

# One query per statement over the transition tables (new_rows / old_rows).
PG_ROWS_GUARD = """
CREATE OR REPLACE FUNCTION run_rows_guard() RETURNS trigger AS $$
DECLARE
    refused_run integer;
    refused_period text;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT r.id, r.period_key INTO refused_run, refused_period
        FROM commission_runs r
        WHERE r.status = 'finalized' AND r.id IN (SELECT n.run_id FROM new_rows n)
        ORDER BY r.id LIMIT 1;
    END IF;
    IF refused_run IS NULL AND TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT r.id, r.period_key INTO refused_run, refused_period
        FROM commission_runs r
        WHERE r.status = 'finalized' AND r.id IN (SELECT o.run_id FROM old_rows o)
        ORDER BY r.id LIMIT 1;
    END IF;
    IF refused_run IS NOT NULL THEN
        RAISE EXCEPTION 'commission run % (period %) is finalized: % % % refused',
            refused_run, refused_period, TG_OP,
            CASE TG_OP WHEN 'INSERT' THEN 'into' WHEN 'UPDATE' THEN 'of' ELSE 'from' END,
            TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

# Deleting a line posted to the ledger would first break the ledger entry's foreign key
# (checked before statement triggers run); a row trigger names the run instead.
PG_LINE_DELETE_GUARD = """
CREATE OR REPLACE FUNCTION payout_lines_delete_guard() RETURNS trigger AS $$
DECLARE
    refused_period text;
BEGIN
    SELECT r.period_key INTO refused_period
    FROM commission_runs r WHERE r.id = OLD.run_id AND r.status = 'finalized';
    IF FOUND THEN
        RAISE EXCEPTION 'commission run % (period %) is finalized: % refused',
            OLD.run_id, refused_period, 'DELETE from payout_lines'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql
"""

_TRANSITIONS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


def _pg_upgrade() -> None:
    op.execute(PG_RUN_GUARD)
    op.execute(
        "CREATE TRIGGER commission_runs_guard BEFORE INSERT OR UPDATE OR DELETE"
        " ON commission_runs FOR EACH ROW EXECUTE FUNCTION commission_runs_guard()"
    )
    op.execute(PG_ROWS_GUARD)
    op.execute(PG_LINE_DELETE_GUARD)
    for table in RUN_ROWS:
        for event, transition in _TRANSITIONS.items():
            if (table, event) == ("payout_lines", "DELETE"):
                op.execute(
                    "CREATE TRIGGER payout_lines_guard_delete BEFORE DELETE ON payout_lines"
                    " FOR EACH ROW EXECUTE FUNCTION payout_lines_delete_guard()"
                )
                continue
            op.execute(
                f"CREATE TRIGGER {table}_guard_{event.lower()} AFTER {event} ON {table}"
                f" REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION run_rows_guard()"
            )


def _pg_downgrade() -> None:
    for table in RUN_ROWS:
        for event in _TRANSITIONS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_guard_{event.lower()} ON {table}")
    op.execute("DROP TRIGGER IF EXISTS commission_runs_guard ON commission_runs")
    op.execute("DROP FUNCTION IF EXISTS payout_lines_delete_guard()")
    op.execute("DROP FUNCTION IF EXISTS run_rows_guard()")
    op.execute("DROP FUNCTION IF EXISTS commission_runs_guard()")


# --- SQLite -----------------------------------------------------------------------


def _sqlite_refusal(message: str, backstop: str) -> str:
    """Trigger body failing with ``message`` (an SQL text expression); see the docstring."""
    return f"BEGIN SELECT json_extract('{{}}', {message}); SELECT RAISE(ABORT, '{backstop}'); END"


_FINALIZED_LABEL = """(SELECT 'commission run ' || r.id || ' (period ' || r.period_key || ')'
 FROM commission_runs r WHERE r.id = __ROW__.run_id AND r.status = 'finalized')"""


def _finalized_label(row: str) -> str:
    """``commission run N (period P)`` when ``row``'s (NEW/OLD) run is finalized, else NULL."""
    return _FINALIZED_LABEL.replace("__ROW__", row)


def _sqlite_triggers() -> dict[str, str]:
    run = "'commission run ' || OLD.id || ' (period ' || OLD.period_key || ')'"
    triggers = {
        "commission_runs_guard_insert": (
            "BEFORE INSERT ON commission_runs FOR EACH ROW WHEN NEW.status = 'finalized' "
            + _sqlite_refusal(
                "'commission run (period ' || NEW.period_key || '): "
                "INSERT as finalized refused (a run starts as a draft)'",
                "commission run: INSERT as finalized refused (a run starts as a draft)",
            )
        ),
    }
    for event in ("UPDATE", "DELETE"):
        triggers[f"commission_runs_guard_{event.lower()}"] = (
            f"BEFORE {event} ON commission_runs FOR EACH ROW WHEN OLD.status = 'finalized' "
            + _sqlite_refusal(
                f"{run} || ' is finalized: {event} refused'",
                f"commission run is finalized: {event} refused",
            )
        )
    for table in RUN_ROWS:
        for event, rows, word in (
            ("INSERT", ("NEW",), "into"),
            ("UPDATE", ("OLD", "NEW"), "of"),
            ("DELETE", ("OLD",), "from"),
        ):
            label = (
                _finalized_label(rows[0])
                if len(rows) == 1
                else f"COALESCE({', '.join(_finalized_label(r) for r in rows)})"
            )
            triggers[f"{table}_guard_{event.lower()}"] = (
                f"BEFORE {event} ON {table} FOR EACH ROW WHEN {label} IS NOT NULL "
                + _sqlite_refusal(
                    f"{label} || ' is finalized: {event} {word} {table} refused'",
                    f"commission run is finalized: {event} {word} {table} refused",
                )
            )
    return triggers


def _sqlite_upgrade() -> None:
    for name, body in _sqlite_triggers().items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def _sqlite_downgrade() -> None:
    for name in _sqlite_triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


# --- status history ---------------------------------------------------------------

# Rows spanning the day the member's current (non-active) status began.
_SPANNING = """
FROM genealogy_history h JOIN members m ON m.id = h.member_id
WHERE m.status <> 'active' AND h.valid_from < m.status_since
  AND (h.valid_to IS NULL OR h.valid_to > m.status_since)
"""
SPLIT_ROWS = """
INSERT INTO genealogy_history (member_id, sponsor_id, placement_parent_id,
    placement_position, valid_from, valid_to, reason, actor)
SELECT h.member_id, h.sponsor_id, h.placement_parent_id, h.placement_position,
       m.status_since, h.valid_to, 'status', 'migration 0006_run_guards'
__SPANNING__
""".replace("__SPANNING__", _SPANNING)
END_SPLIT_ROWS = """
UPDATE genealogy_history SET valid_to = (
    SELECT m.status_since FROM members m WHERE m.id = genealogy_history.member_id)
WHERE id IN (SELECT h.id __SPANNING__)
""".replace("__SPANNING__", _SPANNING)
BACKFILL_STATUS = """
UPDATE genealogy_history SET status = (
    SELECT CASE WHEN m.status <> 'active' AND genealogy_history.valid_from < m.status_since
                THEN 'active' ELSE m.status END
    FROM members m WHERE m.id = genealogy_history.member_id)
"""


def _drop_current_index() -> None:
    op.drop_index(
        CURRENT_INDEX,
        table_name="genealogy_history",
        sqlite_where=sa.text("valid_to IS NULL"),
        postgresql_where=sa.text("valid_to IS NULL"),
    )


def _create_current_index() -> None:
    op.create_index(
        CURRENT_INDEX,
        "genealogy_history",
        ["member_id"],
        unique=True,
        sqlite_where=sa.text("valid_to IS NULL"),
        postgresql_where=sa.text("valid_to IS NULL"),
    )


def _add_history_status() -> None:
    _drop_current_index()  # the split opens the new row before the old one closes
    with op.batch_alter_table("genealogy_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=12), nullable=True))
    op.execute(SPLIT_ROWS)
    op.execute(END_SPLIT_ROWS)
    op.execute(BACKFILL_STATUS)
    with op.batch_alter_table("genealogy_history", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=sa.String(length=12), nullable=False)
        batch_op.create_check_constraint(op.f("ck_genealogy_history_status"), STATUSES)
    _create_current_index()


def _drop_history_status() -> None:
    _drop_current_index()
    with op.batch_alter_table("genealogy_history", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_genealogy_history_status"), type_="check")
        batch_op.drop_column("status")
    _create_current_index()


def upgrade() -> None:
    op.create_table(
        "run_exchange_rates",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.Column(
            "captured_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["commission_runs.id"],
            name=op.f("fk_run_exchange_rates_run_id_commission_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "currency", name=op.f("pk_run_exchange_rates")),
    )
    _add_history_status()
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_downgrade()
    else:
        _sqlite_downgrade()
    _drop_history_status()
    op.drop_table("run_exchange_rates")
