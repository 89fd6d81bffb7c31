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
from opora.activities.models import (  # issue 13
    Event,
    Group,
    GroupMember,
    Rental,
    RentalItem,
    Session,
    TaxiTrip,
    Volunteer,
    VolunteerWork,
)
from opora.activities.rules import AidKind, Destination, EventKind, GroupKind, VolunteerKind  # issue 13
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
from opora.audit.log import log_read
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
    return paginate(_groups(request), page, page_size, where={"kind": kind})


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
def list_members(request: HttpRequest, group_id: int) -> list[GroupMember]:
    actor = actor_of(request)
    group = queries.get_group_for(actor, group_id)
    visible = queries.candidates_for(actor, group)
    members = list(queries.members_of(group).filter(recipient__in=visible))
    log_read(actor, members, via="api:group-members", many=True)
    return members


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
    return paginate(queries.events_for(actor_of(request)).select_related("organisation"), page, page_size,
                    where={"kind": kind, "date__gte": start, "date__lte": end})


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
    actor = actor_of(request)
    need(actor, Perm.VIEW_CASEWORK)
    return paginate(queries.trips_for(actor).select_related("organisation"), page, page_size,
                    where={"date__gte": start, "date__lte": end}, audit=(actor, "api:taxi-trips"))


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


# ---- the rental point (issue 13) ----------------------------------------------------------------------------------
AidKindCode = Literal["wheelchair", "walker", "crutches", "cane", "bed", "toilet_chair", "other"]
assert set(AidKindCode.__args__) == set(AidKind.values)  # type: ignore[attr-defined]


class RentalItemOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    code: str
    name: str
    kind: str
    inventory_no: str


class RentalItemPage(PageBase):
    results: list[RentalItemOut]


class RentalItemIn(Body):
    organisation: str | None = None
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=300)
    kind: AidKindCode
    inventory_no: str = Field("", max_length=60)


class RentalOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    item_id: int
    item_code: str = Field(..., alias="item.code")
    recipient_id: int
    issued_on: datetime.date
    due_on: datetime.date | None
    returned_on: datetime.date | None
    amount: Money
    worker_id: int | None


class RentalPage(PageBase):
    results: list[RentalOut]


class RentalIn(Body):
    organisation: str | None = None
    item_id: Id
    recipient_id: Id
    issued_on: Day
    due_on: Day | None = None
    amount: Amount | None = Field(None, ge=0, decimal_places=2)
    worker_id: Id | None = None


class ReturnIn(Body):
    returned_on: Day
    amount: Amount | None = Field(None, ge=0, decimal_places=2)


@router.get("/rental/items", response=answers(RentalItemPage))
def list_rental_items(request: HttpRequest, kind: AidKindCode | None = None, page: Page = 1,
                      page_size: PageSize = 50) -> dict[str, Any]:
    need(actor_of(request), Perm.VIEW_CASEWORK)
    return paginate(queries.rental_items_for(actor_of(request)).select_related("organisation"), page, page_size,
                    where={"kind": kind})


@router.post("/rental/items", response=answers(RentalItemOut, 201))
def create_rental_item(request: HttpRequest, body: RentalItemIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.RECORD_SERVICES)
    item = run(lambda: actions.do_create_rental_item(org, data, actor=actor), set(body.dict()))
    return Status(201, RentalItem.objects.select_related("organisation").get(pk=item.pk))


def _rentals(request: HttpRequest) -> QuerySet[Rental]:
    return queries.rentals_for(actor_of(request)).select_related("organisation", "item")


@router.get("/rental/rentals", response=answers(RentalPage))
def list_rentals(request: HttpRequest, start: Day | None = None, end: Day | None = None, out: bool | None = None,
                 overdue: bool | None = None, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    """Rentals of the people the actor may see, issued from `start` to `end`; `out`: not returned yet;
    `overdue`: not returned and past the expected return (`due_on` before today)."""
    actor = actor_of(request)
    need(actor, Perm.VIEW_CASEWORK)
    qs = _rentals(request)
    if overdue:
        qs = qs.filter(returned_on__isnull=True, due_on__lt=datetime.date.today())
    return paginate(qs, page, page_size, where={"issued_on__gte": start, "issued_on__lte": end,
                                                "returned_on__isnull": out}, audit=(actor, "api:rentals"))


@router.post("/rental/rentals", response=answers(RentalOut, 201))
def issue_item(request: HttpRequest, body: RentalIn) -> Status:
    """Issue an item to a person: refused when the item is out at that time (an item is not issued twice at
    once)."""
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.RECORD_SERVICES)
    data["item"] = named(lambda: queries.get_rental_item_for(actor, body.item_id, Perm.RECORD_SERVICES), "item_id",
                         _("Unknown item."), org.pk)
    data["recipient"] = named(lambda: get_recipient_for(actor, body.recipient_id), "recipient_id",
                              _("Unknown person."), org.pk)
    worker_id = data.pop("worker_id")
    data["worker"] = named(lambda: get_employee_for(actor, worker_id, Perm.VIEW_DASHBOARD), "worker_id",
                           _("Unknown worker."), org.pk) if worker_id is not None else None
    del data["item_id"], data["recipient_id"]
    rental = run(lambda: actions.do_issue(org, data, actor=actor), set(body.dict()))
    return Status(201, Rental.objects.select_related("organisation", "item").get(pk=rental.pk))


@router.post("/rental/rentals/{rental_id}/return", response=answers(RentalOut))
def return_item(request: HttpRequest, rental_id: int, body: ReturnIn) -> Rental:
    actor = actor_of(request)
    rental = queries.get_rental_for(actor, rental_id, Perm.RECORD_SERVICES)
    run(lambda: actions.do_return(rental, body.returned_on, amount=body.amount, actor=actor), set(body.dict()))
    return Rental.objects.select_related("organisation", "item").get(pk=rental.pk)


# ---- volunteers (issue 13) ----------------------------------------------------------------------------------------
VolunteerKindCode = Literal["student", "silver", "corporate", "other"]
assert set(VolunteerKindCode.__args__) == set(VolunteerKind.values)  # type: ignore[attr-defined]


class VolunteerOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    code: str
    full_name: str
    kind: str
    joined_on: datetime.date | None


class VolunteerPage(PageBase):
    results: list[VolunteerOut]


class VolunteerIn(Body):
    organisation: str | None = None
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    full_name: str = Field(..., min_length=1, max_length=300)
    kind: VolunteerKindCode = "other"
    joined_on: Day | None = None


class VolunteerWorkOut(Schema):
    id: int
    volunteer_id: int
    date: datetime.date
    hours: Decimal | None
    recipient_id: int | None
    activity: str


class VolunteerWorkIn(Body):
    date: Day
    hours: Amount | None = Field(None, gt=0, le=24, decimal_places=2)
    recipient_id: Id | None = None
    activity: str = Field("", max_length=500)


@router.get("/volunteers", response=answers(VolunteerPage))
def list_volunteers(request: HttpRequest, kind: VolunteerKindCode | None = None, page: Page = 1,
                    page_size: PageSize = 50) -> dict[str, Any]:
    actor = actor_of(request)
    need(actor, Perm.VIEW_CASEWORK)
    return paginate(queries.volunteers_for(actor).select_related("organisation"), page, page_size,
                    where={"kind": kind}, audit=(actor, "api:volunteers"))


@router.post("/volunteers", response=answers(VolunteerOut, 201))
def create_volunteer(request: HttpRequest, body: VolunteerIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.RECORD_SERVICES)
    volunteer = run(lambda: actions.do_create_volunteer(org, data, actor=actor), set(body.dict()))
    return Status(201, Volunteer.objects.select_related("organisation").get(pk=volunteer.pk))


@router.get("/volunteers/{volunteer_id}/work", response=answers(list[VolunteerWorkOut]))
def list_volunteer_work(request: HttpRequest, volunteer_id: int) -> list[VolunteerWork]:
    """A volunteer's work; the person helped is given only when the actor may see them (else null)."""
    actor = actor_of(request)
    volunteer = queries.get_volunteer_for(actor, volunteer_id)
    work = list(queries.work_of(volunteer))
    visible = queries.visible_people(actor, [w.recipient_id for w in work])
    for w in work:
        if w.recipient_id not in visible:
            w.recipient_id = None
    log_read(actor, [volunteer, *(w for w in work if w.recipient_id is not None)], via="api:volunteer-work")
    return work


@router.post("/volunteers/{volunteer_id}/work", response=answers(VolunteerWorkOut, 201))
def record_volunteer_work(request: HttpRequest, volunteer_id: int, body: VolunteerWorkIn) -> Status:
    """Record a piece of work: 0 < hours ≤ 24, and a volunteer's hours of one date at most 24 together."""
    actor = actor_of(request)
    volunteer = queries.get_volunteer_for(actor, volunteer_id, Perm.RECORD_SERVICES)
    data = body.dict()
    recipient_id = data.pop("recipient_id")
    data["recipient"] = named(lambda: get_recipient_for(actor, recipient_id), "recipient_id", _("Unknown person."),
                              volunteer.organisation_id) if recipient_id is not None else None
    work = run(lambda: actions.do_record_volunteer_work(volunteer, data, actor=actor), set(body.dict()))
    return Status(201, work)
