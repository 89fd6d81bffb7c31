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
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from opora.activities import rules
from opora.activities.models import Event, Group, GroupMember, Session, TaxiTrip
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
    return counts
