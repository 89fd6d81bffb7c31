"""/api/v1/quality/…: typed answers, the same rules and scope as the screens."""

from __future__ import annotations

import datetime

from opora.quality.models import Complaint, Survey, SurveyResponse, Training


def test_it_records_a_survey_its_answers_and_points_and_shows_the_figures(world):
    c = world.client("director")
    made = c.post("/api/v1/quality/surveys", {"code": "nok", "name": "НОК", "kind": "nok"},
                  content_type="application/json")
    assert made.status_code == 201, made.content
    sid = made.json()["id"]
    for i in range(4):
        r = c.post(f"/api/v1/quality/surveys/{sid}/responses",
                   {"date": "2020-10-01", "department_id": world.home1.pk, "recommend": 1 if i else 0,
                    "overall_satisfied": 1, "info_satisfied": 1, "comfort_satisfied": 1, "access_satisfied": 1,
                    "courtesy_first_contact": 1, "courtesy_during": 1, "courtesy_remote": 1,
                    "schedule_satisfied": 1}, content_type="application/json")
        assert r.status_code == 201, r.content
    bad = c.post(f"/api/v1/quality/surveys/{sid}/responses", {"date": "2020-10-01", "recommend": 2},
                 content_type="application/json")
    assert bad.status_code == 422
    assert SurveyResponse.objects.count() == 4
    assert c.put(f"/api/v1/quality/surveys/{sid}/points", {
        "info_completeness": 100, "remote_channels": 100, "comfort_conditions": 100, "facility_access": 100,
        "service_access": 101}, content_type="application/json").status_code == 422
    points = c.put(f"/api/v1/quality/surveys/{sid}/points", {
        "info_completeness": 100, "remote_channels": 100, "comfort_conditions": 100, "facility_access": 100,
        "service_access": 100}, content_type="application/json")
    assert points.status_code == 200, points.content
    figures = c.get(f"/api/v1/quality/surveys/{sid}").json()["figures"]
    # recommend 3 of 4 → 75; K5 = 0.3·75 + 0.2·100 + 0.5·100 = 92.5; K2 without waiting: 0.5·100 + 0.5·100
    assert figures == {"respondents": 4, "satisfied_pct": 100.0, "recommend_pct": 75.0, "k1": 100.0, "k2": 100.0,
                       "k3": 100.0, "k4": 100.0, "k5": 92.5, "s": 98.5}
    assert world.client("social_worker").post(f"/api/v1/quality/surveys/{sid}/responses", {"date": "2020-10-01"},
                                              content_type="application/json").status_code == 403


def test_it_keeps_complaints_and_names_an_answer_before_the_receipt(world):
    c = world.client("director")
    made = c.post("/api/v1/quality/complaints", {"received_on": "2020-03-01", "kind": "complaint",
                                                 "recipient_id": world.in_caseload.pk},
                  content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["due"] == "2020-03-31" and made.json()["late"] is True
    cid = made.json()["id"]
    bad = c.patch(f"/api/v1/quality/complaints/{cid}", {"answered_on": "2020-02-01"},
                  content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "answered_on"]
    ok = c.patch(f"/api/v1/quality/complaints/{cid}", {"answered_on": "2020-03-20", "justified": False},
                 content_type="application/json")
    assert ok.json()["late"] is False
    other = c.post("/api/v1/quality/complaints", {"received_on": "2020-03-01", "kind": "complaint",
                                                  "recipient_id": world.other_org_person.pk},
                   content_type="application/json")
    assert other.status_code == 422 and other.json()["detail"][0]["loc"] == ["body", "recipient_id"]
    assert Complaint.objects.count() == 1
    page = c.get("/api/v1/quality/complaints?kind=complaint").json()
    assert page["count"] == 1 and page["results"][0]["id"] == cid


def test_it_records_staff_development_for_hr_only(world):
    body = {"employee_id": world.worker.pk, "kind": "course", "start": "2020-02-01", "end": "2020-02-20",
            "hours": "72"}
    assert world.client("department_head").post("/api/v1/quality/trainings", body,
                                                 content_type="application/json").status_code == 422
    made = world.client("hr").post("/api/v1/quality/trainings", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["hours"] == 72.0
    bad = world.client("hr").post("/api/v1/quality/trainings", {**body, "end": "2020-01-01"},
                                  content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "end"]
    assert Training.objects.count() == 1
    assert len(world.client("hr").get("/api/v1/quality/trainings").json()) == 1
    Survey.objects.create(organisation=world.other_org, code="x", name="x", kind="nok", start=datetime.date(2020, 1, 1))
    assert world.client("director").get("/api/v1/quality/surveys").json() == []
