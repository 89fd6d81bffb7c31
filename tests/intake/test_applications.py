"""The journal of applications: registration, numbers, deadlines, transitions, decisions, scoping, pages, API."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from opora.audit.models import AuditEvent
from opora.intake import actions, queries
from opora.intake.models import Application, ApplicationStatus
from opora.intake.questionnaire import ITEMS
from opora.lib.errors import DomainError
from opora.people.models import Consent, Recipient

D = datetime.date


def register(world, role="department_head", *, recipient=None, new_person=None, confirm=False, **data):
    values = {"received_on": D(2020, 1, 10), "channel": "in_person", "requested_form": "home",
              "department": world.home1}
    values.update(data)
    if recipient is None and new_person is None:
        recipient = world.in_caseload
    return actions.do_register_application(world.org, values, actor=world.actor(role), recipient=recipient,
                                           new_person=new_person, confirm_duplicate=confirm)


NEW_PERSON = {"last_name": "Новикова", "first_name": "Вера", "patronymic": "Ильинична", "sex": "F",
              "birth_date": D(1938, 3, 4)}


def test_it_numbers_applications_per_year_and_sets_the_deadline_in_working_days(world):
    first = register(world)
    second = register(world, received_on=D(2020, 2, 3))
    other_year = register(world, received_on=D(2019, 12, 30))
    assert (first.number, second.number, other_year.number) == ("2020-0001", "2020-0002", "2019-0001")
    assert first.decision_due == D(2020, 1, 17)
    assert other_year.decision_due == D(2020, 1, 14)  # across the New Year holidays
    assert first.status == ApplicationStatus.REGISTERED
    assert first.registered_by == world.users["department_head"]
    assert AuditEvent.objects.filter(object_type="intake.application", object_id=str(first.pk),
                                     event_type="created").exists()


def test_it_keeps_a_given_number_unique_in_the_organisation(world):
    register(world, number="15/2020")
    with pytest.raises(DomainError) as exc:
        register(world, number="15/2020")
    assert exc.value.field == "number"


def test_it_registers_a_new_person_with_the_duplicate_warning(world):
    app = register(world, new_person=NEW_PERSON, applicant_name="Новиков Пётр (сын)")
    person = app.recipient
    assert person.last_name == "Новикова" and person.registered_department == world.home1
    assert app.applicant_name == "Новиков Пётр (сын)"
    count = Application.objects.count()
    with pytest.raises(ValidationError) as exc:
        register(world, new_person=NEW_PERSON)
    assert exc.value.code == "possible_duplicate"
    assert "Новикова" in exc.value.messages[0]
    assert Application.objects.count() == count
    assert Recipient.objects.filter(last_name="Новикова").count() == 1
    confirmed = register(world, new_person=NEW_PERSON, confirm=True)
    assert confirmed.recipient != person


def test_it_needs_the_right_and_a_person_in_scope(world):
    with pytest.raises(PermissionDenied):
        register(world, "social_worker")
    with pytest.raises(DomainError) as exc:
        register(world, recipient=world.in_home2)  # the head of home1 does not see home2's people
    assert exc.value.field == "recipient"
    with pytest.raises(DomainError) as exc:
        register(world, department=world.home2)
    assert exc.value.field == "department"
    with pytest.raises(DomainError):
        register(world, "director", recipient=world.other_org_person)
    assert register(world, "director", recipient=world.in_home2, department=world.home2).pk


def test_it_changes_status_only_along_the_transitions(world):
    app = register(world)
    actor = world.actor("department_head")
    actions.do_decide(app, actor=actor, outcome="refused", decided_on=D(2020, 1, 15), reason="Не нуждается")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.REFUSED and app.refusal_reason == "Не нуждается"
    with pytest.raises(DomainError) as exc, translation.override("en"):
        actions.do_decide(app, actor=actor, outcome="recognised", decided_on=D(2020, 1, 16), form="home")
    assert exc.value.field == "status"
    assert exc.value.message == "An application in status “Refused” cannot become “Recognised as needing service”."
    app.refresh_from_db()
    assert app.status == ApplicationStatus.REFUSED
    with pytest.raises(DomainError):
        actions.do_withdraw_application(app, actor=actor)


def test_it_checks_the_decision(world):
    actor = world.actor("department_head")
    app = register(world)

    def decide(**kw):
        values = {"outcome": "recognised", "decided_on": D(2020, 1, 20), "form": "home"}
        values.update(kw)
        with pytest.raises(DomainError) as exc:
            actions.do_decide(app, actor=actor, **values)
        return exc.value.field

    assert decide(form=None) == "form"
    assert decide(form="urgent") == "form"  # urgent was not requested
    assert decide(outcome="refused", reason="  ") == "reason"
    assert decide(decided_on=D(2020, 1, 9)) == "decided_on"
    assert decide(decided_on=datetime.date.today() + datetime.timedelta(days=2)) == "decided_on"
    assert decide(outcome="maybe") == "outcome"
    app.refresh_from_db()
    assert app.status == ApplicationStatus.REGISTERED and app.decided_on is None
    assert decide() == "outcome"  # no needs assessment yet (issue 11)
    actions.do_record_assessment(app, {"examined_on": D(2020, 1, 13)}, {item.code: 1 for item in ITEMS},
                                 actor=actor)
    actions.do_decide(app, actor=actor, outcome="recognised", decided_on=D(2020, 1, 20), form="home")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.RECOGNISED and app.decided_form == "home"
    assert app.decision_due == D(2020, 1, 17) and app.deadline_met is False
    urgent = register(world, requested_form="urgent", department=world.home1)
    actions.do_decide(urgent, actor=actor, outcome="recognised", decided_on=D(2020, 1, 10), form="urgent",
                      no_assessment_reason="Срочная помощь на месте")
    urgent.refresh_from_db()
    assert urgent.deadline_met is True


def test_it_scopes_applications_by_role(world):
    mine = register(world, "director", recipient=world.in_caseload)
    others = register(world, "director", recipient=world.in_home1_other_worker)
    home2 = register(world, "director", recipient=world.in_home2, department=world.home2)

    def visible(role):
        return set(queries.applications_for(world.actor(role)).values_list("pk", flat=True))

    assert visible("director") == {mine.pk, others.pk, home2.pk}
    assert visible("department_head") == {mine.pk, others.pk}
    assert visible("social_worker") == {mine.pk}
    assert visible("hr") == set()
    with pytest.raises(Http404):
        queries.get_application_for(world.actor("department_head"), home2.pk)


def _overdue_world(world):
    old = register(world, "director", received_on=D(2020, 3, 2))
    home2_old = register(world, "director", recipient=world.in_home2, department=world.home2,
                         received_on=D(2020, 3, 2))
    fresh = register(world, "director", received_on=datetime.date.today())
    decided = register(world, "director", received_on=D(2020, 3, 2))
    actions.do_decide(decided, actor=world.actor("director"), outcome="refused", decided_on=D(2020, 3, 20),
                      reason="Нет оснований")
    return old, home2_old, fresh, decided


def test_it_shows_overdue_applications_to_the_head_of_that_department_only(world):
    old, home2_old, fresh, decided = _overdue_world(world)
    head1 = queries.applications_for(world.actor("department_head"))
    assert set(queries.filter_applications(head1, overdue=True)) == {old}
    director = queries.applications_for(world.actor("director"))
    assert set(queries.filter_applications(director, overdue=True)) == {old, home2_old}
    # The head of home2 (another department) sees home2's overdue one and not home1's.
    from opora.accounts.actions import do_create_user
    from opora.accounts.actor import Actor

    head2 = do_create_user("head2", role="department_head", organisation=world.org, departments=[world.home2],
                           password="demo-pass-1", check_password=False)
    seen = queries.filter_applications(queries.applications_for(Actor.for_user(head2)), overdue=True)
    assert set(seen) == {home2_old}
    assert queries.open_counts(world.actor("department_head"), world.org.pk) == {"open": 2, "overdue": 1}


def test_it_lists_the_journal_with_filters_highlighting_overdue_ones(world):
    old, home2_old, fresh, decided = _overdue_world(world)
    client = world.client("department_head")
    response = client.get(reverse("intake:list"), {"overdue": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert old.number in body and fresh.number not in body and home2_old.number not in body
    assert 'class="overdue"' in body
    response = client.get(reverse("intake:list"), {"status": "refused"})
    assert decided.number in response.content.decode() and old.number not in response.content.decode()
    response = world.client("director").get(reverse("intake:list"), {"department": world.home2.pk})
    assert home2_old.number in response.content.decode() and old.number not in response.content.decode()


def test_it_lists_in_a_bounded_number_of_queries(world):
    client = world.client("director")
    register(world, "director")
    client.get(reverse("intake:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("intake:list"))
    for day in range(2, 22):
        register(world, "director", received_on=D(2020, 2, day), recipient=world.in_home2, department=world.home2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("intake:list"))
    assert response.status_code == 200
    assert len(many) == len(few)


def test_it_shows_the_dashboard_block_to_caseworkers(world):
    _overdue_world(world)
    body = world.client("department_head").get(reverse("dashboard")).content.decode()
    assert reverse("intake:list") + "?overdue=1" in body
    assert reverse("intake:list") not in world.client("hr").get(reverse("dashboard")).content.decode()


def test_it_registers_through_the_page_with_the_duplicate_warning(world):
    client = world.client("department_head")
    url = reverse("intake:create")
    assert client.get(url).status_code == 200
    form = {"received_on": "2020-01-10", "channel": "phone", "requested_form": "home",
            "department": world.home1.pk, "request": "Помощь на дому",
            "person-last_name": "Фёдорова", "person-first_name": "Алёна", "person-patronymic": "Петровна",
            "person-sex": "F", "person-birth_date": "1940-05-01"}
    response = client.post(url, form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Фёдорова Алёна Петровна" in " ".join(response.context["person_form"].non_field_errors())
    assert "person-confirm_duplicate" in body
    assert not Application.objects.exists()
    response = client.post(url, {**form, "person-confirm_duplicate": "on"})
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("intake:detail", args=[app.pk])
    assert app.recipient != world.in_caseload and app.channel == "phone"
    response = client.post(url, {**form, "recipient": world.in_caseload.pk})
    assert response.status_code == 200 and 'id="warnings"' in response.content.decode()  # no consent on file
    assert not Application.objects.filter(recipient=world.in_caseload).exists()
    response = client.post(url, {**form, "recipient": world.in_caseload.pk, "confirm_warnings": "1"})
    assert response.status_code == 302
    assert Application.objects.filter(recipient=world.in_caseload).count() == 1
    assert client.post(url, {**form, "recipient": world.in_home2.pk}).status_code == 404


def test_it_keeps_ids_of_four_digits_and_more_ungrouped_in_the_page(world):
    """A person with the id 12345: the chosen person's hidden field and the search's links carry «12345»,
    never the locale's «12 345»."""
    from tests import factories as f

    person = f.RecipientFactory(pk=12345, organisation=world.org, last_name="Тысячная",
                                registered_department=world.home1)
    f.EnrolmentFactory(recipient=person, department=world.home1, admitted_on=D(2020, 1, 10))
    client = world.client("department_head")
    url = reverse("intake:create")
    page = client.get(url, {"recipient": person.pk}).content.decode()
    assert 'name="recipient" value="12345"' in page
    found = client.get(url, {"q": "Тысячная"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'href="?recipient=12345"' in found
    card = world.client("director").get(reverse("recipient_detail", args=[person.pk])).content.decode()
    assert "?recipient=12345" in card and "12\xa0345" not in card


def test_it_decides_through_the_page(world):
    app = register(world)
    client = world.client("department_head")
    detail = client.get(reverse("intake:detail", args=[app.pk]))
    assert detail.status_code == 200 and app.number in detail.content.decode()
    response = client.post(reverse("intake:decide", args=[app.pk]),
                           {"outcome": "refused", "decided_on": "2020-01-15", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["decision_form"].errors
    response = client.post(reverse("intake:decide", args=[app.pk]),
                           {"outcome": "recognised", "decided_on": "2020-01-15", "form": "home"})
    assert response.status_code == 200 and "outcome" in response.context["decision_form"].errors  # no assessment
    assert reverse("intake:assess", args=[app.pk]) in response.content.decode()  # the way to add it stays
    actions.do_record_assessment(app, {"examined_on": D(2020, 1, 13)}, {item.code: 1 for item in ITEMS},
                                 actor=world.actor("department_head"))
    response = client.post(reverse("intake:decide", args=[app.pk]),
                           {"outcome": "recognised", "decided_on": "2020-01-15", "form": "home"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.RECOGNISED
    detail = client.get(reverse("intake:detail", args=[app.pk])).content.decode()
    assert f"/programmes/new/?application={app.pk}" in detail
    assert world.client("social_worker").post(reverse("intake:decide", args=[app.pk]), {}).status_code == 403
    assert world.client("hr").get(reverse("intake:detail", args=[app.pk])).status_code in (403, 404)


def test_it_answers_the_api_with_codes(world):
    # the consent on file: nothing to confirm (the API's warnings: tests/programmes/test_api_warnings.py)
    Consent.objects.create(recipient=world.in_caseload, given_on=datetime.date(2020, 1, 1), scope="processing")
    client = world.client("department_head")
    body = {"received_on": "2020-01-10", "channel": "online", "requested_form": "home",
            "department_id": world.home1.pk, "recipient_id": world.in_caseload.pk}
    response = client.post("/api/v1/applications", body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == "2020-0001" and data["decision_due"] == "2020-01-17" and data["status"] == "registered"
    pk = data["id"]
    assert client.get(f"/api/v1/applications/{pk}").json()["recipient_id"] == world.in_caseload.pk
    listing = client.get("/api/v1/applications", {"overdue": "true"}).json()
    assert listing["count"] == 1  # due in 2020, still open
    # 422 naming the field
    bad = client.post("/api/v1/applications", {**body, "channel": "pigeon"}, content_type="application/json")
    assert bad.status_code == 422
    new = {**body, "recipient_id": None, "new_person": {"last_name": "", "first_name": "Вера", "sex": "F",
                                                       "birth_date": "1938-03-04"}}
    bad = client.post("/api/v1/applications", new, content_type="application/json")
    assert bad.status_code == 422 and "last_name" in str(bad.json()["detail"][0]["loc"])
    dup = {**body, "recipient_id": None, "new_person": {"last_name": "Фёдорова", "first_name": "Алёна",
                                                       "patronymic": "Петровна", "sex": "F",
                                                       "birth_date": "1940-05-01"}}
    bad = client.post("/api/v1/applications", dup, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["type"] == "possible_duplicate"
    assert bad.json()["detail"][0]["loc"] == ["body", "new_person"]
    assert "Фёдорова Алёна Петровна" in bad.json()["detail"][0]["msg"]
    bad = client.post(f"/api/v1/applications/{pk}/decision",
                      {"outcome": "refused", "decided_on": "2020-01-15"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "reason"]
    bad = client.post(f"/api/v1/applications/{pk}/decision",
                      {"outcome": "recognised", "decided_on": "2020-01-15", "form": "home"},
                      content_type="application/json")  # no needs assessment: the same error as the page
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "outcome"]
    assert "оценк" in bad.json()["detail"][0]["msg"] or "assessment" in bad.json()["detail"][0]["msg"]
    assert client.post(f"/api/v1/applications/{pk}/assessment", {
        "examined_on": "2020-01-13", "answers": {item.code: 1 for item in ITEMS}},
        content_type="application/json").status_code == 201
    ok = client.post(f"/api/v1/applications/{pk}/decision",
                     {"outcome": "recognised", "decided_on": "2020-01-15", "form": "home"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "recognised" and ok.json()["deadline_met"] is True
    # 404 out of scope, 403 without the right
    home2 = register(world, "director", recipient=world.in_home2, department=world.home2)
    assert client.get(f"/api/v1/applications/{home2.pk}").status_code == 404
    worker = world.client("social_worker")
    assert worker.post("/api/v1/applications", body, content_type="application/json").status_code == 403
    assert worker.post(f"/api/v1/applications/{pk}/decision", {"outcome": "refused", "decided_on": "2020-01-15",
                                                                "reason": "x"},
                       content_type="application/json").status_code == 403
    assert world.client("hr").get("/api/v1/applications").json()["count"] == 0


def test_it_withdraws_an_open_application_through_the_page(world):
    app = register(world)
    client = world.client("department_head")
    assert client.post(reverse("intake:withdraw", args=[app.pk])).status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.WITHDRAWN
    assert queries.open_counts(world.actor("department_head"), world.org.pk) == {"open": 0, "overdue": 0}


def test_it_registers_a_new_person_through_the_api(world):
    body = {"received_on": "2020-01-10", "channel": "phone", "requested_form": "home",
            "department_id": world.home1.pk, "applicant_name": "Новиков П. (сын)", "new_person": {
                "last_name": "Новикова", "first_name": "Вера", "sex": "F", "birth_date": "1938-03-04",
                "snils": "112-233-445 95"}}
    client = world.client("department_head")
    bad = client.post("/api/v1/applications", body, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][:2] == ["body", "new_person"]
    body["new_person"]["snils"] = ""
    ok = client.post("/api/v1/applications", body, content_type="application/json")
    assert ok.status_code == 201, ok.content
    person = Recipient.objects.get(pk=ok.json()["recipient_id"])
    assert person.last_name == "Новикова" and person.registered_department == world.home1
    wrong = client.post("/api/v1/applications", {**body, "department_id": world.home2.pk},
                        content_type="application/json")
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "department_id"]
