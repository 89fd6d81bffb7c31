"""/api/v1/groups, /api/v1/events: groups and clubs with their members and sessions, and events (issue 13).

Reading needs `view_casework`, recording `record_services` (a department-bound role: its departments' groups
and events only; see activities/queries.py). Members are listed only among the people the actor may see.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.roles import Perm
from opora.activities import actions, queries
from opora.activities.models import Event, Group, GroupMember, Session, TaxiTrip
from opora.activities.rules import Destination, EventKind, GroupKind
from opora.api.v1.common import (
    Amount,
    Body,
    Day,
    Id,
    Money,
    Page,
    PageBase,
    PageSize,
    actor_of,
    answers,
    named,
    need,
    organisation_for_write,
    paginate,
    run,
)
from opora.org.models import Department
from opora.org.queries import get_department_for, get_employee_for
from opora.people.models import Recipient
from opora.people.queries import get_recipient_for

router = Router(tags=["activities"])

GroupKindCode = Literal["club", "class", "university", "project", "school", "other"]
EventKindCode = Literal["holiday", "excursion", "exhibition", "sport", "seminar", "consultation", "campaign",
                        "other"]
assert set(GroupKindCode.__args__) == set(GroupKind.values)  # type: ignore[attr-defined]
assert set(EventKindCode.__args__) == set(EventKind.values)  # type: ignore[attr-defined]


class GroupOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    code: str
    name: str
    kind: str
    department_id: int | None
    start: datetime.date | None
    end: datetime.date | None
    members: int = Field(..., alias="member_count")


class GroupPage(PageBase):
    results: list[GroupOut]


class GroupIn(Body):
    organisation: str | None = None
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=300)
    kind: GroupKindCode
    department_id: Id | None = None
    start: Day | None = None
    end: Day | None = None


class MemberOut(Schema):
    id: int
    recipient_id: int
    full_name: str = Field(..., alias="recipient.full_name")
    joined_on: datetime.date | None
    left_on: datetime.date | None


class MemberIn(Body):
    recipient_id: Id
    joined_on: Day | None = None
    left_on: Day | None = None


class SessionOut(Schema):
    id: int
    group_id: int
    date: datetime.date
    attendance: int
    topic: str


class SessionIn(Body):
    date: Day
    attendance: int = Field(..., ge=0, le=1_000_000)
    topic: str = Field("", max_length=500)


class EventOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    code: str
    date: datetime.date
    name: str
    kind: str
    department_id: int | None
    participants: int


class EventPage(PageBase):
    results: list[EventOut]


class EventIn(Body):
    organisation: str | None = None
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    date: Day
    name: str = Field(..., min_length=1, max_length=500)
    kind: EventKindCode
    department_id: Id | None = None
    participants: int = Field(..., ge=0, le=1_000_000)


def _department(request: HttpRequest, pk: Id | None, organisation_id: int) -> Department | None:
    if pk is None:
        return None
    return named(lambda: get_department_for(actor_of(request), pk), "department_id", _("Unknown department."),
                 organisation_id)


def _groups(request: HttpRequest) -> QuerySet[Group]:
    return (queries.groups_for(actor_of(request)).select_related("organisation")
            .annotate(member_count=Count("members")))


@router.get("/groups", response=answers(GroupPage))
def list_groups(request: HttpRequest, kind: GroupKindCode | None = None, page: Page = 1,
                page_size: PageSize = 50) -> dict[str, Any]:
    need(actor_of(request), Perm.VIEW_CASEWORK)
    qs = _groups(request)
    if kind:
        qs = qs.filter(kind=kind)
    return paginate(qs, page, page_size)


@router.get("/groups/{group_id}", response=answers(GroupOut))
def get_group(request: HttpRequest, group_id: int) -> Group:
    queries.get_group_for(actor_of(request), group_id)
    return _groups(request).get(pk=group_id)


@router.post("/groups", response=answers(GroupOut, 201))
def create_group(request: HttpRequest, body: GroupIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.RECORD_SERVICES)
    data["department"] = _department(request, data.pop("department_id"), org.pk)
    group = run(lambda: actions.do_create_group(org, data, actor=actor), set(body.dict()))
    return Status(201, _groups(request).get(pk=group.pk))


@router.get("/groups/{group_id}/members", response=answers(list[MemberOut]))
def list_members(request: HttpRequest, group_id: int) -> QuerySet[GroupMember]:
    actor = actor_of(request)
    group = queries.get_group_for(actor, group_id)
    visible = queries.candidates_for(actor, group)
    return queries.members_of(group).filter(recipient__in=visible)


@router.post("/groups/{group_id}/members", response=answers(MemberOut, 201))
def add_member(request: HttpRequest, group_id: int, body: MemberIn) -> Status:
    actor = actor_of(request)
    group = queries.get_group_for(actor, group_id, Perm.RECORD_SERVICES)
    recipient: Recipient = named(lambda: get_recipient_for(actor, body.recipient_id), "recipient_id",
                                 _("Unknown person."), group.organisation_id)
    member = run(lambda: actions.do_add_member(group, recipient, joined_on=body.joined_on, left_on=body.left_on,
                                               actor=actor), set(body.dict()))
    return Status(201, member)


@router.get("/groups/{group_id}/sessions", response=answers(list[SessionOut]))
def list_sessions(request: HttpRequest, group_id: int) -> QuerySet[Session]:
    return queries.sessions_of(queries.get_group_for(actor_of(request), group_id))


@router.post("/groups/{group_id}/sessions", response=answers(SessionOut, 201))
def record_session(request: HttpRequest, group_id: int, body: SessionIn) -> Status:
    """Record the session of a day (or correct it: one session per group and date)."""
    actor = actor_of(request)
    group = queries.get_group_for(actor, group_id, Perm.RECORD_SERVICES)
    session = run(lambda: actions.do_record_session(group, body.date, body.attendance, body.topic, actor=actor),
                  set(body.dict()))
    return Status(201, session)


@router.get("/events", response=answers(EventPage))
def list_events(request: HttpRequest, kind: EventKindCode | None = None, start: Day | None = None,
                end: Day | None = None, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    need(actor_of(request), Perm.VIEW_CASEWORK)
    qs = queries.events_for(actor_of(request)).select_related("organisation")
    if kind:
        qs = qs.filter(kind=kind)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return paginate(qs, page, page_size)


@router.post("/events", response=answers(EventOut, 201))
def create_event(request: HttpRequest, body: EventIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.RECORD_SERVICES)
    data["department"] = _department(request, data.pop("department_id"), org.pk)
    event: Event = run(lambda: actions.do_create_event(org, data, actor=actor), set(body.dict()))
    return Status(201, queries.events_for(actor).select_related("organisation").get(pk=event.pk))


# ---- the social taxi ----------------------------------------------------------------------------------------------
DestinationCode = Literal["medical", "social", "pension_fund", "shopping", "station", "other"]
assert set(DestinationCode.__args__) == set(Destination.values)  # type: ignore[attr-defined]


class TripOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    recipient_id: int
    date: datetime.date
    destination: str
    out_of_district: bool
    km: Decimal | None
    amount: Money
    driver_id: int | None


class TripPage(PageBase):
    results: list[TripOut]


class TripIn(Body):
    organisation: str | None = None
    recipient_id: Id
    date: Day
    destination: DestinationCode
    out_of_district: bool = False
    km: Amount | None = Field(None, ge=0, le=100_000, decimal_places=1)
    amount: Amount | None = Field(None, ge=0, decimal_places=2)
    driver_id: Id | None = None


@router.get("/taxi/trips", response=answers(TripPage))
def list_trips(request: HttpRequest, start: Day | None = None, end: Day | None = None,
               page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    need(actor_of(request), Perm.VIEW_CASEWORK)
    qs = queries.trips_for(actor_of(request)).select_related("organisation")
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return paginate(qs, page, page_size)


@router.post("/taxi/trips", response=answers(TripOut, 201))
def record_trip(request: HttpRequest, body: TripIn) -> Status:
    """Record a trip; without `amount`, the fee by the tariff in force on its date."""
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.RECORD_SERVICES)
    data["recipient"] = named(lambda: get_recipient_for(actor, body.recipient_id), "recipient_id",
                              _("Unknown person."), org.pk)
    data.pop("recipient_id")
    driver_id = data.pop("driver_id")
    data["driver"] = named(lambda: get_employee_for(actor, driver_id, Perm.VIEW_DASHBOARD), "driver_id",
                           _("Unknown worker."), org.pk) if driver_id is not None else None
    trip = run(lambda: actions.do_record_trip(org, data, actor=actor), set(body.dict()))
    return Status(201, TaxiTrip.objects.select_related("organisation").get(pk=trip.pk))
