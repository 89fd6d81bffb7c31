"""Administering the organisation: departments, settlements, staff, the catalogue and tariffs."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.management import call_command

from opora.accounts.models import User
from opora.audit.models import AuditEvent
from opora.catalogue.actions import install_default_catalogue
from opora.catalogue.models import Service
from opora.org.models import Department, Employee
from tests.xlsx_layout import assert_laid_out_for_print


def test_it_lets_the_admin_add_a_department_and_refuses_a_duplicate_code(world):
    client = world.client("admin")
    assert client.post("/org/departments/new/", {"code": "day", "name": "ОДП", "kind": "day_stay",
                                                  "is_active": "on"}).status_code == 302
    again = client.post("/org/departments/new/", {"code": "day", "name": "ОДП-2", "kind": "day_stay"})
    assert again.status_code == 200 and again.context["form"].errors
    assert Department.objects.filter(organisation=world.org, code="day").count() == 1
    assert world.client("social_worker").post("/org/departments/new/", {
        "code": "x", "name": "x", "kind": "urgent"}).status_code == 403


def test_it_hires_and_dismisses_staff_with_dates_in_order(world):
    client = world.client("hr")
    data = {"tab_no": "900", "last_name": "Смирнова", "first_name": "Ольга", "position": "social_worker",
            "department": world.home1.pk, "hired_on": "2020-02-01", "dismissed_on": "2020-01-01"}
    bad = client.post("/org/staff/new/", data)
    assert "dismissed_on" in bad.context["form"].errors
    assert client.post("/org/staff/new/", {**data, "dismissed_on": ""}).status_code == 302
    employee = Employee.objects.get(tab_no="900")
    assert client.post(f"/org/staff/{employee.pk}/", {**data, "dismissed_on": "2020-12-31"}).status_code == 302
    employee.refresh_from_db()
    assert employee.dismissed_on == datetime.date(2020, 12, 31)
    assert AuditEvent.objects.filter(object_type="org.employee", event_type="updated").exists()
    found = client.get("/org/staff/", {"q": "смирнова"})
    assert [row[0] for row in found.context["rows"]] == [employee]


def test_it_ships_a_default_catalogue_across_all_eight_types(world):
    count = install_default_catalogue(world.org)
    assert count >= 40
    types = set(Service.objects.filter(organisation=world.org).values_list("type", flat=True))
    assert len(types) == 8
    assert install_default_catalogue(world.org) == 0


def test_it_changes_a_tariff_from_a_date_and_keeps_the_old_price_before_it(world):
    install_default_catalogue(world.org)
    service = Service.objects.get(organisation=world.org, code="Д1.1")
    client = world.client("accountant")
    response = client.post(f"/catalogue/services/{service.pk}/tariffs/", {"valid_from": "2021-01-01",
                                                                           "price": "135.00"})
    assert response.status_code == 302
    service = Service.objects.prefetch_related("tariffs").get(pk=service.pk)
    assert service.tariff_on(datetime.date(2020, 12, 31)) == Decimal("120.00")
    assert service.tariff_on(datetime.date(2021, 1, 1)) == Decimal("135.00")
    negative = client.post(f"/catalogue/services/{service.pk}/tariffs/", {"valid_from": "2022-01-01",
                                                                           "price": "-1"})
    assert negative.status_code == 422


def test_the_createuser_command_binds_a_department_role(world):
    call_command("createuser", "nurse", "--role", "social_worker", "--organisation", "kcson",
                 "--department", "home2", "--password", "long-enough-pass")
    user = User.objects.get(username="nurse")
    membership = user.memberships.get()
    assert membership.role == "social_worker" and list(membership.departments.all()) == [world.home2]
    assert user.check_password("long-enough-pass")


def test_the_staff_list_exports_to_xlsx_laid_out_as_the_reports(world):
    """The staff list's columns, every row the search finds, fitted and set up for print as the reports' XLSX;
    one audit row (issue 11). Who may not see the staff may not export it."""
    client = world.client("hr")
    page = client.get("/org/staff/").content.decode()
    assert 'id="export-xlsx"' in page
    response = client.get("/org/staff/", {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="staff-' in response["Content-Disposition"]
    rows = assert_laid_out_for_print(response.content)
    staff = Employee.objects.filter(organisation=world.org)
    assert len(rows) == staff.count() + 1
    assert {r[1] for r in rows[1:]} == {e.full_name for e in staff}
    hired = {r[1]: r[4] for r in rows[1:]}
    first = staff.order_by("id").first()
    assert hired[first.full_name].date() == first.hired_on  # a date, shown DD.MM.YYYY
    event = AuditEvent.objects.get(event_type="exported", actor=world.users["hr"])
    assert event.changes == {"staff": [None, staff.count()]}
    found = client.get("/org/staff/", {"q": first.last_name, "export": "xlsx"})
    assert {r[1] for r in assert_laid_out_for_print(found.content)[1:]} == {
        e.full_name for e in staff.filter(last_name=first.last_name)}
    assert world.client("social_worker").get("/org/staff/", {"export": "xlsx"}).status_code == 403
