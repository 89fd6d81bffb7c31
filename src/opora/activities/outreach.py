"""The bulk entry point of day-stay shifts and mobile-brigade trips, with their joins to Part 1: the exchange import
(exchange/outreach.py) and the demo write here.

Shifts and trips come keyed by their codes; the joins by the id of the enrolment (→ shift code) and of the journal
line (→ trip code), written after the enrolments and the journal lines themselves, in bulk (a few queries, whatever
the number of rows). The rules are those of the actions (activities/rules.py): a shift that ends before it starts,
an enrolment of another department or whose dates do not meet the shift's, a shift over its capacity, a line not
of its trip's date raise DomainError and nothing is written (the caller's transaction rolls back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from opora.activities import rules
from opora.activities.bulk import BATCH, _upsert
from opora.activities.models import BrigadeTrip, BrigadeTripLine, Shift, ShiftEnrolment
from opora.delivery.models import Delivery
from opora.people.models import Enrolment


@dataclass
class OutreachBatch:
    """Rows to write by key; values are the model's field values (ids resolved)."""

    shifts: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → {department_id, start, end, capacity}
    places: dict[int, str] = field(default_factory=dict)  # enrolment id → shift code
    # code → {date, settlement_id, purpose, member_ids (a tuple of employee ids)}
    trips: dict[str, dict[str, Any]] = field(default_factory=dict)
    trip_lines: dict[int, str] = field(default_factory=dict)  # journal line id → trip code


def _check_places(organisation_id: int, shifts: dict[str, dict[str, Any]], places: dict[int, str]) -> None:
    enrolments = {pk: (d, a, dis) for pk, d, a, dis in Enrolment.objects.filter(
        organisation_id=organisation_id, pk__in=list(places)).values_list(
        "id", "department_id", "admitted_on", "discharged_on")}
    for pk, code in places.items():
        s = shifts[code]
        d, admitted, discharged = enrolments[pk]
        rules.check_shift_enrolment(shift_code=code, shift_department_id=s["department_id"], start=s["start"],
                                    end=s["end"], department_id=d, admitted_on=admitted, discharged_on=discharged)


@transaction.atomic
def write(organisation_id: int, batch: OutreachBatch) -> dict[str, tuple[int, int]]:
    """Write a batch for one organisation; answers (created, updated) per kind of row."""
    counts: dict[str, tuple[int, int]] = {}
    for values in batch.shifts.values():
        rules.check_shift(values["start"], values["end"], values.get("capacity"))
    fields = ("id", "code", "department_id", "start", "end", "capacity")
    existing = {s["code"]: s for s in Shift.objects.filter(organisation_id=organisation_id).values(*fields)}
    counts["shifts"] = _upsert(Shift, existing, batch.shifts,
                               lambda code, v: Shift(organisation_id=organisation_id, code=code, **v))
    counts["places"] = (0, 0)
    if batch.places or batch.shifts:
        shifts = {s["code"]: s for s in Shift.objects.filter(organisation_id=organisation_id).values(*fields)}
        current = dict(ShiftEnrolment.objects.filter(organisation_id=organisation_id).values_list(
            "enrolment_id", "shift__code"))
        merged = {**current, **batch.places}
        # every enrolment on a shift (kept or new) meets the shift's dates, within its capacity
        _check_places(organisation_id, shifts, merged)
        taken: dict[str, int] = {}
        for code in merged.values():
            taken[code] = taken.get(code, 0) + 1
        for code, n in sorted(taken.items()):
            rules.check_capacity(code, shifts[code]["capacity"], n)
        moved = [pk for pk, code in batch.places.items() if pk in current and current[pk] != code]
        if moved:
            ShiftEnrolment.objects.filter(enrolment_id__in=moved).delete()
        new = [ShiftEnrolment(organisation_id=organisation_id, shift_id=shifts[code]["id"], enrolment_id=pk)
               for pk, code in batch.places.items() if current.get(pk) != code]
        ShiftEnrolment.objects.bulk_create(new, batch_size=BATCH)
        counts["places"] = (len(new) - len(moved), len(moved))

    trip_fields = ("id", "code", "date", "settlement_id", "purpose")
    existing = {t["code"]: t for t in BrigadeTrip.objects.filter(organisation_id=organisation_id).values(*trip_fields)}
    plain = {code: {k: v for k, v in t.items() if k != "member_ids"} for code, t in batch.trips.items()}
    counts["brigade_trips"] = _upsert(BrigadeTrip, existing, plain,
                                      lambda code, v: BrigadeTrip(organisation_id=organisation_id, code=code, **v))
    trips = {t["code"]: t for t in BrigadeTrip.objects.filter(organisation_id=organisation_id).values(*trip_fields)}
    if batch.trips:
        through = BrigadeTrip.members.through
        ids = [trips[code]["id"] for code in batch.trips]
        have: dict[int, set[int]] = {}
        for tid, eid in through.objects.filter(brigadetrip_id__in=ids).values_list("brigadetrip_id", "employee_id"):
            have.setdefault(tid, set()).add(eid)
        add, changed = [], []
        for code, t in batch.trips.items():
            tid = trips[code]["id"]
            want = set(t.get("member_ids") or ())
            if want != have.get(tid, set()):
                changed.append(tid)
                add += [through(brigadetrip_id=tid, employee_id=e) for e in sorted(want)]
        if changed:
            through.objects.filter(brigadetrip_id__in=changed).delete()
            through.objects.bulk_create(add, batch_size=BATCH)
        created, updated = counts["brigade_trips"]
        existing_changed = len([tid for tid in changed if tid in {e["id"] for e in existing.values()}])
        counts["brigade_trips"] = (created, max(updated, existing_changed))

    counts["trip_lines"] = (0, 0)
    if batch.trip_lines:
        days = dict(Delivery.objects.filter(organisation_id=organisation_id, pk__in=list(batch.trip_lines))
                    .values_list("id", "date"))
        for pk, code in batch.trip_lines.items():
            rules.check_trip_line(code, trips[code]["date"], days[pk])
        current_lines = dict(BrigadeTripLine.objects.filter(delivery_id__in=list(batch.trip_lines)).values_list(
            "delivery_id", "trip__code"))
        moved = [pk for pk, code in batch.trip_lines.items() if pk in current_lines and current_lines[pk] != code]
        if moved:
            BrigadeTripLine.objects.filter(delivery_id__in=moved).delete()
        new_lines = [BrigadeTripLine(organisation_id=organisation_id, trip_id=trips[code]["id"], delivery_id=pk)
                     for pk, code in batch.trip_lines.items() if current_lines.get(pk) != code]
        BrigadeTripLine.objects.bulk_create(new_lines, batch_size=BATCH)
        counts["trip_lines"] = (len(new_lines) - len(moved), len(moved))
    return counts


def delete(organisation_id: int) -> None:
    """Remove the organisation's shifts and trips with their joins (the demo's reset)."""
    BrigadeTripLine.objects.filter(organisation_id=organisation_id).delete()
    BrigadeTrip.objects.filter(organisation_id=organisation_id).delete()
    ShiftEnrolment.objects.filter(organisation_id=organisation_id).delete()
    Shift.objects.filter(organisation_id=organisation_id).delete()
