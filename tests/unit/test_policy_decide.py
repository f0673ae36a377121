"""The policy's rule table, checked cell by cell against the decision record."""

from __future__ import annotations

import pytest

from fairtree.services.access.authorization import (
    GRANTABLE,
    DataKind,
    Outcome,
    Relationship,
    decide,
)

R = Relationship
K = DataKind
PRIVATE = [K.PROFILE, K.ORDERS, K.CUSTOMERS, K.CONTACTS, K.NOTES, K.GOALS]


@pytest.mark.parametrize("kind", list(DataKind))
def test_self_may_read_and_write_everything(kind: DataKind) -> None:
    assert decide(R.SELF, kind) is Outcome.ALLOW
    assert decide(R.SELF, kind, write=True) is Outcome.ALLOW


@pytest.mark.parametrize("relationship", [R.SPONSOR, R.UPLINE])
def test_uplines_see_the_team_view_and_nothing_private(relationship: Relationship) -> None:
    assert decide(relationship, K.TEAM) is Outcome.ALLOW
    for kind in [*PRIVATE, K.ACCESS_LOG, K.GRANTS, K.DIRECTORY]:
        assert decide(relationship, kind) is Outcome.DENY, kind


@pytest.mark.parametrize("relationship", [R.DOWNLINE, R.CROSSLINE])
def test_downline_and_crossline_see_nothing_without_a_grant(relationship: Relationship) -> None:
    for kind in DataKind:
        if relationship is R.DOWNLINE and kind is K.CARE:
            continue  # a leader's own team sees how the leader supports them
        assert decide(relationship, kind) is Outcome.DENY, kind


def test_care_metrics_are_for_the_leader_their_team_and_staff() -> None:
    assert decide(R.SELF, K.CARE) is Outcome.ALLOW
    assert decide(R.DOWNLINE, K.CARE) is Outcome.ALLOW
    assert decide(R.ADMIN, K.CARE) is Outcome.ALLOW
    assert decide(R.SUPPORT, K.CARE) is Outcome.ALLOW
    for relationship in (R.SPONSOR, R.UPLINE, R.CROSSLINE, R.ANONYMOUS):
        assert decide(relationship, K.CARE) is Outcome.DENY, relationship
    assert decide(R.CROSSLINE, K.CARE, granted=frozenset({K.CARE})) is Outcome.ALLOW
    assert decide(R.DOWNLINE, K.CARE, write=True) is Outcome.DENY


@pytest.mark.parametrize("relationship", [R.UPLINE, R.CROSSLINE, R.DOWNLINE])
def test_a_grant_opens_exactly_its_kinds_read_only(relationship: Relationship) -> None:
    granted = frozenset({K.CUSTOMERS})
    assert decide(relationship, K.CUSTOMERS, granted=granted) is Outcome.ALLOW
    assert decide(relationship, K.CONTACTS, granted=granted) is Outcome.DENY
    assert decide(relationship, K.CUSTOMERS, granted=granted, write=True) is Outcome.DENY


def test_access_log_and_grants_cannot_be_granted() -> None:
    assert K.ACCESS_LOG not in GRANTABLE and K.GRANTS not in GRANTABLE
    everything = frozenset(DataKind)
    assert decide(R.CROSSLINE, K.ACCESS_LOG, granted=everything) is Outcome.DENY


@pytest.mark.parametrize("relationship", [R.ADMIN, R.SUPPORT])
def test_staff_need_a_reason_for_private_data(relationship: Relationship) -> None:
    assert decide(relationship, K.TEAM) is Outcome.ALLOW
    assert decide(relationship, K.DIRECTORY) is Outcome.ALLOW
    for kind in [*PRIVATE, K.ACCESS_LOG]:
        if relationship is R.SUPPORT and kind in (K.CONTACTS, K.CUSTOMERS):
            continue  # never for support: below
        assert decide(relationship, kind) is Outcome.NEED_REASON
        assert decide(relationship, kind, reason="   ") is Outcome.NEED_REASON
        assert decide(relationship, kind, reason="ticket 42") is Outcome.ALLOW
        assert decide(relationship, kind, reason="ticket 42", write=True) is Outcome.DENY


def test_support_never_reads_contacts_or_customers_whatever_the_reason() -> None:
    for kind in (K.CONTACTS, K.CUSTOMERS):
        assert decide(R.SUPPORT, kind) is Outcome.DENY
        assert decide(R.SUPPORT, kind, reason="ticket 42") is Outcome.DENY
        assert decide(R.ADMIN, kind, reason="ticket 42") is Outcome.ALLOW


def test_anonymous_gets_nothing() -> None:
    for kind in DataKind:
        assert decide(R.ANONYMOUS, kind, granted=frozenset(DataKind)) is Outcome.DENY
