"""Issue 11: the demo's records beyond casework (funds and aid, quality, clubs, events, taxi, volunteers, visits,
work plans) hold every year after 2020 up to the build's today as well, nothing dated after it; 2020's stay."""

from __future__ import annotations

import datetime

import pytest

from opora.activities.models import BrigadeTrip, Event, Session, Shift, TaxiTrip, VolunteerWork
from opora.demo.builder import build_demo, delete_demo
from opora.fieldwork.models import Visit
from opora.money.models import Aid, FundReceipt
from opora.plans.models import Plan
from opora.quality.models import Complaint, Publication, QualityCheck, SurveyResponse, Training

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2022, 6, 30)


def test_every_domain_holds_the_years_up_to_today_and_nothing_after(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org = build_demo("small", 2020, today=TODAY).organisation
    dated = [(Aid, "date"), (FundReceipt, "date"), (SurveyResponse, "date"), (Complaint, "received_on"),
             (Training, "start"), (Publication, "date"), (QualityCheck, "planned_on"), (Session, "date"),
             (Event, "date"), (TaxiTrip, "date"), (VolunteerWork, "date"), (Visit, "date")]
    for model, field in dated:
        rows = model.objects.all() if model is FundReceipt else model.objects.filter(organisation=org)
        by_year = {y: rows.filter(**{f"{field}__year": y}).count() for y in (2020, 2021, 2022)}
        assert by_year[2021] > 0 and by_year[2022] > 0, model
        assert by_year[2022] < by_year[2021] <= by_year[2020], model  # the current year up to today only
        assert not rows.filter(**{f"{field}__gt": TODAY}).exists(), model
    # a year's aid is 2020's moved by whole years: the whole of 2021 holds as many as 2020
    assert Aid.objects.filter(organisation=org, date__year=2021).count() == Aid.objects.filter(
        organisation=org, date__year=2020).count()
    assert not Complaint.objects.filter(organisation=org, answered_on__gt=TODAY).exists()
    assert not QualityCheck.objects.filter(organisation=org, done_on__gt=TODAY).exists()
    # the appeal of 22.12.2020 is answered in January 2021, in time (no longer «awaiting an answer» for ever)
    appeal = Complaint.objects.get(organisation=org, kind="appeal", received_on=datetime.date(2020, 12, 22))
    assert appeal.answered_on == datetime.date(2021, 1, 14)
    assert not Complaint.objects.filter(organisation=org, answered_on__isnull=True,
                                        received_on__lt=TODAY - datetime.timedelta(days=30)).exclude(
        kind__in=("review", "gratitude")).exists()
    assert sorted(Plan.objects.filter(organisation=org).values_list("year", flat=True)) == [2020] * 2 + [
        2021] * 2 + [2022] * 2
    assert delete_demo()


def test_the_shifts_and_brigade_trips_go_on_up_to_today(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org = build_demo("small", 2020, today=TODAY).organisation
    for model, field in ((Shift, "start"), (BrigadeTrip, "date")):
        rows = model.objects.filter(organisation=org)
        assert rows.filter(**{f"{field}__year": 2021}).exists() and rows.filter(**{f"{field}__year": 2022}).exists()
        assert not rows.filter(**{f"{field}__gt": TODAY}).exists()
    assert delete_demo()
