"""The demo centre's quality records: seed 000's survey by department, seed 003's assessment, staff development."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from opora.demo.builder import DEMO_CODE, build_demo, delete_demo
from opora.lib.periods import parse_period
from opora.org.models import Employee, Organisation
from opora.quality.models import QualityCheck, Survey, SurveyResponse
from opora.reports import registry
from opora.reports.render import render

pytestmark = pytest.mark.django_db


def test_the_demo_reports_its_quality_and_is_deleted_with_it(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo("small", 2020)
    org = Organisation.objects.get(code=DEMO_CODE)
    assert SurveyResponse.objects.filter(organisation=org, date__year=2020).count() == 1009 + 719
    with translation.override("ru"):
        doc = registry.build_report("quality", [org], parse_period({"year": "2020"}),
                                    actor=registry.system_actor([org]))
        data = json.loads(render(doc, "json"))
    surveys = {r["key"]: r for r in data["tables"]["surveys"]["rows"]}
    assert surveys["sat2020"]["respondents"] == 1009 and surveys["sat2020"]["satisfied_pct"] == 100.0
    assert surveys["nok2020"]["respondents"] == 719 and surveys["nok2020"]["recommend_pct"] == 99.58
    assert surveys["nok2020"]["s"] is not None
    training = data["tables"]["staff_training"]["rows"][0]
    staff = Employee.objects.filter(organisation=org, dismissed_on__isnull=True).count()
    assert training["trained"] == min(16, staff) and training["in_higher_education"] == 4  # 16 in the full centre
    complaints = data["tables"]["complaints"]["rows"][0]
    assert (complaints["complaints"], complaints["justified"], complaints["late"], complaints["reviews"]) == (
        3, 1, 1, 10)
    site = {r["key"]: r for r in data["tables"]["publications"]["rows"]}["site"]
    assert site["count"] == 19
    checks = {r["key"]: r for r in data["tables"]["quality_checks"]["rows"]}  # seed 003: 375 quality checks
    assert (checks["all"]["planned"], checks["all"]["done"]) == (380, 375)
    assert 0 < checks["all"]["with_findings"] < 375
    assert sum(r["done"] for k, r in checks.items() if k != "all") == 375
    assert QualityCheck.objects.filter(organisation=org, planned_on__year=2020).count() == 380
    assert Survey.objects.filter(organisation=org, is_public=True).exists()
    assert delete_demo()
    assert not Survey.objects.exists() and not QualityCheck.objects.exists()
