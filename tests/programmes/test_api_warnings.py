"""The API's warnings to confirm (issue 11), as the web forms have them: an application, a programme or a contract
for a person with no consent to personal-data processing on file, or a second open application of the person,
answers 409 with the warnings (translated, naming what is missing) and saves nothing, unless the request says
``"confirm_warnings": true``; then it is saved, the answer lists the warnings confirmed and the audit records them.
"""

from __future__ import annotations

import pytest

from opora.audit.models import AuditEvent
from opora.intake.models import Application
from opora.people.models import Consent
from opora.programmes.models import Contract, Programme
from tests.factories_programmes import D, make_programme, make_services


@pytest.fixture
def s(world):
    return make_services(world.org)


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", **headers)


def application_body(world, **extra):
    return {"received_on": "2020-01-10", "channel": "phone", "requested_form": "home",
            "department_id": world.home1.pk, "recipient_id": world.in_caseload.pk, **extra}


def confirmed_in_audit(obj) -> list[list[str]]:
    return [e.changes["confirmed_warnings"][1] for e in AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), changes__has_key="confirmed_warnings")]


def test_an_application_without_consent_answers_409_then_saves_when_confirmed(world):
    client = world.client("department_head")
    r = post(client, "/api/v1/applications", application_body(world))
    assert r.status_code == 409, r.content
    body = r.json()
    assert "confirm_warnings" in body["detail"]
    [warning] = body["warnings"]
    assert world.in_caseload.full_name in warning and "152-ФЗ" in warning and "соглас" in warning
    assert not Application.objects.exists()  # nothing saved
    r = post(client, "/api/v1/applications", application_body(world, confirm_warnings=True))
    assert r.status_code == 201, r.content
    assert r.json()["warnings"] == [warning] and r.json()["number"] == "2020-0001"
    assert confirmed_in_audit(Application.objects.get()) == [[warning]]


def test_a_second_open_application_is_named_in_the_409(world):
    Consent.objects.create(recipient=world.in_caseload, given_on=D(2020, 1, 1), scope="processing")
    client = world.client("department_head")
    first = post(client, "/api/v1/applications", application_body(world))
    assert first.status_code == 201 and first.json()["warnings"] == []  # nothing to confirm: saved at once
    assert confirmed_in_audit(Application.objects.get()) == []
    r = post(client, "/api/v1/applications", application_body(world, received_on="2020-01-20"))
    assert r.status_code == 409
    [warning] = r.json()["warnings"]
    assert "2020-0001" in warning and "10.01.2020" in warning and world.in_caseload.full_name in warning
    assert Application.objects.count() == 1
    r = post(client, "/api/v1/applications", application_body(world, received_on="2020-01-20",
                                                                 confirm_warnings=True))
    assert r.status_code == 201 and r.json()["number"] == "2020-0002" and r.json()["warnings"] == [warning]


def test_errors_come_before_the_warnings(world):
    """An invalid request is a 422 naming the field even when it would also be warned about; nothing is saved."""
    r = post(world.client("department_head"), "/api/v1/applications", application_body(world, channel="pigeon"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "channel"]
    r = post(world.client("social_worker"), "/api/v1/applications", application_body(world))
    assert r.status_code == 403  # no right: refused before any warning
    assert not Application.objects.exists()


def test_the_warnings_are_in_the_language_asked(world):
    r = post(world.client("department_head"), "/api/v1/applications", application_body(world),
             HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 409
    assert "has no consent to personal-data processing on file" in r.json()["warnings"][0]
    r = post(world.client("department_head"), "/api/v1/applications", application_body(world),
             HTTP_ACCEPT_LANGUAGE="uk")
    assert "згод" in r.json()["warnings"][0] and "confirm_warnings" in r.json()["detail"]


def test_a_new_person_is_registered_at_once_with_the_reminder(world):
    """As the page: a new person cannot have consent on file before they exist; the answer reminds."""
    body = application_body(world, recipient_id=None, new_person={
        "last_name": "Новикова", "first_name": "Вера", "sex": "F", "birth_date": "1938-03-04"})
    r = post(world.client("department_head"), "/api/v1/applications", body)
    assert r.status_code == 201, r.content
    [reminder] = r.json()["warnings"]
    assert "Новикова Вера" in reminder and "152-ФЗ" in reminder


def programme_body(world, s, **extra):
    return {"recipient_id": world.unenrolled_home1.pk, "form": "home", "department_id": world.home1.pk,
            "drawn_up_on": "2020-01-10", "valid_from": "2020-01-10", "valid_to": "2020-12-31",
            "items": [{"service_id": s.shopping.pk, "volume": 8, "period": "month"}], **extra}


def test_a_programme_without_consent_answers_409_then_saves_when_confirmed(world, s):
    client = world.client("director")
    r = post(client, "/api/v1/programmes", programme_body(world, s))
    assert r.status_code == 409
    [warning] = r.json()["warnings"]
    assert world.unenrolled_home1.full_name in warning
    assert not Programme.objects.exists()
    r = post(client, "/api/v1/programmes", programme_body(world, s, items=[]))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "items"  # errors first
    r = post(client, "/api/v1/programmes", programme_body(world, s, confirm_warnings=True))
    assert r.status_code == 201, r.content
    assert warning in r.json()["warnings"]
    programme = Programme.objects.get()
    assert confirmed_in_audit(programme) == [[warning]]
    # the card read later shows no confirmed warning (only what concerns the programme itself)
    assert warning not in world.client("director").get(f"/api/v1/programmes/{programme.pk}").json()["warnings"]


def test_a_contract_without_consent_answers_409_then_saves_when_confirmed(world, s):
    programme = make_programme(world, s, recipient=world.unenrolled_home1)
    client = world.client("director")
    body = {"programme_id": programme.pk, "signed_on": "2020-01-14", "valid_from": "2020-01-15", "payment": "free"}
    r = post(client, "/api/v1/contracts", body)
    assert r.status_code == 409
    [warning] = r.json()["warnings"]
    assert world.unenrolled_home1.full_name in warning
    assert not Contract.objects.exists()
    r = post(client, "/api/v1/contracts", {**body, "confirm_warnings": True})
    assert r.status_code == 201, r.content
    assert r.json()["warnings"] == [warning] and r.json()["enrolment_id"]
    assert confirmed_in_audit(Contract.objects.get()) == [[warning]]
    # with the consent on file: nothing to confirm
    Consent.objects.create(recipient=world.unenrolled_home1, given_on=D(2020, 1, 1), scope="processing")
    other = make_programme(world, s, recipient=world.unenrolled_home1, department=world.home2)
    r = post(client, "/api/v1/contracts", {**body, "programme_id": other.pk})
    assert r.status_code == 201 and r.json()["warnings"] == []


def test_the_web_form_records_the_warnings_it_confirmed(world, s):
    from django.urls import reverse

    programme = make_programme(world, s, recipient=world.unenrolled_home1)
    url = reverse("programmes:contract_create", args=[programme.pk])
    data = {"signed_on": "2020-01-14", "valid_from": "2020-01-15", "payment": "free", "confirm_warnings": "1"}
    assert world.client("director").post(url, data).status_code == 302
    [confirmed] = confirmed_in_audit(Contract.objects.get())
    assert world.unenrolled_home1.full_name in confirmed[0]


def test_the_schema_declares_the_409_and_the_flag(world):
    schema = world.client("director").get("/api/v1/openapi.json").json()
    for path, created in (("/api/v1/applications", "ApplicationCreated"), ("/api/v1/programmes", "ProgrammeOut"),
                          ("/api/v1/contracts", "ContractCreated")):
        op = schema["paths"][path]["post"]
        conflict = op["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
        assert conflict.endswith("/WarningsToConfirm"), path
        assert op["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(created)
        body = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert "confirm_warnings" in schema["components"]["schemas"][body]["properties"], path
    warned = schema["components"]["schemas"]["WarningsToConfirm"]
    assert set(warned["properties"]) == {"detail", "warnings"}
