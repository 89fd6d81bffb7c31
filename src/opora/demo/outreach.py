"""The demo's day-stay shifts and mobile-brigade trips: seed 000's figures of 2020 at the demo's scale.

Seed 000: «7 заездов, из них 2 однодневных, охвачено 117 человек» (day stay) and «услугами мобильной бригады
воспользовались 169 человек, оказано 219 услуг» (trips to remote settlements). Nothing new is put in the journal
or the registry (their figures are calibrated elsewhere): the shifts take the day-stay enrolments of 2020 the
demo already holds (five two-week courses, and two one-day shifts within them), and the trips take urgent-service
journal lines of 2020 of people living outside the district's town, on the busiest days, until 169 people and
219 services are reached (a trip per such day, to the settlement most of its people live in). Written through the
bulk entry point (activities.outreach.write) with one audit event, as the import does. The small demo gets what
its smaller registry holds.
"""

from __future__ import annotations

import datetime
from collections import Counter

from opora.activities import actions, outreach
from opora.activities.models import Shift
from opora.delivery.models import Delivery
from opora.demo.years import later_years, moved
from opora.org.models import Department, Employee, Organisation
from opora.people.models import Enrolment

YEAR = 2020
BRIGADE_PEOPLE, BRIGADE_SERVICES = 169, 219
ONE_DAY = (datetime.date(YEAR, 2, 21), datetime.date(YEAR, 3, 6))  # a health day, the 8 March party
ONE_DAY_PEOPLE = 8  # of the courses running that day, per one-day shift
CAPACITY = 30
TOWN = "Мариинск"
PURPOSES = ("Консультации по мерам социальной поддержки, обеспечение одеждой и обувью",
            "Инструктаж по пожарной безопасности, обследование печного отопления",
            "Консультирование, выдача буклетов и памяток")


def plan_shifts(department_id: int, enrolments: list[tuple[int, datetime.date, datetime.date | None]],
                year: int = YEAR) -> outreach.OutreachBatch:
    """Shifts of the day-stay courses of 2020 (one per admission date, two weeks) and the two one-day shifts;
    each enrolment of 2020 on its course's shift, a few on a one-day shift that falls within their course."""
    batch = outreach.OutreachBatch()
    courses = sorted({admitted for _pk, admitted, _d in enrolments})
    for i, start in enumerate(courses, start=1):
        batch.shifts[f"ds{year}-{i:02d}"] = {"department_id": department_id, "start": start,
                                             "end": start + datetime.timedelta(days=13), "capacity": CAPACITY}
    one_days = tuple(moved(day, year) for day in ONE_DAY)
    for i, day in enumerate(one_days, start=1):
        batch.shifts[f"ds{year}-day{i}"] = {"department_id": department_id, "start": day, "end": day,
                                            "capacity": None}
    one_day_taken: Counter[str] = Counter()
    for pk, admitted, discharged in sorted(enrolments, key=lambda e: (e[1], e[0])):
        code = f"ds{year}-{courses.index(admitted) + 1:02d}"
        for i, day in enumerate(one_days, start=1):
            one = f"ds{year}-day{i}"
            if admitted <= day <= (discharged or day) and one_day_taken[one] < ONE_DAY_PEOPLE:
                code = one
                one_day_taken[one] += 1
                break
        batch.places[pk] = code
    return batch


def plan_trips(lines: list[tuple[int, int, datetime.date, int, str]], settlement_ids: dict[str, int],
               member_ids: tuple[int, ...], year: int = YEAR, share: float = 1.0) -> outreach.OutreachBatch:
    """Trips on the busiest days of remote urgent lines `(line id, person, date, quantity, settlement name)`:
    days are taken until their lines hold the people, then one line per person and more lines of the same
    people until the services are reached."""
    batch = outreach.OutreachBatch()
    by_day: dict[datetime.date, list[tuple[int, int, datetime.date, int, str]]] = {}
    for line in lines:
        by_day.setdefault(line[2], []).append(line)
    days = sorted(by_day, key=lambda d: (-len(by_day[d]), d))
    taken: list[tuple[int, int, datetime.date, int, str]] = []
    people, services = max(1, round(BRIGADE_PEOPLE * share)), max(1, round(BRIGADE_SERVICES * share))
    # the fewest busiest days whose lines give the figures (2020: day by day, as seed 000's figures were found;
    # a later year: doubling the days, a later year's lines need not reach them exactly)
    counts = range(1, len(days) + 1) if year == YEAR else sorted({min(2 ** k, len(days))
                                                                  for k in range(len(days).bit_length() + 1)})
    for n in counts:
        taken = _take(sorted((x for d in days[:n] for x in by_day[d]), key=lambda x: (x[2], x[0])), people,
                      services)
        if len({x[1] for x in taken}) == people and sum(x[3] for x in taken) == services:
            break
    trip_of: dict[datetime.date, str] = {}
    for i, day in enumerate(sorted({x[2] for x in taken}), start=1):
        places = Counter(x[4] for x in taken if x[2] == day)
        code = trip_of[day] = f"mb{year}-{i:02d}"
        batch.trips[code] = {"date": day, "settlement_id": settlement_ids[places.most_common(1)[0][0]],
                             "purpose": PURPOSES[i % len(PURPOSES)], "member_ids": member_ids}
    batch.trip_lines = {x[0]: trip_of[x[2]] for x in taken}
    return batch


def _take(pool: list[tuple[int, int, datetime.date, int, str]], people: int = BRIGADE_PEOPLE,
          services_wanted: int = BRIGADE_SERVICES) -> list[tuple[int, int, datetime.date, int, str]]:
    """The people with most lines (up to `people`): one line of each, then more of theirs up to the services."""
    per_person = Counter(x[1] for x in pool)
    wanted = set(sorted(per_person, key=lambda p: (-per_person[p], p))[:people])
    taken, seen = [], set()
    for x in pool:
        if x[1] in wanted and x[1] not in seen:
            taken.append(x)
            seen.add(x[1])
    services = sum(x[3] for x in taken)
    chosen = {x[0] for x in taken}
    for x in pool:
        if x[1] in wanted and x[0] not in chosen and services + x[3] <= services_wanted:
            taken.append(x)
            chosen.add(x[0])
            services += x[3]
    return taken


def build(org: Organisation, departments: dict[str, Department], today: datetime.date | None = None,
          ) -> dict[str, int]:
    """Write the demo's shifts and trips of 2020 and of every later year up to `today` (issue 11: a later year's
    from its own enrolments and urgent lines, the trips' figures in proportion to the part of the year held);
    answers their counts for the demo's summary."""
    counts: dict[str, int] = {}
    day_stay, urgent = departments.get("day_stay"), departments.get("urgent")
    batch = outreach.OutreachBatch()
    for year in (YEAR, *later_years(today)):
        last = min(datetime.date(year, 12, 31), today or datetime.date(year, 12, 31))
        if day_stay is not None:
            enrolments = list(Enrolment.objects.filter(organisation=org, department=day_stay, admitted_on__year=year,
                                                       admitted_on__lte=last)
                              .values_list("id", "admitted_on", "discharged_on"))
            if enrolments:
                shifts = plan_shifts(day_stay.pk, enrolments, year)
                batch.shifts.update(
                    {c: s for c, s in shifts.shifts.items() if s["start"] <= last})
                batch.places.update({pk: c for pk, c in shifts.places.items() if c in batch.shifts})
        if urgent is not None:
            lines = list(Delivery.objects.filter(organisation=org, department=urgent, date__year=year)
                         .exclude(recipient__settlement__name=TOWN).exclude(recipient__settlement__isnull=True)
                         .values_list("id", "recipient_id", "date", "quantity", "recipient__settlement__name"))
            if lines:
                settlement_ids = dict(org.settlements.values_list("name", "id"))
                members = tuple(Employee.objects.filter(organisation=org, department=urgent).order_by("tab_no")
                                .values_list("id", flat=True)[:3])
                share = min(1.0, ((last - datetime.date(year, 1, 1)).days + 1) / 365)
                trips = plan_trips(lines, settlement_ids, members, year, share)
                batch.trips.update(trips.trips)
                batch.trip_lines.update(trips.trip_lines)
    if batch.shifts or batch.trips:
        written = outreach.write(org.pk, batch)
        actions.log_bulk(org, {k: v for k, v in written.items()}, actor=None, source="demo")
        counts = {"day_stay_shifts": len(batch.shifts), "brigade_trips": len(batch.trips)}
    return counts


def delete(org: Organisation) -> None:
    outreach.delete(org.pk)
    Shift.objects.filter(organisation=org).delete()
