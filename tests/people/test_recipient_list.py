"""The recipient list: search, filters, pagination, export, and a fixed number of queries."""

from __future__ import annotations

import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from opora.audit.models import AuditEvent
from opora.people.models import Category
from tests import factories as f
from tests.xlsx_layout import assert_laid_out_for_print


def _names(response):
    return {r.last_name for r in response.context["page"]}


def test_it_finds_people_by_name_in_any_case_and_with_or_without_yo(world):
    client = world.client("director")
    for q in ("федорова", "ФЁДОРОВА", "Федорова алена", "алёна"):
        assert _names(client.get("/people/", {"q": q})) == {"Фёдорова"}, q


def test_it_finds_people_by_snils_and_by_birth_date(world):
    client = world.client("director")
    assert _names(client.get("/people/", {"q": "112-233-445 95"})) == {"Фёдорова"}
    assert _names(client.get("/people/", {"q": "11223344595"})) == {"Фёдорова"}
    assert _names(client.get("/people/", {"q": "01.05.1940"})) == {"Фёдорова"}
    assert _names(client.get("/people/", {"q": "1940-05-01"})) == {"Фёдорова"}


def test_it_filters_by_department_category_sector_and_status(world):
    client = world.client("director")
    world.in_home2.categories.add(Category.objects.get(code="labour_veteran"))
    world.in_home2.sector = "rural"
    world.in_home2.save()
    assert _names(client.get("/people/", {"department": world.home2.pk})) == {"Петров"}
    assert _names(client.get("/people/", {"category": "labour_veteran"})) == {"Петров"}
    assert _names(client.get("/people/", {"sector": "rural"})) == {"Петров"}
    assert _names(client.get("/people/", {"status": "inactive"})) == {"Сидорова"}


def test_it_paginates(world):
    for _ in range(60):
        f.RecipientFactory(organisation=world.org)
    client = world.client("director")
    first, second = client.get("/people/"), client.get("/people/", {"page": 2})
    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 64 - 50


def test_it_renders_a_page_in_a_fixed_number_of_queries(world):
    client = world.client("director")
    client.get("/people/")
    with CaptureQueriesContext(connection) as few:
        client.get("/people/")
    for _ in range(40):
        person = f.RecipientFactory(organisation=world.org)
        person.categories.add(*Category.objects.all()[:3])
        f.EnrolmentFactory(recipient=person, department=world.home1)
    with CaptureQueriesContext(connection) as many:
        client.get("/people/")
    assert len(many) == len(few)
    assert len(many) <= 12


def test_it_answers_htmx_with_the_rows_only(world):
    response = world.client("director").get("/people/", {"q": "Петров"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Петров" in body and "<html" not in body


def test_it_exports_the_filtered_list_to_xlsx_and_records_the_export(world):
    response = world.client("director").get("/people/", {"q": "Фёдорова", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "Фёдорова" and rows[1][5] == "112-233-445 95"
    assert AuditEvent.objects.filter(event_type="exported", actor=world.users["director"]).count() == 1


def test_it_exports_only_what_the_social_worker_may_see(world):
    response = world.client("social_worker").get("/people/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {"Фёдорова", "Сидорова"}


def test_the_export_is_laid_out_as_the_reports_xlsx(world):
    """Columns fitted to their cells, landscape and fitted to the width, the header row on every page (issue 11)."""
    world.in_caseload.address = "г. Тестов, ул. Очень Длинная Набережная имени Первооткрывателей, д. 1"
    world.in_caseload.save()
    response = world.client("director").get("/people/", {"export": "xlsx"})
    rows = assert_laid_out_for_print(response.content)
    assert rows[0][:5] == ("Фамилия", "Имя", "Отчество", "Пол", "Дата рождения") or rows[0][0] == "Last name"
    assert len(rows) > 2
    assert any(isinstance(r[4], datetime.datetime) for r in rows[1:])  # birth dates stay dates
    # the long address wraps within 50 characters, and its row is as tall as its two lines (LibreOffice does not
    # grow it by itself)
    sheet = load_workbook(io.BytesIO(response.content)).active
    at = next(i for i, r in enumerate(rows, start=1) if r[0] == world.in_caseload.last_name)
    assert sheet.column_dimensions["I"].width == 50 and sheet.row_dimensions[at].height == 30
