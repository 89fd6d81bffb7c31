"""Item 6 of issue 9: no request ends in a server error: nulls in text fields, huge quantities, ids and page
numbers, bodies that are not JSON objects, malformed JSON, dates given as numbers."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from opora.delivery.models import Delivery, UrgentAct
from opora.people.models import Family
from tests import factories as f
from tests.factories_delivery import make_catalogue, make_programme

HUGE = 10**25


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


def send(client, method, url, body, raw=False):
    data = body if raw else json.dumps(body)
    return getattr(client, method)(f"/api/v1{url}", data=data, content_type="application/json")


def test_a_null_text_field_of_a_family_is_a_422(world):
    family = f.FamilyFactory(organisation=world.org, name="Семья Фёдоровых", notes="старые заметки")
    world.in_caseload.family = family
    world.in_caseload.save()
    c = world.client("director")
    for key in ("notes", "address", "name"):
        r = send(c, "patch", f"/families/{family.pk}", {key: None})
        assert r.status_code == 422, (key, r.content)
        assert r.json()["detail"][0]["loc"] == ["body", key]
    family.refresh_from_db()
    assert family.notes == "старые заметки"
    assert send(c, "patch", f"/families/{family.pk}", {"notes": ""}).status_code == 200
    assert Family.objects.get(pk=family.pk).notes == ""


@pytest.mark.parametrize("quantity", [1e30, 10**30, 10_001, 2**63])
def test_a_huge_quantity_on_an_urgent_act_is_a_422(world, cat, quantity):
    body = {"recipient_id": world.unenrolled_home1.pk, "department_id": world.urgent.pk, "date": "2020-05-06",
            "lines": [{"service_id": cat.urgent.pk, "quantity": quantity}]}
    r = send(world.client("director"), "post", "/urgent-acts", body)
    assert r.status_code == 422, r.content
    assert not UrgentAct.objects.exists() and not Delivery.objects.exists()


def test_the_largest_quantity_is_accepted_and_the_same_rule_refuses_one_more(world, cat):
    body = {"recipient_id": world.unenrolled_home1.pk, "department_id": world.urgent.pk, "date": "2020-05-06",
            "lines": [{"service_id": cat.urgent.pk, "quantity": 10_001}]}
    r = send(world.client("director"), "post", "/urgent-acts", body)
    assert r.json()["detail"][0]["msg"] == "The quantity must be at most 10000."
    body["lines"][0]["quantity"] = 10_000
    assert send(world.client("director"), "post", "/urgent-acts", body).status_code == 201


@pytest.mark.parametrize("url", ["/recipients/{}", "/families/{}", "/deliveries/{}", "/urgent-acts/{}",
                                 "/programmes/{}", "/contracts/{}", "/applications/{}",
                                 "/billing/fee-decisions/{}"])
def test_huge_and_negative_ids_in_paths_are_not_server_errors(world, url):
    c = world.client("director")
    for pk in (HUGE, 2**63, 2**63 - 1, 0):
        r = c.get("/api/v1" + url.format(pk))
        assert r.status_code in (404, 422), (pk, r.status_code)
        assert r["Content-Type"].startswith("application/json")
    r = c.get("/api/v1" + url.format(-5))  # no operation matches: the JSON 404
    assert r.status_code == 404 and r.json() == {"detail": "Not Found"}


@pytest.mark.parametrize("params", [{"department_id": HUGE}, {"page": 10**20}, {"page": 0}, {"page_size": 10**20},
                                    {"recipient_id": HUGE}, {"worker_id": -1}])
def test_huge_ids_and_pages_on_lists_are_a_422(world, params):
    c = world.client("director")
    for url in ("/deliveries", "/recipients", "/programmes"):
        r = c.get("/api/v1" + url, params)
        assert r.status_code in (200, 422), (url, params, r.status_code)
        if r.status_code == 200:  # a filter this list does not have is ignored
            assert set(params) - {"page", "page_size"}
    assert c.get("/api/v1/deliveries", params).status_code == 422


@pytest.mark.parametrize("body", [[], 5, "text", None, True])
def test_a_body_that_is_not_an_object_is_a_422(world, body):
    family = f.FamilyFactory(organisation=world.org, name="Семья")
    c = world.client("director")
    for url in (f"/families/{family.pk}", f"/recipients/{world.in_caseload.pk}"):
        r = send(c, "patch", url, body)
        assert r.status_code == 422, (url, body, r.status_code)
    r = send(c, "post", "/recipients", body)
    assert r.status_code == 422


def test_malformed_json_is_a_422(world):
    r = send(world.client("director"), "post", "/recipients", "{not json", raw=True)
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize("value", [0, "0", "2020-02-30", "2020-01-01T00:00:00", True])
def test_a_date_is_an_iso_string_only(world, cat, value):
    body = {"recipient_id": world.in_caseload.pk, "department_id": world.home1.pk, "service_id": cat.monthly.pk,
            "date": value}
    r = send(world.client("director"), "post", "/deliveries", body)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "date"
    assert world.client("director").get("/api/v1/applications", {"received_to": value}).status_code == 422



def test_an_impossible_day_and_a_huge_amount_are_refused_in_the_users_words(world, cat):
    """The day is read by lib/dates.py (the one parser) and the bound is written by lib/formats.py (the one
    formatter): the messages are translated, and the figure has the language's thousands separator."""
    body = {"recipient_id": world.in_caseload.pk, "department_id": world.home1.pk, "service_id": cat.monthly.pk,
            "date": "2020-02-30"}
    r = send(world.client("director"), "post", "/deliveries", body)
    assert r.status_code == 422 and r.json()["detail"][0]["msg"] == "Value error, Enter a date as YYYY-MM-DD."
    fee = {"form": "home", "income_per_capita": "10" + "0" * 12, "subsistence_minimum": 100, "programme_cost": 1}
    r = send(world.client("director"), "post", "/billing/fee-preview", fee)
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "Value error, The number must be less than 1,000,000,000,000."
    with translation.override("ru"):
        r = world.client("director").post("/api/v1/billing/fee-preview", data=json.dumps(fee),
                                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"].endswith(" 1\u00a0000\u00a0000\u00a0000\u00a0000.")


def test_values_of_another_json_type_are_refused(world):
    c = world.client("director")
    assert send(c, "post", "/departments", {"code": "x", "name": "X", "kind": "home_care",
                                           "is_active": 0}).status_code == 422
    assert send(c, "patch", f"/recipients/{world.in_caseload.pk}", {"family_id": "1"}).status_code == 422


def test_a_query_parameter_given_twice_is_a_422(world):
    c = world.client("director")
    assert c.get("/api/v1/services", {"type": "household"}).status_code == 200
    assert c.get("/api/v1/services?type=household&type=medical").status_code == 422


@pytest.mark.parametrize("text", ["a\x00b", "\x1b", "\ud800"])
def test_control_characters_and_lone_surrogates_are_a_422_in_bodies_and_queries(world, text):
    c = world.client("director")
    if text != "\ud800":  # a URL cannot carry a lone surrogate; JSON can (as \ud800)
        r = c.get("/api/v1/recipients", {"search": text})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "search"]
    body = json.dumps({"patronymic": text}, ensure_ascii=True)
    r = send(c, "patch", f"/recipients/{world.in_caseload.pk}", body, raw=True)
    assert r.status_code == 422
    assert "control character" in r.json()["detail"][0]["msg"]
