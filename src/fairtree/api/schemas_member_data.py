"""Request and response bodies of the member-owned data routes: contacts, notes,
goals, help requests, care metrics, policies, closing an account."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictInt

from fairtree.api.params import ID_PATTERN, NO_NUL, ONE_LINE, InputDate

Consent = Literal["opted_in", "unknown", "do_not_contact"]
Mark = Literal["friend", "family", ""]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE)]
ShortText = Annotated[str, Field(max_length=254, pattern=ONE_LINE)]
Phone = Annotated[str, Field(max_length=50, pattern=ONE_LINE)]
Topic = Annotated[str, Field(min_length=1, max_length=60, pattern=ONE_LINE)]
Body = Annotated[str, Field(min_length=1, max_length=10_000, pattern=NO_NUL)]


class ContactIn(BaseModel):
    name: Name
    email: ShortText | None = None
    phone: Phone | None = None
    consent: Consent = "unknown"
    relationship_mark: Mark | None = None


class ContactPatch(BaseModel):
    name: Name | None = None
    email: ShortText | None = None
    phone: Phone | None = None
    consent: Consent | None = None
    relationship_mark: Mark | None = None


class ContactOut(BaseModel):
    id: int
    name: str
    email: str | None
    phone: str | None
    consent: str
    relationship_mark: str | None
    created_on: date


class LeftOutOut(BaseModel):
    consent: str
    count: int
    reason: str


class OutreachOut(BaseModel):
    contacts: list[ContactOut]
    left_out: list[LeftOutOut] = Field(description="contacts left out, per consent state, why")
    left_out_total: int


class CustomerIn(BaseModel):
    name: Name
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class CustomerPatch(BaseModel):
    name: Name | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


class NoteIn(BaseModel):
    body: Body
    about_customer_id: Annotated[str, Field(pattern=ID_PATTERN)] | None = None
    about_contact_id: Annotated[StrictInt, Field(ge=1, le=2_147_483_647)] | None = None


class NoteOut(BaseModel):
    id: int
    body: str
    about_customer_id: str | None
    about_contact_id: int | None
    created_at: datetime
    updated_at: datetime


class GoalIn(BaseModel):
    title: Name
    metric: Literal["personal_volume", "retail_customers", "retail_sales"]
    target: Annotated[str, Field(min_length=1, max_length=30, pattern=ONE_LINE)] = Field(
        description="points (personal_volume), a count, or an amount in your currency"
    )
    starts_on: InputDate
    due_on: InputDate


class GoalOut(BaseModel):
    id: int
    title: str
    metric: str
    starts_on: date
    due_on: date
    target: str
    current: str = Field(description="measured from your own data up to today or the due date")
    percent: str
    status: Literal["achieved", "in_progress", "missed"]
    days_left: int


class HelpRequestIn(BaseModel):
    helper_kind: Literal["sponsor", "upline", "mentor", "company"]
    helper_member_id: Annotated[str, Field(pattern=ID_PATTERN)] | None = None
    subject: Name
    body: Body


class MessageIn(BaseModel):
    body: Body


class MessageOut(BaseModel):
    from_asker: bool
    body: str
    created_at: datetime


class HelpRequestOut(BaseModel):
    id: int
    asker_member_id: str
    helper_kind: str
    helper_member_id: str | None
    subject: str
    state: str
    created_at: datetime
    first_answered_at: datetime | None
    closed_at: datetime | None
    messages: list[MessageOut]


class MentoringIn(BaseModel):
    topics: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=60, pattern=ONE_LINE)]],
        Field(min_length=1, max_length=20),
    ]


class MentorOut(BaseModel):
    member_id: str
    display_name: str
    topics: list[str]


class RetentionOut(BaseModel):
    months: int
    eligible: int = Field(description="sponsored members who joined at least this long ago")
    still_active: int
    share: str | None = Field(description="percent; null while nobody is eligible")


class CareOut(BaseModel):
    member_id: str
    as_of: date
    answered_requests: int
    unanswered_requests: int
    median_first_answer_seconds: float | None
    personally_sponsored: int
    retention: list[RetentionOut]
    cohort_note: str
    team_size: int
    team_earning_more_than_spent: str | None
    team_earning_note: str


class ClauseOut(BaseModel):
    number: int
    kind: Literal["obligation", "suggestion"]
    title: str
    text: str


class PolicyOut(BaseModel):
    version: str
    effective_from: date
    published_at: datetime
    obligations: list[ClauseOut]
    suggestions: list[ClauseOut]
    acknowledged_at: datetime | None


class PolicyIn(BaseModel):
    version: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
    effective_from: InputDate
    text: Annotated[str, Field(min_length=1, max_length=200_000, pattern=NO_NUL)]
    reason: Annotated[
        str,
        Field(min_length=1, max_length=500, pattern=ONE_LINE, description="kept in the audit log"),
    ]


class PolicyVersionOut(BaseModel):
    version: str
    effective_from: date
    published_at: datetime


class CloseIn(BaseModel):
    password: Annotated[str, Field(min_length=1, max_length=256)]
    confirm: Literal["close my account"]


class ClosedOut(BaseModel):
    member_id: str
    label: str
    deleted: dict[str, int]
    customers_anonymised: int
