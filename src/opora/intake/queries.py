"""Reads of intake data, scoped to who asks; and the care-level scale lookup the actions use."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm, Role
from opora.core.scoping import any_of
from opora.intake.models import Application, CareLevelScale
from opora.intake.rules import OPEN_STATUSES
from opora.lib.formats import day as fmt_day
from opora.people.models import Recipient
from opora.people.queries import consent_warning, recipients_for


def scale_rows_on(region: str, day: datetime.date) -> list[CareLevelScale]:
    """The care-level scale in force on a day: the region's latest version if it has one, else the general one."""
    for candidate in ([region, ""] if region else [""]):
        latest = (CareLevelScale.objects.filter(region=candidate, valid_from__lte=day)
                  .order_by("-valid_from").values_list("valid_from", flat=True).first())
        if latest is not None:
            return list(CareLevelScale.objects.filter(region=candidate, valid_from=latest).order_by("level"))
    return []


def _application_scope(actor: Actor, perm: str) -> Q:
    parts: list[Q] = []
    for g in actor.grants_with(perm):
        in_org = Q(organisation_id=g.organisation_id)
        if g.role == Role.DEPARTMENT_HEAD:
            parts.append(in_org & Q(department_id__in=g.department_ids))
        elif g.role == Role.SOCIAL_WORKER:
            people = recipients_for(Actor(user=actor.user, grants=[g]), Perm.VIEW_PEOPLE).values("pk")
            parts.append(in_org & Q(recipient_id__in=people))
        else:
            parts.append(in_org)
    return any_of(parts)


def applications_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK) -> QuerySet[Application]:
    return Application.objects.filter(_application_scope(actor, perm))


def get_application_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Application:
    qs = applications_for(actor, perm).select_related("recipient", "department", "organisation", "registered_by")
    return get_object_or_404(qs, pk=pk)


def application_card(actor: Actor, pk: int) -> Application:
    qs = applications_for(actor).select_related(
        "recipient", "department", "organisation", "registered_by").prefetch_related("assessments__examiner")
    return get_object_or_404(qs, pk=pk)


def overdue_q(today: datetime.date | None = None) -> Q:
    return Q(status__in=OPEN_STATUSES, decision_due__lt=today or timezone.localdate())


def filter_applications(
    qs: QuerySet[Application], *, organisation_id: int | None = None, status: str | None = None,
    department_id: int | None = None, channel: str | None = None, received_from: datetime.date | None = None,
    received_to: datetime.date | None = None, overdue: bool = False, recipient_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Application]:
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if channel:
        qs = qs.filter(channel=channel)
    if received_from:
        qs = qs.filter(received_on__gte=received_from)
    if received_to:
        qs = qs.filter(received_on__lte=received_to)
    if recipient_id:
        qs = qs.filter(recipient_id=recipient_id)
    if overdue:
        qs = qs.filter(overdue_q(today))
    return qs


def for_list(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related("recipient", "department", "organisation")


def open_counts(actor: Actor, organisation_id: int, today: datetime.date | None = None) -> dict[str, int]:
    """Applications awaiting a decision that the actor sees: how many, and how many are overdue."""
    return applications_for(actor).filter(organisation_id=organisation_id, status__in=OPEN_STATUSES).aggregate(
        open=Count("id"), overdue=Count("id", filter=overdue_q(today)))


def next_number(organisation_id: int, year: int) -> str:
    """The next free number of the year in the organisation: "2020-0001", "2020-0002", …"""
    prefix = f"{year}-"
    numbers = Application.objects.filter(organisation_id=organisation_id, number__startswith=prefix).values_list(
        "number", flat=True)
    used = [int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()]
    return f"{prefix}{max(used, default=0) + 1:04d}"


def _rules_reader(actor: Actor, perm: str) -> bool:
    return actor.can(perm)


def scale_rows_for(actor: Actor, perm: str = Perm.VIEW_DASHBOARD) -> QuerySet[CareLevelScale]:
    return CareLevelScale.objects.all() if _rules_reader(actor, perm) else CareLevelScale.objects.none()


def get_scale_row_for(actor: Actor, pk: int, perm: str = Perm.VIEW_DASHBOARD) -> CareLevelScale:
    return get_object_or_404(scale_rows_for(actor, perm), pk=pk)


def application_warnings(recipient: Recipient, day: datetime.date, exclude_pk: int | None = None) -> list[str]:
    """What a user confirms before registering an application for the person (issue 11): no consent to
    personal-data processing on file; another application of the person still awaiting a decision."""
    warnings = consent_warning(recipient, day)
    others = Application.objects.filter(recipient=recipient, status__in=OPEN_STATUSES).exclude(pk=exclude_pk or 0)
    for other in others.order_by("received_on", "id")[:3]:
        warnings.append(_("%(name)s already has an open application № %(number)s of %(day)s awaiting a decision.")
                        % {"name": recipient.full_name, "number": other.number, "day": fmt_day(other.received_on)})
    return warnings
