"""Writes to the organisation's structure: departments, settlements, staff; and the calendar's overrides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.core.actions import create_object, require, update_object
from opora.org.models import CalendarDay, Department, Employee, Organisation, Settlement


def do_update_organisation(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> Organisation:
    require(actor, Perm.MANAGE_ORG, organisation.pk)
    return update_object(organisation, data, actor=actor)


def do_create_department(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> Department:
    require(actor, Perm.MANAGE_ORG, organisation.pk)
    return create_object(Department(organisation=organisation, **data), actor=actor)


def do_update_department(department: Department, data: Mapping[str, Any], *, actor: Actor) -> Department:
    require(actor, Perm.MANAGE_ORG, department.organisation_id)
    return update_object(department, data, actor=actor)


def do_create_settlement(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> Settlement:
    require(actor, Perm.MANAGE_ORG, organisation.pk)
    return create_object(Settlement(organisation=organisation, **data), actor=actor)


def do_update_settlement(settlement: Settlement, data: Mapping[str, Any], *, actor: Actor) -> Settlement:
    require(actor, Perm.MANAGE_ORG, settlement.organisation_id)
    return update_object(settlement, data, actor=actor)


def _check_department(organisation_id: int, data: Mapping[str, Any]) -> None:
    department = data.get("department")
    if department is not None and department.organisation_id != organisation_id:
        raise ValidationError({"department": _("The department belongs to another organisation.")})


def do_create_employee(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> Employee:
    require(actor, Perm.EDIT_STAFF, organisation.pk)
    _check_department(organisation.pk, data)
    return create_object(Employee(organisation=organisation, **data), actor=actor)


def do_update_employee(employee: Employee, data: Mapping[str, Any], *, actor: Actor) -> Employee:
    require(actor, Perm.EDIT_STAFF, employee.organisation_id)
    _check_department(employee.organisation_id, data)
    return update_object(employee, data, actor=actor)


# The production calendar's overrides: shared rule data, edited with the right to manage rules.

def do_create_calendar_day(data: Mapping[str, Any], *, actor: Actor) -> CalendarDay:
    require(actor, Perm.MANAGE_RULES, None)
    return create_object(CalendarDay(**data), actor=actor)


def do_update_calendar_day(day: CalendarDay, data: Mapping[str, Any], *, actor: Actor) -> CalendarDay:
    require(actor, Perm.MANAGE_RULES, None)
    return update_object(day, data, actor=actor)
