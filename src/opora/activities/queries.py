"""Reads of groups, sessions and events, scoped to the actor; and the small figures indicators ask for.

Who sees what: a grant of `view_casework` (to read) or `record_services` (to record) in an organisation; a
department-bound role (head of department, social worker) only the groups and events of its departments.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from opora.accounts.actor import Actor
from opora.accounts.roles import DEPARTMENT_ROLES, Perm
from opora.activities.models import (
    BrigadeTrip,
    BrigadeTripLine,
    Event,
    Group,
    GroupMember,
    Rental,
    RentalItem,
    Session,
    Shift,
    ShiftEnrolment,
    TaxiTrip,
    Volunteer,
    VolunteerWork,
)
from opora.core.scoping import any_of
from opora.delivery.models import Delivery
from opora.delivery.queries import deliveries_for
from opora.people.models import Enrolment, Recipient
from opora.people.queries import recipients_for


def scope_q(actor: Actor, perm: str, prefix: str = "") -> Q:
    """The rows of groups or events (or of what hangs on a group, with `prefix="group__"`) the actor may reach."""
    parts = []
    for g in actor.grants_with(perm):
        if g.role in DEPARTMENT_ROLES:
            parts.append(Q(**{f"{prefix}organisation_id": g.organisation_id,
                              f"{prefix}department_id__in": sorted(g.department_ids)}))
        else:
            parts.append(Q(**{f"{prefix}organisation_id": g.organisation_id}))
    return any_of(parts)


def may(actor: Actor, perm: str, organisation_id: int, department_id: int | None) -> bool:
    """Whether the actor holds `perm` for a row of this organisation and department."""
    for g in actor.grants_with(perm):
        if g.organisation_id != organisation_id:
            continue
        if g.role not in DEPARTMENT_ROLES or (department_id is not None and department_id in g.department_ids):
            return True
    return False


def groups_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK, organisation_id: int | None = None) -> QuerySet[Group]:
    qs = Group.objects.filter(scope_q(actor, perm)).select_related("department")
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("code")


def get_group_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Group:
    return get_object_or_404(Group.objects.filter(scope_q(actor, perm)), pk=pk)


def members_of(group: Group) -> QuerySet[GroupMember]:
    return group.members.select_related("recipient").order_by("recipient__search_name", "recipient_id")


def sessions_of(group: Group) -> QuerySet[Session]:
    return group.sessions.order_by("-date")


def candidates_for(actor: Actor, group: Group) -> QuerySet[Recipient]:
    """The people of the group's organisation the actor may name as a member (people scope)."""
    return recipients_for(actor).filter(organisation_id=group.organisation_id)


def events_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK, organisation_id: int | None = None) -> QuerySet[Event]:
    qs = Event.objects.filter(scope_q(actor, perm)).select_related("department")
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("-date", "code")


def get_event_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Event:
    return get_object_or_404(Event.objects.filter(scope_q(actor, perm)), pk=pk)


# ---- figures for indicators and reports (aggregates, no personal data: scoped by the caller's organisations) --
def _events(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
            kind: str | None) -> QuerySet[Event]:
    qs = Event.objects.filter(organisation_id__in=organisation_ids, date__gte=start, date__lte=end)
    return qs.filter(kind=kind) if kind else qs


def events(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date, kind: str | None = None) -> int:
    """The number of events dated in the period (of a kind)."""
    return _events(organisation_ids, start, end, kind).count()


def participants(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
                 kind: str | None = None) -> int:
    """Σ participants of the events dated in the period (of a kind)."""
    return int(_events(organisation_ids, start, end, kind).aggregate(n=Sum("participants", default=0))["n"])


def _sessions(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
              group: str | None) -> QuerySet[Session]:
    qs = Session.objects.filter(organisation_id__in=organisation_ids, date__gte=start, date__lte=end)
    return qs.filter(group__code=group) if group else qs


def sessions(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
             group: str | None = None) -> int:
    """The number of sessions held in the period (of a group, by code)."""
    return _sessions(organisation_ids, start, end, group).count()


def attendance(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
               group: str | None = None) -> int:
    """Σ attendance of the sessions held in the period (of a group, by code)."""
    return int(_sessions(organisation_ids, start, end, group).aggregate(n=Sum("attendance", default=0))["n"])


# ---- the social taxi ----------------------------------------------------------------------------------------------
def trips_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK, organisation_id: int | None = None) -> QuerySet[TaxiTrip]:
    """Trips of the people the actor may see (the taxi belongs to no department)."""
    org_ids = sorted({g.organisation_id for g in actor.grants_with(perm)})
    qs = TaxiTrip.objects.filter(organisation_id__in=org_ids, recipient__in=recipients_for(actor))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.select_related("recipient", "driver").order_by("-date", "-id")


# ---- the rental point and volunteers (issue 13) -------------------------------------------------------------------
def _org_ids(actor: Actor, perm: str) -> list[int]:
    return sorted({g.organisation_id for g in actor.grants_with(perm)})


def rental_items_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK,
                     organisation_id: int | None = None) -> QuerySet[RentalItem]:
    """The items of the organisations where the actor holds `perm` (an item is no one's personal data)."""
    qs = RentalItem.objects.filter(organisation_id__in=_org_ids(actor, perm))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("code")


def get_rental_item_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> RentalItem:
    return get_object_or_404(rental_items_for(actor, perm), pk=pk)


def rentals_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK, organisation_id: int | None = None) -> QuerySet[Rental]:
    """Rentals of the people the actor may see (the rental point belongs to no department)."""
    qs = Rental.objects.filter(organisation_id__in=_org_ids(actor, perm), recipient__in=recipients_for(actor))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.select_related("item", "recipient", "worker").order_by("-issued_on", "-id")


def get_rental_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Rental:
    return get_object_or_404(rentals_for(actor, perm), pk=pk)


def open_rentals(item_ids: Sequence[int]) -> dict[int, Rental]:
    """The rental of each item that is out now (not returned), by item id."""
    return {r.item_id: r for r in Rental.objects.filter(item_id__in=list(item_ids), returned_on__isnull=True)
            .select_related("recipient")}


def volunteers_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK,
                   organisation_id: int | None = None) -> QuerySet[Volunteer]:
    """The volunteers of the organisations where the actor holds `perm` (names are personal data: the caller
    audits what it shows)."""
    qs = Volunteer.objects.filter(organisation_id__in=_org_ids(actor, perm))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("full_name", "code")


def get_volunteer_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Volunteer:
    return get_object_or_404(volunteers_for(actor, perm), pk=pk)


def work_of(volunteer: Volunteer) -> QuerySet[VolunteerWork]:
    """A volunteer's work, the latest first (the caller names the person helped only when the actor may see
    them: `visible_people`)."""
    return volunteer.work.select_related("recipient").order_by("-date", "-seq")


def volunteer_hours(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
                    kind: str | None = None) -> Decimal:
    """Σ hours of volunteers' work dated in the period (of volunteers of a kind)."""
    qs = VolunteerWork.objects.filter(organisation_id__in=organisation_ids, date__gte=start, date__lte=end)
    if kind:
        qs = qs.filter(volunteer__kind=kind)
    return Decimal(qs.aggregate(h=Sum("hours", default=Decimal("0")))["h"])


def visible_people(actor: Actor, recipient_ids: Sequence[int | None]) -> set[int]:
    """Which of these people the actor may see."""
    ids = {pk for pk in recipient_ids if pk is not None}
    return set(recipients_for(actor).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
# ---- day-stay shifts and the mobile brigade -----------------------------------------------------------------------
def shifts_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK, organisation_id: int | None = None) -> QuerySet[Shift]:
    """Shifts of the departments the actor may reach (a department-bound role: its own day-stay departments)."""
    qs = Shift.objects.filter(scope_q(actor, perm)).select_related("department").annotate(people=Count("places"))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("-start", "code")


def get_shift_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Shift:
    return get_object_or_404(Shift.objects.filter(scope_q(actor, perm)).select_related("department"), pk=pk)


def places_of(actor: Actor, shift: Shift) -> QuerySet[ShiftEnrolment]:
    """The shift's enrolments of the people the actor may see."""
    return (ShiftEnrolment.objects.filter(shift=shift, enrolment__recipient__in=recipients_for(actor))
            .select_related("enrolment__recipient")
            .order_by("enrolment__recipient__last_name", "enrolment__recipient__first_name", "id"))


def shift_candidates(actor: Actor, shift: Shift) -> QuerySet[Enrolment]:
    """Enrolments that may go on the shift: its department, dates meeting the shift's, on no shift yet."""
    return (Enrolment.objects.filter(organisation_id=shift.organisation_id, department_id=shift.department_id,
                                     admitted_on__lte=shift.end, recipient__in=recipients_for(actor))
            .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=shift.start))
            .filter(day_stay_shift__isnull=True).select_related("recipient")
            .order_by("recipient__last_name", "recipient__first_name", "admitted_on"))


def brigade_trips_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK,
                      organisation_id: int | None = None) -> QuerySet[BrigadeTrip]:
    """Trips of the mobile brigade in the actor's organisations (the brigade belongs to no department)."""
    org_ids = sorted({g.organisation_id for g in actor.grants_with(perm)})
    qs = BrigadeTrip.objects.filter(organisation_id__in=org_ids).select_related("settlement").annotate(
        line_count=Count("lines"))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("-date", "code")


def get_brigade_trip_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> BrigadeTrip:
    org_ids = sorted({g.organisation_id for g in actor.grants_with(perm)})
    return get_object_or_404(BrigadeTrip.objects.filter(organisation_id__in=org_ids).select_related("settlement"),
                             pk=pk)


def trip_lines(actor: Actor, trip: BrigadeTrip) -> QuerySet[BrigadeTripLine]:
    """The journal lines of the trip that the actor may see."""
    return (BrigadeTripLine.objects.filter(trip=trip, delivery__in=deliveries_for(actor))
            .select_related("delivery__recipient", "delivery__service")
            .order_by("delivery__recipient__last_name", "delivery__recipient__first_name", "id"))


def lines_to_attach(actor: Actor, trip: BrigadeTrip) -> QuerySet[Delivery]:
    """Journal lines of the trip's date, on no trip, that the actor may record on."""
    return (deliveries_for(actor, Perm.RECORD_SERVICES).filter(organisation_id=trip.organisation_id, date=trip.date,
                                                               brigade_trip__isnull=True)
            .select_related("recipient", "service")
            .order_by("recipient__last_name", "recipient__first_name", "id"))


def brigade_figures(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date) -> dict[str, int]:
    """The mobile brigade in a period: `trips` dated in it, distinct `settlements` of those trips, distinct `people`
    and Σ quantity (`services`) of the journal lines joined to them (the report's table and the indicators)."""
    trips = BrigadeTrip.objects.filter(organisation_id__in=organisation_ids, date__gte=start, date__lte=end).aggregate(
        trips=Count("id"), settlements=Count("settlement_id", distinct=True))
    if not trips["trips"]:
        return {"trips": 0, "settlements": 0, "people": 0, "services": 0}
    lines = BrigadeTripLine.objects.filter(organisation_id__in=organisation_ids, trip__date__gte=start,
                                           trip__date__lte=end).aggregate(
        people=Count("delivery__recipient_id", distinct=True), services=Sum("delivery__quantity", default=0))
    return {"trips": trips["trips"], "settlements": trips["settlements"], "people": lines["people"],
            "services": int(lines["services"])}


def shift_figures(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Day-stay shifts starting in a period: `shifts`, `one_day` of them, distinct `people` enrolled for them."""
    shifts = Shift.objects.filter(organisation_id__in=organisation_ids, start__gte=start, start__lte=end).aggregate(
        shifts=Count("id"), one_day=Count("id", filter=Q(end=F("start"))))
    if not shifts["shifts"]:
        return {"shifts": 0, "one_day": 0, "people": 0}
    people = ShiftEnrolment.objects.filter(organisation_id__in=organisation_ids, shift__start__gte=start,
                                           shift__start__lte=end).aggregate(
        n=Count("enrolment__recipient_id", distinct=True))["n"]
    return {"shifts": shifts["shifts"], "one_day": shifts["one_day"], "people": people}
