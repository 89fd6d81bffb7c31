"""The demo's day-stay shifts and brigade trips: seed 000's figures (7 shifts, 2 one-day, 117 people; the brigade:
169 people, 219 services) drawn from the enrolments and journal lines the demo holds, and the small demo written,
counted by the report and deleted."""

from __future__ import annotations

import datetime
import random

import pytest

from opora.activities.models import BrigadeTrip, Shift, ShiftEnrolment
from opora.demo import outreach
from opora.demo.builder import build_demo, delete_demo
from opora.lib.periods import Period
from opora.reports.registry import build_report, system_actor
from opora.reports.render.json import to_data

D = datetime.date
COURSES = [D(2020, 1, 13), D(2020, 1, 27), D(2020, 2, 10), D(2020, 2, 25), D(2020, 3, 10)]


def test_the_centres_shifts_have_seed_000s_figures():
    enrolments = [(pk, COURSES[i * 5 // 117], COURSES[i * 5 // 117] + datetime.timedelta(days=13))
                  for i, pk in enumerate(range(1000, 1117))]
    batch = outreach.plan_shifts(7, enrolments)
    assert len(batch.shifts) == 7
    assert sum(s["start"] == s["end"] for s in batch.shifts.values()) == 2
    assert len(batch.places) == 117 and set(batch.places.values()) == set(batch.shifts)
    for pk, code in batch.places.items():  # each enrolment meets its shift
        _pk, admitted, discharged = next(e for e in enrolments if e[0] == pk)
        s = batch.shifts[code]
        assert admitted <= s["end"] and discharged >= s["start"]


def test_the_centres_brigade_has_seed_000s_figures():
    rng = random.Random(3)
    days = [D(2020, 1, 9) + datetime.timedelta(days=k) for k in range(300)]
    lines = [(i, rng.randint(1, 900), rng.choice(days), 1, rng.choice(("Суслово", "Тюменево", "Кожухово")))
             for i in range(1400)]
    batch = outreach.plan_trips(lines, {"Суслово": 1, "Тюменево": 2, "Кожухово": 3}, (5, 6))
    by_id = {x[0]: x for x in lines}
    joined = [by_id[pk] for pk in batch.trip_lines]
    assert len({x[1] for x in joined}) == 169 and sum(x[3] for x in joined) == 219
    for pk, code in batch.trip_lines.items():  # a line is on the trip of its date
        assert batch.trips[code]["date"] == by_id[pk][2]
    assert len(batch.trips) < 60


@pytest.mark.django_db
def test_the_small_demo_writes_shifts_and_trips_the_report_counts_them_and_they_go_with_the_demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    summary = build_demo("small", 2020)
    org = summary.organisation
    assert summary.counts["day_stay_shifts"] == Shift.objects.filter(organisation=org).count() > 0
    doc = to_data(build_report("activities", [org], Period.year_of(2020), actor=system_actor([org])))
    shifts = doc["tables"]["day_stay_shifts"]["rows"][0]
    assert shifts["shifts"] == Shift.objects.filter(organisation=org, start__year=2020).count()  # later: issue 11
    assert shifts["one_day"] == 2
    assert shifts["people"] == ShiftEnrolment.objects.filter(organisation=org, shift__start__year=2020).values(
        "enrolment__recipient").distinct().count() > 0
    brigade = doc["tables"]["mobile_brigade"]["rows"][0]
    assert brigade["trips"] == BrigadeTrip.objects.filter(organisation=org, date__year=2020).count() > 0
    assert brigade["services"] >= brigade["people"] > 0
    assert delete_demo()
    assert not Shift.objects.exists() and not BrigadeTrip.objects.exists()
