"""/api/v1/visits, /api/v1/release-notices and the register fields of /api/v1/families."""

from __future__ import annotations

import json

from opora.audit.models import AuditEvent
from opora.fieldwork.models import Visit
from tests import factories as f


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_it_records_and_lists_a_visit(world):
    family = f.FamilyFactory(organisation=world.org, registered_department=world.home1)
    client = world.client("social_worker")
    r = post(client, "/api/v1/visits", {"date": "2020-03-01", "kind": "patronage", "family_id": family.pk,
                                        "people": 3, "outcome": "Всё в порядке"})
    assert r.status_code == 201, r.content
    assert r.json()["worker_id"] == world.worker.pk and r.json()["people"] == 3
    listed = client.get("/api/v1/visits?kind=patronage").json()
    assert listed["count"] == 1 and listed["results"][0]["family_id"] == family.pk


def test_it_answers_422_naming_the_field(world):
    family = f.FamilyFactory(organisation=world.org)
    r = post(world.client("director"), "/api/v1/visits", {"date": "2020-03-01", "kind": "patronage",
                                                          "family_id": family.pk,
                                                          "recipient_id": world.in_home2.pk})
    assert r.status_code == 422
    assert "recipient_id" in json.dumps(r.json())
    r = post(world.client("director"), "/api/v1/visits", {"date": "2020-03-01", "kind": "patronage",
                                                          "recipient_id": world.other_org_person.pk})
    assert r.status_code == 422 and "recipient_id" in json.dumps(r.json())
    assert not Visit.objects.exists()


def test_release_notices_answer_only_the_director(world):
    body = {"received_on": "2020-03-01", "full_name": "Петров Пётр", "birth_date": "1980-01-01",
            "release_date": "2020-04-01", "outcome": "arrived", "checked_on": "2020-04-02"}
    r = post(world.client("director"), "/api/v1/release-notices", body)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert world.client("department_head").get(f"/api/v1/release-notices/{pk}").status_code == 404
    assert world.client("department_head").get("/api/v1/release-notices").json()["count"] == 0
    assert post(world.client("specialist"), "/api/v1/release-notices", {**body, "full_name": "X"}).status_code == 403
    assert world.client("director").get(f"/api/v1/release-notices/{pk}").status_code == 200
    assert AuditEvent.objects.filter(object_type="fieldwork.releasenotice", event_type="viewed").count() == 1
    r = world.client("director").patch(f"/api/v1/release-notices/{pk}", json.dumps({"outcome": "pending",
                                                                                     "checked_on": None}),
                                       content_type="application/json")
    assert r.status_code == 422  # the release date has passed: a check is needed


def test_the_family_api_carries_the_register(world):
    client = world.client("director")
    r = post(client, "/api/v1/families", {"name": "Семья", "children": 3, "registered_on": "2020-01-10"})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert (r.json()["children"], r.json()["registered_on"]) == (3, "2020-01-10")
    r = client.patch(f"/api/v1/families/{pk}", json.dumps({"deregistered_on": "2020-01-01",
                                                           "deregistration_reason": "moved_away"}),
                     content_type="application/json")
    assert r.status_code == 422 and "deregistered_on" in json.dumps(r.json())
