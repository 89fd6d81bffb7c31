"""Every read of people's data goes through here, scoped to who asks."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm, Role
from opora.core.scoping import any_of
from opora.lib import snils as snils_lib
from opora.lib.dates import DateFormatError, parse_date
from opora.lib.db import run_prepared
from opora.lib.text import normalise, search_key
from opora.org.models import Department, Employee
from opora.people.models import Enrolment, Family, Recipient
from opora.people.rules import consent_in_force


def recipient_scope(actor: Actor, perm: str, via: str = "") -> Q:
    """The people the actor may reach for a perm, as a condition on Recipient, or (`via`) on a model's foreign key to
    the person: `recipient_scope(actor, perm, "recipient")` filters enrolments, lines, … through the join they already
    have, instead of `recipient__in=recipients_for(…)`, a second read of the register (issue 18: the caseload's query
    planned in 1.2 ms on PostgreSQL and compiled in 5 ms, on most of a social worker's pages)."""
    def f(name: str) -> str:
        return f"{via}__{name}" if via else name

    person = OuterRef(f"{via}_id") if via else OuterRef("pk")
    parts: list[Q] = []
    for g in actor.grants_with(perm):
        in_org = Q(**{f("organisation_id"): g.organisation_id})
        if g.role == Role.DEPARTMENT_HEAD:
            enrolled = Enrolment.objects.filter(department_id__in=g.department_ids).values("recipient_id")
            parts.append(in_org & (Q(**{f("pk__in"): enrolled})
                                   | Q(**{f("registered_department_id__in"): g.department_ids})))
        elif g.role == Role.SOCIAL_WORKER:
            # A social worker not linked to an employee record has no caseload (never "unassigned" ones).
            caseload = Enrolment.objects.filter(
                department_id__in=g.department_ids, worker_id=g.employee_id, discharged_on__isnull=True
            ).values("recipient_id") if g.employee_id is not None else Enrolment.objects.none().values("recipient_id")
            # Correlated (issue 18): checked for the department's registered people only, not a list of every
            # enrolment of the organisation built for each query (8 of a caseload's 10 ms on the centre demo).
            any_enrolment = Enrolment.objects.filter(organisation_id=g.organisation_id, recipient_id=person)
            not_yet_enrolled = Q(**{f("registered_department_id__in"): g.department_ids}) & Q(~Exists(any_enrolment))
            parts.append(in_org & (Q(**{f("pk__in"): caseload}) | not_yet_enrolled))
        else:
            parts.append(in_org)
    return any_of(parts)


def recipients_for(actor: Actor, perm: str = Perm.VIEW_PEOPLE) -> QuerySet[Recipient]:
    return Recipient.objects.filter(recipient_scope(actor, perm))


def may_reach(actor: Actor, perm: str, recipient_id: int) -> bool:
    """Whether the person is in the actor's scope for a perm (``recipients_for``), compiled once per grants and perm
    (lib.db.run_prepared): every journal line written asks it."""
    def build(pk: int) -> QuerySet[Recipient]:
        return Recipient.objects.filter(recipient_scope(actor, perm), pk=pk)[:1]

    return bool(run_prepared(("people.may_reach", tuple(actor.grants), perm), build, recipient_id))


def get_recipient_for(actor: Actor, pk: int, perm: str = Perm.VIEW_PEOPLE) -> Recipient:
    return get_object_or_404(recipients_for(actor, perm), pk=pk)


def recipient_card(actor: Actor, pk: int) -> Recipient:
    """A person with everything the card shows, in a fixed number of queries."""
    qs = recipients_for(actor).select_related(
        "settlement", "family", "registered_department", "organisation"
    ).prefetch_related(
        "categories",
        "representatives",
        "consents",
        Prefetch("enrolments", queryset=Enrolment.objects.select_related("department", "worker")),
        "family__members",
        "family__categories",
    )
    return get_object_or_404(qs, pk=pk)


def get_enrolment_for(actor: Actor, pk: int, perm: str = Perm.EDIT_PEOPLE) -> Enrolment:
    """An enrolment of a person in scope; department-bound roles only reach their own departments'."""
    parts: list[Q] = []
    for g in actor.grants_with(perm):
        in_org = Q(organisation_id=g.organisation_id)
        parts.append(in_org & Q(department_id__in=g.department_ids) if actor.is_department_bound(g) else in_org)
    qs = Enrolment.objects.filter(any_of(parts), recipient__in=recipients_for(actor, perm))
    return get_object_or_404(qs.select_related("department", "recipient"), pk=pk)


def _search_date(text: str) -> datetime.date | None:
    """A birth date typed into the search box, or None when the text is not a date."""
    try:
        return parse_date(text, short=True)
    except DateFormatError:
        return None


def search_recipients(qs: QuerySet[Recipient], query: str) -> QuerySet[Recipient]:
    """Search by name parts (any case, 'ё' = 'е'), SNILS (with or without dashes) or RNOKPP (Ukraine), or birth
    date."""
    query = (query or "").strip()
    if not query:
        return qs
    whole = snils_lib.compact(query)
    if whole.isdigit() and len(whole) >= 3 and _search_date(query) is None:
        return qs.filter(Q(snils__startswith=whole) | Q(rntrc__startswith=whole))
    for token in query.split():
        day = _search_date(token)
        digits = snils_lib.compact(token)
        if day is not None:
            qs = qs.filter(birth_date=day)
        elif digits.isdigit() and len(digits) >= 3:
            qs = qs.filter(Q(snils__startswith=digits) | Q(rntrc__startswith=digits))
        else:
            qs = qs.filter(search_name__contains=normalise(token))
    return qs


def filter_recipients(
    qs: QuerySet[Recipient],
    *,
    department_id: int | None = None,
    category: str | None = None,
    sector: str | None = None,
    status: str | None = None,
    organisation_id: int | None = None,
) -> QuerySet[Recipient]:
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if department_id:
        qs = qs.filter(
            pk__in=Enrolment.objects.filter(department_id=department_id, discharged_on__isnull=True).values(
                "recipient_id"
            )
        )
    if category:
        qs = qs.filter(categories__code=category)
    if sector:
        qs = qs.filter(sector=sector)
    if status:
        qs = qs.filter(status=status)
    return qs


def for_list(qs: QuerySet[Recipient]) -> QuerySet[Recipient]:
    """What a list row shows, without a query per row."""
    return qs.select_related("settlement").prefetch_related(
        "categories",
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.filter(discharged_on__isnull=True).select_related("department"),
            to_attr="open_enrolments",
        ),
    )


def find_duplicates(
    organisation_id: int, *, snils: str, last_name: str, first_name: str, patronymic: str,
    birth_date: datetime.date | None, exclude_pk: int | None = None,
) -> list[Recipient]:
    """People of the organisation with the same SNILS, or the same full name and birth date."""
    cond = Q()
    if snils:
        cond |= Q(snils=snils_lib.compact(snils))
    if birth_date and last_name and first_name:
        cond |= Q(search_name=search_key(last_name, first_name, patronymic), birth_date=birth_date)
    if not cond:
        return []
    qs = Recipient.objects.filter(cond, organisation_id=organisation_id)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs[:10])


def _family_scope(actor: Actor, perm: str) -> Q:
    """Families an actor reaches. A department-bound grant (head, social worker) reaches the families registered
    in its departments, and a family of a person it sees only when it sees every registered person of that
    family: a family is NOT in scope merely because one member is (else linking one's own person to any
    family would open that family's members)."""
    parts: list[Q] = []
    for g in actor.grants_with(perm):
        in_org = Q(organisation_id=g.organisation_id)
        if g.role in (Role.DEPARTMENT_HEAD, Role.SOCIAL_WORKER):
            members = recipient_scope(Actor(user=actor.user, grants=[g]), perm)
            in_org_people = Recipient.objects.filter(organisation_id=g.organisation_id, family__isnull=False)
            visible = in_org_people.filter(members).values("family_id")
            hidden = in_org_people.exclude(members).values("family_id")
            parts.append(in_org & (Q(registered_department_id__in=g.department_ids)
                                   | (Q(pk__in=visible) & ~Q(pk__in=hidden))))
        else:
            parts.append(in_org)
    return any_of(parts)


def families_for(actor: Actor, perm: str = Perm.VIEW_PEOPLE) -> QuerySet[Family]:
    return Family.objects.filter(_family_scope(actor, perm))


def get_family_for(actor: Actor, pk: int, perm: str = Perm.VIEW_PEOPLE) -> Family:
    qs = families_for(actor, perm).select_related("settlement").prefetch_related("categories", "members")
    return get_object_or_404(qs, pk=pk)


def search_families(qs: QuerySet[Family], query: str) -> QuerySet[Family]:
    """Search by parts of the family's name: any case, 'ё' = 'е' (the normalised column, as for people)."""
    for token in (query or "").split():
        qs = qs.filter(search_name__contains=search_key(token))
    return qs


def on_family_register(qs: QuerySet[Family], day: datetime.date) -> QuerySet[Family]:
    """The families of ``qs`` on the social register on ``day``: people.rules.on_family_register as a filter
    (registered on or before the day, not removed on or before it; tests/people/test_family_register_list.py checks
    the two agree on the boundary days)."""
    return qs.filter(registered_on__lte=day).exclude(deregistered_on__lte=day)


# --- what a write may link to: the same scoped queries feed the forms' choices and the actions' checks -------------

def own_departments(actor: Actor, organisation_id: int, perm: str = Perm.EDIT_PEOPLE) -> set[int] | None:
    """The departments a department-bound actor works in for a perm; None: every department of the organisation."""
    ids: set[int] = set()
    for g in actor.grants_with(perm):
        if g.organisation_id != organisation_id:
            continue
        if not actor.is_department_bound(g):
            return None
        ids |= g.department_ids
    return ids


def writable_departments(actor: Actor, organisation_id: int, perm: str = Perm.EDIT_PEOPLE) -> QuerySet[Department]:
    qs = Department.objects.filter(organisation_id=organisation_id) if actor.can(perm, organisation_id) \
        else Department.objects.none()
    own = own_departments(actor, organisation_id, perm)
    return qs if own is None else qs.filter(pk__in=own)


def writable_families(actor: Actor, organisation_id: int, perm: str = Perm.EDIT_PEOPLE) -> QuerySet[Family]:
    return families_for(actor, perm).filter(organisation_id=organisation_id)


def writable_workers(actor: Actor, organisation_id: int, perm: str = Perm.EDIT_PEOPLE) -> QuerySet[Employee]:
    """Who may be named as a person's social worker: anyone of the organisation for organisation-wide roles;
    the employees of their departments for a head; themselves only for a social worker."""
    grants = [g for g in actor.grants_with(perm) if g.organisation_id == organisation_id]
    qs = Employee.objects.filter(organisation_id=organisation_id)
    if not grants:
        return qs.none()
    if any(not actor.is_department_bound(g) for g in grants):
        return qs
    cond = Q(pk__in=[])
    for g in grants:
        if g.role == Role.DEPARTMENT_HEAD:
            cond |= Q(department_id__in=g.department_ids)
        elif g.employee_id is not None:
            cond |= Q(pk=g.employee_id)
    return qs.filter(cond)


def has_consent(recipient: Recipient, day: datetime.date) -> bool:
    """A consent to personal-data processing is on file on ``day`` (people.rules.consent_in_force)."""
    return consent_in_force(recipient.consents.values_list("given_on", "withdrawn_on"), day)


def consent_warning(recipient: Recipient, day: datetime.date) -> list[str]:
    """The warning shown (to confirm) when casework is started for a person without consent on file."""
    if has_consent(recipient, day):
        return []
    return [_("%(name)s has no consent to personal-data processing on file: record it on the person's card "
              "(152-ФЗ art. 9).") % {"name": recipient.full_name}]
