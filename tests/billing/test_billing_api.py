"""The billing API: the fee preview (numbers, 422 naming the field), decisions, income, charges, payments,
balances, and who may call what."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from opora.billing.models import Charge, FeeDecision, IncomeRecord, PaymentReceived
from tests import factories_billing as b

D = Decimal
URL = "/api/v1/billing/fee-preview"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def preview(client, **kw):
    data = {"form": "home", "income_per_capita": 24000, "subsistence_minimum": 15000, "programme_cost": 5000, **kw}
    return post(client, URL, data)


def test_it_previews_the_worked_example(world):
    response = preview(world.client("accountant"))
    assert response.status_code == 200
    assert b'"fee": 750.00' in response.content  # a JSON number with two decimals
    body = response.json()
    assert body["fee"] == 750 and body["branch"] == "income_share"
    e = body["explanation"]
    assert (e["threshold"], e["programme_cost"], e["income_per_capita"], e["coefficient"]) == (22500, 5000, 24000,
                                                                                               1.5)
    assert e["text"]


def test_it_previews_the_stationary_example_and_the_coefficient(world):
    client = world.client("social_worker")  # casework staff may use the calculator
    body = preview(client, form="stationary", income_per_capita=30000, programme_cost=40000).json()
    assert (body["fee"], body["branch"]) == (22500, "income_share")
    body = preview(client, coefficient=2, income_per_capita=30000).json()
    assert (body["fee"], body["branch"]) == (0, "free_income")


def test_it_frees_the_categories_of_the_free_list_only(world):
    client = world.client("accountant")
    assert preview(client, categories=["combat_veteran"]).json()["branch"] == "free_category"
    assert preview(client, categories=["pensioner"]).json()["fee"] == 750


@pytest.mark.parametrize(("data", "field"), [
    ({"income_per_capita": -1}, "income_per_capita"),
    ({"form": "somewhere"}, "form"),
    ({"coefficient": 1.4}, "coefficient"),
    ({"programme_cost": -5}, "programme_cost"),
    ({"categories": ["no_such_thing"]}, "categories"),
    ({"income_per_capita": "lots"}, "income_per_capita"),
])
def test_it_answers_422_naming_the_field(world, data, field):
    response = preview(world.client("accountant"), **data)
    assert response.status_code == 422
    assert any(d["loc"][-1] == field for d in response.json()["detail"])


def test_it_refuses_the_preview_to_those_without_casework_or_billing(world):
    assert preview(world.client("hr")).status_code == 403


@pytest.fixture
def march(world):
    extra = b.service(world.org, "X1", "120.00", list_="additional")
    a = world.in_caseload
    b.contract(a, b.programme(a, world.home1), fee="750")
    b.delivery(a, world.home1, extra, datetime.date(2020, 3, 2), quantity=2)
    return a


def test_it_computes_lists_and_pays_charges(world, march):
    client = world.client("accountant")
    response = post(client, "/api/v1/billing/charges/compute", {"month": "2020-03"})
    assert response.status_code == 200 and response.json() == {"created": 1, "updated": 0, "unchanged": 0}
    body = client.get("/api/v1/billing/charges?month=2020-03").json()
    assert body["count"] == 1 and body["results"][0]["total"] == 990 and body["totals"]["total"] == 990
    charge = Charge.objects.get()
    response = post(client, "/api/v1/billing/payments", {"recipient_id": march.pk, "paid_on": "2020-04-02",
                                                         "amount": 1000, "method": "cash", "charge_id": charge.pk})
    assert response.status_code == 201 and b'"amount": 1000.00' in response.content
    balances = client.get("/api/v1/billing/balances?which=overpaid").json()
    assert balances["results"] == [{"recipient_id": march.pk, "recipient": march.full_name, "charged": 990.0,
                                    "paid": 1000.0, "balance": -10.0}]


@pytest.mark.parametrize(("data", "field"), [
    ({"amount": 0}, "amount"),
    ({"paid_on": "2030-01-01"}, "paid_on"),
    ({"method": "barter"}, "method"),
])
def test_it_names_the_wrong_payment_field(world, march, data, field):
    payment = {"recipient_id": march.pk, "paid_on": "2020-04-02", "amount": 10, "method": "cash", **data}
    response = post(world.client("accountant"), "/api/v1/billing/payments", payment)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert not PaymentReceived.objects.exists()


def test_it_scopes_the_billing_api(world, march):
    worker = world.client("social_worker")
    assert post(worker, "/api/v1/billing/charges/compute", {"month": "2020-03"}).status_code == 403
    assert worker.get("/api/v1/billing/charges?month=2020-03").status_code == 403
    assert post(worker, "/api/v1/billing/payments", {"recipient_id": march.pk, "paid_on": "2020-04-02",
                                                     "amount": 10, "method": "cash"}).status_code == 403
    accountant = world.client("accountant")
    stranger = {"recipient_id": world.other_org_person.pk, "paid_on": "2020-04-02", "amount": 10, "method": "cash"}
    assert post(accountant, "/api/v1/billing/payments", stranger).status_code == 404
    assert post(accountant, "/api/v1/billing/charges/compute", {"month": "2020-03", "organisation": "other"}
                ).status_code == 422
    assert accountant.get("/api/v1/billing/charges?month=March").status_code == 422


def test_it_decides_a_fee_and_records_income_through_the_api(world):
    b.region(world.org)
    svc = b.service(world.org, "H1", "250.00")
    prog = b.programme(world.in_caseload, world.home1, items=[(svc, 20, "month")],
                       received_on=datetime.date(2020, 1, 15))
    client = world.client("accountant")
    for month in range(1, 13):
        response = post(client, "/api/v1/billing/income", {"recipient_id": world.in_caseload.pk,
                                                           "month": f"2019-{month:02d}-15", "source": "пенсия",
                                                           "amount": 30000})
        assert response.status_code == 201
    assert IncomeRecord.objects.filter(month=datetime.date(2019, 5, 1)).exists()
    response = post(client, "/api/v1/billing/fee-decisions", {"programme_id": prog.pk, "decided_on": "2020-01-25"})
    assert response.status_code == 201
    body = response.json()
    assert (body["income_per_capita"], body["threshold"], body["programme_cost"], body["fee"], body["branch"]) == (
        30000, 22500, 5000, 3750, "income_share")
    assert client.get(f"/api/v1/billing/fee-decisions/{body['id']}").json()["fee"] == 3750
    assert FeeDecision.objects.count() == 1
    world.org.region = "Пустая область"
    world.org.save()
    response = post(client, "/api/v1/billing/fee-decisions", {"programme_id": prog.pk, "decided_on": "2020-01-25"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "subsistence_minimum"]
    assert post(world.client("social_worker"), "/api/v1/billing/fee-decisions",
                {"programme_id": prog.pk, "decided_on": "2020-01-25"}).status_code == 403
