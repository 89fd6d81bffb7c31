"""The demo's clubs and events: seed 000's figures for the centre (5 clubs, 64 members, 15 events), the small
demo written through the bulk path and counted by the report."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from opora.activities import rules
from opora.activities.models import Event, Group
from opora.demo import activities
from opora.demo.builder import build_demo, delete_demo
from opora.lib.periods import Period
from opora.reports.registry import build_report, system_actor
from opora.reports.render.json import to_data


def test_the_centre_has_seed_000s_clubs_and_events_without_the_database():
    batch = activities.plan("centre", 2020, range(1, 5000), 7)
    assert len(batch.groups) == 5 and all(g["kind"] == "club" for g in batch.groups.values())
    assert len({pk for _code, pk in batch.members}) == 64
    assert len(batch.events) == 15 and all(e["date"].year == 2020 for e in batch.events.values())
    spans: dict[str, list[rules.Span]] = {}
    for (code, _pk), m in batch.members.items():
        spans.setdefault(code, []).append(rules.Span(m["joined_on"], m["left_on"]))
    for (code, day), s in batch.sessions.items():
        assert s["attendance"] <= rules.members_on(spans[code], day)
    assert activities.plan("centre", 2020, range(1, 5000), 7) == batch  # deterministic


@pytest.mark.django_db
def test_the_small_demo_writes_its_clubs_and_the_report_counts_them(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    summary = build_demo("small", 2020)
    org = summary.organisation
    assert summary.counts["groups"] == 2 and Event.objects.filter(organisation=org, date__year=2020).count() == 3
    doc = to_data(build_report("activities", [org], Period.year_of(2020), actor=system_actor([org])))
    groups = {r["key"]: r for r in doc["tables"]["groups"]["rows"]}
    assert groups["all"]["groups"] == 2 and groups["all"]["members"] == 8
    assert groups["all"]["sessions"] == 28
    assert {r["key"]: r for r in doc["tables"]["events"]["rows"]}["all"]["events"] == 3
    assert Group.objects.filter(organisation=org, department__code="day_stay").count() == 2
    assert datetime.date(2020, 1, 8) in set(org.activity_groups.get(code="dosug").sessions.values_list(
        "date", flat=True))
    assert delete_demo()
    assert not Group.objects.exists()


def test_the_centres_taxi_has_seed_000s_figures():
    batch = activities.plan("centre", 2020, range(1, 5000), 7)
    trips = batch.taxi_trips
    assert len({pk for pk, _d, _k, _s in trips}) == 70
    assert len({pk for (pk, _d, _k, _s), t in trips.items() if t["out_of_district"]}) == 25
    assert sum(t["amount"] for t in trips.values()) == Decimal("77900.00")
    assert all(t["km"] > 0 for t in trips.values())
    small = activities.plan("small", 2020, range(1, 500), 7).taxi_trips
    assert sum(t["amount"] for t in small.values()) == Decimal("7790.00")
