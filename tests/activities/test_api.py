"""/api/v1/groups and /api/v1/events: typed answers, errors naming the field, scope."""

from __future__ import annotations

import datetime

from opora.activities.models import Event, Session


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_it_creates_a_group_adds_a_member_and_records_a_session(world):
    client = world.client("department_head")
    created = _post(client, "/api/v1/groups", {"code": "dosug", "name": "Досуг", "kind": "club",
                                               "department_id": world.home1.pk})
    assert created.status_code == 201, created.content
    group = created.json()
    assert group["members"] == 0 and group["organisation"] == "kcson"
    url = f"/api/v1/groups/{group['id']}"
    member = _post(client, f"{url}/members", {"recipient_id": world.in_caseload.pk, "joined_on": "2020-01-10"})
    assert member.status_code == 201, member.content
    too_many = _post(client, f"{url}/sessions", {"date": "2020-02-01", "attendance": 2})
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["loc"] == ["body", "attendance"]
    ok = _post(client, f"{url}/sessions", {"date": "2020-02-01", "attendance": 1, "topic": "Знакомство"})
    assert ok.status_code == 201 and ok.json()["attendance"] == 1
    assert Session.objects.count() == 1
    assert client.get(url).json()["members"] == 1
    assert [m["recipient_id"] for m in client.get(f"{url}/members").json()] == [world.in_caseload.pk]
    assert client.get("/api/v1/groups").json()["count"] == 1


def test_a_member_from_another_organisation_is_an_unknown_person(world):
    client = world.client("director")
    group = _post(client, "/api/v1/groups", {"code": "g", "name": "G", "kind": "club"}).json()
    answer = _post(client, f"/api/v1/groups/{group['id']}/members", {"recipient_id": world.other_org_person.pk})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "recipient_id"]


def test_another_departments_group_is_absent_for_a_department_head(world):
    group = _post(world.client("director"), "/api/v1/groups",
                  {"code": "g2", "name": "G2", "kind": "class", "department_id": world.home2.pk}).json()
    head = world.client("department_head")
    assert head.get(f"/api/v1/groups/{group['id']}").status_code == 404
    assert _post(head, f"/api/v1/groups/{group['id']}/sessions", {"date": "2020-02-01",
                                                                 "attendance": 0}).status_code == 404
    assert world.client("hr").get("/api/v1/events").status_code == 403


def test_it_records_and_lists_events_by_period_and_kind(world):
    client = world.client("specialist")
    for code, day, kind, n in (("e1", "2020-03-08", "holiday", 40), ("e2", "2020-10-01", "seminar", 12)):
        answer = _post(client, "/api/v1/events", {"code": code, "date": day, "name": code, "kind": kind,
                                                  "participants": n})
        assert answer.status_code == 201, answer.content
    assert _post(client, "/api/v1/events", {"code": "e3", "date": "2020-10-01", "name": "x", "kind": "circus",
                                            "participants": 1}).status_code == 422
    assert _post(client, "/api/v1/events", {"code": "e1", "date": "2020-10-01", "name": "x", "kind": "other",
                                            "participants": 1}).status_code == 422  # the code is taken
    page = client.get("/api/v1/events?start=2020-06-01&kind=seminar").json()
    assert page["count"] == 1 and page["results"][0]["participants"] == 12
    assert Event.objects.count() == 2


def test_the_taxi_api_prices_a_trip_by_the_tariff_and_names_a_bad_distance(world):
    from decimal import Decimal

    from opora.activities import actions

    actions.do_set_taxi_tariff(world.org, datetime.date(2020, 1, 1), Decimal("250"), Decimal("10"),
                               actor=world.actor("director"))
    client = world.client("specialist")
    answer = _post(client, "/api/v1/taxi/trips", {"recipient_id": world.in_home2.pk, "date": "2020-04-01",
                                                  "destination": "medical", "out_of_district": True, "km": "42.5"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["amount"] == 675.0
    bad = _post(client, "/api/v1/taxi/trips", {"recipient_id": world.in_home2.pk, "date": "2020-04-01",
                                               "destination": "medical", "out_of_district": True})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "km"]
    assert client.get("/api/v1/taxi/trips").json()["count"] == 1


def test_the_drivers_page_records_a_trip(world):
    from decimal import Decimal

    from opora.activities import actions
    from opora.activities.models import TaxiTrip

    actions.do_set_taxi_tariff(world.org, datetime.date(2020, 1, 1), Decimal("250"), Decimal("10"),
                               actor=world.actor("director"))
    client = world.client("specialist")
    page = client.get("/activities/taxi/")
    assert page.status_code == 200 and 'inputmode="decimal"' in page.content.decode()
    answer = client.post("/activities/taxi/", {"recipient": world.in_home2.pk, "date": "2020-04-01",
                                               "destination": "station", "km": "3"})
    assert answer.status_code == 302
    assert TaxiTrip.objects.get().amount == Decimal("250.00")
    refused = client.post("/activities/taxi/", {"recipient": world.in_home2.pk, "date": "2020-04-01",
                                                "destination": "station", "out_of_district": "on"})
    assert refused.status_code == 200 and TaxiTrip.objects.count() == 1
