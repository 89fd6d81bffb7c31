"""The money API: typed answers, money as numbers, scope, errors named by the client's fields."""

from __future__ import annotations

import pytest
from django.utils import translation

from opora.money.models import Aid


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def test_accountant_creates_a_fund_and_a_receipt_and_sees_the_balance(world, en):
    c = world.client("accountant")
    r = c.post("/api/v1/money/funds", {"code": "reg", "name": "Областной", "source": "regional_budget"},
               content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = c.post(f"/api/v1/money/funds/{pk}/receipts", {"date": "2020-01-10", "amount": "1000.5"},
               content_type="application/json")
    assert r.status_code == 201 and r.json()["amount"] == 1000.50
    funds = c.get("/api/v1/money/funds?on=2020-12-31").json()
    assert funds == [{"id": pk, "code": "reg", "name": "Областной", "source": "regional_budget", "balance": 1000.5}]
    # a specialist may not create funds, nor see the list of funds' balances
    s = world.client("specialist")
    assert s.post("/api/v1/money/funds", {"code": "x", "name": "X", "source": "charity"},
                  content_type="application/json").status_code == 403
    assert s.get("/api/v1/money/funds").status_code == 403


def test_aid_recorded_with_a_warning_and_seen_by_the_caseload_worker(world, en):
    acc = world.client("accountant")
    pk = acc.post("/api/v1/money/funds", {"code": "reg", "name": "Обл", "source": "regional_budget"},
                  content_type="application/json").json()["id"]
    spec = world.client("specialist")
    r = spec.post("/api/v1/money/aid", {"fund_id": pk, "kind": "cash", "date": "2020-03-01", "amount": "150",
                                        "recipient_id": world.in_caseload.pk}, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["amount"] == 150.0 and body["fund"] == "reg" and body["warning"]
    # both a person and a family: 422 naming the field
    from tests import factories as f

    fam = f.FamilyFactory(organisation=world.org)
    r = spec.post("/api/v1/money/aid", {"fund_id": pk, "kind": "cash", "date": "2020-03-01", "amount": "1",
                                        "recipient_id": world.in_caseload.pk, "family_id": fam.pk},
                  content_type="application/json")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "family_id"]
    # a person of another organisation answers as an unknown one
    r = spec.post("/api/v1/money/aid", {"fund_id": pk, "kind": "cash", "date": "2020-03-01", "amount": "1",
                                        "recipient_id": world.other_org_person.pk}, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "recipient_id"]
    assert Aid.objects.count() == 1
    page = world.client("social_worker").get("/api/v1/money/aid").json()
    assert page["count"] == 1 and page["results"][0]["recipient_id"] == world.in_caseload.pk


def test_budget_and_spending(world, en):
    acc = world.client("accountant")
    r = acc.post("/api/v1/money/budget", {"year": 2020, "month": 1, "fund": "general", "code": "2210",
                                          "approved": "100"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["approved"] == 100.0
    r = acc.post("/api/v1/money/spending", {"date": "2020-01-20", "fund": "general", "code": "2210",
                                            "amount": "-1"}, content_type="application/json")
    assert r.status_code == 422
    r = acc.post("/api/v1/money/spending", {"date": "2020-01-20", "fund": "general", "code": "2210",
                                            "amount": "40"}, content_type="application/json")
    assert r.status_code == 201
    assert acc.get("/api/v1/money/budget?year=2020").json()["count"] == 1
    assert acc.get("/api/v1/money/spending").json()["results"][0]["amount"] == 40.0
    assert world.client("social_worker").get("/api/v1/money/budget").status_code == 403
