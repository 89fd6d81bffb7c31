"""The money screens: lists with filters, forms that validate and keep what was typed, the card's aid section."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from opora.money.models import Aid, BudgetLine, Fund


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def test_funds_page_shows_balances(money):
    r = money.world.client("accountant").get("/money/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "Областной бюджет" in text and "8\xa0150,00" in text  # reg: 11 000 received − 2 850 of aid
    assert money.world.client("social_worker").get("/money/").status_code == 403


def test_aid_list_filters_and_totals(money):
    c = money.world.client("director")
    r = c.get("/money/aid/?fund=reg&start=2020-01-01&end=2020-12-31")
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="aid-amount">2\xa0450,00' in body and 'id="aid-recipients">3' in body
    r = c.get("/money/aid/?kind=gifts")
    assert 'id="aid-amount">350,00' in r.content.decode()


def test_aid_form_refuses_both_and_keeps_the_input(money, en):
    w = money.world
    c = w.client("specialist")
    fund = Fund.objects.get(code="reg")
    before = Aid.objects.count()
    r = c.post("/money/aid/new/", {"fund": fund.pk, "kind": "cash", "date": "2020-05-01", "amount": "77",
                                   "quantity": "1", "recipient": w.in_caseload.pk, "family": money.family_f.pk})
    assert r.status_code == 422
    assert "Помощь оказывается гражданину или семье, но не обоим сразу." in r.content.decode()
    assert 'value="77"' in r.content.decode()
    r = c.post("/money/aid/new/", {"fund": fund.pk, "kind": "cash", "date": "2020-05-01", "amount": "77",
                                   "quantity": "1", "recipient": w.in_caseload.pk})
    assert r.status_code == 302
    assert Aid.objects.count() == before + 1 and Aid.objects.filter(amount=Decimal("77")).exists()


def test_the_social_worker_sees_the_aid_of_the_caseload_on_the_card(money):
    w = money.world
    c = w.client("social_worker")
    r = c.get(f"/people/{w.in_caseload.pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="aid"' in body and "300,00" in body
    r = w.client("director").get(f"/families/{money.family_f.pk}/")
    assert "1\xa0000,00" in r.content.decode() and 'id="aid"' in r.content.decode()


def test_budget_page_and_its_forms(money, en):
    c = money.world.client("accountant")
    r = c.get("/money/budget/?year=2020")
    assert r.status_code == 200 and "general:2210" in r.content.decode()
    r = c.post("/money/budget/?year=2021", {"form": "line", "year": "2021", "month": "13", "fund": "general",
                                             "code": "2210", "approved": "5"})
    assert r.status_code == 422
    r = c.post("/money/budget/?year=2021", {"form": "line", "year": "2021", "month": "1", "fund": "general",
                                             "code": "2210", "approved": "5"})
    assert r.status_code == 302 and BudgetLine.objects.filter(year=2021).count() == 1
    assert money.world.client("director").post("/money/budget/", {"form": "line"}).status_code in (302, 422)
    assert money.world.client("deputy_director").post("/money/budget/", {"form": "line"}).status_code == 403
