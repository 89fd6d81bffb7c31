"""The JSON API: authentication, status codes, validation errors naming the field, scoping."""

from __future__ import annotations

import json

from django.core.management import call_command
from django.test import Client

from opora.accounts.actions import do_create_token
from opora.audit.models import AuditEvent
from opora.people.models import Recipient

NEW = {"last_name": "Кузнецова", "first_name": "Ольга", "patronymic": "Ивановна", "sex": "F",
       "birth_date": "1950-06-15", "snils": "148-481-255 85", "categories": ["pensioner", "labour_veteran"]}


def _bearer(world, role):
    return {"HTTP_AUTHORIZATION": f"Bearer {do_create_token(world.users[role])}"}


def test_it_answers_401_to_anonymous_calls_and_bad_tokens(world):
    client = Client()
    assert client.get("/api/v1/recipients").status_code == 401
    assert client.get("/api/v1/recipients", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert client.post("/api/v1/recipients", NEW, content_type="application/json").status_code == 401


def test_it_serves_the_openapi_schema(world):
    schema = world.client("director").get("/api/v1/openapi.json").json()
    for p in ("/api/v1/recipients", "/api/v1/recipients/{pk}", "/api/v1/families", "/api/v1/departments",
              "/api/v1/staff", "/api/v1/services"):
        assert p in schema["paths"], p


def test_it_creates_reads_and_patches_a_recipient_with_a_token(world):
    client, auth = Client(), _bearer(world, "director")
    created = client.post("/api/v1/recipients", NEW, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["snils"] == "148-481-255 85" and sorted(body["categories"]) == ["labour_veteran", "pensioner"]
    assert body["organisation"] == "kcson"
    pk = body["id"]
    patched = client.patch(f"/api/v1/recipients/{pk}", {"phone": "+7 900 1"}, content_type="application/json",
                           **auth)
    assert patched.status_code == 200 and patched.json()["phone"] == "+7 900 1"
    assert patched.json()["last_name"] == "Кузнецова"
    got = client.get(f"/api/v1/recipients/{pk}", **auth)
    assert got.status_code == 200
    assert AuditEvent.objects.filter(object_id=str(pk), object_type="people.recipient").count() == 3


def test_it_answers_422_naming_the_field(world):
    client, auth = Client(), _bearer(world, "director")
    bad_snils = client.post("/api/v1/recipients", {**NEW, "snils": "148-481-255 86"},
                            content_type="application/json", **auth)
    assert bad_snils.status_code == 422
    assert bad_snils.json()["detail"][0]["loc"] == ["body", "snils"]
    missing = client.post("/api/v1/recipients", {k: v for k, v in NEW.items() if k != "birth_date"},
                          content_type="application/json", **auth)
    assert missing.status_code == 422
    assert "birth_date" in json.dumps(missing.json())
    bad_category = client.post("/api/v1/recipients", {**NEW, "categories": ["nope"]},
                               content_type="application/json", **auth)
    assert bad_category.status_code == 422 and bad_category.json()["detail"][0]["loc"] == ["body", "categories"]
    foreign = client.post("/api/v1/recipients", {**NEW, "registered_department_id": 10**6},
                          content_type="application/json", **auth)
    assert foreign.status_code == 422
    assert foreign.json()["detail"][0]["loc"] == ["body", "registered_department_id"]
    assert not Recipient.objects.filter(last_name="Кузнецова").exists()


def test_it_answers_422_for_a_namesake_until_confirmed(world):
    client, auth = Client(), _bearer(world, "director")
    same = {**NEW, "last_name": "Федорова", "first_name": "Алена", "patronymic": "Петровна",
            "birth_date": "1940-05-01", "snils": ""}
    first = client.post("/api/v1/recipients", same, content_type="application/json", **auth)
    assert first.status_code == 422 and first.json()["detail"][0]["type"] == "possible_duplicate"
    second = client.post("/api/v1/recipients", {**same, "confirm_duplicate": True},
                         content_type="application/json", **auth)
    assert second.status_code == 201


def test_it_answers_404_for_another_organisations_record_and_403_without_the_right(world):
    client = world.client("director")
    assert client.get(f"/api/v1/recipients/{world.other_org_person.pk}").status_code == 404
    assert client.patch(f"/api/v1/recipients/{world.other_org_person.pk}", {"phone": "1"},
                        content_type="application/json").status_code == 404
    analyst = world.client("analyst")
    assert analyst.patch(f"/api/v1/recipients/{world.in_caseload.pk}", {"phone": "1"},
                         content_type="application/json").status_code == 404
    assert analyst.post("/api/v1/recipients", {**NEW, "organisation": "kcson"},
                        content_type="application/json").status_code == 422


def test_it_searches_and_paginates(world):
    client = world.client("director")
    found = client.get("/api/v1/recipients", {"search": "федорова"}).json()
    assert found["count"] == 1 and found["results"][0]["last_name"] == "Фёдорова"
    page = client.get("/api/v1/recipients", {"page_size": 2, "page": 2}).json()
    assert page["count"] == 4 and len(page["results"]) == 2
    assert client.get("/api/v1/recipients", {"page_size": 1000}).status_code == 422


def test_it_manages_families_departments_staff_and_services(world):
    client = world.client("director")
    family = client.post("/api/v1/families", {"name": "Семья Ивановых", "categories": ["family_large"]},
                         content_type="application/json")
    assert family.status_code == 201 and family.json()["categories"] == ["family_large"]
    fid = family.json()["id"]
    assert client.patch(f"/api/v1/families/{fid}", {"notes": "многодетная"},
                        content_type="application/json").json()["notes"] == "многодетная"
    dept = client.post("/api/v1/departments", {"code": "day", "name": "ОДП", "kind": "day_stay"},
                       content_type="application/json")
    assert dept.status_code == 201
    dup = client.post("/api/v1/departments", {"code": "day", "name": "ОДП", "kind": "day_stay"},
                      content_type="application/json")
    assert dup.status_code == 422
    staff = client.post("/api/v1/staff", {"tab_no": "777", "last_name": "Орлова", "first_name": "Ирина",
                                          "position": "psychologist", "department_id": dept.json()["id"],
                                          "hired_on": "2020-01-09", "dismissed_on": "2019-01-01"},
                        content_type="application/json")
    assert staff.status_code == 422 and staff.json()["detail"][0]["loc"] == ["body", "dismissed_on"]
    service = client.post("/api/v1/services", {"code": "X1", "name": "Стирка", "type": "household",
                                               "list": "additional", "unit": "кг", "tariff": "55.50",
                                               "tariff_from": "2020-01-01"}, content_type="application/json")
    assert service.status_code == 201 and service.json()["tariffs"][0]["price"] == 55.5
    assert b'"price": 55.50' in service.content  # money: a JSON number with two decimals, as everywhere
    assert service.json()["innovative"] is False
    innovative = client.post("/api/v1/services", {"code": "X3", "name": "Онлайн-заняття", "type": "pedagogical",
                                                  "list": "basic", "unit": "заняття", "innovative": True},
                             content_type="application/json")  # issue 17
    assert innovative.status_code == 201 and innovative.json()["innovative"] is True
    assert world.client("hr").post("/api/v1/services", {"code": "X2", "name": "a", "type": "household",
                                                         "list": "basic", "unit": "u"},
                                   content_type="application/json").status_code == 403


def test_the_token_command_prints_the_token_on_its_last_line(world, capsys):
    call_command("token", "create", "director")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    response = Client().get("/api/v1/departments", HTTP_AUTHORIZATION=f"Bearer {last}")
    assert response.status_code == 200
    assert {d["code"] for d in response.json()} == {"home1", "home2", "urgent"}
