"""The person's card, enrolment and discharge, and the audit trail of every access."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from opora.audit.models import AuditEvent
from opora.people import actions
from opora.people.models import Enrolment, Recipient
from tests import factories as f


def test_it_records_who_opened_a_card_and_shows_it_to_the_director(world):
    person = world.in_caseload
    world.client("social_worker").get(f"/people/{person.pk}/")
    events = AuditEvent.objects.filter(object_type="people.recipient", object_id=str(person.pk),
                                       event_type="viewed")
    assert [e.actor.username for e in events] == ["social_worker"]
    director_view = world.client("director").get(f"/people/{person.pk}/")
    assert director_view.context["history"] is not None
    assert "social_worker" in director_view.content.decode()
    worker_view = world.client("social_worker").get(f"/people/{person.pk}/")
    assert worker_view.context["history"] is None


def test_it_shows_identity_address_enrolments_consent_and_household(world):
    person = world.in_caseload
    family = f.FamilyFactory(organisation=world.org, name="Семья Фёдоровых")
    actor = world.actor("director")
    actions.do_add_family_member(family, {"full_name": "Фёдоров Пётр", "relation": "сын"}, actor=actor)
    actions.do_add_family_member(family, {"full_name": "", "recipient": person}, actor=actor)
    actions.do_add_consent(person, {"given_on": datetime.date(2020, 1, 10), "scope": "processing"}, actor=actor)
    actions.do_add_representative(person, {"full_name": "Фёдоров Пётр", "kind": "trustee"}, actor=actor)
    body = world.client("director").get(f"/people/{person.pk}/").content.decode()
    for text in ("112-233-445 95", "01.05.1940", "ОСО на дому №1", "Семья Фёдоровых", "Фёдоров Пётр", "10.01.2020"):
        assert text in body, text


def test_it_enrols_and_discharges_through_the_card(world):
    person = world.unenrolled_home1
    client = world.client("department_head")
    response = client.post(f"/people/{person.pk}/enrol/", {
        "department": world.home1.pk, "form": "home", "admitted_on": "2020-02-01", "worker": world.worker.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "active"
    enrolment = Enrolment.objects.get(recipient=person)
    response = client.post(f"/enrolments/{enrolment.pk}/discharge/", {
        "discharged_on": "2020-01-15", "discharge_reason": "own_request"})
    assert "discharged_on" in response.context["form"].errors
    response = client.post(f"/enrolments/{enrolment.pk}/discharge/", {
        "discharged_on": "2020-03-01", "discharge_reason": "death"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "deceased"


def test_it_refuses_a_second_open_enrolment_in_the_same_department(world):
    with pytest.raises(ValidationError) as err:
        actions.do_enrol(world.in_caseload, {"department": world.home1, "form": "home",
                                             "admitted_on": datetime.date(2020, 3, 1)}, actor=world.actor("director"))
    assert "department" in err.value.message_dict


def test_it_writes_the_audit_row_in_the_same_transaction_as_the_change(world):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        actions.do_create_recipient(world.org, {"last_name": "Тест", "first_name": "Тест", "sex": "F",
                                                "birth_date": datetime.date(2999, 1, 1)},
                                    actor=world.actor("director"))
    assert AuditEvent.objects.count() == before
    assert not Recipient.objects.filter(last_name="Тест").exists()


def test_the_database_refuses_a_discharge_without_a_reason_and_a_duplicate_snils(world):
    enrolment = world.in_caseload.enrolments.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(discharged_on=datetime.date(2020, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.create(organisation=world.org, last_name="X", first_name="Y", sex="M",
                                 birth_date=datetime.date(1950, 1, 1), snils="11223344595")
    # The same SNILS in another organisation is another organisation's record.
    Recipient.objects.create(organisation=world.other_org, last_name="X", first_name="Y", sex="M",
                             birth_date=datetime.date(1950, 1, 1), snils="11223344595")
