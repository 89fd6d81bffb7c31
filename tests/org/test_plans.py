"""The state assignment plans (org/plans.py): actions, scope and pages under /plans/."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from opora.org import plans
from opora.org.models import AssignmentPlan


def test_it_lets_managers_enter_plans_and_others_only_see_them(world):
    director, head = world.actor("director"), world.actor("department_head")
    created = plans.do_create_plan(world.org, {"department": world.home1, "year": 2020, "services_plan": 446000,
                                               "recipients_plan": 754}, actor=director)
    with pytest.raises(ValidationError) as exc:
        plans.do_create_plan(world.org, {"department": world.home1, "year": 2020, "services_plan": 1,
                                         "recipients_plan": 1}, actor=director)
    assert "year" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        plans.do_create_plan(world.org, {"department": world.home2, "year": 2020, "services_plan": 1,
                                         "recipients_plan": 1}, actor=head)
    plans.do_update_plan(created, {"services_plan": 450000}, actor=director)
    assert AssignmentPlan.objects.get(pk=created.pk).services_plan == 450000
    assert [p.pk for p in plans.plans_for(head, world.org)] == [created.pk]


def test_it_serves_the_plan_pages(world):
    client = world.client("director")
    assert client.get(reverse("plans:plan_list")).status_code == 200
    response = client.post(reverse("plans:plan_create"), {"department": world.home2.pk, "year": 2021,
                                                          "services_plan": 1000, "recipients_plan": 50})
    created = AssignmentPlan.objects.get(department=world.home2, year=2021)
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan_edit", args=[created.pk])
    page = client.get(reverse("plans:plan_list")).content.decode()
    assert world.home2.name in page and "2021" in page
    response = client.post(reverse("plans:plan_edit", args=[created.pk]), {
        "department": world.home2.pk, "year": 2021, "services_plan": 1200, "recipients_plan": 50})
    assert response.status_code == 302
    assert AssignmentPlan.objects.get(pk=created.pk).services_plan == 1200
    head = world.client("department_head")
    assert head.get(reverse("plans:plan_edit", args=[created.pk])).status_code == 200
    assert head.get(reverse("plans:plan_create")).status_code == 403
    head.post(reverse("plans:plan_edit", args=[created.pk]), {
        "department": world.home2.pk, "year": 2021, "services_plan": 1, "recipients_plan": 1})
    assert AssignmentPlan.objects.get(pk=created.pk).services_plan == 1200
    other = AssignmentPlan.objects.create(organisation=world.other_org,
                                          department=world.other_org.departments.first(), year=2020,
                                          services_plan=1, recipients_plan=1)
    assert client.get(reverse("plans:plan_edit", args=[other.pk])).status_code == 404
