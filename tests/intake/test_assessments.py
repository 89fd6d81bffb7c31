"""Needs assessment: the questionnaire, the score, the level of care need from the versioned scale."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from opora.intake import actions, questionnaire
from opora.intake.models import Application, ApplicationStatus, Assessment, CareLevelScale
from opora.lib.errors import DomainError
from opora.org.models import CalendarDay

D = datetime.date
CODES = [item.code for item in questionnaire.ITEMS]
EXAMINED = D(2020, 1, 13)


def answers(total: int) -> dict[str, int]:
    """Answers adding up to `total` (filled 3, 3, … from the first question)."""
    out = {}
    for code in CODES:
        out[code] = min(3, total)
        total -= out[code]
    return out


@pytest.fixture
def application(world) -> Application:
    return actions.do_register_application(
        world.org, {"received_on": D(2020, 1, 10), "channel": "in_person", "requested_form": "home",
                    "department": world.home1}, actor=world.actor("department_head"), recipient=world.in_caseload)


def assess(world, application, total, *, examined_on=EXAMINED, role="department_head"):
    return actions.do_record_assessment(application, {"examined_on": examined_on, "examiner": world.worker,
                                                      "housing": "Квартира, 2 этаж", "conclusion": "Нуждается"},
                                        answers(total), actor=world.actor(role))


@pytest.mark.django_db
def test_it_has_twelve_questions_scored_up_to_36():
    assert len(questionnaire.ITEMS) == 12 and questionnaire.MAX_SCORE == 36
    seeded = CareLevelScale.objects.filter(region="")
    assert {(r.level, r.min_score, r.max_score, r.weekly_hours) for r in seeded} == {
        (0, 0, 9, 0), (1, 10, 17, 7), (2, 18, 25, 14), (3, 26, 36, 28)}


@pytest.mark.django_db
def test_it_names_the_unanswered_or_wrongly_answered_question():
    given = answers(20)
    del given["toilet"]
    with pytest.raises(DomainError) as exc, translation.override("en"):
        questionnaire.clean_answers(given)
    assert exc.value.field == "answers.toilet" and "Using the toilet" in exc.value.message
    with pytest.raises(DomainError) as exc:
        questionnaire.clean_answers({**answers(20), "eating": 4})
    assert exc.value.field == "answers.eating"
    with pytest.raises(DomainError) as exc:
        questionnaire.clean_answers({**answers(20), "flying": 1})
    assert exc.value.field == "answers"
    assert questionnaire.clean_answers({**answers(0), "eating": "2"})["eating"] == 2


@pytest.mark.parametrize(("total", "level", "hours"), [(0, 0, 0), (9, 0, 0), (10, 1, 7), (17, 1, 7), (18, 2, 14),
                                                       (25, 2, 14), (26, 3, 28), (36, 3, 28)])
def test_it_scores_and_sets_the_level_from_the_scale(world, application, total, level, hours):
    assessment = assess(world, application, total)
    assert (assessment.score, assessment.care_level, assessment.weekly_hours) == (total, level, hours)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ASSESSMENT
    assert assessment.answers == answers(total) and assessment.scale.level == level


def test_it_prefers_the_region_row_and_the_version_in_force(world, application):
    world.org.region = "Вологодская область"
    world.org.save()
    for level, low, high, hours in [(0, 0, 5, 0), (1, 6, 15, 10), (2, 16, 25, 20), (3, 26, 36, 30)]:
        CareLevelScale.objects.create(region="Вологодская область", valid_from=D(2020, 2, 1), level=level,
                                      min_score=low, max_score=high, weekly_hours=hours)
    for level, low, high, hours in [(0, 0, 11, 0), (1, 12, 19, 8), (2, 20, 27, 16), (3, 28, 36, 32)]:
        CareLevelScale.objects.create(region="", valid_from=D(2020, 1, 12), level=level,
                                      min_score=low, max_score=high, weekly_hours=hours)
    application.refresh_from_db()
    # Before 12 Jan 2020: the seeded general scale (10 points = level 1, 7 h).
    before = assess(world, application, 10, examined_on=D(2020, 1, 11))
    assert (before.care_level, before.weekly_hours) == (1, 7)
    # From 12 Jan 2020: the newer general version (10 points = level 0).
    newer = assess(world, application, 10, examined_on=D(2020, 1, 20))
    assert (newer.care_level, newer.weekly_hours) == (0, 0)
    # From 1 Feb 2020 the region's own scale wins over the general one.
    regional = assess(world, application, 10, examined_on=D(2020, 2, 3))
    assert (regional.care_level, regional.weekly_hours) == (1, 10)
    assert regional.scale.region == "Вологодская область"


def test_it_refuses_assessments_that_do_not_fit(world, application):
    with pytest.raises(DomainError) as exc:
        assess(world, application, 10, examined_on=D(2020, 1, 9))
    assert exc.value.field == "examined_on"
    with pytest.raises(DomainError) as exc:
        assess(world, application, 10, examined_on=D(2018, 12, 1))
    assert exc.value.field == "examined_on"
    CareLevelScale.objects.filter(level=3).delete()
    with pytest.raises(DomainError) as exc:
        assess(world, application, 30)
    assert exc.value.field == "answers"
    with pytest.raises(PermissionDenied):
        assess(world, application, 10, role="social_worker")
    assert not Assessment.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REGISTERED
    actions.do_decide(application, actor=world.actor("department_head"), outcome="refused",
                      decided_on=D(2020, 1, 14), reason="Не нуждается")
    with pytest.raises(DomainError) as exc:
        assess(world, application, 10)
    assert exc.value.field == "status"


def test_it_records_an_assessment_through_the_page(world, application):
    client = world.client("department_head")
    url = reverse("intake:assess", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('type="radio"') == 12 * 4
    form = {"examined_on": "2020-01-13", "examiner": world.worker.pk, "housing": "Дом", "household": "Одна",
            "conclusion": "Нуждается", **{f"q_{code}": value for code, value in answers(20).items()}}
    missing = client.post(url, {k: v for k, v in form.items() if k != "q_cooking"})
    assert missing.status_code == 200 and "q_cooking" in missing.context["form"].errors
    assert client.post(url, form).status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.score, assessment.care_level) == (20, 2)
    detail = client.get(reverse("intake:detail", args=[application.pk]))
    assert detail.status_code == 200
    assert world.client("social_worker").get(url).status_code == 403


def test_it_records_an_assessment_through_the_api(world, application):
    client = world.client("department_head")
    questions = client.get("/api/v1/questionnaire").json()
    assert questions["max_score"] == 36 and [i["code"] for i in questions["items"]] == CODES
    assert [o["value"] for o in questions["items"][0]["options"]] == [0, 1, 2, 3]
    url = f"/api/v1/applications/{application.pk}/assessment"
    given = answers(26)
    del given["orientation"]
    bad = client.post(url, {"examined_on": "2020-01-13", "answers": given}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "answers.orientation"]
    ok = client.post(url, {"examined_on": "2020-01-13", "examiner_id": world.worker.pk, "answers": answers(26)},
                     content_type="application/json")
    assert ok.status_code == 201 and (ok.json()["care_level"], ok.json()["weekly_hours"]) == (3, 28)
    card = client.get(f"/api/v1/applications/{application.pk}").json()
    assert card["status"] == "assessment" and len(card["assessments"]) == 1
    assert world.client("social_worker").post(url, {"examined_on": "2020-01-13", "answers": answers(1)},
                                              content_type="application/json").status_code == 403


def test_it_lets_only_rule_managers_edit_the_calendar_and_the_scale(world):
    admin = world.client("admin")
    assert admin.get(reverse("calendar_list")).status_code == 200
    response = admin.post(reverse("calendar_create"),
                          {"jurisdiction": "ru", "region": "Республика Саха (Якутия)", "date": "2020-06-21",
                           "is_working": "", "name": "Ысыах"})
    assert response.status_code == 302
    assert CalendarDay.objects.filter(jurisdiction="ru", region="Республика Саха (Якутия)",
                                      date=D(2020, 6, 21)).exists()
    row = CareLevelScale.objects.get(region="", level=1)
    response = admin.post(reverse("intake:care_scale_edit", args=[row.pk]),
                          {"region": "", "valid_from": "2019-01-01", "level": 1, "min_score": 10,
                           "max_score": 17, "weekly_hours": 8})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.weekly_hours == 8
    head = world.client("department_head")
    assert head.get(reverse("intake:care_scale")).status_code == 200
    assert head.get(reverse("calendar_create")).status_code == 403
    head.post(reverse("intake:care_scale_edit", args=[row.pk]),
              {"region": "", "valid_from": "2019-01-01", "level": 1, "min_score": 10, "max_score": 17,
               "weekly_hours": 99})
    row.refresh_from_db()
    assert row.weekly_hours == 8
