from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.core.crud import Column, Crud
from opora.org import actions, queries
from opora.org.calendar import calendar_year, calendar_years
from opora.org.forms import CalendarDayForm, DepartmentForm, EmployeeForm, SettlementForm
from opora.org.models import Organisation

departments = Crud(
    name="departments", title=_("Departments"), form_class=DepartmentForm,
    view_perm=Perm.VIEW_DASHBOARD, edit_perm=Perm.MANAGE_ORG,
    list_query=lambda actor, org: queries.departments_for(actor).filter(organisation=org),
    get_object=lambda actor, pk, perm: queries.get_department_for(actor, pk, perm),
    create=lambda org, data, actor: actions.do_create_department(org, data, actor=actor),
    update=lambda obj, data, actor: actions.do_update_department(obj, data, actor=actor),
    columns=[Column(_("Code"), lambda d: d.code, link=True), Column(_("Name"), lambda d: d.name),
             Column(_("Kind"), lambda d: d.get_kind_display())],
)

settlements = Crud(
    name="settlements", title=_("Settlements"), form_class=SettlementForm,
    view_perm=Perm.VIEW_DASHBOARD, edit_perm=Perm.MANAGE_ORG,
    list_query=lambda actor, org: queries.settlements_for(actor).filter(organisation=org),
    get_object=lambda actor, pk, perm: queries.get_settlement_for(actor, pk, perm),
    create=lambda org, data, actor: actions.do_create_settlement(org, data, actor=actor),
    update=lambda obj, data, actor: actions.do_update_settlement(obj, data, actor=actor),
    columns=[Column(_("Name"), lambda s: s.name, link=True),
             Column(_("Default sector"), lambda s: s.get_default_sector_display())],
)

staff = Crud(
    name="staff", title=_("Staff"), form_class=EmployeeForm,
    view_perm=Perm.VIEW_STAFF, edit_perm=Perm.EDIT_STAFF,
    list_query=lambda actor, org: queries.employees_for(actor).filter(organisation=org).select_related("department")
    .order_by("search_name", "id"),
    get_object=lambda actor, pk, perm: queries.get_employee_for(actor, pk, perm),
    create=lambda org, data, actor: actions.do_create_employee(org, data, actor=actor),
    update=lambda obj, data, actor: actions.do_update_employee(obj, data, actor=actor),
    search=queries.search_employees,
    columns=[Column(_("Personnel number"), lambda e: e.tab_no, link=True),
             Column(_("Full name"), lambda e: e.full_name), Column(_("Position"), lambda e: e.get_position_display()),
             Column(_("Department"), lambda e: e.department.name), Column(_("Hired on"), lambda e: e.hired_on),
             Column(_("Dismissed on"), lambda e: e.dismissed_on or "")],
    audit_reads=True,
    export_name="staff",  # ?export=xlsx: the list as the reports' XLSX tables (issue 11)
    detail_template="org/employee.html",  # the card: the form, then staff development (quality's card tag)
)


def _calendar_context(request: HttpRequest, actor: Actor, org: Organisation) -> dict[str, Any]:
    """The organisation's calendar of the year asked for (?year=, this year by default) above the overrides."""
    years = calendar_years()
    today = datetime.date.today()
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else today.year
    return {"calendar": calendar_year(org, year), "organisation": org, "years": years}


# The production calendar: the organisation's year and the overrides (the calendar itself: org/calendar.py).
# Served at /intake/calendar/, the address the page always had; a new row defaults to the jurisdiction of the
# organisation being worked in.
calendar = Crud(
    name="calendar", title=_("Production calendar"), form_class=CalendarDayForm,
    view_perm=Perm.VIEW_DASHBOARD, edit_perm=Perm.MANAGE_RULES,
    list_query=lambda actor, org: queries.calendar_days_for(actor).order_by("-date", "jurisdiction", "region"),
    get_object=lambda actor, pk, perm: queries.get_calendar_day_for(actor, pk, perm),
    create=lambda org, data, actor: actions.do_create_calendar_day(data, actor=actor),
    update=lambda obj, data, actor: actions.do_update_calendar_day(obj, data, actor=actor),
    search=lambda qs, q: qs.filter(date__year=int(q)) if q.isdigit() else qs.filter(region__icontains=q),
    form_kwargs=lambda org: {"initial": {"jurisdiction": org.jurisdiction}} if org is not None else {},
    list_template="org/calendar.html", list_context=_calendar_context,
    columns=[Column(_("Date"), lambda d: d.date.strftime("%d.%m.%Y"), link=True),
             Column(_("Jurisdiction"), lambda d: d.get_jurisdiction_display()),
             Column(_("Region"), lambda d: d.region or "—"),
             Column(_("Working day"), lambda d: d.is_working),
             Column(_("Name"), lambda d: d.name)],
)
