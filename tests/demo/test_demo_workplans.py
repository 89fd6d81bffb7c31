"""The demo's work plan (seed 001) and roadmap (seed 004): marks quote the demo's own figures, counted here
independently from the journal, and the roadmap shows value / target × 100."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import timezone, translation

from opora.delivery.models import Delivery
from opora.demo.builder import build_demo, delete_demo
from opora.lib import formats
from opora.lib.periods import Period
from opora.plans.models import Plan
from opora.reports.registry import build_report, system_actor
from opora.reports.render.json import to_data


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_demo("small", 2020).organisation


def rows(org, plan: str, period: Period) -> dict[str, dict]:
    with translation.override("ru"):
        doc = build_report("plan_execution", [org], period, actor=system_actor(), options={"plan": plan})
    return {r["key"]: r for r in to_data(doc)["tables"]["items"]["rows"]}


def test_the_work_plan_quotes_the_quarters_figures(demo):
    q2 = Period.from_code(2020, "q2")
    marks = rows(demo, "wp2020", q2)
    assert list(marks) == ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1"]
    lines = Delivery.objects.filter(organisation=demo, date__gte=q2.start, date__lte=q2.end)
    services = lines.aggregate(n=Sum("quantity"))["n"]
    household = lines.filter(service__type="household").aggregate(n=Sum("quantity"))["n"]
    home_people = lines.filter(department__kind="home_care").aggregate(n=Count("recipient", distinct=True))["n"]
    paid = lines.filter(list="additional").aggregate(n=Sum("quantity"), s=Sum("amount"))
    assert services > 0 and paid["n"] > 0
    with translation.override("ru"):
        assert f"Обслужено {formats.integer(home_people)} граждан" in marks["2.1"]["mark"]
        assert f"предоставлено {formats.integer(services)} услуг" in marks["2.1"]["mark"]
        assert f"социально-бытовых {formats.integer(household)}," in marks["2.1"]["mark"]
        assert marks["3.1"]["mark"].startswith(f"Платных услуг {formats.integer(paid['n'])} на сумму "
                                               f"{formats.money(paid['s'])} руб.")
    assert "{{" not in "".join(r["mark"] for r in marks.values())
    assert marks["2.3"]["mark"] == ""


def test_the_roadmap_shows_the_percentage_achieved(demo):
    year = rows(demo, "rm2020", Period.year_of(2020))
    lines = Delivery.objects.filter(organisation=demo, date__year=2020)
    paid = lines.filter(list="additional").aggregate(n=Sum("quantity"))["n"]
    assert year["3"]["value"] == paid and year["3"]["target"] == 300000
    assert Decimal(str(year["3"]["pct"])) == (Decimal(paid) * 100 / 300000).quantize(Decimal("0.01"))
    assert all(year[k]["pct"] is not None for k in year)


def test_the_demo_is_deleted_with_its_plans(demo):
    assert Plan.objects.filter(organisation=demo, year=2020).count() == 2
    assert delete_demo(demo.code)
    assert not Plan.objects.exists()


def test_the_demo_has_the_plans_of_every_year_up_to_today(demo):
    """Issue 11: the work plans' list opens on the current year, which the demo holds too (a work plan and a
    roadmap a year, the items of 2020's, their deadlines in the year)."""
    today = timezone.localdate()
    years = sorted(Plan.objects.filter(organisation=demo).values_list("year", flat=True))
    assert years == sorted([y for y in range(2020, today.year + 1) for _ in range(2)])
    plan = Plan.objects.get(organisation=demo, code=f"wp{today.year}")
    assert str(today.year) in plan.title and plan.items.count() == 6
    assert plan.items.get(number="2.3").deadline == f"{today.year}-06-30"
