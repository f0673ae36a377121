"""PostgreSQL: the keys of a close's and a finalize's bulk rows are checked once per
statement instead of once per row.

A close writes one ``rank_history`` row per member and one ``payout_lines`` row per
paid member and bonus; a finalize posts one ``ledger_entries`` row per line. A foreign
key makes PostgreSQL run one lookup per written row, which also locks the referenced
row (FOR KEY SHARE): measured at 1,000,000 rank rows, the foreign keys made the ``COPY``
several times slower than the same ``COPY`` without them (docs/deployment.md).

On PostgreSQL these foreign keys are replaced by statement triggers over the transition
tables that hold the same rules:

- child side (INSERT, and UPDATE of the rows): after each statement, one anti-join
  of the written rows against the referenced table; a missing key raises
  ``foreign_key_violation`` naming the table, column and value, so the whole statement
  (and the caller's transaction) fails as it would with the foreign key;
- parent side: the referenced ``id`` never changes (a row trigger refuses an UPDATE of
  it); deleting a referenced row is refused (``foreign_key_violation``) after the
  statement, except that deleting a commission run deletes its rank rows and lines
  (the old ``ON DELETE CASCADE``);
- concurrency: every writer of these rows holds the company row lock
  (``lock_company``: the close, finalize, corrections, payouts). The one delete
  that could race with them, of a member, first takes that row FOR SHARE, so it waits
  for a running close or finalize and then sees its rows; a close that runs after such
  a delete no longer reads the member.

SQLite keeps its foreign keys: it checks each with an index probe inside the insert,
cheap next to the row itself.

Revision ID: 0015_keys_checked_per_statement
Revises: 0014_member_search_trigrams
Create Date: 2026-12-07 05:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_keys_checked_per_statement"
down_revision: str | None = "0014_member_search_trigrams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (child table, column, parent table, on delete of the parent)
KEYS = (
    ("rank_history", "run_id", "commission_runs", "CASCADE"),
    ("rank_history", "member_id", "members", None),
    ("payout_lines", "run_id", "commission_runs", "CASCADE"),
    ("payout_lines", "member_id", "members", None),
    ("ledger_entries", "member_id", "members", None),
    ("ledger_entries", "payout_line_id", "payout_lines", None),
    ("ledger_entries", "transaction_id", "ledger_transactions", None),
)
CHILDREN = sorted({child for child, _, _, _ in KEYS})
PARENTS = sorted({parent for _, _, parent, _ in KEYS})

# Arguments: column, parent table, column, parent table, ...
CHILD_CHECK = """
CREATE OR REPLACE FUNCTION keys_of_written_rows() RETURNS trigger AS $$
DECLARE
    i integer := 0;
    missing bigint;
BEGIN
    WHILE i < TG_NARGS LOOP
        EXECUTE format(
            'SELECT n.%1$I FROM new_rows n WHERE n.%1$I IS NOT NULL'
            ' AND NOT EXISTS (SELECT 1 FROM %2$I p WHERE p.id = n.%1$I) LIMIT 1',
            TG_ARGV[i], TG_ARGV[i + 1]) INTO missing;
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'insert or update on table "%" violates foreign key: %=% is not in %',
                TG_TABLE_NAME, TG_ARGV[i], missing, TG_ARGV[i + 1]
                USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
        END IF;
        i := i + 2;
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

# Arguments: child table, column, on delete ('CASCADE' or 'RESTRICT'), ...
PARENT_CHECK = """
CREATE OR REPLACE FUNCTION keys_of_deleted_rows() RETURNS trigger AS $$
DECLARE
    i integer := 0;
    referenced bigint;
BEGIN
    IF TG_TABLE_NAME = 'members' THEN
        -- wait for a close or finalize writing rows of these members, then see them
        PERFORM 1 FROM companies FOR SHARE;
    END IF;
    WHILE i < TG_NARGS LOOP
        IF TG_ARGV[i + 2] = 'CASCADE' THEN
            EXECUTE format(
                'DELETE FROM %1$I c USING old_rows o WHERE c.%2$I = o.id',
                TG_ARGV[i], TG_ARGV[i + 1]);
        ELSE
            EXECUTE format(
                'SELECT c.%2$I FROM %1$I c JOIN old_rows o ON c.%2$I = o.id LIMIT 1',
                TG_ARGV[i], TG_ARGV[i + 1]) INTO referenced;
            IF referenced IS NOT NULL THEN
                RAISE EXCEPTION
                    'delete on table "%" violates foreign key: id=% is still referenced from %.%',
                    TG_TABLE_NAME, referenced, TG_ARGV[i], TG_ARGV[i + 1]
                    USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
            END IF;
        END IF;
        i := i + 3;
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

KEY_UNCHANGED = """
CREATE OR REPLACE FUNCTION referenced_id_unchanged() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'update of %.id refused: rows of % reference it', TG_TABLE_NAME,
        TG_ARGV[0] USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
"""


def _fk_name(child: str, column: str, parent: str) -> str:
    return f"fk_{child}_{column}_{parent}"


def _quoted(values: list[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for child, column, parent, _ in KEYS:
        op.drop_constraint(_fk_name(child, column, parent), child, type_="foreignkey")
    op.execute(CHILD_CHECK)
    op.execute(PARENT_CHECK)
    op.execute(KEY_UNCHANGED)
    for child in CHILDREN:
        arguments = [value for c, col, p, _ in KEYS if c == child for value in (col, p)]
        for event, transition in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ):
            op.execute(
                f"CREATE TRIGGER {child}_keys_{event.lower()} AFTER {event} ON {child}"
                f" REFERENCING {transition} FOR EACH STATEMENT"
                f" EXECUTE FUNCTION keys_of_written_rows({_quoted(arguments)})"
            )
    for parent in PARENTS:
        arguments = [
            value
            for c, col, p, rule in KEYS
            if p == parent
            for value in (c, col, rule or "RESTRICT")
        ]
        op.execute(
            f"CREATE TRIGGER {parent}_keys_delete AFTER DELETE ON {parent}"
            " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"
            f" EXECUTE FUNCTION keys_of_deleted_rows({_quoted(arguments)})"
        )
        children = sorted({c for c, _, p, _ in KEYS if p == parent})
        op.execute(
            f"CREATE TRIGGER {parent}_id_unchanged BEFORE UPDATE OF id ON {parent}"
            " FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)"
            f" EXECUTE FUNCTION referenced_id_unchanged('{', '.join(children)}')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for parent in PARENTS:
        op.execute(f"DROP TRIGGER IF EXISTS {parent}_id_unchanged ON {parent}")
        op.execute(f"DROP TRIGGER IF EXISTS {parent}_keys_delete ON {parent}")
    for child in CHILDREN:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {child}_keys_{event} ON {child}")
    op.execute("DROP FUNCTION IF EXISTS referenced_id_unchanged()")
    op.execute("DROP FUNCTION IF EXISTS keys_of_deleted_rows()")
    op.execute("DROP FUNCTION IF EXISTS keys_of_written_rows()")
    for child, column, parent, rule in KEYS:
        op.create_foreign_key(
            _fk_name(child, column, parent),
            child,
            parent,
            [column],
            ["id"],
            ondelete=rule,
        )
