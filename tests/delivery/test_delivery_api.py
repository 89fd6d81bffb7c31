"""The JSON API of the journal: the checks of the web, 422 naming the field, 404 out of scope, 403 without right."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import translation

from opora.delivery.models import Delivery, UrgentAct
from tests import factories as f
from tests.factories_delivery import make_catalogue, make_programme

D = datetime.date


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def cat(world):
    c = make_catalogue(world.org)
    make_programme(world.in_caseload, world.home1, c)
    return c


def post(client, url, body):
    return client.post(f"/api/v1{url}", data=json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(f"/api/v1{url}", data=json.dumps(body), content_type="application/json")


def line_body(world, cat, **extra):
    body = {"recipient_id": world.in_caseload.pk, "department_id": world.home1.pk, "service_id": cat.monthly.pk,
            "date": "2020-03-02", "quantity": 2}
    body.update(extra)
    return body


def loc_of(response):
    return [tuple(d["loc"]) for d in response.json()["detail"]]


def test_it_records_a_line_as_the_social_worker(world, cat):
    response = post(world.client("social_worker"), "/deliveries", line_body(world, cat))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["worker_id"] == world.worker.pk and data["amount"] == 0 and data["tariff"] == 100.0
    assert data["list"] == "basic" and data["quantity"] == 2


def test_it_answers_422_naming_the_field(world, cat):
    c = world.client("director")
    r = post(c, "/deliveries", line_body(world, cat, date="2099-01-01"))
    assert r.status_code == 422 and ("body", "date") in loc_of(r)
    r = post(c, "/deliveries", line_body(world, cat, service_id=cat.not_in_programme.pk))
    assert r.status_code == 422 and ("body", "service_id") in loc_of(r)
    assert "not in the programme" in r.json()["detail"][0]["msg"]
    r = post(c, "/deliveries", line_body(world, cat, quantity=9))
    assert r.status_code == 422 and ("body", "quantity") in loc_of(r)
    assert "allows 8" in r.json()["detail"][0]["msg"]
    r = post(c, "/deliveries", line_body(world, cat, date="2020-01-05"))
    assert r.status_code == 422 and ("body", "recipient_id") in loc_of(r)
    other_dept = f.DepartmentFactory(organisation=world.other_org)
    r = post(c, "/deliveries", line_body(world, cat, department_id=other_dept.pk))
    assert r.status_code == 422 and ("body", "department_id") in loc_of(r)
    assert not Delivery.objects.exists()


def test_it_hides_people_outside_the_scope_and_forbids_without_the_right(world, cat):
    sw = world.client("social_worker")
    r = post(sw, "/deliveries", line_body(world, cat, recipient_id=world.in_home1_other_worker.pk,
                                          service_id=cat.additional.pk))
    assert r.status_code == 404
    r = post(world.client("director"), "/deliveries", line_body(world, cat, recipient_id=world.other_org_person.pk))
    assert r.status_code == 404
    r = post(world.client("accountant"), "/deliveries", line_body(world, cat))
    assert r.status_code == 403
    assert world.client("hr").get("/api/v1/deliveries").status_code == 403
    assert not Delivery.objects.exists()


def test_it_lists_patches_and_deletes_lines_in_scope(world, cat):
    c = world.client("director")
    first = post(c, "/deliveries", line_body(world, cat)).json()
    post(c, "/deliveries", line_body(world, cat, service_id=cat.additional.pk, date="2020-03-20", quantity=3))
    r = c.get("/api/v1/deliveries", {"month": "2020-03"})
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 2 and data["totals"] == {"lines": 2, "quantity": 5, "amount": 180.0}
    r = patch(c, f"/deliveries/{first['id']}", {"quantity": 9})
    assert r.status_code == 422 and ("body", "quantity") in loc_of(r)
    r = patch(c, f"/deliveries/{first['id']}", {"quantity": 9, "over_volume_reason": "Болезнь"})
    assert r.status_code == 200 and r.json()["quantity"] == 9
    # the social worker of home1 does not see home2's lines
    Delivery.objects.create(organisation=world.org, recipient=world.in_home2, department=world.home2,
                            service=cat.additional, date=D(2020, 3, 3), quantity=1, list="additional")
    hidden = Delivery.objects.get(recipient=world.in_home2)
    sw = world.client("social_worker")
    assert sw.get("/api/v1/deliveries", {"month": "2020-03"}).json()["count"] == 2
    assert sw.delete(f"/api/v1/deliveries/{hidden.pk}").status_code == 404
    assert world.client("accountant").delete(f"/api/v1/deliveries/{first['id']}").status_code == 403
    assert c.delete(f"/api/v1/deliveries/{first['id']}").status_code == 204
    assert not Delivery.objects.filter(pk=first["id"]).exists()
    assert c.get("/api/v1/deliveries", {"month": "2020-13"}).status_code == 422


def test_it_creates_an_urgent_act_without_enrolment(world, cat):
    person = world.unenrolled_home1
    body = {"recipient_id": person.pk, "department_id": world.urgent.pk, "date": "2020-05-06",
            "situation": "Пожар", "lines": [{"service_id": cat.urgent.pk, "quantity": 1},
                                            {"service_id": cat.monthly.pk, "quantity": 2}]}
    r = post(world.client("director"), "/urgent-acts", body)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["number"] == "1/2020" and len(data["lines"]) == 2
    assert all(x["amount"] == 0 for x in data["lines"])
    r = post(world.client("director"), "/urgent-acts", {**body, "date": "2099-01-01"})
    assert r.status_code == 422 and ("body", "date") in loc_of(r)
    assert UrgentAct.objects.count() == 1


def test_it_answers_the_monthly_act_with_numbers(world, cat):
    c = world.client("director")
    post(c, "/deliveries", line_body(world, cat, date="2020-03-02", quantity=3))
    post(c, "/deliveries", line_body(world, cat, service_id=cat.additional.pk, date="2020-03-10", quantity=2))
    post(c, "/deliveries", line_body(world, cat, service_id=cat.additional.pk, date="2020-03-20", quantity=1))
    r = c.get("/api/v1/monthly-acts", {"recipient": world.in_caseload.pk, "department": world.home1.pk,
                                       "month": "2020-03"})
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["totals"] == {"quantity": 6, "amount": 160.0, "value": 460.0, "basic_value": 300.0}
    assert [(x["code"], x["quantity"], x["tariff"], x["amount"]) for x in data["lines"]] == [
        ("1.01", 3, 100.0, 0.0), ("9.01", 2, 50.0, 100.0), ("9.01", 1, 60.0, 60.0)]
    r = world.client("social_worker").get("/api/v1/monthly-acts", {
        "recipient": world.in_home2.pk, "department": world.home2.pk, "month": "2020-03"})
    assert r.status_code == 404
    r = c.get("/api/v1/monthly-acts", {"recipient": world.in_caseload.pk, "department": world.home1.pk,
                                       "month": "March"})
    assert r.status_code == 422


def test_it_records_and_patches_the_online_mark(world, cat):  # issue 17
    c = world.client("social_worker")
    first = post(c, "/deliveries", line_body(world, cat, online=True))
    assert first.status_code == 201, first.content
    assert first.json()["online"] is True
    assert Delivery.objects.get(pk=first.json()["id"]).online is True
    plain = post(c, "/deliveries", line_body(world, cat, date="2020-03-03")).json()
    assert plain["online"] is False
    r = patch(c, f"/deliveries/{plain['id']}", {"online": True})
    assert r.status_code == 200, r.content
    assert r.json()["online"] is True and Delivery.objects.get(pk=plain["id"]).online is True
    r = post(c, "/deliveries", line_body(world, cat, date="2020-03-04", online="maybe"))
    assert r.status_code == 422 and ("body", "body", "online") in loc_of(r)
