"""The state assignment: plan/fact/% and the forecast, the dashboard warning (plans: tests/org/test_plans.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from opora.catalogue.models import Service
from opora.delivery import aggregates
from opora.delivery.models import Delivery
from opora.lib.periods import Period
from opora.org.models import AssignmentPlan
from opora.reports.generators.state_assignment import BEHIND_PLAN_PCT, execution, months_elapsed
from opora.reports.registry import build_report, system_actor

D = datetime.date


def journal(world, *lines):
    service = Service.objects.create(organisation=world.org, code="1.1", name="Уборка", type="household",
                                     list="basic", unit="услуга")
    for person, dept, day, qty in lines:
        Delivery.objects.create(organisation=world.org, recipient=person, department=dept, service=service,
                                date=day, quantity=qty, list="basic")
    aggregates.refresh_organisation(world.org.pk)


def plan(world, dept, year, services, people):
    return AssignmentPlan.objects.create(organisation=world.org, department=dept, year=year, services_plan=services,
                                         recipients_plan=people)


def test_it_counts_months_elapsed_with_the_current_month_by_its_days():
    assert months_elapsed(2020, D(2020, 3, 15)) == Decimal(2) + Decimal(15) / Decimal(31)
    assert months_elapsed(2020, D(2020, 12, 31)) == 12
    assert months_elapsed(2020, D(2019, 12, 31)) == 0


def test_it_forecasts_to_the_end_of_the_year_and_flags_departments_behind(world):
    journal(world, (world.in_caseload, world.home1, D(2020, 1, 20), 4), (world.in_caseload, world.home1,
                                                                          D(2020, 3, 31), 2),
            (world.in_home2, world.home2, D(2020, 2, 1), 3), (world.in_home2, world.home2, D(2020, 4, 1), 50))
    plan(world, world.home1, 2020, 100, 1)
    plan(world, world.home2, 2020, 10, 2)
    ex = execution([world.org.pk], 2020, D(2020, 3, 31))  # three months elapsed: the forecast is fact × 4
    by_key = {ln.key: ln for ln in ex.lines}
    assert (by_key["home1"].services_fact, by_key["home2"].services_fact) == (6, 3)  # April not yet
    assert ex.forecast_of(by_key["home1"], "services") == 24
    assert ex.forecast_pct(by_key["home1"], "services") == Decimal("24.00")
    assert ex.forecast_pct(by_key["home2"], "services") == Decimal("120.00")
    assert ex.forecast_pct(by_key["home2"], "recipients") == Decimal("200.00")  # 1 person × 4 / 2
    behind = [(ln.key, what, pct) for ln, what, pct in ex.behind()]
    assert behind == [("home1", "services", Decimal("24.00"))]
    assert BEHIND_PLAN_PCT == 90


def test_it_builds_the_report_with_plan_fact_percent_and_forecast(world):
    journal(world, (world.in_caseload, world.home1, D(2020, 1, 20), 4), (world.in_caseload, world.home1,
                                                                          D(2020, 3, 31), 2),
            (world.in_home2, world.home2, D(2020, 2, 1), 3), (world.in_home2, world.home2, D(2020, 4, 1), 50))
    plan(world, world.home1, 2020, 100, 1)
    plan(world, world.home2, 2020, 10, 2)
    doc = build_report("state_assignment", [world.org], Period.quarter_of(2020, 1), actor=system_actor([world.org]))
    table = {r.key: r.values for r in doc.tables()["state_assignment"].rows}
    assert table["home1"] == {"services_plan": 100, "services_fact": 6, "services_pct": Decimal("6.00"),
                              "recipients_plan": 1, "recipients_fact": 1, "recipients_pct": Decimal("100.00")}
    assert table["total"]["services_fact"] == 9 and table["total"]["services_pct"] == Decimal("8.18")  # 9/110
    forecast = {r.key: r.values for r in doc.tables()["forecast"].rows}
    assert forecast["home1"]["services_forecast"] == Decimal("24.00")
    assert forecast["total"]["services_forecast_pct"] == Decimal("32.73")  # 36 / 110
    assert doc.period.start == D(2020, 1, 1) and doc.period.end == D(2020, 3, 31)
    full = build_report("state_assignment", [world.org], Period.year_of(2020), actor=system_actor([world.org]))
    rows = {r.key: r.values for r in full.tables()["forecast"].rows}
    assert rows["home2"]["services_forecast"] == Decimal("53.00")  # on 31 December the forecast is the fact


def test_it_warns_on_the_dashboard_about_a_department_behind_plan(world):
    today = timezone.localdate()
    if months_elapsed(today.year, today) < 1:
        pytest.skip("no warning in the first month of the year")
    journal(world, (world.in_caseload, world.home1, today, 5))
    plan(world, world.home1, today.year, 100000, 1)
    html = world.client("director").get(reverse("dashboard")).content.decode()
    assert 'class="warning" role="alert"' in html and world.home1.name in html
    AssignmentPlan.objects.update(services_plan=1)
    html = world.client("director").get(reverse("dashboard")).content.decode()
    assert 'class="warning" role="alert"' not in html


def test_it_leaves_departments_without_a_plan_out_of_the_total_once_there_are_plans(world):
    journal(world, (world.in_caseload, world.home1, D(2020, 2, 1), 4), (world.in_home2, world.home2, D(2020, 2, 1), 7))
    ex = execution([world.org.pk], 2020, D(2020, 12, 31))
    assert (ex.total.services_fact, ex.total.services_plan) == (11, None)  # no plans at all: every fact counts
    plan(world, world.home1, 2020, 8, 1)
    ex = execution([world.org.pk], 2020, D(2020, 12, 31))
    assert {ln.key: ln.services_fact for ln in ex.lines} == {"home1": 4, "home2": 7}  # home2 is still shown
    assert (ex.total.services_fact, ex.total.services_plan, ex.total.recipients_fact) == (4, 8, 1)
