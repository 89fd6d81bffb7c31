"""The bulk entry point of groups, members, sessions and events: the exchange import and the demo write here.

Rows come keyed by their natural keys (a group's or an event's code; a membership by group code and person; a
session by group code and date) and are created or updated (no query per row). The rules are those of the
actions (activities/rules.py): a span that ends before it starts and an attendance above the group's members
on the session's date raise DomainError and nothing is written (the caller's transaction rolls back).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from opora.activities import rules
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
from opora.lib.errors import DomainError

BATCH = 5000

GroupKey = str
MemberKey = tuple[str, int]  # (group code, recipient id)
SessionKey = tuple[str, datetime.date]  # (group code, date)


@dataclass
class Batch:
    """The rows to write, by key; values are the model's field values (ids resolved)."""

    groups: dict[GroupKey, dict[str, Any]] = field(default_factory=dict)
    members: dict[MemberKey, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[SessionKey, dict[str, Any]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (recipient id, date, destination, seq) → {out_of_district, km, amount, driver_id}
    taxi_trips: dict[tuple[int, datetime.date, str, int], dict[str, Any]] = field(default_factory=dict)
    # issue 13, the rental point and volunteers (see write_rental_and_volunteers)
    rental_items: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → {name, kind, inventory_no}
    # (item code, issued_on) → {recipient_id, due_on, returned_on, amount, worker_id}
    rentals: dict[tuple[str, datetime.date], dict[str, Any]] = field(default_factory=dict)
    volunteers: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → {full_name, kind, joined_on}
    # (volunteer code, date, seq) → {hours, recipient_id, activity}
    volunteer_work: dict[tuple[str, datetime.date, int], dict[str, Any]] = field(default_factory=dict)


def _upsert(model: type[models.Model], existing: Mapping[Any, Mapping[str, Any]], wanted: dict[Any, dict[str, Any]],
            make: Any) -> tuple[int, int]:
    new, changed, fields = [], [], set()
    for key, values in wanted.items():
        old = existing.get(key)
        if old is None:
            new.append(make(key, values))
            continue
        diff = {f: v for f, v in values.items() if old.get(f) != v}
        if diff:
            changed.append(model(pk=old["id"], **{**{f: old[f] for f in values}, **values}))
            fields |= set(values)
    model._default_manager.bulk_create(new, batch_size=BATCH)
    if changed:
        model._default_manager.bulk_update(changed, sorted(fields), batch_size=BATCH)
    return len(new), len(changed)


@transaction.atomic
def write(organisation_id: int, batch: Batch) -> dict[str, tuple[int, int]]:
    """Write a batch for one organisation; answers (created, updated) per kind of row."""
    counts: dict[str, tuple[int, int]] = {}
    for values in batch.groups.values():
        rules.check_span(values.get("start"), values.get("end"))
    for values in batch.members.values():
        rules.check_span(values.get("joined_on"), values.get("left_on"), field="left_on")
    for values in batch.events.values():
        rules.check_participants(values["participants"])

    group_fields = ("id", "code", "name", "kind", "department_id", "start", "end")
    existing = {g["code"]: g for g in Group.objects.filter(organisation_id=organisation_id).values(*group_fields)}
    counts["groups"] = _upsert(Group, existing, batch.groups,
                               lambda code, v: Group(organisation_id=organisation_id, code=code, **v))
    group_ids: dict[str, int] = dict(Group.objects.filter(organisation_id=organisation_id)
                                     .values_list("code", "id"))
    code_of = {pk: code for code, pk in group_ids.items()}

    members = {(code_of[m["group_id"]], m["recipient_id"]): m for m in GroupMember.objects.filter(
        organisation_id=organisation_id).values("id", "group_id", "recipient_id", "joined_on", "left_on")}
    counts["group_members"] = _upsert(
        GroupMember, members, batch.members,
        lambda key, v: GroupMember(organisation_id=organisation_id, group_id=group_ids[key[0]],
                                   recipient_id=key[1], **v))

    if batch.sessions:
        spans: dict[str, list[rules.Span]] = {}
        for gid, joined, left in GroupMember.objects.filter(organisation_id=organisation_id).values_list(
                "group_id", "joined_on", "left_on"):
            spans.setdefault(code_of[gid], []).append(rules.Span(joined, left))
        for (code, day), values in batch.sessions.items():
            rules.check_attendance(values["attendance"], rules.members_on(spans.get(code, ()), day), day)
    sessions = {(code_of[s["group_id"]], s["date"]): s for s in Session.objects.filter(
        organisation_id=organisation_id).values("id", "group_id", "date", "attendance", "topic")}
    counts["sessions"] = _upsert(
        Session, sessions, batch.sessions,
        lambda key, v: Session(organisation_id=organisation_id, group_id=group_ids[key[0]], date=key[1], **v))

    event_fields = ("id", "code", "date", "name", "kind", "department_id", "participants")
    events = {e["code"]: e for e in Event.objects.filter(organisation_id=organisation_id).values(*event_fields)}
    counts["events"] = _upsert(Event, events, batch.events,
                               lambda code, v: Event(organisation_id=organisation_id, code=code, **v))

    for values in batch.taxi_trips.values():
        if values["amount"] < 0 or (values.get("km") is not None and values["km"] < 0):
            raise DomainError(_("The amount cannot be negative."), field="amount")
    trips = {(t["recipient_id"], t["date"], t["destination"], t["seq"]): t for t in TaxiTrip.objects.filter(
        organisation_id=organisation_id).values("id", "recipient_id", "date", "destination", "seq",
                                                "out_of_district", "km", "amount", "driver_id")}
    counts["taxi_trips"] = _upsert(
        TaxiTrip, trips, batch.taxi_trips,
        lambda key, v: TaxiTrip(organisation_id=organisation_id, recipient_id=key[0], date=key[1],
                                destination=key[2], seq=key[3], **v))
    counts.update(write_rental_and_volunteers(organisation_id, batch))
    return counts


# ---- the rental point and volunteers (issue 13) -------------------------------------------------------------------
def write_rental_and_volunteers(organisation_id: int, batch: Batch) -> dict[str, tuple[int, int]]:
    """Items by code, rentals by (item code, issue date), volunteers by code, their work by (volunteer code, date,
    seq). Checked before anything is written, over the rows held and the batch together: a return or an expected
    return before the issue, a negative amount, an item issued twice at once, hours outside 0 < h ≤ 24 or over 24
    on one date for one volunteer. Rentals are updated before new ones are created (a return recorded and the
    next issue of the same item in one batch)."""
    counts: dict[str, tuple[int, int]] = {}
    for (_code, issued), values in batch.rentals.items():
        rules.check_return(issued, values.get("returned_on"))
        rules.check_due(issued, values.get("due_on"))
        rules.check_rental_amount(values.get("amount") or Decimal("0"))
    for values in batch.volunteer_work.values():
        rules.check_hours(values["hours"])

    item_fields = ("id", "code", "name", "kind", "inventory_no")
    items = {i["code"]: i for i in RentalItem.objects.filter(organisation_id=organisation_id).values(*item_fields)}
    counts["rental_items"] = _upsert(RentalItem, items, batch.rental_items,
                                     lambda code, v: RentalItem(organisation_id=organisation_id, code=code, **v))
    item_ids: dict[str, int] = dict(RentalItem.objects.filter(organisation_id=organisation_id)
                                    .values_list("code", "id"))
    item_code = {pk: code for code, pk in item_ids.items()}
    held = {(item_code[r["item_id"]], r["issued_on"]): r for r in Rental.objects.filter(
        organisation_id=organisation_id).values("id", "item_id", "issued_on", "recipient_id", "due_on",
                                                "returned_on", "amount", "worker_id")}
    if batch.rentals:
        loans: dict[str, list[tuple[datetime.date, datetime.date | None]]] = {}
        merged: dict[tuple[str, datetime.date], Mapping[str, Any]] = {**held, **batch.rentals}
        for (code, issued), row in merged.items():
            loans.setdefault(code, []).append((issued, row.get("returned_on")))
        for _code, spans in loans.items():
            spans.sort()
            for i, (issued, returned) in enumerate(spans[1:]):
                rules.check_free(rules.Loan(issued, returned), [rules.Loan(*spans[i])])
    new = {k: v for k, v in batch.rentals.items() if k not in held}
    changed = _upsert(Rental, held, {k: v for k, v in batch.rentals.items() if k in held}, None)
    created, _n = _upsert(Rental, {}, new, lambda key, v: Rental(
        organisation_id=organisation_id, item_id=item_ids[key[0]], issued_on=key[1], **v))
    counts["rentals"] = (created, changed[1])

    volunteer_fields = ("id", "code", "full_name", "kind", "joined_on")
    volunteers = {v["code"]: v for v in Volunteer.objects.filter(organisation_id=organisation_id)
                  .values(*volunteer_fields)}
    counts["volunteers"] = _upsert(Volunteer, volunteers, batch.volunteers,
                                   lambda code, v: Volunteer(organisation_id=organisation_id, code=code, **v))
    volunteer_ids: dict[str, int] = dict(Volunteer.objects.filter(organisation_id=organisation_id)
                                         .values_list("code", "id"))
    volunteer_code = {pk: code for code, pk in volunteer_ids.items()}
    work = {(volunteer_code[w["volunteer_id"]], w["date"], w["seq"]): w for w in VolunteerWork.objects.filter(
        organisation_id=organisation_id).values("id", "volunteer_id", "date", "seq", "hours", "recipient_id",
                                                "activity")}
    if batch.volunteer_work:
        per_day: dict[tuple[str, datetime.date], Decimal] = {}
        all_work: dict[tuple[str, datetime.date, int], Mapping[str, Any]] = {**work, **batch.volunteer_work}
        for (code, day, _seq), row in all_work.items():
            already = per_day.get((code, day), Decimal("0"))
            rules.check_hours(row["hours"], already, day)
            per_day[(code, day)] = already + (row["hours"] or Decimal("0"))
    counts["volunteer_work"] = _upsert(
        VolunteerWork, work, batch.volunteer_work,
        lambda key, v: VolunteerWork(organisation_id=organisation_id, volunteer_id=volunteer_ids[key[0]],
                                     date=key[1], seq=key[2], **v))
    return counts
