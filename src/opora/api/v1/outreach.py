"""/api/v1/shifts and /api/v1/brigade/trips: day-stay shifts with their enrolments, and the mobile brigade's trips
with their journal lines (issue 13).

Reading needs `view_casework`, recording `record_services` (a shift: its department's; a trip: the organisation,
the brigade belonging to no department). People show only among those the actor may see, and each answer that
shows them is recorded (audit.log.log_read).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.roles import Perm
from opora.activities import actions, queries
from opora.activities.models import BrigadeTrip, Shift, ShiftEnrolment
from opora.api.v1.common import (
    Body,
    Day,
    Id,
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
from opora.org.models import Employee
from opora.org.queries import get_department_for, get_employee_for, get_settlement_for
from opora.people.queries import get_enrolment_for

router = Router(tags=["activities"])
CODE = r"^[-a-zA-Z0-9_]+$"


class ShiftOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    code: str
    department_id: int
    start: datetime.date
    end: datetime.date
    one_day: bool
    capacity: int | None
    people: int


class ShiftPage(PageBase):
    results: list[ShiftOut]


class ShiftIn(Body):
    organisation: str | None = None
    code: str = Field(..., min_length=1, max_length=40, pattern=CODE)
    department_id: Id
    start: Day
    end: Day
    capacity: int | None = Field(None, ge=1, le=100_000)


class PlaceOut(Schema):
    id: int
    enrolment_id: int
    recipient_id: int = Field(..., alias="enrolment.recipient_id")
    full_name: str = Field(..., alias="enrolment.recipient.full_name")
    admitted_on: datetime.date = Field(..., alias="enrolment.admitted_on")
    discharged_on: datetime.date | None = Field(..., alias="enrolment.discharged_on")


class PlaceIn(Body):
    enrolment_id: Id


class BrigadeTripOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    code: str
    date: datetime.date
    settlement_id: int
    settlement: str = Field(..., alias="settlement.name")
    member_ids: list[int]
    purpose: str
    lines: int = Field(..., alias="line_count")

    @staticmethod
    def resolve_member_ids(obj: BrigadeTrip) -> list[int]:
        return sorted(m.pk for m in obj.members.all())


class BrigadeTripPage(PageBase):
    results: list[BrigadeTripOut]


class BrigadeTripIn(Body):
    organisation: str | None = None
    code: str = Field(..., min_length=1, max_length=40, pattern=CODE)
    date: Day
    settlement_id: Id
    member_ids: list[Id] = Field(default_factory=list, max_length=50)
    purpose: str = Field("", max_length=500)


class TripLineOut(Schema):
    id: int
    delivery_id: int
    recipient_id: int = Field(..., alias="delivery.recipient_id")
    full_name: str = Field(..., alias="delivery.recipient.full_name")
    service: str = Field(..., alias="delivery.service.code")
    date: datetime.date = Field(..., alias="delivery.date")
    quantity: int = Field(..., alias="delivery.quantity")


class TripLinesIn(Body):
    delivery_ids: list[Id] = Field(..., min_length=1, max_length=500)


def _shifts(request: HttpRequest) -> Any:
    return queries.shifts_for(actor_of(request)).select_related("organisation")


def _trips(request: HttpRequest) -> Any:
    return (queries.brigade_trips_for(actor_of(request)).select_related("organisation")
            .prefetch_related("members"))


@router.get("/shifts", response=answers(ShiftPage))
def list_shifts(request: HttpRequest, start: Day | None = None, end: Day | None = None, page: Page = 1,
                page_size: PageSize = 50) -> dict[str, Any]:
    """Shifts starting between `start` and `end` (both optional)."""
    need(actor_of(request), Perm.VIEW_CASEWORK)
    return paginate(_shifts(request), page, page_size, where={"start__gte": start, "start__lte": end})


@router.get("/shifts/{shift_id}", response=answers(ShiftOut))
def get_shift(request: HttpRequest, shift_id: int) -> Shift:
    queries.get_shift_for(actor_of(request), shift_id)
    shift: Shift = _shifts(request).get(pk=shift_id)
    return shift


@router.post("/shifts", response=answers(ShiftOut, 201))
def create_shift(request: HttpRequest, body: ShiftIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.RECORD_SERVICES)
    department_id = data.pop("department_id")
    data["department"] = named(lambda: get_department_for(actor, department_id), "department_id",
                               _("Unknown department."), org.pk)
    shift = run(lambda: actions.do_create_shift(org, data, actor=actor), set(body.dict()))
    return Status(201, _shifts(request).get(pk=shift.pk))


@router.get("/shifts/{shift_id}/enrolments", response=answers(list[PlaceOut]))
def list_places(request: HttpRequest, shift_id: int) -> list[ShiftEnrolment]:
    actor = actor_of(request)
    places = list(queries.places_of(actor, queries.get_shift_for(actor, shift_id)))
    log_read(actor, [p.enrolment.recipient for p in places], via="api:shift-enrolments", many=True)
    return places


@router.post("/shifts/{shift_id}/enrolments", response=answers(PlaceOut, 201))
def enrol_for_shift(request: HttpRequest, shift_id: int, body: PlaceIn) -> Status:
    """Put a day-stay enrolment on the shift (its department, dates meeting the shift's, within the capacity)."""
    actor = actor_of(request)
    shift = queries.get_shift_for(actor, shift_id, Perm.RECORD_SERVICES)
    enrolment = named(lambda: get_enrolment_for(actor, body.enrolment_id, Perm.RECORD_SERVICES), "enrolment_id",
                      _("Unknown enrolment."), shift.organisation_id)
    place = run(lambda: actions.do_enrol_for_shift(shift, enrolment, actor=actor), set(body.dict()))
    return Status(201, ShiftEnrolment.objects.select_related("enrolment__recipient").get(pk=place.pk))


@router.delete("/shifts/{shift_id}/enrolments/{place_id}", response=answers(None, 204))
def remove_from_shift(request: HttpRequest, shift_id: int, place_id: int) -> Status:
    actor = actor_of(request)
    shift = queries.get_shift_for(actor, shift_id, Perm.RECORD_SERVICES)
    place = get_object_or_404(queries.places_of(actor, shift), pk=place_id)
    run(lambda: actions.do_remove_from_shift(place, actor=actor), set())
    return Status(204, None)


@router.get("/brigade/trips", response=answers(BrigadeTripPage))
def list_brigade_trips(request: HttpRequest, start: Day | None = None, end: Day | None = None, page: Page = 1,
                       page_size: PageSize = 50) -> dict[str, Any]:
    need(actor_of(request), Perm.VIEW_CASEWORK)
    return paginate(_trips(request), page, page_size, where={"date__gte": start, "date__lte": end})


@router.get("/brigade/trips/{trip_id}", response=answers(BrigadeTripOut))
def get_brigade_trip(request: HttpRequest, trip_id: int) -> BrigadeTrip:
    queries.get_brigade_trip_for(actor_of(request), trip_id)
    trip: BrigadeTrip = _trips(request).get(pk=trip_id)
    return trip


def _member(request: HttpRequest, pk: int, organisation_id: int) -> Employee:
    return named(lambda: get_employee_for(actor_of(request), pk, Perm.VIEW_DASHBOARD), "member_ids",
                 _("Unknown worker."), organisation_id)


@router.post("/brigade/trips", response=answers(BrigadeTripOut, 201))
def create_brigade_trip(request: HttpRequest, body: BrigadeTripIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.RECORD_SERVICES)
    settlement_id = data.pop("settlement_id")
    data["settlement"] = named(lambda: get_settlement_for(actor, settlement_id), "settlement_id",
                               _("Unknown settlement."), org.pk)
    data["members"] = [_member(request, pk, org.pk) for pk in data.pop("member_ids")]
    trip = run(lambda: actions.do_create_brigade_trip(org, data, actor=actor), set(body.dict()))
    return Status(201, _trips(request).get(pk=trip.pk))


@router.get("/brigade/trips/{trip_id}/lines", response=answers(list[TripLineOut]))
def list_trip_lines(request: HttpRequest, trip_id: int) -> list[Any]:
    actor = actor_of(request)
    lines = list(queries.trip_lines(actor, queries.get_brigade_trip_for(actor, trip_id)))
    log_read(actor, [line.delivery for line in lines], via="api:brigade-trip-lines", many=True)
    return lines


@router.post("/brigade/trips/{trip_id}/lines", response=answers(list[TripLineOut], 201))
def attach_trip_lines(request: HttpRequest, trip_id: int, body: TripLinesIn) -> Status:
    """Join journal lines of the trip's date (on no other trip) to the trip; answers the trip's lines."""
    actor = actor_of(request)
    trip = queries.get_brigade_trip_for(actor, trip_id, Perm.RECORD_SERVICES)
    run(lambda: actions.do_attach_lines(trip, list(body.delivery_ids), actor=actor), set(body.dict()))
    return Status(201, list(queries.trip_lines(actor, trip)))
