"""Ukraine's payment rule (КМУ resolution 429): free up to 2 subsistence minimums, differentiated up to 4, full above;
the percentage as unconfirmed data an administrator edits; fee-preview with "jurisdiction": "ua"; the calculator."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import translation

from opora.billing import rules
from opora.billing.models import DifferentiatedPayment
from opora.lib.errors import DomainError

D = Decimal
PM = D("2500.00")  # a subsistence minimum: 2 × = 5 000, 4 × = 10 000
COST = D("1200.00")


def ua(income, **kw):
    return rules.compute_fee_ua(kw.pop("form", "home"), D(income), PM, kw.pop("cost", COST), **kw)


@pytest.mark.parametrize(("income", "fee", "branch"), [
    ("0", "0.00", "free_income"),
    ("5000.00", "0.00", "free_income"),  # exactly 2 minimums: free
    ("5000.01", "0.00", "differentiated"),  # just above: the placeholder starts at 0 %
    ("7500.00", "600.00", "differentiated"),  # halfway: (7500 − 5000) / 5000 = 50 % of 1 200
    ("10000.00", "1200.00", "differentiated"),  # exactly 4 minimums: still differentiated (100 % by placeholder)
    ("10000.01", "1200.00", "cost"),  # above 4 minimums: the full cost
    ("50000", "1200.00", "cost"),
])
def test_the_placeholder_rule_at_the_boundaries(income, fee, branch):
    result = ua(income)
    assert (result.fee, str(result.branch)) == (D(fee), branch)
    assert result.threshold == D("5000.00")
    assert result.explanation["upper_threshold"] == "10000.00" and result.explanation["rule"] == "KMU-429"


@pytest.mark.parametrize(("income", "fee", "branch"), [
    ("5000.00", "0.00", "free_income"),
    ("5000.01", "360.00", "differentiated"),  # the configured 30 % applies across the band
    ("10000.00", "360.00", "differentiated"),
    ("10000.01", "1200.00", "cost"),
])
def test_a_configured_percentage_applies_between_2_and_4_minimums(income, fee, branch):
    with translation.override("en"):
        result = ua(income, percentage=D("30"))
    assert (result.fee, str(result.branch)) == (D(fee), branch)
    if branch == "differentiated":
        assert result.explanation["percentage"] == "30.00"
        assert "unconfirmed" in result.explanation["text"]


def test_categorical_grounds_urgent_services_and_no_cost_are_free_whatever_the_income():
    assert (ua("50000", free_category="disabled_1").fee, str(ua("50000", free_category="disabled_1").branch)) == (
        D("0.00"), "free_category")
    assert str(ua("50000", free_category=rules.MINOR).branch) == "free_category"
    assert (ua("50000", form="urgent").fee, str(ua("50000", form="urgent").branch)) == (D("0.00"), "urgent")
    assert str(ua("50000", cost=D("0")).branch) == "no_cost"


@pytest.mark.parametrize("pct", [D("-0.01"), D("100.01"), D("250"), "lots"])
def test_a_percentage_outside_0_to_100_is_an_error_naming_the_field(pct):
    with pytest.raises(DomainError) as caught:
        ua("7500", percentage=pct)
    assert caught.value.field == "percentage"


def test_the_dispatch_keeps_the_russian_rule_for_russia():
    ru = rules.compute_fee_by("442-FZ", "home", D("24000"), D("15000"), D("1.5"), D("5000"))
    assert (ru.fee, str(ru.branch)) == (D("750.00"), "income_share")
    ua_ = rules.compute_fee_by("KMU-429", "home", D("24000"), D("15000"), D("1.5"), D("5000"))
    assert (ua_.fee, str(ua_.branch)) == (D("0.00"), "free_income")  # 24 000 ≤ 2 × 15 000


# --- the API -----------------------------------------------------------------------------------------------------

URL = "/api/v1/billing/fee-preview"


def preview(client, **kw):
    data = {"form": "home", "income_per_capita": 7500, "subsistence_minimum": 2500, "programme_cost": 1200,
            "jurisdiction": "ua", **kw}
    return client.post(URL, json.dumps(data), content_type="application/json")


def test_fee_preview_applies_the_ukrainian_rule(world):
    client = world.client("accountant")
    body = preview(client).json()
    assert (body["fee"], body["branch"]) == (600, "differentiated")
    assert (body["explanation"]["threshold"], body["explanation"]["upper_threshold"]) == (5000, 10000)
    assert preview(client, income_per_capita=5000).json()["branch"] == "free_income"
    assert preview(client, income_per_capita=10000.01).json()["fee"] == 1200
    assert preview(client, percentage=25).json()["fee"] == 300
    # the same figures by the Russian rule: 7 500 ≤ 1.5 × 2 500? no: 0.5 × (7 500 − 3 750) = 1 875 > 1 200
    assert preview(client, jurisdiction="ru").json()["branch"] == "cost"


def test_fee_preview_without_a_jurisdiction_follows_the_organisation(world):
    client = world.client("accountant")
    data = {"form": "home", "income_per_capita": 7500, "subsistence_minimum": 2500, "programme_cost": 1200}
    url = "/api/v1/billing/fee-preview"
    assert client.post(url, json.dumps(data), content_type="application/json").json()["branch"] == "cost"
    world.org.jurisdiction = "ua"
    world.org.save()
    assert client.post(url, json.dumps(data), content_type="application/json").json()["branch"] == "differentiated"


def test_fee_preview_uses_the_configured_percentage(world):
    DifferentiatedPayment.objects.create(region="", valid_from=datetime.date(2020, 1, 1), percentage=D("40"))
    body = preview(world.client("accountant")).json()
    assert (body["fee"], body["explanation"]["percentage"]) == (480, 40)


@pytest.mark.parametrize(("data", "field"), [({"percentage": 101}, "percentage"), ({"percentage": -1}, "percentage"),
                                             ({"jurisdiction": "xx"}, "jurisdiction")])
def test_fee_preview_names_the_wrong_field(world, data, field):
    response = preview(world.client("accountant"), **data)
    assert response.status_code == 422
    assert any(d["loc"][-1] == field for d in response.json()["detail"])


# --- the administrator's data and the web calculator ------------------------------------------------------------

def test_the_administrator_edits_the_percentage_and_a_wrong_one_is_refused(world):
    client = world.client("admin")
    url = "/billing/differentiated/new/"
    response = client.post(url, {"region": "", "valid_from": "01.01.2021", "percentage": "120"})
    assert response.status_code == 422 or b"percentage" in response.content
    assert not DifferentiatedPayment.objects.exists()
    response = client.post(url, {"region": "", "valid_from": "01.01.2021", "percentage": "35"})
    assert response.status_code == 302
    assert DifferentiatedPayment.objects.get().percentage == D("35")
    assert world.client("accountant").get("/billing/differentiated/").status_code == 403


def test_the_calculator_of_a_ukrainian_organisation_uses_the_ukrainian_rule(world):
    world.org.jurisdiction = "ua"
    world.org.save()
    client = world.client("accountant")
    page = client.get("/billing/calculator/")
    assert b'name="percentage"' in page.content and b'name="coefficient"' not in page.content
    response = client.post("/billing/calculator/", {"form": "home", "income_per_capita": "7500",
                                                    "subsistence_minimum": "2500", "programme_cost": "1200"})
    assert response.status_code == 200
    assert b'data-branch="differentiated"' in response.content
    response = client.post("/billing/calculator/", {"form": "home", "income_per_capita": "7500",
                                                    "subsistence_minimum": "2500", "programme_cost": "1200",
                                                    "percentage": "150"})
    assert response.status_code == 422


def test_the_percentage_error_is_translated():
    with translation.override("uk"), pytest.raises(DomainError) as caught:
        ua("7500", percentage=D("150"))
    assert caught.value.message == "Відсоток має бути від 0 до 100."
