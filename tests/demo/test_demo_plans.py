"""The centre demo enters seed 000's state assignment for 2020."""

from __future__ import annotations

from opora.demo.builder import DEPARTMENTS, assignment_plans
from opora.org.models import Department, Organisation


def test_it_splits_seed_000s_plan_among_the_departments_and_keeps_the_totals(db):
    org = Organisation.objects.create(code="plans", name="Plans")
    departments = {c: Department.objects.create(organisation=org, code=c, kind=k, name=n) for c, k, n in DEPARTMENTS}
    plans = assignment_plans(org, departments)
    assert sum(p.services_plan for p in plans) == 488_744  # seed 000, «Итого»
    assert sum(p.recipients_plan for p in plans) == 4_544
    home = [p for p in plans if p.department.kind == "home_care"]
    assert len(home) == 5 and sum(p.services_plan for p in home) == 446_000
    assert sum(p.recipients_plan for p in home) == 754
    day_stay = next(p for p in plans if p.department.code == "day_stay")
    assert (day_stay.services_plan, day_stay.recipients_plan) == (39_254, 300)
    assert {p.year for p in plans} == {2020}
