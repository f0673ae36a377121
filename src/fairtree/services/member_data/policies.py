"""The company's policies and procedures: versions, clauses, acknowledgements.

A version is Markdown. A heading that ends in ``{obligation}`` or ``{suggestion}``
starts a clause; the clause's text runs to the next heading. Headings without a mark
are section titles. So the rules a member must follow and the advice they may take
are told apart in the text itself, and the API and pages show them apart.

```
## 1. Returns {obligation}
Accept returns within 30 days.

## 2. Sharing online {suggestion}
Say you are an independent member.
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fairtree.errors import ConflictError, NotFoundError, Problem, ValidationError
from fairtree.services.access.audit import record_action
from fairtree.services.access.principal import Principal
from fairtree.services.clock import aware, utcnow
from fairtree.store.models import Member, PolicyAcknowledgement, PolicyVersion
from fairtree.store.repositories.member_data import policies as policies_repo

CLAUSE_KINDS = ("obligation", "suggestion")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_MARK = re.compile(r"\{([A-Za-z_]+)\}\s*$")
VERSION_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class Clause:
    number: int
    kind: str  # obligation or suggestion
    title: str
    text: str


@dataclass(frozen=True)
class PolicyView:
    version: str
    effective_from: date
    published_at: datetime
    obligations: list[Clause]
    suggestions: list[Clause]
    acknowledged_at: datetime | None


def parse_clauses(text: str, source: str = "policy") -> list[Clause]:
    """The marked clauses of a policy text, or every problem with their line numbers."""
    clauses: list[Clause] = []
    problems: list[Problem] = []
    current: dict[str, object] | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            clauses.append(
                Clause(
                    number=len(clauses) + 1,
                    kind=str(current["kind"]),
                    title=str(current["title"]),
                    text="\n".join(body).strip(),
                )
            )

    for line_no, line in enumerate(text.splitlines(), start=1):
        heading = _HEADING.match(line)
        if heading is None:
            body.append(line)
            continue
        close()
        current, body = None, []
        mark = _MARK.search(heading.group(2))
        if mark is None:
            continue  # a section title
        kind = mark.group(1).lower()
        title = heading.group(2)[: mark.start()].strip()
        if kind not in CLAUSE_KINDS:
            problems.append(
                Problem(
                    source,
                    f"line {line_no}",
                    "clause",
                    f"mark {{{kind}}} is neither {{obligation}} nor {{suggestion}}",
                )
            )
        elif not title:
            problems.append(Problem(source, f"line {line_no}", "clause", "heading has no title"))
        else:
            current = {"kind": kind, "title": title}
    close()
    if not clauses and not problems:
        problems.append(
            Problem(source, "", "text", "no clause: mark headings {obligation} or {suggestion}")
        )
    if problems:
        raise ValidationError(problems)
    return clauses


def publish(
    session: Session,
    actor: Principal | None,
    version: str,
    effective_from: date,
    text: str,
    reason: str,
) -> PolicyVersion:
    """Publish a new version (audited with the reason); versions are never edited."""
    if not reason.strip():
        raise ValidationError([Problem("policy", version[:64], "reason", "is required")])
    if not VERSION_PATTERN.match(version):
        raise ValidationError(
            [Problem("policy", version[:64], "version", "use 1-64 of A-Z a-z 0-9 . _ -")]
        )
    clauses = parse_clauses(text, source=f"policy {version}")
    if policies_repo.version_named(session, version) is not None:
        raise ConflictError(f"policy version {version!r} exists; publish a new version")
    record = PolicyVersion(
        version=version,
        effective_from=effective_from,
        text=text,
        published_at=utcnow(),
        published_by_user_id=actor.user_id if actor else None,
    )
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        raise ConflictError(f"policy version {version!r} exists") from None
    record_action(
        session,
        actor,
        action="policy_published",
        subject_kind="policy",
        subject_id=version,
        reason=reason.strip(),
        after={
            "effective_from": effective_from.isoformat(),
            "obligations": sum(c.kind == "obligation" for c in clauses),
            "suggestions": sum(c.kind == "suggestion" for c in clauses),
        },
    )
    return record


def _view(session: Session, record: PolicyVersion, member: Member | None) -> PolicyView:
    clauses = parse_clauses(record.text, source=f"policy {record.version}")
    ack = policies_repo.acknowledgement(session, member.id, record.id) if member else None
    return PolicyView(
        version=record.version,
        effective_from=record.effective_from,
        published_at=aware(record.published_at),
        obligations=[c for c in clauses if c.kind == "obligation"],
        suggestions=[c for c in clauses if c.kind == "suggestion"],
        acknowledged_at=aware(ack.acknowledged_at) if ack else None,
    )


def in_force(session: Session, on: date, member: Member | None = None) -> PolicyView:
    record = policies_repo.version_in_force(session, on)
    if record is None:
        raise NotFoundError(f"no policy version in force on {on.isoformat()}")
    return _view(session, record, member)


def versions(session: Session) -> list[PolicyVersion]:
    return policies_repo.all_versions(session)


def acknowledge(session: Session, member: Member, version: str, on: date) -> PolicyView:
    """The member acknowledges a version that is in force (or was); once per version."""
    record = policies_repo.version_named(session, version)
    if record is None or record.effective_from > on:
        raise NotFoundError(f"no policy version {version!r} in force")
    if policies_repo.acknowledgement(session, member.id, record.id) is None:
        try:
            with session.begin_nested():
                session.add(
                    PolicyAcknowledgement(
                        member_id=member.id, policy_version_id=record.id, acknowledged_at=utcnow()
                    )
                )
                session.flush()
        except IntegrityError:
            pass  # a concurrent request acknowledged it first; the first time stands
    return _view(session, record, member)


def acknowledgements(session: Session, member: Member) -> list[tuple[str, datetime]]:
    return [
        (version, aware(ack.acknowledged_at))
        for ack, version in policies_repo.acknowledgements_of(session, member.id)
    ]
