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
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.activities import queries, rules
from opora.activities.models import Event, Group, GroupMember, Session, TaxiTariff, TaxiTrip
from opora.audit.log import log_event
from opora.audit.models import EventType
from opora.core.actions import create_object, require, update_object
from opora.lib.errors import DomainError
from opora.org.models import Department, Organisation
from opora.people.models import Recipient
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
