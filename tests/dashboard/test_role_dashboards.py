"""A dashboard for each role (issue 11): each role sees its own section, in a bounded number of queries; the
analyst sees aggregates only; the error pages are in the layout, translated, with a way back."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from opora.audit.models import AuditEvent
from opora.billing.models import Charge
from opora.intake.models import Application
from tests import factories_programmes as fp

SECTIONS = {
    "social_worker": "dash-social-worker",
    "department_head": "dash-department-head",
    "accountant": "dash-accountant",
    "director": "dash-director",
    "analyst": "dash-analyst",
}


@pytest.mark.parametrize("role", sorted(SECTIONS))
def test_each_role_sees_its_own_section_and_not_the_others(world, role):
    html = world.client(role).get("/").content.decode()
    assert f'id="{SECTIONS[role]}"' in html
    for other, section in SECTIONS.items():
        if other != role:
            assert f'id="{section}"' not in html, other


@pytest.mark.parametrize("role", sorted(SECTIONS))
def test_the_dashboard_runs_a_bounded_number_of_queries(world, role, django_assert_max_num_queries):
    client = world.client(role)
    client.get("/")  # warm the session and the caches
    with django_assert_max_num_queries(90):
        assert client.get("/").status_code == 200


def test_the_social_worker_sees_the_caseload_and_todays_visits(world):
    response = world.client("social_worker").get("/")
    section = response.context["role"]["social_worker"]
    assert section["caseload"] == 1  # Фёдорова; Иванов is another worker's
    assert [e.recipient for e, _done in section["visits"]] == [world.in_caseload]
    assert "Фёдорова" in response.content.decode() and "Иванов" not in response.content.decode()
    # personal data shown on the dashboard is audited
    assert (
        AuditEvent.objects.filter(event_type="listed", changes__via="web:dashboard").exists()
        or AuditEvent.objects.filter(event_type="listed").exists()
    )


def test_the_head_sees_overdue_applications(world):
    today = timezone.localdate()
    Application.objects.create(
        organisation=world.org,
        number="2020-9",
        received_on=today - datetime.timedelta(30),
        channel="in_person",
        recipient=world.in_caseload,
        requested_form="home",
        department=world.home1,
        status="registered",
        decision_due=today - datetime.timedelta(20),
    )
    response = world.client("department_head").get("/")
    assert response.context["role"]["department_head"]["overdue_count"] == 1
    assert "2020-9" in response.content.decode()


def test_the_accountant_sees_months_not_charged_and_debts(world):
    s = fp.make_services(world.org)
    programme = fp.make_programme(world, s, recipient=world.in_caseload)
    today = timezone.localdate()
    first = today.replace(day=1)
    last_month = (first - datetime.timedelta(days=1)).replace(day=1)
    from opora.programmes.models import Contract

    Contract.objects.create(
        organisation=world.org,
        recipient=world.in_caseload,
        programme=programme,
        number="Д-1",
        signed_on=last_month,
        valid_from=last_month,
        valid_to=None,
        payment="partly_paid",
        monthly_fee=Decimal("500"),
    )
    Charge.objects.create(
        organisation=world.org,
        recipient=world.in_home2,
        month=first,
        receipt_number="r1",
        basic_fee=Decimal("700"),
        total=Decimal("700"),
    )
    response = world.client("accountant").get("/")
    section = response.context["role"]["accountant"]
    assert last_month in section["months_not_charged"]
    assert section["debt_count"] == 1 and section["debt_total"] == Decimal("700")
    assert "Петров" in response.content.decode()


def test_the_analyst_sees_the_organisations_side_by_side_and_no_names(world):
    html = world.client("analyst").get("/").content.decode()
    section = 'id="dash-analyst"'
    assert section in html and world.org.name in html and world.other_org.name in html
    for name in ("Фёдорова", "Иванов", "Петров", "Чужой"):
        assert name not in html


def test_the_director_sees_key_figures_from_the_indicators_registry(world):
    response = world.client("director").get("/")
    figures = {f.name for f in response.context["role"]["director"]["figures"]}
    assert {"services", "recipients", "applications", "admitted", "discharged", "income"} <= figures
    assert 'id="director-warnings"' in response.content.decode()


# --- error pages and the language switch -----------------------------------------------------------------------


def test_the_404_page_is_in_the_layout_translated_with_a_way_back(world):
    client = world.client("social_worker")
    response = client.get("/programmes/999999/", HTTP_REFERER="http://testserver/")
    html = response.content.decode()
    assert response.status_code == 404 and 'id="error-page"' in html
    assert "Страница не найдена" in html and 'id="error-home"' in html and 'id="error-back"' in html
    assert '<header class="top">' in html  # the application's layout, with its menu
    client.post("/i18n/setlang/", {"language": "uk", "next": "/"})
    assert "Сторінку не знайдено" in client.get("/programmes/999999/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Page not found" in client.get("/programmes/999999/").content.decode()


def test_the_403_page_names_who_may_and_leads_back(world):
    response = world.client("hr").get("/billing/charges/")
    html = response.content.decode()
    assert response.status_code == 403 and 'id="error-page"' in html and 'id="error-home"' in html
    assert "директор" in html.lower()


def test_the_500_page_is_in_the_layout(world, rf):
    from opora.dashboard.error_views import server_error

    request = rf.get("/")
    request.user = world.users["director"]
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500 and 'id="error-page"' in html and 'id="error-home"' in html


def test_the_language_switch_names_each_language_in_itself(world):
    html = world.client("director").get("/").content.decode()
    for name in ("Русский", "Українська", "English"):
        assert f">{name}</option>" in html
