"""Plan pages: the list, a plan with its marks for a period, the item editor refusing bad input (named, with the
position, nothing saved), the picker and the preview (HTMX), the mark of a period, the dashboard's due items;
the API of indicators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone, translation

from opora.accounts.actions import do_create_token, do_create_user
from opora.org.models import Department, Employee
from opora.plans.actions import ItemData, PlanData, write_plans
from opora.plans.models import Plan, PlanItem, PlanMark
from tests.indicators.centre import small_centre
from tests.plans.test_plans import import_plans


@pytest.fixture
def centre(tmp_path, db):
    org = small_centre(tmp_path / "centre")
    assert import_plans(tmp_path).ok
    return org


def login(org, role="director", **kw) -> Client:
    user = do_create_user(f"{role}-{org.code}", role=role, organisation=org, password="demo-pass-1",
                          check_password=False, **kw)
    c = Client()
    c.force_login(user)
    return c


def test_the_list_and_a_plan_with_its_marks(centre):
    c = login(centre)
    plan = Plan.objects.get(code="wp2020")
    page = c.get("/work-plans/", HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200 and "План работы на 2020 год" in page.content.decode()
    page = c.get(f"/work-plans/{plan.pk}/?period=q1", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Обслужено 2 граждан, предоставлено 5 услуги, платных 3 на сумму 341,00 руб." in page
    assert "plan_execution.docx?organisation=imp&amp;year=2020&amp;period=q1&amp;plan=wp2020" in page
    download = c.get("/reports/plan_execution.docx?organisation=imp&year=2020&period=q1&plan=wp2020")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxml")


def test_the_item_editor_names_the_bad_placeholder_and_saves_nothing(centre):
    c = login(centre)
    plan = Plan.objects.get(code="wp2020")
    with translation.override("en"):
        page = c.post(f"/work-plans/{plan.pk}/items/new/", {
            "number": "3.1", "text": "Новое", "deadline": "q3", "mark": "Итого {{ servise }}"},
            HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Position 7: unknown indicator «servise»." in page.content.decode()
    page = c.post(f"/work-plans/{plan.pk}/items/new/", {"number": "1.1", "text": "Повтор"},
                  HTTP_ACCEPT_LANGUAGE="en")
    assert "The item number 1.1 is already in the plan." in page.content.decode()
    assert not PlanItem.objects.filter(number="3.1").exists()
    page = c.post(f"/work-plans/{plan.pk}/items/new/", {"number": "3.1", "text": "Новое", "deadline": "q3",
                                                        "mark": "{{ services department=home }}"})
    assert page.status_code == 302 and PlanItem.objects.get(plan=plan, number="3.1").due_end.month == 9


def test_the_picker_and_the_preview(centre):
    c = login(centre)
    plan = Plan.objects.get(code="wp2020")
    page = c.get(f"/work-plans/{plan.pk}/picker/", {"indicator_pick": "services", "p_department": "home",
                                                    "period": "q1"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "{{ services department=home }}" in page and "<strong>5</strong>" in page
    page = c.get(f"/work-plans/{plan.pk}/picker/", {"indicator_pick": "services", "p_department": "home",
                                                    "period": "q1", "insert": "1", "mark": "Оказано"}).content
    assert "Оказано {{ services department=home }}</textarea>" in page.decode()
    page = c.get(f"/work-plans/{plan.pk}/picker/", {"indicator_pick": "income", "period": "q1", "insert": "1",
                                                    "text": "Доход"}).content.decode()  # the period's mark editor
    assert 'name="text"' in page and "Доход {{ income }}</textarea>" in page
    page = c.get(f"/work-plans/{plan.pk}/preview/", {"mark": "Доход {{ income }} руб.", "period": "year"},
                 HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Доход 1\u00a0091,00 руб." in page or "Доход 1 091,00 руб." in page
    page = c.get(f"/work-plans/{plan.pk}/preview/", {"mark": "{{ income kind=x }}", "period": "year"},
                 HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Position 1: the indicator «income» has no parameter «kind»." in page


def test_a_mark_for_a_period_and_the_dashboard(centre):
    employee = Employee.objects.get(organisation=centre, tab_no="001")
    item = PlanItem.objects.get(plan__code="wp2020", number="1.2")  # Сидорова Анна Петровна, due 31.03.2020
    assert item.responsible_employee_id == employee.pk
    c = login(centre)
    page = c.post(f"/work-plans/items/{item.pk}/mark/?period=q1", {"text": "Принято {{ applications }}"})
    assert page.status_code == 302
    assert PlanMark.objects.get(item=item).text == "Принято {{ applications }}"
    page = c.post(f"/work-plans/items/{item.pk}/mark/?period=q1", {"text": "{{ nothing }}"},
                  HTTP_ACCEPT_LANGUAGE="en")
    assert "unknown indicator «nothing»" in page.content.decode()
    assert PlanMark.objects.get(item=item).text == "Принято {{ applications }}"


def test_other_organisations_plans_are_not_found(centre, world):
    plan = Plan.objects.get(code="wp2020")
    c = world.client("director")  # the director of another organisation
    assert c.get(f"/work-plans/{plan.pk}/").status_code == 404


def test_the_api_of_indicators(centre):
    user = do_create_user("api-director", role="director", organisation=centre, check_password=False)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_token(user)}"}
    c = Client()
    listing = c.get("/api/v1/indicators", **auth).json()
    assert {"services", "income"} <= {i["name"] for i in listing}
    answer = c.get("/api/v1/indicators/services?organisation=imp&year=2020&param=department=home", **auth)
    assert answer.status_code == 200 and answer.json()["value"] == 5
    answer = c.get("/api/v1/indicators/income?organisation=imp&year=2020", **auth).json()
    assert answer["value"] == 1091.0 and answer["unit"] == "money"
    bad = c.get("/api/v1/indicators/services?organisation=imp&year=2020&param=colour=red", **auth)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "colour"]
    assert c.get("/api/v1/indicators/nothing?organisation=imp&year=2020", **auth).status_code == 404
    assert c.get("/api/v1/indicators/services?organisation=other&year=2020", **auth).status_code == 404
    schema = c.get("/api/v1/openapi.json", **auth).json()
    assert "/api/v1/indicators/{name}" in schema["paths"]


def test_the_dashboard_lists_the_items_due_this_quarter_to_the_responsible(centre):
    today = timezone.localdate()
    quarter = f"q{(today.month - 1) // 3 + 1}"
    write_plans(centre.pk, [PlanData("now", "План текущего года", "work_plan", today.year, [
        ItemData("1", "Отчёт отделения на дому", deadline=quarter, responsible="home"),
        ItemData("2", "Отчёт срочного отделения", deadline=quarter, responsible="urg"),
        ItemData("3", "Показатель", deadline=quarter, responsible="home", indicator="services")])])
    home = login(centre, "department_head", departments=[Department.objects.get(organisation=centre, code="home")])
    page = home.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Пункты планов со сроком в периоде без отметки о выполнении" in page
    assert "Отчёт отделения на дому" in page and "Отчёт срочного отделения" not in page
    assert "Показатель" not in page  # marked by its figure
    assert "С начала месяца" in page and "Оказанные услуги — <strong>0</strong>" in page
    item = PlanItem.objects.get(plan__code="now", number="1")
    director = login(centre)
    assert director.post(f"/work-plans/items/{item.pk}/mark/?period={quarter}", {"text": "Выполнено"}).status_code \
        == 302
    assert "Отчёт отделения на дому" not in home.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
