"""Reads of field work scoped to the actor, and the plain facts the reports count.

Visits concern families and people, so they are personal data like people (architecture.md, Scoping):
organisation-wide roles see the organisation's visits; a department head or a social worker sees the visits to
the families and people in their scope and the visits they made themselves. Release notices are seen only by the
director and by the members of a social adaptation department (`DepartmentKind.SOCIAL_ADAPTATION`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm, Role
from opora.core.reference import DepartmentKind
from opora.core.scoping import any_of
from opora.fieldwork import rules
from opora.fieldwork.models import ReleaseNotice, Visit
from opora.money.models import Aid
from opora.money.reference import AssistanceKind
from opora.org.models import Department
from opora.people.models import Family, FamilyMember, Recipient
from opora.people.queries import families_for, recipients_for

DEPARTMENT_BOUND_ROLES = (Role.DEPARTMENT_HEAD, Role.SOCIAL_WORKER)


def _visit_scope(actor: Actor, perm: str) -> Q:
    parts: list[Q] = []
    for g in actor.grants_with(perm):
        in_org = Q(organisation_id=g.organisation_id)
        if g.role in DEPARTMENT_BOUND_ROLES:
            one = Actor(user=actor.user, grants=[g])
            mine = Q(family__in=families_for(one, perm).values("pk")) | Q(
                recipient__in=recipients_for(one, perm).values("pk"))
            if g.employee_id is not None:
                mine |= Q(worker_id=g.employee_id)
            parts.append(in_org & mine)
        else:
            parts.append(in_org)
    return any_of(parts)


def visits_for(actor: Actor, perm: str = Perm.VIEW_PEOPLE) -> QuerySet[Visit]:
    return Visit.objects.filter(_visit_scope(actor, perm))


def get_visit_for(actor: Actor, pk: int, perm: str = Perm.VIEW_PEOPLE) -> Visit:
    qs = visits_for(actor, perm).select_related("family", "recipient", "settlement", "worker")
    return get_object_or_404(qs, pk=pk)


def notice_organisations(actor: Actor, perm: str = Perm.VIEW_PEOPLE) -> set[int]:
    """The organisations where the actor may see (VIEW_PEOPLE) or record (EDIT_PEOPLE) release notices: as the
    director, or as a member of a social adaptation department."""
    result: set[int] = set()
    adaptation: set[int] = set()
    wanted = [g for g in actor.grants_with(perm) if g.department_ids]
    if wanted:
        adaptation = set(Department.objects.filter(
            pk__in=set().union(*(g.department_ids for g in wanted)), kind=DepartmentKind.SOCIAL_ADAPTATION,
        ).values_list("pk", flat=True))
    for g in actor.grants_with(perm):
        if g.role == Role.DIRECTOR or g.department_ids & adaptation:
            result.add(g.organisation_id)
    return result


def may_handle_notices(actor: Actor, organisation_id: int, perm: str = Perm.VIEW_PEOPLE) -> bool:
    return organisation_id in notice_organisations(actor, perm)


def notices_for(actor: Actor, perm: str = Perm.VIEW_PEOPLE) -> QuerySet[ReleaseNotice]:
    return ReleaseNotice.objects.filter(organisation_id__in=notice_organisations(actor, perm))


def get_notice_for(actor: Actor, pk: int, perm: str = Perm.VIEW_PEOPLE) -> ReleaseNotice:
    return get_object_or_404(notices_for(actor, perm).select_related("settlement", "recipient"), pk=pk)


def person_families(recipient_ids: Sequence[int]) -> dict[int, set[int]]:
    """person → the families they belong to: their own family and the families listing them as a member."""
    result: dict[int, set[int]] = {pk: set() for pk in recipient_ids}
    for pk, family_id in Recipient.objects.filter(pk__in=recipient_ids, family__isnull=False).values_list(
            "pk", "family_id"):
        result[pk].add(family_id)
    for pk, family_id in FamilyMember.objects.filter(recipient_id__in=recipient_ids).values_list(
            "recipient_id", "family_id"):
        result[pk].add(family_id)
    return result


# --- facts for the reports (aggregates, no personal data leaves them) ------------------------------------------

def register_families(organisation_ids: Sequence[int], start: datetime.date,
                      end: datetime.date) -> list[rules.RegisterFamily]:
    """The families that touch the register from the day before ``start`` to ``end``, with their categories."""
    before = start - datetime.timedelta(days=1)
    qs = Family.objects.filter(organisation_id__in=organisation_ids, registered_on__lte=end).filter(
        Q(deregistered_on__isnull=True) | Q(deregistered_on__gte=before))
    found: dict[int, tuple[datetime.date | None, datetime.date | None, int, list[str]]] = {}
    for pk, registered, deregistered, children, code in qs.values_list(  # one query: a row per category
            "pk", "registered_on", "deregistered_on", "children", "categories__code").order_by():
        entry = found.setdefault(pk, (registered, deregistered, children, []))
        if code:
            entry[3].append(code)
    return [rules.RegisterFamily(r, d, c, tuple(sorted(codes))) for r, d, c, codes in found.values()]


def visit_facts(organisation_ids: Sequence[int], start: datetime.date,
                end: datetime.date) -> list[rules.VisitFacts]:
    qs = Visit.objects.filter(organisation_id__in=organisation_ids, date__gte=start, date__lte=end)
    return [rules.VisitFacts(kind, rules.household(fam, person, person_fam), people)
            for kind, fam, person, person_fam, people in qs.values_list(
                "kind", "family_id", "recipient_id", "recipient__family_id", "people").order_by()]


def equipped_households(organisation_ids: Sequence[int], start: datetime.date,
                        end: datetime.date) -> tuple[set[rules.Household], int]:
    """The households given aid of kind ``fire_detector`` in the period (money.Aid: a family named, else the
    person's family, else the person — as a visit counts), and Σ quantity of that aid (the detectors)."""
    rows = Aid.objects.filter(organisation_id__in=organisation_ids, kind=AssistanceKind.FIRE_DETECTOR,
                              date__gte=start, date__lte=end).values_list(
        "family_id", "recipient_id", "recipient__family_id", "quantity").order_by()
    households: set[rules.Household] = set()
    detectors = 0
    for family_id, recipient_id, recipient_family_id, quantity in rows:
        home = rules.household(family_id, recipient_id, recipient_family_id)
        if home is not None:
            households.add(home)
        detectors += quantity
    return households, detectors


def household_categories(households: set[rules.Household]) -> dict[rules.Household, list[str]]:
    """The category codes of each household: a family's categories, or a person's own."""
    result: dict[rules.Household, list[str]] = {h: [] for h in households}
    families = [pk for kind, pk in households if kind == "family"]
    people = [pk for kind, pk in households if kind == "person"]
    for pk, code in Family.objects.filter(pk__in=families, categories__isnull=False).values_list(
            "pk", "categories__code"):
        result[("family", pk)].append(code)
    for pk, code in Recipient.objects.filter(pk__in=people, categories__isnull=False).values_list(
            "pk", "categories__code"):
        result[("person", pk)].append(code)
    return result


def fire_safety_visited(organisation_ids: Sequence[int], start: datetime.date,
                        end: datetime.date) -> set[rules.Household]:
    return {f.household for f in visit_facts(organisation_ids, start, end)
            if f.kind == rules.VisitKind.FIRE_SAFETY and f.household is not None}


def notice_facts(organisation_ids: Sequence[int], start: datetime.date,
                 end: datetime.date) -> list[tuple[str, bool]]:
    qs = ReleaseNotice.objects.filter(organisation_id__in=organisation_ids, received_on__gte=start,
                                      received_on__lte=end)
    return [(outcome, rid is not None) for outcome, rid in qs.values_list("outcome", "recipient_id").order_by()]
