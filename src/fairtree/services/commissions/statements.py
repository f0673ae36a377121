"""A member's statement for a period: every line with its derivation, and the balance.

Commission lines are explained by re-running the engine's trace over the facts the run
saw (orders up to the run's ``orders_through_id``, the run's plan version); adjustment
lines by the trace of the corrected period with today's facts, beside what was paid
before. Rendered as HTML (Jinja2, autoescaped) or CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from fairtree.engine.explain import explain_member
from fairtree.engine.inputs import EngineInput
from fairtree.engine.trace import TraceLine
from fairtree.errors import NotFoundError
from fairtree.ledger.accounts import Account, member_owed
from fairtree.money import format_amount
from fairtree.periods import Period
from fairtree.plans.load import PlanDocument
from fairtree.services.access.authorization import visible_names
from fairtree.services.access.principal import Principal
from fairtree.services.commissions.close import carry_in_for, facts_read, plan_document
from fairtree.services.step_times import step
from fairtree.store.models import CommissionRun, Member
from fairtree.store.repositories import company as company_repo
from fairtree.store.repositories.bulk import downline_facts, engine_arrays
from fairtree.store.repositories.commissions import ledger, runs
from fairtree.store.repositories.network import members as members_repo

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
EXPLANATION_PAGE = 200  # lines of one line's explanation a page shows at once
CSV_COLUMNS = ("period", "member_id", "bonus", "kind", "amount", "currency", "corrects", "reason")


@dataclass(frozen=True)
class StatementLine:
    bonus_id: str
    kind: str
    amount: int
    reference: str
    explanation: list[str]
    corrects_period: str | None = None
    reason: str | None = None
    explanation_length: int = 0  # lines of the whole explanation (``explanation`` may be a part)


@dataclass(frozen=True)
class Statement:
    period_key: str
    member_id: str
    display_name: str
    status: str
    currency: str
    lines: list[StatementLine]
    owed: int  # what the company owes the member now, net of clawbacks
    carried_claw: int  # part of that the member owes back (>= 0)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


# Bonus kinds whose pay for a member is decided inside the member's downline (sponsor
# and placement trees), each checked against the whole period for every member of a
# company (tests/db/test_statement_from_downline.py): a statement explains them from the
# downline alone. A plan with any other kind (a company-wide pool; parties, whose guests
# buy anywhere; stairstep, whose trace was seen to differ) is explained from the whole
# period, as the close evaluated it.
DOWNLINE_KINDS = frozenset({"unilevel", "matching", "binary", "matrix", "fast_start"})


def explained_from_downline(document: PlanDocument, period: Period) -> bool:
    """True when every bonus of the plan in force is downline-local (DOWNLINE_KINDS)
    and the plan reads no order kinds or lines by product (the downline read has
    neither)."""
    plan = document.for_date(period.start)
    if plan.names_order_kinds or plan.pays_on_products:
        return False
    return all(bonus.kind in DOWNLINE_KINDS for bonus in plan.bonuses)


def member_traces(
    session: Session,
    run: CommissionRun,
    period: Period,
    member: Member,
    through: int,
    whole_period: bool = False,
) -> dict[str, TraceLine]:
    """The member's trace lines of ``run``: evaluated over the member's downline when the
    plan allows (``explained_from_downline``), else over the whole period."""
    version = company_repo.plan_version_by_pk(session, run.plan_version_id)
    assert version is not None
    document = plan_document(version)
    company = company_repo.the_company(session)
    placement = company.placement != "none"
    if whole_period or not explained_from_downline(document, period):
        with step(session, "statement_load_period"):
            facts = engine_arrays.load_period_facts(
                session, period, through, placement=placement, reads=facts_read(document, period)
            )
    else:
        with step(session, "statement_load_downline"):
            facts = downline_facts.load_downline_facts(
                session, period, member.id, through, placement=placement
            )
    with step(session, "statement_carry_in"):
        carry_in = carry_in_for(session, company, period, facts.member_db_ids)
    inputs = EngineInput(
        facts.inputs.members, facts.inputs.orders, facts.inputs.parties, carry_in=carry_in
    )
    member_id = str(member.member_id)
    with step(session, "statement_explain"):
        return {t.bonus_id: t for t in explain_member(inputs, document, period, member_id)}


def member_statement(
    session: Session,
    period_key: str,
    member_id: str,
    whole_period: bool = False,
    *,
    explain: bool = True,
    viewer: Principal | None = None,
    only_line: int | None = None,
    log_session: Session | None = None,
    explanation_lines: slice | None = None,
) -> Statement:
    """The member's lines of the period's run (finalized, else draft), each explained.

    ``whole_period`` explains from the whole period's facts instead of the member's
    downline (the two agree; tests compare them). ``explain=False`` reads the lines
    alone (no trace: never the downline's or the period's facts), as a statement page
    shows them before a line is opened; ``only_line`` explains that line only. With a
    ``viewer``, members the explanations name are shown with their display names where
    the viewer may see them (``authorization.visible_names``), by id otherwise; the
    reads of their names are logged on ``log_session`` when ``session`` is a replica.
    ``explanation_lines`` keeps only those lines of each explanation (a page of a top
    earner's, which can name most of the company): only their members are named.
    """
    company = company_repo.the_company(session)
    key = Period.parse(period_key).key
    run = runs.find_run(session, company.id, key, "finalized") or runs.find_run(
        session, company.id, key, "draft"
    )
    if run is None:
        raise NotFoundError(f"no run for period {key}")
    member = members_repo.member_by_external_id(session, member_id)
    if member is None:
        raise NotFoundError(f"no member {member_id!r}")
    rows = runs.line_rows(session, run.id, member.id)
    currency = run.currency
    explained = [
        explain and (only_line is None or number == only_line) for number in range(len(rows))
    ]
    traces: dict[str, TraceLine] = {}
    if any(explained[n] and rows[n][4] == "commission" for n in range(len(rows))):
        traces = member_traces(
            session, run, Period.parse(key), member, run.orders_through_id, whole_period
        )
    corrected: dict[str, dict[str, TraceLine]] = {}
    opened: dict[int, _Opened] = {}
    for number, row in enumerate(rows):
        _, _, _, bonus, kind, amount, _, _, period_corrected, reason = row
        if not explained[number]:
            continue
        if kind == "commission":
            opened[number] = _Opened([], traces.get(bonus), "no trace", explanation_lines)
            continue
        if period_corrected not in corrected:
            earlier = runs.find_run(session, company.id, period_corrected, "finalized")
            assert earlier is not None
            corrected[period_corrected] = member_traces(
                session,
                earlier,
                Period.parse(period_corrected),
                member,
                engine_arrays.NO_LIMIT,
                whole_period,
            )
        trace = corrected[period_corrected].get(bonus)
        now = trace.amount if trace else 0
        head = [
            f"{period_corrected} recomputed: {reason}",
            f"paid before {format_amount(now - int(amount), currency)}, "
            f"now {format_amount(now, currency)}, "
            f"difference {format_amount(int(amount), currency)}",
        ]
        opened[number] = _Opened(head, trace, "now earns nothing here", explanation_lines)
    named = set().union(*(part.member_ids() for part in opened.values()))
    names = _names(session, viewer, named, key, log_session) if viewer and named else None
    lines = []
    for number, row in enumerate(rows):
        _, _, _, bonus, kind, amount, ref, _, period_corrected, reason = row
        explanation: list[str] = []
        length = 0
        if number in opened:
            with step(session, "statement_describe"):
                explanation = opened[number].describe(currency, names)
            length = opened[number].length
        lines.append(
            StatementLine(
                bonus, kind, int(amount), ref, explanation, period_corrected, reason, length
            )
        )
    balances = ledger.balances(session, member.id)
    payable = balances.get((Account.MEMBER_PAYABLE.value, member.id), 0)
    receivable = balances.get((Account.CLAWBACK_RECEIVABLE.value, member.id), 0)
    notes = []
    if receivable > 0:
        notes.append(
            f"{format_amount(receivable, currency)} {currency} is owed back from corrections "
            "that exceeded earnings; it is carried and settled from future earnings."
        )
    return Statement(
        period_key=key,
        member_id=member_id,
        display_name=member.display_name,
        status=run.status,
        currency=currency,
        lines=lines,
        owed=member_owed(payable, receivable),
        carried_claw=max(receivable, 0),
        notes=notes,
    )


@dataclass(frozen=True)
class _Opened:
    """An explained line: its own first lines (an adjustment's), the trace (or the
    line said when there is none), and the part of the whole that is shown."""

    head: list[str]
    trace: TraceLine | None
    otherwise: str
    lines: slice | None

    @property
    def length(self) -> int:
        return len(self.head) + (self.trace.line_count() if self.trace else 1)

    def _trace_part(self) -> slice | None:
        """``lines`` counted from the trace's first line."""
        if self.lines is None:
            return None
        start, stop, _ = self.lines.indices(self.length)
        return slice(max(start - len(self.head), 0), max(stop - len(self.head), 0))

    def member_ids(self) -> set[str]:
        return self.trace.member_ids(self._trace_part()) if self.trace else set()

    def describe(self, currency: str, names: dict[str, str] | None) -> list[str]:
        head = self.head
        if self.lines is not None:
            start, stop, _ = self.lines.indices(self.length)
            head = head[start:stop]
        if self.trace is None:
            return head + [self.otherwise][self._trace_part() or slice(None)]
        return head + self.trace.describe(currency, names, self._trace_part())


def _names(
    session: Session,
    viewer: Principal,
    ids: set[str],
    period_key: str,
    log_session: Session | None,
) -> dict[str, str]:
    """Display names of the members ``ids`` whom the viewer may see (each shown name
    logged as a read of that member's team data)."""
    with step(session, "statement_names"):
        return visible_names(session, viewer, ids, f"statement:{period_key}"[:128], log_session)


def render_html(statement: Statement) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.filters["money"] = lambda amount: format_amount(amount, statement.currency)
    return environment.get_template("statement.html").render(statement=statement)


def render_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in statement.lines:
        writer.writerow(
            [
                statement.period_key,
                statement.member_id,
                line.bonus_id,
                line.kind,
                format_amount(line.amount, statement.currency),
                statement.currency,
                line.corrects_period or "",
                line.reason or "",
            ]
        )
    return out.getvalue()
