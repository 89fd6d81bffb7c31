"""The public survey page: no login, no personal data, one answer per device and day, a rate limit per address,
CSRF, a CSP without inline scripts, and the QR code drawn by Opora itself."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client

from opora.audit.models import AuditEvent
from opora.lib import http
from opora.quality.models import Survey, SurveyResponse
from opora.quality.rules import QUESTIONS


@pytest.fixture
def survey(world):
    cache.clear()
    return Survey.objects.create(organisation=world.org, code="sat", name="Удовлетворённость", kind="satisfaction",
                                 start=datetime.date(2020, 1, 1), is_public=True)


ANSWERS = {"recommend": "1", "overall_satisfied": "1", "waiting_ok": "0", "courtesy_remote": "skip"}


def test_it_takes_an_anonymous_answer_once_per_device_and_day(world, survey):
    c = Client(enforce_csrf_checks=True)
    page = c.get("/survey/kcson/")
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" in page.content.decode()
    html = page.content.decode()
    # no personal data asked: the form's only fields are the department and the ten yes/no questions
    names = set(re.findall(r'name="([^"]+)"', html)) - {"viewport", "robots"}
    assert names == {"csrfmiddlewaretoken", "department", *QUESTIONS}
    assert not re.search(r'type="(text|tel|email|number|date)"', html) and "<textarea" not in html
    token = page.context["csrf_token"]
    done = c.post("/survey/kcson/", {**ANSWERS, "department": world.home1.pk, "csrfmiddlewaretoken": token})
    assert done.status_code == 200 and done.context["state"] == "thanks"
    r = SurveyResponse.objects.get()
    assert (r.recommend, r.overall_satisfied, r.waiting_ok, r.courtesy_remote, r.info_satisfied) == (
        True, True, False, None, None)
    assert r.online and r.department == world.home1 and len(r.device_key) == 64
    assert AuditEvent.objects.filter(object_type="quality.surveyresponse", actor__isnull=True).count() == 1
    # the same device again today: refused, nothing written
    again = c.post("/survey/kcson/", {**ANSWERS, "csrfmiddlewaretoken": token})
    assert again.context["state"] == "answered"
    assert c.get("/survey/kcson/").context["state"] == "answered"
    assert SurveyResponse.objects.count() == 1
    # another device may answer
    other = Client()
    assert other.post("/survey/kcson/", ANSWERS).context["state"] == "thanks"
    assert SurveyResponse.objects.count() == 2


def test_it_refuses_a_post_without_the_csrf_token(world, survey):
    c = Client(enforce_csrf_checks=True)
    c.get("/survey/kcson/")
    assert c.post("/survey/kcson/", ANSWERS).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_it_refuses_answers_outside_0_1_and_an_empty_form(world, survey):
    c = Client()
    bad = c.post("/survey/kcson/", {"recommend": "5"})
    assert bad.status_code == 400 and "5" in bad.context["error"]
    empty = c.post("/survey/kcson/", {})
    assert empty.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_it_limits_the_answers_from_one_address(world, survey, settings):
    settings.OPORA_SURVEY_RATE_LIMIT = 3
    statuses = [Client().post("/survey/kcson/", ANSWERS, REMOTE_ADDR="10.0.0.7").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert SurveyResponse.objects.count() == 3
    assert Client().post("/survey/kcson/", ANSWERS, REMOTE_ADDR="10.0.0.8").status_code == 200


def test_it_finds_the_address_behind_a_trusted_proxy(world, survey, settings, rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert http.client_address(request) == "127.0.0.1"  # no proxy trusted: the header is ignored
    settings.OPORA_TRUSTED_PROXIES = 1
    assert http.client_address(request) == "203.0.113.5"  # what the client wrote on the left is not trusted
    settings.OPORA_SURVEY_RATE_LIMIT = 1
    post = {"REMOTE_ADDR": "127.0.0.1"}
    assert Client().post("/survey/kcson/", ANSWERS, HTTP_X_FORWARDED_FOR="203.0.113.5", **post).status_code == 200
    assert Client().post("/survey/kcson/", ANSWERS, HTTP_X_FORWARDED_FOR="203.0.113.5", **post).status_code == 429
    assert Client().post("/survey/kcson/", ANSWERS, HTTP_X_FORWARDED_FOR="203.0.113.6", **post).status_code == 200


def test_it_sends_a_csp_without_scripts_and_the_page_has_none(world, survey):
    page = Client().get("/survey/kcson/")
    csp = page["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "script-src" not in csp
    html = page.content.decode()
    assert "<script" not in html and "style=" not in html and " on" + "click" not in html
    assert "http://" not in html.replace('http://testserver', '') and "https://" not in html


def test_it_says_when_no_survey_is_open(world):
    assert Client().get("/survey/kcson/").context["state"] == "closed"
    assert Client().get("/survey/nosuch/").status_code == 404
    Survey.objects.create(organisation=world.org, code="old", name="Прошлый", kind="satisfaction",
                          start=datetime.date(2019, 1, 1), end=datetime.date(2019, 12, 31), is_public=True)
    assert Client().post("/survey/kcson/", ANSWERS).context["state"] == "closed"
    assert not SurveyResponse.objects.exists()


def test_it_draws_the_qr_code_as_svg_and_png(world, survey):
    svg = Client().get("/survey/kcson/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = Client().get("/survey/kcson/qr.png")
    assert png.content.startswith(b"\x89PNG")
    assert Client().get("/survey/kcson/qr.gif").status_code == 404


def test_the_department_choices_carry_plain_ids_whatever_their_size(world, survey):
    # ids are not numbers to show: with the thousands separator a department 12345 became «12 345» (PostgreSQL's
    # ids pass 1 000 soon) and its answer was stored without a department
    from tests import factories as f

    big = f.DepartmentFactory(organisation=world.org, pk=12345, code="big", kind="day_stay", name="Дневное")
    html = Client().get("/survey/kcson/").content.decode()
    assert f'<option value="{big.pk}">Дневное</option>' in html
