"""The exchange files of day-stay shifts and the mobile brigade (EXCHANGE.md Part 2): `shifts`, `brigade_trips`, and
the optional columns that join them to Part 1: `enrolments.shift_code` and `deliveries.trip_code`.

`validate(v)` runs once from Validator.run, after the enrolments and the journal were checked: validate.py only
notes, for the rows that carry one, the shift or trip code and the row's line (`plan.enrolment_shifts`,
`plan.delivery_trips`: nothing more happens per journal line, the journal's import stays as fast). An unknown code,
an enrolment of another department or whose dates do not meet the shift's, a shift over its capacity and a line not
of its trip's date are problems naming the file, line and column; nothing is written then.
`load(loader)` writes through activities.outreach.write after the enrolments and the journal lines exist, joining
them by their natural keys in bulk. `export(...)` writes both files when the organisation holds such rows;
`shift_codes` / `trip_codes` give the optional columns of the enrolments and the journal.

`shifts.capacity` is an Opora extension (optional; the number of places of the intake).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from opora.activities import outreach, rules
from opora.activities.models import BrigadeTrip, BrigadeTripLine, Shift, ShiftEnrolment
from opora.core.reference import DepartmentKind
from opora.delivery.models import Delivery
from opora.exchange.spec import MULTI
from opora.lib.errors import DomainError
from opora.people.models import Enrolment

if TYPE_CHECKING:
    from opora.exchange.export import Writer
    from opora.exchange.load import Loader
    from opora.exchange.validate import Validator
    from opora.org.models import Organisation

FILES = ("shifts", "brigade_trips")
SHIFTS_HEADER = ["code", "department_code", "start", "end", "capacity"]
TRIPS_HEADER = ["code", "date", "settlement", "members", "purpose"]


@dataclass
class OutreachPlan:
    shifts: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → {department, start, end, capacity}
    trips: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → {date, settlement, members, purpose}
    places: dict[tuple[str, str, datetime.date], str] = field(default_factory=dict)  # enrolment key → shift code
    lines: list[tuple[int, str]] = field(default_factory=list)  # (index in plan.deliveries, trip code)

    def __bool__(self) -> bool:
        return bool(self.shifts or self.trips or self.places or self.lines)


def _day(v: Validator, file: str, line: int, row: dict[str, str], column: str) -> datetime.date | None:
    """A date that may lie in the future (a planned shift or trip)."""
    if not row[column]:
        return None
    parsed = v._parse_date(row[column], future=True)
    if isinstance(parsed, str):
        v.problems.add(file, line, column, parsed)
        return None
    return parsed


def validate(v: Validator) -> None:
    plan = v.plan.outreach = OutreachPlan()
    enrolment_shifts: dict[tuple[str, str, datetime.date], tuple[str, int]] = v.plan.enrolment_shifts
    delivery_trips: list[tuple[int, str, int]] = v.plan.delivery_trips
    if not (any(name in v.tables for name in FILES) or enrolment_shifts or delivery_trips):
        return
    org_id = v.existing.organisation_id
    # shifts: code → (department code, start, end, capacity), the database's then the file's
    shifts: dict[str, tuple[str, datetime.date, datetime.date, int | None]] = {}
    trips: dict[str, datetime.date] = {}
    if org_id is not None:
        for code, dept, start, end, capacity in Shift.objects.filter(organisation_id=org_id).values_list(
                "code", "department__code", "start", "end", "capacity"):
            shifts[code] = (dept, start, end, capacity)
        trips = dict(BrigadeTrip.objects.filter(organisation_id=org_id).values_list("code", "date"))
    _shifts(v, plan)
    shifts.update({c: (s["department"], s["start"], s["end"], s["capacity"]) for c, s in plan.shifts.items()})
    _trips(v, plan)
    trips.update({c: t["date"] for c, t in plan.trips.items()})

    file = v.plan.files.get("enrolments", "")
    # the places already held (by person id, department code, admission) and the file's, for the capacity
    places: dict[tuple[Any, str, datetime.date], str] = {}
    if org_id is not None:
        for rid, dept, admitted, code in ShiftEnrolment.objects.filter(organisation_id=org_id).values_list(
                "enrolment__recipient_id", "enrolment__department__code", "enrolment__admitted_on", "shift__code"):
            places[(rid, dept, admitted)] = code
    lines_of: dict[str, list[int]] = {}
    for key, (code, line) in enrolment_shifts.items():
        ref, dept, admitted = key
        shift = shifts.get(code)
        if shift is None:
            v.problems.add(file, line, "shift_code", _("Unknown shift «%(code)s».") % {"code": code})
            continue
        try:
            rules.check_shift_enrolment(shift_code=code, shift_department_id=shift[0], start=shift[1], end=shift[2],
                                        department_id=dept, admitted_on=admitted,
                                        discharged_on=v.plan.enrolments[key]["discharged_on"])
        except DomainError as exc:
            v.problems.add(file, line, "shift_code", exc.message)
            continue
        plan.places[key] = code
        places[(v.person.get(ref, ref), dept, admitted)] = code
        lines_of.setdefault(code, []).append(line)
    taken: dict[str, int] = {}
    for code in places.values():
        taken[code] = taken.get(code, 0) + 1
    for code, n in sorted(taken.items()):
        try:
            rules.check_capacity(code, shifts[code][3], n)
        except DomainError as exc:
            for line in lines_of.get(code, [])[:1]:
                v.problems.add(file, line, "shift_code", exc.message)

    file = v.plan.files.get("deliveries", "")
    for index, code, line in delivery_trips:
        day = trips.get(code)
        if day is None:
            v.problems.add(file, line, "trip_code", _("Unknown brigade trip «%(code)s».") % {"code": code})
            continue
        try:
            rules.check_trip_line(code, day, v.plan.deliveries[index][3])
        except DomainError as exc:
            v.problems.add(file, line, "trip_code", exc.message)
            continue
        plan.lines.append((index, code))


def _shifts(v: Validator, plan: OutreachPlan) -> None:
    file = v.plan.files.get("shifts", "")
    lines: dict[str, int] = {}
    for line, row in v.rows("shifts"):
        ok = v._required(file, line, row, ("code", "department_code", "start", "end"))
        ok &= v._code(file, line, row, "department_code", v.department_kinds, _("Unknown department «%(code)s»."))
        if ok and v.department_kinds.get(row["department_code"]) != DepartmentKind.DAY_STAY:
            v.problems.add(file, line, "department_code", _("A shift belongs to a day-stay department."))
            ok = False
        start, end = _day(v, file, line, row, "start"), _day(v, file, line, row, "end")
        capacity = None
        if row["capacity"]:
            try:
                capacity = v.integer(row["capacity"], 1)
            except ValueError as exc:
                v.problems.add(file, line, "capacity", str(exc))
                ok = False
        if start is None or end is None:
            continue
        try:
            rules.check_shift(start, end, capacity)
        except DomainError as exc:
            v.problems.add(file, line, exc.field or "end", exc.message)
            ok = False
        code = row["code"]
        if code in lines:
            v._duplicate(file, line, "code", code, lines[code])
            continue
        lines[code] = line
        if ok:
            plan.shifts[code] = {"department": row["department_code"], "start": start, "end": end,
                                 "capacity": capacity}


def _trips(v: Validator, plan: OutreachPlan) -> None:
    file = v.plan.files.get("brigade_trips", "")
    lines: dict[str, int] = {}
    for line, row in v.rows("brigade_trips"):
        ok = v._required(file, line, row, ("code", "date", "settlement"))
        day = _day(v, file, line, row, "date")
        members = tuple(dict.fromkeys(t.strip() for t in row["members"].split(MULTI) if t.strip()))
        for tab in members:
            if tab not in v.known_workers:
                v.problems.add(file, line, "members", _("Unknown worker «%(code)s».") % {"code": tab})
                ok = False
        code = row["code"]
        if code in lines:
            v._duplicate(file, line, "code", code, lines[code])
            continue
        lines[code] = line
        if ok and day is not None:
            plan.trips[code] = {"date": day, "settlement": row["settlement"], "members": members,
                                "purpose": row["purpose"]}


def load(loader: Loader) -> None:
    """Write the checked rows through activities.outreach.write; counts per file into the loader's counts."""
    plan: OutreachPlan | None = getattr(loader.plan, "outreach", None)
    if not plan:
        return
    org_id = loader.org.pk
    dept, people = loader.department_ids, loader.recipient_ids
    settlements = loader.settlements(t["settlement"] for t in plan.trips.values()) if plan.trips else {}
    batch = outreach.OutreachBatch(
        shifts={code: {"department_id": dept[s["department"]], "start": s["start"], "end": s["end"],
                       "capacity": s["capacity"]} for code, s in plan.shifts.items()},
        trips={code: {"date": t["date"], "settlement_id": settlements[t["settlement"]], "purpose": t["purpose"],
                      "member_ids": tuple(loader.worker_ids[tab] for tab in t["members"])}
               for code, t in plan.trips.items()})
    if plan.places:
        ids = {(r, d, a): pk for r, d, a, pk in Enrolment.objects.filter(organisation_id=org_id).values_list(
            "recipient_id", "department_id", "admitted_on", "id")}
        batch.places = {ids[(people[ref], dept[d], admitted)]: code for (ref, d, admitted), code in plan.places.items()}
    if plan.lines:
        batch.trip_lines = _line_ids(loader, plan.lines)
    counts = outreach.write(org_id, batch)
    for name, kind in (("shifts", "shifts"), ("brigade_trips", "brigade_trips")):
        if name in loader.plan.files:
            created, updated = counts[kind]
            entry = loader.counts.setdefault(loader.file(name), {"created": 0, "updated": 0})
            entry["created"] += created
            entry["updated"] += updated


def _line_ids(loader: Loader, lines: list[tuple[int, str]]) -> dict[int, str]:
    """The ids of the journal lines that carry a trip code, by their natural key (person, department, service, date,
    worker, seq — seq numbered as the loader numbers identical lines). Only the days of those lines are walked."""
    rows = loader.plan.deliveries
    wanted = dict(lines)
    days = {rows[i][3] for i in wanted}
    r_ids, d_ids, s_ids, w_ids = loader.recipient_ids, loader.department_ids, loader.service_ids, loader.worker_ids
    seqs: dict[tuple, int] = {}
    keys: dict[tuple, str] = {}
    for i, row in enumerate(rows):
        if row[3] not in days:
            continue
        five = (r_ids[row[0]], d_ids[row[1]], s_ids[row[2]], row[3], w_ids[row[4]] if row[4] else None)
        seq = seqs.get(five, 0)
        seqs[five] = seq + 1
        code = wanted.get(i)
        if code is not None:
            keys[(*five, seq)] = code
    found = {(r, d, s, day, w, seq): pk for r, d, s, day, w, seq, pk in Delivery.objects.filter(
        organisation_id=loader.org.pk, date__in=sorted(days)).values_list(
        "recipient_id", "department_id", "service_id", "date", "worker_id", "seq", "id")}
    return {found[key]: code for key, code in keys.items()}


def shift_codes(organisation_id: int) -> dict[int, str]:
    """enrolment id → its shift's code (the optional column enrolments.shift_code)."""
    return dict(ShiftEnrolment.objects.filter(organisation_id=organisation_id).values_list("enrolment_id",
                                                                                           "shift__code"))


def trip_codes(organisation_id: int) -> dict[int, str]:
    """journal line id → its trip's code (the optional column deliveries.trip_code)."""
    return dict(BrigadeTripLine.objects.filter(organisation_id=organisation_id).values_list("delivery_id",
                                                                                            "trip__code"))


def export(organisation: Organisation, w: Writer, dept: dict[int, str]) -> dict[str, int]:
    """Write `shifts` and `brigade_trips` when the organisation holds such rows."""
    org = organisation
    counts: dict[str, int] = {}
    if Shift.objects.filter(organisation=org).exists():
        counts["shifts"] = w.write("shifts", (
            [code, dept[d], start, end, capacity] for code, d, start, end, capacity in Shift.objects.filter(
                organisation=org).order_by("start", "code").values_list("code", "department_id", "start", "end",
                                                                        "capacity")))
    if BrigadeTrip.objects.filter(organisation=org).exists():
        members: dict[int, list[str]] = {}
        for tid, tab in BrigadeTrip.members.through.objects.filter(brigadetrip__organisation=org).order_by(
                "employee__tab_no").values_list("brigadetrip_id", "employee__tab_no"):
            members.setdefault(tid, []).append(tab)
        counts["brigade_trips"] = w.write("brigade_trips", (
            [code, day, settlement, MULTI.join(members.get(pk, [])), purpose]
            for pk, code, day, settlement, purpose in BrigadeTrip.objects.filter(organisation=org).order_by(
                "date", "code").values_list("id", "code", "date", "settlement__name", "purpose")))
    return counts
