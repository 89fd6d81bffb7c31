"""The dashboard (opora/dashboard/): the start page, the organisation switch and the frame of every page."""

from __future__ import annotations

from django.utils import timezone

from opora.accounts.actions import do_create_user
from opora.catalogue.models import Service
from opora.delivery import aggregates
from opora.delivery.models import Delivery
from opora.org.models import AssignmentPlan


def test_the_dashboard_shows_people_on_service_by_department(world):
    response = world.client("director").get("/")
    rows = {d.code: d.on_service for d in response.context["departments"]}
    assert rows == {"home1": 2, "home2": 1, "urgent": 0}
    assert response.context["staff"]["social_workers"] == 2


def test_the_dashboard_names_the_year_of_the_plan_without_grouping_its_digits(world):
    today = timezone.localdate()
    service = Service.objects.create(organisation=world.org, code="1.1", name="Уборка", type="household",
                                     list="basic", unit="услуга")
    Delivery.objects.create(organisation=world.org, recipient=world.in_caseload, department=world.home1,
                            service=service, date=today, quantity=1, list="basic")
    aggregates.refresh_organisation(world.org.pk)
    AssignmentPlan.objects.create(organisation=world.org, department=world.home1, year=today.year,
                                  services_plan=10_000_000, recipients_plan=1)
    html = world.client("director").get("/").content.decode()
    grouped = f"{str(today.year)[0]}\xa0{str(today.year)[1:]}"
    assert 'class="warning" role="alert"' in html
    assert str(today.year) in html and grouped not in html
    assert f"?department={world.home1.pk}" in html


def test_it_switches_to_another_organisation_of_the_user_and_ignores_the_rest(world):
    do_create_user("director", role="director", organisation=world.other_org)
    client = world.client("director")
    first = client.get("/")
    assert first.context["org"] == world.org and first.context["current_org"] == world.org
    assert {o.code for o in first.context["user_organisations"]} == {world.org.code, world.other_org.code}
    response = client.post("/organisation/switch/", {"organisation": world.other_org.pk, "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert client.get("/").context["org"] == world.other_org
    # An organisation the user is not a member of, and a redirect off the site, are both refused.
    hr = world.client("hr")
    response = hr.post("/organisation/switch/", {"organisation": world.other_org.pk,
                                                 "next": "https://example.org/"})
    assert response["Location"] == "/"
    assert hr.get("/").context["current_org"] == world.org
