"""The demo's families register and field work (issue 14): the small centre's figures, known from its scale."""

from __future__ import annotations

import pytest

from opora.demo import fieldwork as demo_fieldwork
from opora.demo.builder import build_demo, delete_demo
from opora.fieldwork.models import ReleaseNotice, Visit
from opora.lib.periods import Period
from opora.reports.registry import build_report, system_actor
from opora.reports.render import json as render_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_demo("small", 2020)


def table(org, report, table_id):
    doc = build_report(report, [org], Period.year_of(2020), actor=system_actor([org]))
    return {r["key"]: r for r in render_json.to_data(doc)["tables"][table_id]["rows"]}


def test_the_small_demo_holds_the_register_and_field_work_at_its_scale(demo):
    org = demo.organisation
    scale = 6 / demo_fieldwork.REGISTERED  # the small size registers 6 families
    register = table(org, "family_register", "family_register")["all"]
    assert register["end"] == 6
    assert register["children_end"] == round(demo_fieldwork.CHILDREN * scale)
    assert register["deregistered"] == max(1, round(demo_fieldwork.DEREGISTERED_2020 * scale))
    visits = table(org, "field_work", "visits")
    assert visits["patronage"]["visits"] == round(demo_fieldwork.PATRONAGE_VISITS * scale)
    assert visits["fire_safety"]["households"] == round(demo_fieldwork.FIRE_SAFETY_HOUSEHOLDS * scale)
    assert visits["field_reception"]["people"] == max(1, round(demo_fieldwork.RECEPTION_PEOPLE * scale))
    assert table(org, "field_work", "fire_safety")["all"]["households_visited"] == visits["fire_safety"]["households"]
    assert table(org, "field_work", "release_notices")["all"]["notices"] == 2
    # seed 000: 210 households surveyed before the flood, 80 against forest fires; of the notices, 3 in 84 did not
    # arrive (at least one at any scale)
    assert visits["flood_survey"]["visits"] == visits["flood_survey"]["households"] == round(210 * scale)
    assert visits["wildfire_survey"]["visits"] == visits["wildfire_survey"]["households"] == round(80 * scale)
    notices = table(org, "field_work", "release_notices")["all"]
    assert (notices["arrived"], notices["not_arrived"], notices["moved"]) == (1, 1, 0)
    assert demo.counts["visits"] == Visit.objects.filter(organisation=org).count()


def test_the_demo_is_deleted_with_its_field_work(demo):
    assert delete_demo()
    assert not Visit.objects.exists() and not ReleaseNotice.objects.exists()
