"""Writes of groups, members, sessions and events: atomic, audited, checked by activities/rules.py.

Who may record: `record_services` in the organisation; a department-bound role only for the groups and
events of its departments (see activities/queries.py and accounts/roles.py).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.activities import queries, rules
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
    TaxiTariff,
    TaxiTrip,
    Volunteer,
    VolunteerWork,
)
from opora.audit.log import log_event
from opora.audit.models import EventType
from opora.core.actions import create_object, delete_object, require, update_object
from opora.core.reference import DepartmentKind
from opora.delivery.queries import deliveries_for
from opora.lib.errors import DomainError
from opora.org.models import Department, Organisation
from opora.people.models import Enrolment, Recipient
from opora.people.queries import recipients_for


def _require(actor: Actor, organisation_id: int, department_id: int | None) -> None:
    if not queries.may(actor, Perm.RECORD_SERVICES, organisation_id, department_id):
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))


def _check_department(organisation_id: int, department: Department | None) -> None:
    if department is not None and department.organisation_id != organisation_id:
        raise DomainError(_("The department belongs to another organisation."), field="department")


def do_create_group(organisation: Organisation, data: dict[str, Any], *, actor: Actor) -> Group:
    department = data.get("department")
    _require(actor, organisation.pk, department.pk if department else None)
    _check_department(organisation.pk, department)
    rules.check_span(data.get("start"), data.get("end"))
    return create_object(Group(organisation=organisation, **data), actor=actor)


def do_update_group(group: Group, data: dict[str, Any], *, actor: Actor) -> Group:
    _require(actor, group.organisation_id, group.department_id)
    department = data.get("department", group.department)
    _require(actor, group.organisation_id, department.pk if department else None)
    _check_department(group.organisation_id, department)
    rules.check_span(data.get("start", group.start), data.get("end", group.end))
    return update_object(group, data, actor=actor)


def do_add_member(group: Group, recipient: Recipient, *, joined_on: datetime.date | None = None,
                  left_on: datetime.date | None = None, actor: Actor) -> GroupMember:
    _require(actor, group.organisation_id, group.department_id)
    if recipient.organisation_id != group.organisation_id:
        raise DomainError(_("The person belongs to another organisation."), field="recipient")
    if group.members.filter(recipient=recipient).exists():
        raise DomainError(_("This person is already a member of the group."), field="recipient")
    rules.check_span(joined_on, left_on, field="left_on")
    return create_object(GroupMember(organisation_id=group.organisation_id, group=group, recipient=recipient,
                                     joined_on=joined_on, left_on=left_on), actor=actor)


def do_end_membership(member: GroupMember, left_on: datetime.date, *, actor: Actor) -> GroupMember:
    _require(actor, member.organisation_id, member.group.department_id)
    rules.check_span(member.joined_on, left_on, field="left_on")
    return update_object(member, {"left_on": left_on}, actor=actor)


@transaction.atomic
def do_record_session(group: Group, day: datetime.date, attendance: int, topic: str = "", *,
                      actor: Actor) -> Session:
    """Record (or correct) the session of a group on a day: attendance at most the members on that day."""
    _require(actor, group.organisation_id, group.department_id)
    spans = [rules.Span(j, left) for j, left in group.members.values_list("joined_on", "left_on")]
    rules.check_attendance(attendance, rules.members_on(spans, day), day)
    session = Session.objects.select_for_update().filter(group=group, date=day).first()
    if session is None:
        return create_object(Session(organisation_id=group.organisation_id, group=group, date=day,
                                     attendance=attendance, topic=topic), actor=actor)
    return update_object(session, {"attendance": attendance, "topic": topic}, actor=actor)


def do_create_event(organisation: Organisation, data: dict[str, Any], *, actor: Actor) -> Event:
    department = data.get("department")
    _require(actor, organisation.pk, department.pk if department else None)
    _check_department(organisation.pk, department)
    rules.check_participants(data.get("participants", 0))
    return create_object(Event(organisation=organisation, **data), actor=actor)


def do_update_event(event: Event, data: dict[str, Any], *, actor: Actor) -> Event:
    _require(actor, event.organisation_id, event.department_id)
    department = data.get("department", event.department)
    _require(actor, event.organisation_id, department.pk if department else None)
    _check_department(event.organisation_id, department)
    rules.check_participants(data.get("participants", event.participants))
    return update_object(event, data, actor=actor)


def log_bulk(organisation: Organisation, counts: dict[str, tuple[int, int]], *, actor: Actor | None,
             source: str) -> None:
    """One audit event for a bulk write (the import, the demo), only when something was written."""
    written = {k: {"created": c, "updated": u} for k, (c, u) in counts.items() if c or u}
    if written:
        log_event(actor=actor, event_type=EventType.UPDATED, obj=organisation, organisation_id=organisation.pk,
                  changes={"activities": [None, {"source": source, **written}]})


# ---- the social taxi ----------------------------------------------------------------------------------------------
def taxi_tariffs(organisation_id: int) -> list[rules.TaxiTariff]:
    return [rules.TaxiTariff(v, p, k) for v, p, k in TaxiTariff.objects.filter(organisation_id=organisation_id)
            .values_list("valid_from", "per_trip", "per_km")]


def do_set_taxi_tariff(organisation: Organisation, valid_from: datetime.date, per_trip: Decimal, per_km: Decimal, *,
                       actor: Actor) -> TaxiTariff:
    require(actor, Perm.MANAGE_CATALOGUE, organisation.pk)
    existing = TaxiTariff.objects.filter(organisation=organisation, valid_from=valid_from).first()
    if existing is not None:
        return update_object(existing, {"per_trip": per_trip, "per_km": per_km}, actor=actor)
    return create_object(TaxiTariff(organisation=organisation, valid_from=valid_from, per_trip=per_trip,
                                    per_km=per_km), actor=actor)


@transaction.atomic
def do_record_trip(organisation: Organisation, data: dict[str, Any], *, actor: Actor) -> TaxiTrip:
    """Record a trip; without an amount, the fee comes from the tariff in force on its date. Whoever records
    services in the organisation records trips of the people they may see (the taxi belongs to no department)."""
    require(actor, Perm.RECORD_SERVICES, organisation.pk)
    recipient: Recipient = data["recipient"]
    if recipient.organisation_id != organisation.pk:
        raise DomainError(_("The person belongs to another organisation."), field="recipient")
    if not recipients_for(actor).filter(pk=recipient.pk).exists():
        raise DomainError(_("Unknown person."), field="recipient")
    driver = data.get("driver")
    if driver is not None and driver.organisation_id != organisation.pk:
        raise DomainError(_("The driver works in another organisation."), field="driver")
    km, out = data.get("km"), bool(data.get("out_of_district"))
    if km is not None and km < 0:
        raise DomainError(_("The distance cannot be negative."), field="km")
    amount = data.get("amount")
    if amount is None:
        amount = rules.taxi_fee(rules.tariff_on(taxi_tariffs(organisation.pk), data["date"]), data["date"], km, out)
    seq = TaxiTrip.objects.filter(organisation=organisation, recipient=recipient, date=data["date"],
                                  destination=data["destination"]).count()
    return create_object(TaxiTrip(organisation=organisation, recipient=recipient, date=data["date"],
                                  destination=data["destination"], out_of_district=out, km=km, amount=amount,
                                  driver=driver, seq=seq), actor=actor)


# ---- the rental point of technical aids (issue 13) ----------------------------------------------------------------
# Whoever records services in the organisation (the department head, the specialists) keeps the inventory and
# issues items to the people they may see; the rental point belongs to no department, as the taxi.
def _person(actor: Actor, organisation: Organisation, recipient: Recipient | None, field: str = "recipient") -> None:
    if recipient is None:
        return
    if recipient.organisation_id != organisation.pk:
        raise DomainError(_("The person belongs to another organisation."), field=field)
    if not recipients_for(actor).filter(pk=recipient.pk).exists():
        raise DomainError(_("Unknown person."), field=field)


def do_create_rental_item(organisation: Organisation, data: dict[str, Any], *, actor: Actor) -> RentalItem:
    require(actor, Perm.RECORD_SERVICES, organisation.pk)
    return create_object(RentalItem(organisation=organisation, **data), actor=actor)


def do_update_rental_item(item: RentalItem, data: dict[str, Any], *, actor: Actor) -> RentalItem:
    require(actor, Perm.RECORD_SERVICES, item.organisation_id)
    return update_object(item, data, actor=actor)


def _loans(item: RentalItem, exclude: int | None = None) -> list[rules.Loan]:
    qs = Rental.objects.filter(item=item)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return [rules.Loan(i, r) for i, r in qs.values_list("issued_on", "returned_on")]


@transaction.atomic
def do_issue(organisation: Organisation, data: dict[str, Any], *, actor: Actor) -> Rental:
    """Issue an item to a person: not before a return of the same item, not while it is out (the item's row is
    locked, so two issues at once wait for each other)."""
    require(actor, Perm.RECORD_SERVICES, organisation.pk)
    item: RentalItem = data["item"]
    if item.organisation_id != organisation.pk:
        raise DomainError(_("The item belongs to another organisation."), field="item")
    _person(actor, organisation, data["recipient"])
    worker = data.get("worker")
    if worker is not None and worker.organisation_id != organisation.pk:
        raise DomainError(_("The worker works in another organisation."), field="worker")
    issued_on, returned_on = data["issued_on"], data.get("returned_on")
    rules.check_return(issued_on, returned_on)
    rules.check_due(issued_on, data.get("due_on"))
    amount = data.get("amount") or Decimal("0")
    rules.check_rental_amount(amount)
    RentalItem.objects.select_for_update().filter(pk=item.pk).first()
    rules.check_free(rules.Loan(issued_on, returned_on), _loans(item))
    return create_object(Rental(organisation=organisation, item=item, recipient=data["recipient"],
                                issued_on=issued_on, due_on=data.get("due_on"), returned_on=returned_on,
                                amount=amount, worker=worker), actor=actor)


@transaction.atomic
def do_return(rental: Rental, returned_on: datetime.date, *, amount: Decimal | None = None,
              actor: Actor) -> Rental:
    """Record the return of an item (and, when given, the final fee)."""
    require(actor, Perm.RECORD_SERVICES, rental.organisation_id)
    if not recipients_for(actor).filter(pk=rental.recipient_id).exists():
        raise DomainError(_("Unknown person."), field="recipient")
    rules.check_return(rental.issued_on, returned_on)
    RentalItem.objects.select_for_update().filter(pk=rental.item_id).first()
    rules.check_free(rules.Loan(rental.issued_on, returned_on), _loans(rental.item, exclude=rental.pk))
    data: dict[str, Any] = {"returned_on": returned_on}
    if amount is not None:
        rules.check_rental_amount(amount)
        data["amount"] = amount
    return update_object(rental, data, actor=actor)


# ---- volunteers (issue 13) ----------------------------------------------------------------------------------------
def do_create_volunteer(organisation: Organisation, data: dict[str, Any], *, actor: Actor) -> Volunteer:
    require(actor, Perm.RECORD_SERVICES, organisation.pk)
    return create_object(Volunteer(organisation=organisation, **data), actor=actor)


def do_update_volunteer(volunteer: Volunteer, data: dict[str, Any], *, actor: Actor) -> Volunteer:
    require(actor, Perm.RECORD_SERVICES, volunteer.organisation_id)
    return update_object(volunteer, data, actor=actor)


@transaction.atomic
def do_record_volunteer_work(volunteer: Volunteer, data: dict[str, Any], *, actor: Actor) -> VolunteerWork:
    """Record a piece of a volunteer's work: 0 < hours ≤ 24, and the hours of that date together at most 24 (the
    volunteer's row is locked while they are added up)."""
    require(actor, Perm.RECORD_SERVICES, volunteer.organisation_id)
    organisation = volunteer.organisation
    _person(actor, organisation, data.get("recipient"))
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    same_day = VolunteerWork.objects.filter(volunteer=volunteer, date=data["date"])
    already = same_day.aggregate(h=Sum("hours", default=Decimal("0")))["h"]
    rules.check_hours(data.get("hours"), already, data["date"])
    seq = (same_day.aggregate(m=Max("seq"))["m"] or 0) + 1 if same_day.exists() else 0
    return create_object(VolunteerWork(organisation_id=volunteer.organisation_id, volunteer=volunteer,
                                       date=data["date"], hours=data.get("hours"), recipient=data.get("recipient"),
                                       activity=data.get("activity", ""), seq=seq), actor=actor)
# ---- day-stay shifts ----------------------------------------------------------------------------------------------
def _check_day_stay(organisation_id: int, department: Department | None) -> None:
    if department is None:
        raise DomainError(_("Choose the day-stay department."), field="department")
    _check_department(organisation_id, department)
    if department.kind != DepartmentKind.DAY_STAY:
        raise DomainError(_("A shift belongs to a day-stay department."), field="department")


def _check_places(shift: Shift) -> None:
    """Every enrolment of the shift still meets its (new) dates and department, and they fit its capacity."""
    places = list(ShiftEnrolment.objects.filter(shift=shift).select_related("enrolment"))
    for place in places:
        e = place.enrolment
        rules.check_shift_enrolment(shift_code=shift.code, shift_department_id=shift.department_id,
                                    start=shift.start, end=shift.end, department_id=e.department_id,
                                    admitted_on=e.admitted_on, discharged_on=e.discharged_on)
    rules.check_capacity(shift.code, shift.capacity, len(places))


@transaction.atomic
def do_create_shift(organisation: Organisation, data: dict[str, Any], *, actor: Actor) -> Shift:
    department = data.get("department")
    _require(actor, organisation.pk, department.pk if department else None)
    _check_day_stay(organisation.pk, department)
    rules.check_shift(data["start"], data["end"], data.get("capacity"))
    return create_object(Shift(organisation=organisation, **data), actor=actor)


@transaction.atomic
def do_update_shift(shift: Shift, data: dict[str, Any], *, actor: Actor) -> Shift:
    _require(actor, shift.organisation_id, shift.department_id)
    department = data.get("department", shift.department)
    _require(actor, shift.organisation_id, department.pk if department else None)
    _check_day_stay(shift.organisation_id, department)
    rules.check_shift(data.get("start", shift.start), data.get("end", shift.end), data.get("capacity", shift.capacity))
    saved = update_object(shift, data, actor=actor)
    _check_places(saved)  # a DomainError here rolls the update back
    return saved


@transaction.atomic
def do_enrol_for_shift(shift: Shift, enrolment: Enrolment, *, actor: Actor) -> ShiftEnrolment:
    """Put a day-stay enrolment on a shift: same department, dates that meet, within the capacity."""
    _require(actor, shift.organisation_id, shift.department_id)
    Shift.objects.select_for_update().filter(pk=shift.pk).first()  # one enrolment at a time against the capacity
    if enrolment.organisation_id != shift.organisation_id:
        raise DomainError(_("The person belongs to another organisation."), field="enrolment")
    if ShiftEnrolment.objects.filter(enrolment=enrolment).exists():
        raise DomainError(_("This enrolment is already on a shift."), field="enrolment")
    rules.check_shift_enrolment(shift_code=shift.code, shift_department_id=shift.department_id, start=shift.start,
                                end=shift.end, department_id=enrolment.department_id,
                                admitted_on=enrolment.admitted_on, discharged_on=enrolment.discharged_on)
    rules.check_capacity(shift.code, shift.capacity, shift.places.count() + 1)
    return create_object(ShiftEnrolment(organisation_id=shift.organisation_id, shift=shift, enrolment=enrolment),
                         actor=actor)


def do_remove_from_shift(place: ShiftEnrolment, *, actor: Actor) -> None:
    _require(actor, place.organisation_id, place.shift.department_id)
    delete_object(place, actor=actor)


# ---- the mobile brigade -------------------------------------------------------------------------------------------
def _check_trip(organisation_id: int, data: dict[str, Any]) -> None:
    settlement = data.get("settlement")
    if settlement is not None and settlement.organisation_id != organisation_id:
        raise DomainError(_("The settlement belongs to another organisation."), field="settlement")
    if any(m.organisation_id != organisation_id for m in data.get("members") or ()):
        raise DomainError(_("A member of the brigade works in another organisation."), field="members")


def do_create_brigade_trip(organisation: Organisation, data: dict[str, Any], *, actor: Actor) -> BrigadeTrip:
    """A trip of the mobile brigade; whoever records services in the organisation records trips (the brigade
    gathers specialists of several departments)."""
    require(actor, Perm.RECORD_SERVICES, organisation.pk)
    _check_trip(organisation.pk, data)
    values = {k: v for k, v in data.items() if k != "members"}
    return create_object(BrigadeTrip(organisation=organisation, **values), actor=actor,
                         m2m={"members": list(data.get("members") or ())})


@transaction.atomic
def do_update_brigade_trip(trip: BrigadeTrip, data: dict[str, Any], *, actor: Actor) -> BrigadeTrip:
    require(actor, Perm.RECORD_SERVICES, trip.organisation_id)
    _check_trip(trip.organisation_id, data)
    if "date" in data and data["date"] != trip.date and trip.lines.exists():
        raise DomainError(_("The trip has journal lines of its date: detach them before changing the date."),
                          field="date")
    values = {k: v for k, v in data.items() if k != "members"}
    m2m = {"members": list(data["members"])} if "members" in data else None
    return update_object(trip, values, actor=actor, m2m=m2m)


@transaction.atomic
def do_attach_lines(trip: BrigadeTrip, delivery_ids: list[int], *, actor: Actor) -> int:
    """Join journal lines (of the trip's date, that the actor may see, on no other trip) to a trip; answers how
    many were attached. The lines stay in the journal: the trip only names where they were delivered."""
    require(actor, Perm.RECORD_SERVICES, trip.organisation_id)
    lines = list(deliveries_for(actor).filter(organisation_id=trip.organisation_id, pk__in=delivery_ids)
                 .values_list("id", "date"))
    if len(lines) != len(set(delivery_ids)):
        raise DomainError(_("Unknown journal line."), field="delivery_ids")
    for _pk, day in lines:
        rules.check_trip_line(trip.code, trip.date, day)
    taken = set(BrigadeTripLine.objects.filter(delivery_id__in=[pk for pk, _d in lines]).values_list(
        "delivery_id", flat=True))
    if taken:
        raise DomainError(_("A journal line is already on a trip."), field="delivery_ids")
    for pk, _day in lines:
        create_object(BrigadeTripLine(organisation_id=trip.organisation_id, trip=trip, delivery_id=pk), actor=actor)
    return len(lines)


def do_detach_line(line: BrigadeTripLine, *, actor: Actor) -> None:
    require(actor, Perm.RECORD_SERVICES, line.organisation_id)
    delete_object(line, actor=actor)
