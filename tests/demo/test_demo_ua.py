"""Issue 17: `opora demo --jurisdiction ua` — a Ukrainian centre like seed 002's, built through the exchange import,
with the same logins as the Russian demo; its half-year note carries the size's figures."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from opora.catalogue.models import Service
from opora.demo.builder import DEMO_PASSWORD, build_demo
from opora.demo.ua import SMALL, UA_DEMO_CODE, build_ua_demo
from opora.jurisdictions import ua
from opora.lib.periods import Period
from opora.org.models import Department, Organisation
from opora.reports.registry import build_report, system_actor
from opora.reports.render import render
from tests.demo.test_demo import login_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_builds_a_ukrainian_centre_whose_note_has_the_sizes_figures(fast_passwords):
    build_ua_demo("small")
    org = Organisation.objects.get(code=UA_DEMO_CODE)
    assert org.jurisdiction == "ua"
    assert set(Department.objects.filter(organisation=org).values_list("kind", flat=True)) == {
        "administration", "home_care", "day_stay", "homeless"}
    assert set(Department.objects.filter(organisation=org).values_list("kind", flat=True)) <= set(ua.DEPARTMENT_KINDS)
    assert Department.objects.get(organisation=org, code="home").name == "Відділення соціальної допомоги вдома"
    codes = set(Service.objects.filter(organisation=org).values_list("code", flat=True))
    assert ua.CONFIRMED_SERVICE_CODES <= codes == ua.SERVICE_CODES  # the one classifier: opora.jurisdictions.ua
    assert Service.objects.get(organisation=org, code="006.0").name == "Натуральна допомога"
    assert set(Service.objects.filter(organisation=org, innovative=True).values_list("code", flat=True)) == set(
        ua.DEFAULT_INNOVATIVE_CODES)
    doc = build_report("halfyear_note", [org], Period.half_of(2021, 1), actor=system_actor([org]))
    assert doc.language == "uk"
    tables = json.loads(render(doc, "json"))["tables"]
    services = {r["key"]: r for r in tables["services_by_department"]["rows"]}
    assert {k: services[k]["current"] for k in ("home", "day", "homeless")} == SMALL.services_2021
    assert services["total"]["current"] == sum(SMALL.services_2021.values())
    assert services["total"]["previous"] == sum(SMALL.services_2020.values())
    assert services["total"]["people"] == sum(t + a for t, a, _left in SMALL.people.values())
    innovative = tables["innovative"]["rows"][0]
    assert (innovative["previous"], innovative["current"], innovative["online"]) == (*SMALL.innovative,
                                                                                     SMALL.innovative[1])
    admitted = sum(a for _t, a, _left in SMALL.people.values())
    assert tables["applications"]["rows"][0] == {"key": "all", "received": admitted, "electronic": SMALL.electronic,
                                                 "admitted": admitted, "refused": 0}
    general = next(r for r in tables["budget"]["rows"] if r["key"] == "general")
    assert (general["approved"], general["spent"], general["savings"]) == (2588000.0, 2527500.0, 60500.0)


def test_the_command_builds_it_beside_the_russian_demo_with_the_same_logins(fast_passwords):
    build_demo("small", 2020)
    out = io.StringIO()
    call_command("demo", "--jurisdiction", "ua", "--size", "small", "--no-serve", stdout=out)
    assert "social_worker" in out.getvalue()
    org_id = Organisation.objects.get(code=UA_DEMO_CODE).pk
    call_command("demo", "--jurisdiction", "ua", "--size", "small", "--no-serve", "--reset", stdout=io.StringIO())
    assert Organisation.objects.get(code=UA_DEMO_CODE).pk != org_id
    user = authenticate(login_request(), username="director", password=DEMO_PASSWORD)
    assert user is not None
    assert set(user.memberships.values_list("organisation__code", flat=True)) == {"demo", UA_DEMO_CODE}
