"""The quality screens: who may do what, scoping, errors next to their fields, audit."""

from __future__ import annotations

import datetime

from opora.audit.models import AuditEvent
from opora.quality.models import Complaint, NokFacts, Publication, Survey, SurveyResponse, Training

D = datetime.date


def test_it_keeps_the_register_of_complaints_with_the_answer_date(world):
    c = world.client("director")
    ok = c.post("/quality/complaints/new/", {"received_on": "2020-03-01", "kind": "complaint", "channel": "phone",
                                              "department": world.home1.pk, "subject": "Опоздание",
                                              "justified": "unknown"})
    assert ok.status_code == 302
    complaint = Complaint.objects.get()
    assert AuditEvent.objects.filter(object_type="quality.complaint", event_type="created").count() == 1
    bad = c.post(f"/quality/complaints/{complaint.pk}/", {
        "received_on": "2020-03-01", "kind": "complaint", "answered_on": "2020-02-01", "justified": "unknown"})
    assert bad.status_code == 200
    assert "answered_on" in bad.context["form"].errors
    complaint.refresh_from_db()
    assert complaint.answered_on is None
    listing = c.get("/quality/complaints/")
    assert "31.03.2020" in listing.content.decode()  # the answer is due 30 days after receipt


def test_it_shows_a_department_head_only_the_complaints_of_their_departments(world):
    Complaint.objects.create(organisation=world.org, received_on=D(2020, 1, 5), kind="complaint",
                             department=world.home1, subject="home1")
    Complaint.objects.create(organisation=world.org, received_on=D(2020, 1, 5), kind="complaint",
                             department=world.home2, subject="home2")
    other = Complaint.objects.create(organisation=world.other_org, received_on=D(2020, 1, 5), kind="complaint",
                                     subject="other")
    page = world.client("department_head").get("/quality/complaints/").content.decode()
    assert "home1" in page and "home2" not in page
    assert world.client("director").get(f"/quality/complaints/{other.pk}/").status_code == 404
    assert world.client("department_head").post("/quality/complaints/new/", {}).status_code == 403


def test_it_lets_hr_keep_staff_development_and_refuses_a_training_ending_before_it_starts(world):
    c = world.client("hr")
    bad = c.post("/quality/trainings/new/", {"employee": world.worker.pk, "kind": "course", "start": "2020-02-01",
                                              "end": "2020-01-01"})
    assert bad.status_code == 200 and "end" in bad.context["form"].errors
    ok = c.post("/quality/trainings/new/", {"employee": world.worker.pk, "kind": "course", "start": "2020-02-01",
                                             "end": "2020-02-20", "hours": "72", "title": "Курсы"})
    assert ok.status_code == 302 and Training.objects.get().employee == world.worker
    assert world.client("social_worker").get("/quality/trainings/").status_code == 403


def test_it_types_in_paper_questionnaires_and_the_points_of_344n(world):
    c = world.client("director")
    assert c.post("/quality/surveys/new/", {"code": "nok", "name": "НОК", "kind": "nok", "start": "2020-10-01",
                                            "is_public": "on"}).status_code == 302
    survey = Survey.objects.get()
    answers = {"date": "2020-10-02", "department": world.home1.pk, "recommend": "1", "overall_satisfied": "0"}
    assert c.post(f"/quality/surveys/{survey.pk}/responses/new/", answers).status_code == 302
    r = SurveyResponse.objects.get()
    assert (r.recommend, r.overall_satisfied, r.waiting_ok, r.online) == (True, False, None, False)
    bad = c.post(f"/quality/surveys/{survey.pk}/points/", {"info_completeness": "100", "remote_channels": "90",
                                                           "comfort_conditions": "101", "facility_access": "80",
                                                           "service_access": "60"})
    assert "comfort_conditions" in bad.context["form"].errors and not NokFacts.objects.exists()
    assert c.post(f"/quality/surveys/{survey.pk}/points/", {
        "info_completeness": "100", "remote_channels": "90", "comfort_conditions": "100", "facility_access": "80",
        "service_access": "60"}).status_code == 302
    page = c.get(f"/quality/surveys/{survey.pk}/").content.decode()
    assert "/survey/kcson/qr.svg" in page
    assert world.client("social_worker").post(f"/quality/surveys/{survey.pk}/responses/new/", answers
                                              ).status_code == 403


def test_it_records_publications(world):
    c = world.client("deputy_director")
    assert c.post("/quality/publications/new/", {"date": "2020-01-15", "kind": "site", "title": "Новость",
                                                 "views": "696"}).status_code == 302
    assert Publication.objects.get().views == 696
    assert "Новость" in world.client("hr").get("/quality/publications/").content.decode()


def test_it_warns_on_the_dashboard_of_answers_due_and_late(world):
    today = datetime.date.today()
    Complaint.objects.create(organisation=world.org, received_on=today - datetime.timedelta(days=40),
                             kind="complaint", department=world.home1, subject="Давняя жалоба")
    Complaint.objects.create(organisation=world.org, received_on=today - datetime.timedelta(days=27),
                             kind="appeal", department=world.home1, subject="Срок подходит")
    Complaint.objects.create(organisation=world.org, received_on=today - datetime.timedelta(days=3),
                             kind="complaint", department=world.home1, subject="Свежая жалоба")
    Complaint.objects.create(organisation=world.org, received_on=today - datetime.timedelta(days=60),
                             kind="complaint", department=world.home1, subject="Отвеченная",
                             answered_on=today - datetime.timedelta(days=50))
    page = world.client("director").get("/").content.decode()
    assert "Давняя жалоба" in page and "Срок подходит" in page
    assert "Свежая жалоба" not in page and "Отвеченная" not in page
    assert page.count('class="error"') >= 1
    assert "Давняя жалоба" not in world.client("hr").get("/").content.decode()  # hr does not see casework
