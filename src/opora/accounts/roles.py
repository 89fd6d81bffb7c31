"""Roles and what each may do. Pure data: no ORM here.

Who sees personal data (the table is kept in docs/architecture.md and docs/operations.md, "Data protection"):

- people (recipients, families) and casework/billing of people: director, deputy director, specialist and
  accountant (their organisation), department head (their departments), social worker (their caseload);
- staff records: director, deputy director, department head, accountant, hr, admin;
- nothing personal: analyst (reports, aggregates and the catalogue of its organisations only);
- the access history on a card and the audit export: director and deputy director (view_access_history).
"""

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
    # Money (opora.money): funds, receipts, campaigns, the budget and spending; all money records; aid.
    MANAGE_FUNDS = "manage_funds"
    VIEW_MONEY = "view_money"
    RECORD_AID = "record_aid"
    # Undo a termination of a contract made by mistake (issue 11): the director only.
    UNDO_TERMINATION = "undo_termination"


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
    # Regional and read-only: reports and aggregates of its organisations, no personal data (neither people nor
    # staff). A user who must also read people somewhere gets a second membership there with a role that does.
    Role.ANALYST: frozenset(_READ_ORG),
    # The administrator runs the installation: organisation structure, catalogue, rules and staff records (names,
    # positions, departments: what accounts and memberships need), but no recipient's data.
    Role.ADMIN: frozenset(
        _READ_ORG | {Perm.VIEW_STAFF, Perm.EDIT_STAFF, Perm.MANAGE_ORG, Perm.MANAGE_CATALOGUE, Perm.MANAGE_RULES}
    ),
}


# Money (additive): the accountant records funds and the budget; specialists and department heads record aid
# for the people of their scope; the director sees and does all; the analyst reads.
_MONEY_PERMS: dict[str, set[str]] = {
    Role.DIRECTOR: {Perm.MANAGE_FUNDS, Perm.VIEW_MONEY, Perm.RECORD_AID},
    Role.DEPUTY_DIRECTOR: {Perm.VIEW_MONEY, Perm.RECORD_AID},
    Role.ACCOUNTANT: {Perm.MANAGE_FUNDS, Perm.VIEW_MONEY, Perm.RECORD_AID},
    Role.DEPARTMENT_HEAD: {Perm.RECORD_AID},
    Role.SPECIALIST: {Perm.RECORD_AID},
    Role.ANALYST: {Perm.VIEW_MONEY},
}
for _role, _perms in _MONEY_PERMS.items():
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | _perms


# Undo a termination of a contract made by mistake (issue 11): the director only.
ROLE_PERMS[Role.DIRECTOR] = ROLE_PERMS[Role.DIRECTOR] | {Perm.UNDO_TERMINATION}


def perms_of(role: str) -> frozenset[str]:
    return ROLE_PERMS.get(role, frozenset())
