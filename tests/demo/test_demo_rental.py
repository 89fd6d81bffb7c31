"""The demo's rental point and volunteers: seed 000's figures for the centre (20 issues to 17 people; 29
volunteers, 8 people helped), the small demo written through the bulk path and counted by the report."""

from __future__ import annotations

import datetime

import pytest

from opora.activities import rules
from opora.activities.models import Rental, Volunteer
from opora.demo import activities
from opora.demo.builder import build_demo, delete_demo
from opora.lib.periods import Period
from opora.reports.registry import build_report, system_actor
from opora.reports.render.json import to_data


def test_the_centre_has_seed_000s_rental_point_and_volunteers_without_the_database():
    batch = activities.plan("centre", 2020, range(1, 5000), 7)
    assert len(batch.rental_items) == 16 and len(batch.rentals) == 20
    assert len({r["recipient_id"] for r in batch.rentals.values()}) == 17
    end = datetime.date(2020, 12, 31)
    loans: dict[str, list[rules.Loan]] = {}
    for (code, issued), r in batch.rentals.items():
        assert issued.year == 2020
        loans.setdefault(code, []).append(rules.Loan(issued, r["returned_on"]))
    for spans in loans.values():
        for i, loan in enumerate(spans):
            rules.check_free(loan, spans[:i])  # no item issued twice at once
    assert sum(1 for spans in loans.values() for loan in spans if loan.out_on(end)) == 3
    assert len(batch.volunteers) == 29
    assert sum(1 for v in batch.volunteers.values() if v["kind"] == "student") == 25
    helped = {w["recipient_id"] for w in batch.volunteer_work.values() if w["recipient_id"]}
    assert len(helped) == 8 and len(batch.volunteer_work) == 18
    assert activities.plan("centre", 2020, range(1, 5000), 7) == batch  # deterministic


@pytest.mark.django_db
def test_the_small_demo_writes_them_and_the_report_counts_them(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    summary = build_demo("small", 2020)
    assert summary.counts["rentals"] == 4 and summary.counts["volunteers"] == 4
    org = summary.organisation
    doc = to_data(build_report("activities", [org], Period.year_of(2020), actor=system_actor([org])))
    rental = {r["key"]: r for r in doc["tables"]["rental"]["rows"]}["all"]
    assert rental["issues"] == 4 and rental["people"] == 3 and rental["out_at_end"] == 1
    assert rental["income"] == 800.0
    volunteers = doc["tables"]["volunteers"]["rows"][0]
    assert volunteers["actions"] == 3 and volunteers["people_helped"] == 2
    assert delete_demo()
    assert not Rental.objects.exists() and not Volunteer.objects.exists()
