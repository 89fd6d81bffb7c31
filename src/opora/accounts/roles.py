"""Roles and what each may do. Pure data: no ORM here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    DEPARTMENT_HEAD = "department_head", _("Head of department")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SPECIALIST = "specialist", _("Specialist")
    ACCOUNTANT = "accountant", _("Accountant")
    HR = "hr", _("HR")
    ANALYST = "analyst", _("Analyst (regional)")
    ADMIN = "admin", _("Administrator")


# Roles bound to departments: their memberships name the departments they work in.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.SOCIAL_WORKER})

# Drivers and cultural organisers (issue 13: the social taxi, the mobile brigade, clubs, events) are not a role of
# their own: they are members of the `specialist` role (their position in the staff list says which), so they
# record trips, sessions and events with `record_services` across the organisation and read them with
# `view_casework`. A head of department records the groups and events of their departments only
# (opora.activities.queries.scope_q); a social worker, likewise, those of their department.


class Perm:
    VIEW_PEOPLE = "view_people"
    EDIT_PEOPLE = "edit_people"
    VIEW_ACCESS_HISTORY = "view_access_history"
    VIEW_STAFF = "view_staff"
    EDIT_STAFF = "edit_staff"
    MANAGE_ORG = "manage_org"
    MANAGE_CATALOGUE = "manage_catalogue"
    VIEW_CATALOGUE = "view_catalogue"
    VIEW_DASHBOARD = "view_dashboard"
    # Casework: applications, assessments, decisions, programmes, contracts.
    VIEW_CASEWORK = "view_casework"
    EDIT_CASEWORK = "edit_casework"
    # The journal of services.
    RECORD_SERVICES = "record_services"
    # Fee decisions, charges, payments.
    VIEW_BILLING = "view_billing"
    EDIT_BILLING = "edit_billing"
    # Configurable rules: fee rules, subsistence minimums, the calendar, the care-level scale.
    MANAGE_RULES = "manage_rules"


_READ_ORG = {Perm.VIEW_DASHBOARD, Perm.VIEW_CATALOGUE}

_CASEWORK = {Perm.VIEW_CASEWORK, Perm.EDIT_CASEWORK, Perm.RECORD_SERVICES}
_BILLING = {Perm.VIEW_BILLING, Perm.EDIT_BILLING}

ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.DIRECTOR: frozenset(
        _READ_ORG | _CASEWORK | _BILLING
        | {Perm.VIEW_PEOPLE, Perm.EDIT_PEOPLE, Perm.VIEW_ACCESS_HISTORY, Perm.VIEW_STAFF, Perm.EDIT_STAFF,
           Perm.MANAGE_ORG, Perm.MANAGE_CATALOGUE, Perm.MANAGE_RULES}
    ),
    Role.DEPUTY_DIRECTOR: frozenset(
        _READ_ORG | _CASEWORK | _BILLING
        | {Perm.VIEW_PEOPLE, Perm.EDIT_PEOPLE, Perm.VIEW_ACCESS_HISTORY, Perm.VIEW_STAFF, Perm.MANAGE_ORG,
           Perm.MANAGE_CATALOGUE}
    ),
    Role.DEPARTMENT_HEAD: frozenset(
        _READ_ORG | _CASEWORK | {Perm.VIEW_PEOPLE, Perm.EDIT_PEOPLE, Perm.VIEW_STAFF, Perm.VIEW_BILLING}
    ),
    Role.SOCIAL_WORKER: frozenset(
        _READ_ORG | {Perm.VIEW_PEOPLE, Perm.EDIT_PEOPLE, Perm.VIEW_CASEWORK, Perm.RECORD_SERVICES}
    ),
    Role.SPECIALIST: frozenset(_READ_ORG | _CASEWORK | {Perm.VIEW_PEOPLE, Perm.EDIT_PEOPLE}),
    Role.ACCOUNTANT: frozenset(
        _READ_ORG | _BILLING | {Perm.VIEW_PEOPLE, Perm.VIEW_STAFF, Perm.MANAGE_CATALOGUE, Perm.VIEW_CASEWORK}
    ),
    Role.HR: frozenset(_READ_ORG | {Perm.VIEW_STAFF, Perm.EDIT_STAFF}),
    Role.ANALYST: frozenset(_READ_ORG | {Perm.VIEW_PEOPLE, Perm.VIEW_STAFF, Perm.VIEW_CASEWORK, Perm.VIEW_BILLING}),
    Role.ADMIN: frozenset(
        _READ_ORG | {Perm.VIEW_STAFF, Perm.EDIT_STAFF, Perm.MANAGE_ORG, Perm.MANAGE_CATALOGUE, Perm.MANAGE_RULES}
    ),
}


def perms_of(role: str) -> frozenset[str]:
    return ROLE_PERMS.get(role, frozenset())
