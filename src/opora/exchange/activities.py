"""The exchange files of the services beyond casework (EXCHANGE.md Part 2): groups, group_members, sessions, events.

`validate(validator)` checks their rows (called once from Validator.run) into `plan.activities`;
`load(loader)` writes them through the domain's bulk entry point, activities.bulk.write (called once from
Loader.run); `export(organisation, writer, ext, dept)` writes them (from export_directory) when the
organisation holds such records. The rules are those of the web forms (activities/rules.py): an end before a
start, an attendance above the group's members on the session's date, unknown codes and people, duplicates.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from opora.activities import bulk, rules
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
from opora.org.models import Employee

if TYPE_CHECKING:
    from opora.exchange.export import Writer
    from opora.exchange.load import Loader
    from opora.exchange.validate import Validator
    from opora.org.models import Organisation

FILES = ("groups", "group_members", "sessions", "events", "taxi_trips")
RENTAL_FILES = ("rental_items", "rentals", "volunteers", "volunteer_work")  # issue 13


@dataclass
class ActivitiesPlan:
    """Checked rows by natural key; department codes and recipient_ids are resolved when written."""

    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (group code, recipient_id)
    sessions: dict[tuple[str, datetime.date], dict[str, Any]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (recipient_id, date, destination, seq) → {out_of_district, km, amount, worker_tab_no}
    taxi_trips: dict[tuple[str, datetime.date, str, int], dict[str, Any]] = field(default_factory=dict)
    # issue 13: items by code; rentals by (item code, issued_on); volunteers by code; work by (code, date, seq)
    rental_items: dict[str, dict[str, Any]] = field(default_factory=dict)
    rentals: dict[tuple[str, datetime.date], dict[str, Any]] = field(default_factory=dict)
    volunteers: dict[str, dict[str, Any]] = field(default_factory=dict)
    volunteer_work: dict[tuple[str, datetime.date, int], dict[str, Any]] = field(default_factory=dict)


def _codes(choices: Any) -> set[str]:
    return {str(v) for v in choices.values}


def _any_date(v: Validator, file: str, line: int, row: dict[str, str], column: str) -> datetime.date | None:
    """A date that may lie in the future (a group's planned end)."""
    if not row[column]:
        return None
    parsed = v._parse_date(row[column], future=True)
    if isinstance(parsed, str):
        v.problems.add(file, line, column, parsed)
        return None
    return parsed


def _span(v: Validator, file: str, line: int, start: datetime.date | None, end: datetime.date | None,
          column: str) -> bool:
    try:
        rules.check_span(start, end, field=column)
    except DomainError as exc:
        v.problems.add(file, line, column, exc.message)
        return False
    return True


def _integer(v: Validator, file: str, line: int, row: dict[str, str], column: str) -> int | None:
    try:
        return v.integer(row[column])
    except ValueError as exc:
        v.problems.add(file, line, column, str(exc))
        return None


def validate(v: Validator) -> None:
    """Check the four files into `v.plan.activities`; every problem is `file:line: column: message`."""
    plan = v.plan.activities = ActivitiesPlan()
    if not any(name in v.tables for name in FILES + RENTAL_FILES):
        return
    org_id = v.existing.organisation_id
    known_groups: set[str] = set()
    spans: dict[tuple[str, Any], rules.Span] = {}  # (group code, person: id or new recipient_id) → span
    if org_id is not None:
        known_groups = set(Group.objects.filter(organisation_id=org_id).values_list("code", flat=True))
        for code, rid, joined, left in GroupMember.objects.filter(organisation_id=org_id).values_list(
                "group__code", "recipient_id", "joined_on", "left_on"):
            spans[(code, rid)] = rules.Span(joined, left)
    departments = v.department_kinds
    _groups(v, plan, departments)
    known_groups |= set(plan.groups)
    file = v.plan.files.get("group_members", "")
    lines: dict[tuple[str, str], int] = {}
    for line, row in v.rows("group_members"):
        ok = v._required(file, line, row, ("group_code", "recipient_id"))
        if row["group_code"] and row["group_code"] not in known_groups:
            v.problems.add(file, line, "group_code", _("Unknown group «%(code)s».") % {"code": row["group_code"]})
            ok = False
        person = v.known_person(row["recipient_id"]) if row["recipient_id"] else None
        if row["recipient_id"] and person is None:
            v.problems.add(file, line, "recipient_id",
                           _("Unknown person «%(code)s».") % {"code": row["recipient_id"]})
            ok = False
        joined, left = v._date(file, line, row, "joined_on"), v._date(file, line, row, "left_on")
        ok &= _span(v, file, line, joined, left, "left_on")
        key = (row["group_code"], row["recipient_id"])
        if key in lines:
            v._duplicate(file, line, "recipient_id", row["recipient_id"], lines[key])
            continue
        lines[key] = line
        if ok:
            plan.members[key] = {"joined_on": joined, "left_on": left}
            spans[(row["group_code"], person)] = rules.Span(joined, left)
    by_group: dict[str, list[rules.Span]] = {}
    for (code, _person), span in spans.items():
        by_group.setdefault(code, []).append(span)
    _sessions(v, plan, known_groups, by_group)
    _events(v, plan, departments)
    _taxi_trips(v, plan)
    _rental(v, plan)  # issue 13
    _volunteers(v, plan)


def _decimal(v: Validator, file: str, line: int, row: dict[str, str], column: str) -> Decimal | None:
    try:
        return v.money(row[column])
    except ValueError as exc:
        v.problems.add(file, line, column, str(exc))
        return None


def _taxi_trips(v: Validator, plan: ActivitiesPlan) -> None:
    file = v.plan.files.get("taxi_trips", "")
    destinations = _codes(rules.Destination)
    seqs: Counter[tuple[str, datetime.date, str]] = Counter()
    for line, row in v.rows("taxi_trips"):
        ok = v._required(file, line, row, ("recipient_id", "date", "destination", "amount"))
        ok &= v._code(file, line, row, "destination", destinations, _("Unknown destination «%(code)s»."))
        ok &= v._code(file, line, row, "worker_tab_no", v.known_workers, _("Unknown worker «%(code)s»."))
        if row["recipient_id"] and v.known_person(row["recipient_id"]) is None:
            v.problems.add(file, line, "recipient_id", _("Unknown person «%(code)s».") % {"code": row["recipient_id"]})
            ok = False
        if row["out_of_district"] not in ("", "0", "1"):
            v.problems.add(file, line, "out_of_district", _("Expected 0 or 1."))
            ok = False
        day = v._date(file, line, row, "date")
        km = _decimal(v, file, line, row, "km") if row["km"] else None
        amount = _decimal(v, file, line, row, "amount") if row["amount"] else None
        if not ok or day is None or amount is None or (row["km"] and km is None):
            continue
        key = (row["recipient_id"], day, row["destination"])
        plan.taxi_trips[(*key, seqs[key])] = {"out_of_district": row["out_of_district"] == "1", "km": km,
                                              "amount": amount, "worker_tab_no": row["worker_tab_no"]}
        seqs[key] += 1


def _groups(v: Validator, plan: ActivitiesPlan, departments: dict[str, str]) -> None:
    file = v.plan.files.get("groups", "")
    kinds = _codes(rules.GroupKind)
    lines: dict[str, int] = {}
    for line, row in v.rows("groups"):
        ok = v._required(file, line, row, ("code", "name", "kind"))
        ok &= v._code(file, line, row, "kind", kinds, _("Unknown kind of group «%(code)s»."))
        ok &= v._code(file, line, row, "department_code", departments, _("Unknown department «%(code)s»."))
        start, end = _any_date(v, file, line, row, "start"), _any_date(v, file, line, row, "end")
        ok &= _span(v, file, line, start, end, "end")
        code = row["code"]
        if code in lines:
            v._duplicate(file, line, "code", code, lines[code])
            continue
        lines[code] = line
        if ok:
            plan.groups[code] = {"name": row["name"], "kind": row["kind"],
                                 "department": row["department_code"] or None, "start": start, "end": end}


def _sessions(v: Validator, plan: ActivitiesPlan, known_groups: set[str],
              spans: dict[str, list[rules.Span]]) -> None:
    file = v.plan.files.get("sessions", "")
    lines: dict[tuple[str, datetime.date], int] = {}
    for line, row in v.rows("sessions"):
        ok = v._required(file, line, row, ("group_code", "date", "attendance"))
        code = row["group_code"]
        if code and code not in known_groups:
            v.problems.add(file, line, "group_code", _("Unknown group «%(code)s».") % {"code": code})
            ok = False
        day = v._date(file, line, row, "date")
        attendance = _integer(v, file, line, row, "attendance") if row["attendance"] else None
        if day is None or attendance is None:
            continue
        key = (code, day)
        if key in lines:
            v._duplicate(file, line, "date", row["date"], lines[key])
            continue
        lines[key] = line
        if ok:
            try:
                rules.check_attendance(attendance, rules.members_on(spans.get(code, ()), day), day)
            except DomainError as exc:
                v.problems.add(file, line, "attendance", exc.message)
                continue
            plan.sessions[key] = {"attendance": attendance, "topic": row["topic"]}


def _events(v: Validator, plan: ActivitiesPlan, departments: dict[str, str]) -> None:
    file = v.plan.files.get("events", "")
    kinds = _codes(rules.EventKind)
    lines: dict[str, int] = {}
    for line, row in v.rows("events"):
        ok = v._required(file, line, row, ("code", "date", "name", "kind", "participants"))
        ok &= v._code(file, line, row, "kind", kinds, _("Unknown kind of event «%(code)s»."))
        ok &= v._code(file, line, row, "department_code", departments, _("Unknown department «%(code)s»."))
        day = v._date(file, line, row, "date")
        participants = _integer(v, file, line, row, "participants") if row["participants"] else None
        code = row["code"]
        if code in lines:
            v._duplicate(file, line, "code", code, lines[code])
            continue
        lines[code] = line
        if ok and day is not None and participants is not None:
            plan.events[code] = {"date": day, "name": row["name"], "kind": row["kind"],
                                 "department": row["department_code"] or None, "participants": participants}


def load(loader: Loader) -> None:
    """Write the checked rows through activities.bulk.write; counts per file into the loader's counts."""
    plan: ActivitiesPlan | None = loader.plan.activities
    if plan is None or not (plan.groups or plan.members or plan.sessions or plan.events or plan.taxi_trips
                            or plan.rental_items or plan.rentals or plan.volunteers or plan.volunteer_work):
        return
    dept = loader.department_ids
    people = loader.recipient_ids

    def resolved(values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        code = out.pop("department")
        out["department_id"] = dept[code] if code else None
        return out

    batch = bulk.Batch(
        groups={code: resolved(v) for code, v in plan.groups.items()},
        members={(code, people[ref]): v for (code, ref), v in plan.members.items()},
        sessions=dict(plan.sessions),
        events={code: resolved(v) for code, v in plan.events.items()},
        taxi_trips={(people[ref], day, dest, seq): {
            "out_of_district": t["out_of_district"], "km": t["km"], "amount": t["amount"],
            "driver_id": loader.worker_ids.get(t["worker_tab_no"]) if t["worker_tab_no"] else None}
            for (ref, day, dest, seq), t in plan.taxi_trips.items()},
        # issue 13
        rental_items=dict(plan.rental_items),
        rentals={key: {"recipient_id": people[r["recipient_id"]], "due_on": r["due_on"],
                       "returned_on": r["returned_on"], "amount": r["amount"],
                       "worker_id": loader.worker_ids.get(r["worker_tab_no"]) if r["worker_tab_no"] else None}
                 for key, r in plan.rentals.items()},
        volunteers=dict(plan.volunteers),
        volunteer_work={key: {"hours": w["hours"], "activity": w["activity"],
                              "recipient_id": people[w["recipient_id"]] if w["recipient_id"] else None}
                        for key, w in plan.volunteer_work.items()},
    )
    counts = bulk.write(loader.org.pk, batch)
    for name in FILES + RENTAL_FILES:
        if name in loader.plan.files:
            created, updated = counts[name]
            entry = loader.counts.setdefault(loader.file(name), {"created": 0, "updated": 0})
            entry["created"] += created
            entry["updated"] += updated


def export(organisation: Organisation, w: Writer, ext: dict[int, str], dept: dict[int, str]) -> dict[str, int]:
    """Write the four files when the organisation holds groups or events (else none of them)."""
    org = organisation
    counts: dict[str, int] = {}
    groups = dict(Group.objects.filter(organisation=org).values_list("id", "code"))
    if groups:
        counts["groups"] = w.write("groups", (
            [code, name, kind, dept.get(d, "") if d else "", start, end]
            for code, name, kind, d, start, end in Group.objects.filter(organisation=org).order_by("code")
            .values_list("code", "name", "kind", "department_id", "start", "end")))
        counts["group_members"] = w.write("group_members", (
            [groups[g], ext[r], joined, left] for g, r, joined, left in GroupMember.objects.filter(
                organisation=org).order_by("group__code", "id").values_list("group_id", "recipient_id", "joined_on",
                                                                            "left_on")))
        counts["sessions"] = w.write("sessions", (
            [groups[g], day, attendance, topic] for g, day, attendance, topic in Session.objects.filter(
                organisation=org).order_by("group__code", "date").values_list("group_id", "date", "attendance",
                                                                              "topic")))
    if Event.objects.filter(organisation=org).exists():
        counts["events"] = w.write("events", (
            [code, day, name, kind, participants, dept.get(d, "") if d else ""]
            for code, day, name, kind, d, participants in Event.objects.filter(organisation=org).order_by(
                "date", "code").values_list("code", "date", "name", "kind", "department_id", "participants")))
    tab = dict(Employee.objects.filter(organisation=org).values_list("id", "tab_no"))
    if TaxiTrip.objects.filter(organisation=org).exists():
        counts["taxi_trips"] = w.write("taxi_trips", (
            [ext[r], day, dest, amount, int(out), km, tab.get(d, "") if d else ""]
            for r, day, dest, out, km, amount, d in TaxiTrip.objects.filter(organisation=org).order_by(
                "recipient_id", "date", "destination", "seq").values_list(
                "recipient_id", "date", "destination", "out_of_district", "km", "amount", "driver_id")))
    counts.update(_export_rental_and_volunteers(org, w, ext, tab))  # issue 13
    return counts


# ---- the rental point and volunteers (issue 13) -------------------------------------------------------------------
def _rental(v: Validator, plan: ActivitiesPlan) -> None:
    """rental_items and rentals: known kinds, items and people; a return or an expected return before the issue;
    an item issued twice at once (over the rentals held and the file together: the later issue's line is named)."""
    file = v.plan.files.get("rental_items", "")
    kinds = _codes(rules.AidKind)
    lines: dict[str, int] = {}
    for line, row in v.rows("rental_items"):
        ok = v._required(file, line, row, ("code", "name", "kind"))
        ok &= v._code(file, line, row, "kind", kinds, _("Unknown kind of item «%(code)s»."))
        code = row["code"]
        if code in lines:
            v._duplicate(file, line, "code", code, lines[code])
            continue
        lines[code] = line
        if ok:
            plan.rental_items[code] = {"name": row["name"], "kind": row["kind"], "inventory_no": row["inventory_no"]}
    org_id = v.existing.organisation_id
    known_items = set(plan.rental_items)
    held: dict[tuple[str, datetime.date], datetime.date | None] = {}
    if org_id is not None:
        known_items |= set(RentalItem.objects.filter(organisation_id=org_id).values_list("code", flat=True))
        held = {(code, issued): returned for code, issued, returned in Rental.objects.filter(
            organisation_id=org_id).values_list("item__code", "issued_on", "returned_on")}
    file = v.plan.files.get("rentals", "")
    seen: dict[tuple[str, datetime.date], int] = {}
    for line, row in v.rows("rentals"):
        ok = v._required(file, line, row, ("item_code", "recipient_id", "issued_on"))
        ok &= v._code(file, line, row, "item_code", known_items, _("Unknown item «%(code)s»."))
        ok &= v._code(file, line, row, "worker_tab_no", v.known_workers, _("Unknown worker «%(code)s»."))
        if row["recipient_id"] and v.known_person(row["recipient_id"]) is None:
            v.problems.add(file, line, "recipient_id", _("Unknown person «%(code)s».") % {"code": row["recipient_id"]})
            ok = False
        issued, returned = v._date(file, line, row, "issued_on"), v._date(file, line, row, "returned_on")
        due = _any_date(v, file, line, row, "due_on")
        amount = _decimal(v, file, line, row, "amount") if row["amount"] else Decimal("0.00")
        if issued is None or amount is None or (row["returned_on"] and returned is None) \
                or (row["due_on"] and due is None):
            continue
        try:
            rules.check_return(issued, returned)
            rules.check_due(issued, due)
        except DomainError as exc:
            v.problems.add(file, line, exc.field or "returned_on", exc.message)
            ok = False
        key = (row["item_code"], issued)
        if key in seen:
            v._duplicate(file, line, "issued_on", row["issued_on"], seen[key])
            continue
        seen[key] = line
        if ok:
            plan.rentals[key] = {"recipient_id": row["recipient_id"], "due_on": due, "returned_on": returned,
                                 "amount": amount, "worker_tab_no": row["worker_tab_no"]}
    loans: dict[str, list[tuple[datetime.date, datetime.date | None, int | None]]] = {}
    for (code, issued), returned in held.items():
        if (code, issued) not in plan.rentals:
            loans.setdefault(code, []).append((issued, returned, None))
    for (code, issued), r in plan.rentals.items():
        loans.setdefault(code, []).append((issued, r["returned_on"], seen[(code, issued)]))
    for code, spans in loans.items():
        spans.sort(key=lambda s: (s[0], s[2] or 0))
        for before, after in zip(spans, spans[1:], strict=False):
            try:
                rules.check_free(rules.Loan(after[0], after[1]), [rules.Loan(before[0], before[1])])
            except DomainError as exc:
                named = after[2] if after[2] is not None else before[2]
                if named is not None:
                    v.problems.add(file, named, "issued_on", exc.message)
                    plan.rentals.pop((code, after[0] if after[2] is not None else before[0]), None)


def _volunteers(v: Validator, plan: ActivitiesPlan) -> None:
    """volunteers and volunteer_work: known kinds, volunteers and people; hours 0 < h ≤ 24, and a volunteer's
    hours of one date (the work held and the file together) at most 24 (the line that goes over is named)."""
    file = v.plan.files.get("volunteers", "")
    kinds = _codes(rules.VolunteerKind)
    lines: dict[str, int] = {}
    for line, row in v.rows("volunteers"):
        ok = v._required(file, line, row, ("code", "full_name"))
        ok &= v._code(file, line, row, "kind", kinds, _("Unknown kind of volunteer «%(code)s»."))
        joined = v._date(file, line, row, "joined_on")
        code = row["code"]
        if code in lines:
            v._duplicate(file, line, "code", code, lines[code])
            continue
        lines[code] = line
        if ok and (joined is not None or not row["joined_on"]):
            plan.volunteers[code] = {"full_name": row["full_name"], "kind": row["kind"] or rules.VolunteerKind.OTHER,
                                     "joined_on": joined}
    org_id = v.existing.organisation_id
    known = set(plan.volunteers)
    held: dict[tuple[str, datetime.date, int], Decimal | None] = {}
    if org_id is not None:
        known |= set(Volunteer.objects.filter(organisation_id=org_id).values_list("code", flat=True))
        held = {(code, day, seq): hours for code, day, seq, hours in VolunteerWork.objects.filter(
            organisation_id=org_id).values_list("volunteer__code", "date", "seq", "hours")}
    file = v.plan.files.get("volunteer_work", "")
    seqs: Counter[tuple[str, datetime.date]] = Counter()
    rows: list[tuple[int, tuple[str, datetime.date, int], dict[str, Any]]] = []
    for line, row in v.rows("volunteer_work"):
        ok = v._required(file, line, row, ("volunteer_code", "date"))
        ok &= v._code(file, line, row, "volunteer_code", known, _("Unknown volunteer «%(code)s»."))
        if row["recipient_id"] and v.known_person(row["recipient_id"]) is None:
            v.problems.add(file, line, "recipient_id", _("Unknown person «%(code)s».") % {"code": row["recipient_id"]})
            ok = False
        day = v._date(file, line, row, "date")
        hours = _decimal(v, file, line, row, "hours") if row["hours"] else None
        if day is None or (row["hours"] and hours is None):
            continue
        try:
            rules.check_hours(hours)
        except DomainError as exc:
            v.problems.add(file, line, "hours", exc.message)
            ok = False
        day_key = (row["volunteer_code"], day)
        seq = seqs[day_key]
        seqs[day_key] += 1
        if ok:
            rows.append((line, (*day_key, seq), {"hours": hours, "recipient_id": row["recipient_id"],
                                             "activity": row["activity"]}))
    per_day: dict[tuple[str, datetime.date], Decimal] = {}
    incoming = {key for _line, key, _values in rows}
    for (code, day, seq), hours in held.items():
        if (code, day, seq) not in incoming and hours is not None:
            per_day[(code, day)] = per_day.get((code, day), Decimal("0")) + hours
    for line, key, values in rows:
        already = per_day.get(key[:2], Decimal("0"))
        try:
            rules.check_hours(values["hours"], already, key[1])
        except DomainError as exc:
            v.problems.add(file, line, "hours", exc.message)
            continue
        per_day[key[:2]] = already + (values["hours"] or Decimal("0"))
        plan.volunteer_work[key] = values


def _export_rental_and_volunteers(org: Organisation, w: Writer, ext: dict[int, str],
                                  tab: dict[int, str]) -> dict[str, int]:
    """rental_items and rentals when the organisation holds items; volunteers and volunteer_work when it holds
    volunteers."""
    counts: dict[str, int] = {}
    if RentalItem.objects.filter(organisation=org).exists():
        counts["rental_items"] = w.write("rental_items", (
            [code, name, kind, inventory_no] for code, name, kind, inventory_no in RentalItem.objects.filter(
                organisation=org).order_by("code").values_list("code", "name", "kind", "inventory_no")))
        counts["rentals"] = w.write("rentals", (
            [item, ext[r], issued, returned, amount, due, tab.get(worker, "") if worker else ""]
            for item, r, issued, returned, amount, due, worker in Rental.objects.filter(organisation=org).order_by(
                "item__code", "issued_on").values_list("item__code", "recipient_id", "issued_on", "returned_on",
                                                       "amount", "due_on", "worker_id")))
    if Volunteer.objects.filter(organisation=org).exists():
        counts["volunteers"] = w.write("volunteers", (
            [code, full_name, kind, joined] for code, full_name, kind, joined in Volunteer.objects.filter(
                organisation=org).order_by("code").values_list("code", "full_name", "kind", "joined_on")))
        counts["volunteer_work"] = w.write("volunteer_work", (
            [code, day, hours, ext[r] if r else "", activity]
            for code, day, hours, r, activity in VolunteerWork.objects.filter(organisation=org).order_by(
                "volunteer__code", "date", "seq").values_list("volunteer__code", "date", "hours", "recipient_id",
                                                              "activity")))
    return counts
