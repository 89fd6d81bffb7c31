"""Every write of field work: do_*(…, *, actor), atomic, audited; the bulk writers for the import and the demo.

One rule, one way in: a visit or a notice is checked by fieldwork/rules.py whether it comes from the form, the API,
the exchange import (exchange/fieldwork.py) or the demo (demo/fieldwork.py).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm, Role
from opora.audit.log import log_event
from opora.audit.models import AuditEvent, EventType
from opora.core.actions import create_object, delete_object, require, update_object
from opora.fieldwork import rules
from opora.fieldwork.models import ReleaseNotice, Visit
from opora.fieldwork.queries import may_handle_notices, person_families
from opora.lib.errors import DomainError
from opora.org.models import Organisation
from opora.people.queries import families_for, recipients_for


def _as_validation(error: DomainError) -> ValidationError:
    return ValidationError({error.field or "__all__": [error.message]})


def _same_organisation(visit_or_notice: Visit | ReleaseNotice, names: Sequence[str]) -> None:
    for name in names:
        related = getattr(visit_or_notice, name, None)
        if related is not None and related.organisation_id != visit_or_notice.organisation_id:
            raise ValidationError({name: _("This record belongs to another organisation.")})


def check_visit(visit: Visit) -> None:
    """The rules of one visit (fieldwork.rules.check_visit) on a Visit not yet saved or changed."""
    _same_organisation(visit, ("family", "recipient", "settlement", "worker"))
    families = person_families([visit.recipient_id]).get(visit.recipient_id, set()) if visit.recipient_id else set()
    try:
        rules.check_visit(kind=visit.kind, family_id=visit.family_id, recipient_id=visit.recipient_id,
                          person_family_ids=families, settlement_id=visit.settlement_id)
    except DomainError as e:
        raise _as_validation(e) from e


def _check_actor(actor: Actor, visit: Visit) -> None:
    """A visit is recorded to the families and people the actor may edit; a social worker records as themselves."""
    require(actor, Perm.RECORD_SERVICES, visit.organisation_id)
    if visit.family_id is not None and not families_for(actor, Perm.EDIT_PEOPLE).filter(pk=visit.family_id).exists():
        raise ValidationError({"family": _("This family is outside your scope.")})
    if visit.recipient_id is not None and not recipients_for(actor, Perm.EDIT_PEOPLE).filter(
            pk=visit.recipient_id).exists():
        raise ValidationError({"recipient": _("This person is outside your scope.")})
    roles = actor.roles_in(visit.organisation_id)
    if roles and roles <= {Role.SOCIAL_WORKER}:
        own = next((g.employee_id for g in actor.grants_with(Perm.RECORD_SERVICES)
                    if g.organisation_id == visit.organisation_id), None)
        if visit.worker_id is not None and visit.worker_id != own:
            raise ValidationError({"worker": _("A social worker records only their own visits.")})
        visit.worker_id = own


def do_record_visit(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> Visit:
    visit = Visit(organisation=organisation, **data)
    _check_actor(actor, visit)
    check_visit(visit)
    return create_object(visit, actor=actor)


def do_update_visit(visit: Visit, data: Mapping[str, Any], *, actor: Actor) -> Visit:
    with transaction.atomic():
        for key, value in data.items():
            setattr(visit, key, value)
        _check_actor(actor, visit)
        check_visit(visit)
        return update_object(visit, {}, actor=actor)


def do_delete_visit(visit: Visit, *, actor: Actor) -> None:
    _check_actor(actor, visit)
    delete_object(visit, actor=actor)


# --- release notices --------------------------------------------------------------------------------------------

def _require_notices(actor: Actor, organisation_id: int) -> None:
    require(actor, Perm.EDIT_PEOPLE, organisation_id)
    if not may_handle_notices(actor, organisation_id, Perm.EDIT_PEOPLE):
        raise PermissionDenied(_("Release notices are kept by the social adaptation department and the director."))


def check_notice(notice: ReleaseNotice, *, today: datetime.date | None = None) -> None:
    _same_organisation(notice, ("settlement", "recipient"))
    try:
        rules.check_notice(received_on=notice.received_on, release_date=notice.release_date, outcome=notice.outcome,
                           checked_on=notice.checked_on, today=today or timezone.localdate())
    except DomainError as e:
        raise _as_validation(e) from e


def do_record_notice(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> ReleaseNotice:
    _require_notices(actor, organisation.pk)
    notice = ReleaseNotice(organisation=organisation, **data)
    check_notice(notice)
    return create_object(notice, actor=actor)


def do_update_notice(notice: ReleaseNotice, data: Mapping[str, Any], *, actor: Actor) -> ReleaseNotice:
    """Change a notice, typically to record its check (outcome, checked_on) and the person once registered."""
    _require_notices(actor, notice.organisation_id)
    with transaction.atomic():
        for key, value in data.items():
            setattr(notice, key, value)
        check_notice(notice)
        return update_object(notice, {}, actor=actor)


def do_view_notice(notice: ReleaseNotice, *, actor: Actor) -> None:
    """Opening a notice is recorded, as opening a person's card is."""
    log_event(actor=actor, event_type=EventType.VIEWED, obj=notice, organisation_id=notice.organisation_id)


# --- in bulk: the exchange import and the demo ------------------------------------------------------------------

@dataclass(frozen=True)
class VisitRow:
    date: datetime.date
    kind: str
    family_id: int | None = None
    recipient_id: int | None = None
    settlement_id: int | None = None
    worker_id: int | None = None
    people: int = 1
    outcome: str = ""

    def key(self) -> tuple:
        return (self.date, self.kind, self.family_id, self.recipient_id, self.settlement_id, self.worker_id)


def check_visit_rows(rows: Sequence[VisitRow]) -> list[tuple[int, DomainError]]:
    """The rules of each row (index, error); the look-ups (the people's families) are read once."""
    families = person_families(sorted({r.recipient_id for r in rows if r.recipient_id is not None}))
    problems: list[tuple[int, DomainError]] = []
    for i, r in enumerate(rows):
        try:
            rules.check_visit(kind=r.kind, family_id=r.family_id, recipient_id=r.recipient_id,
                              person_family_ids=families.get(r.recipient_id, set()) if r.recipient_id else (),
                              settlement_id=r.settlement_id)
        except DomainError as e:
            problems.append((i, e))
    return problems


@transaction.atomic
def write_visits(organisation_id: int, rows: Sequence[VisitRow], *, actor: Actor | None = None) -> tuple[int, int]:
    """Write visits checked by :func:`check_visit_rows`, idempotently: a row is matched with the visits already
    held by (date, kind, family, person, settlement, worker) and its position among the rows of that key; only
    the missing ones are created, a matched one takes the row's people and outcome. (created, updated); one audit
    event with the counts."""
    problems = check_visit_rows(rows)
    if problems:
        i, e = problems[0]
        raise DomainError(_("Row %(row)d: %(message)s") % {"row": i + 1, "message": e.message}, field=e.field)
    days = {r.date for r in rows}
    held: dict[tuple, list[Visit]] = {}
    if days:
        for v in Visit.objects.filter(organisation_id=organisation_id, date__gte=min(days),
                                      date__lte=max(days)).order_by("id"):
            held.setdefault((v.date, v.kind, v.family_id, v.recipient_id, v.settlement_id, v.worker_id), []).append(v)
    seen: Counter[tuple] = Counter()
    new: list[Visit] = []
    changed: list[Visit] = []
    for r in rows:
        key = r.key()
        position = seen[key]
        seen[key] += 1
        existing = held.get(key, [])
        if position < len(existing):
            v = existing[position]
            if (v.people, v.outcome) != (r.people, r.outcome):
                v.people, v.outcome = r.people, r.outcome
                changed.append(v)
            continue
        new.append(Visit(organisation_id=organisation_id, date=r.date, kind=r.kind, family_id=r.family_id,
                         recipient_id=r.recipient_id, settlement_id=r.settlement_id, worker_id=r.worker_id,
                         people=r.people, outcome=r.outcome))
    Visit.objects.bulk_create(new, batch_size=1000)
    if changed:
        Visit.objects.bulk_update(changed, ["people", "outcome"], batch_size=1000)
    _audit(organisation_id, actor, "visits", len(new), len(changed))
    return len(new), len(changed)


@dataclass(frozen=True)
class NoticeRow:
    received_on: datetime.date
    full_name: str
    birth_date: datetime.date
    release_date: datetime.date
    outcome: str
    settlement_id: int | None = None
    institution: str = ""
    checked_on: datetime.date | None = None
    recipient_id: int | None = None


def check_notice_rows(rows: Sequence[NoticeRow], *, today: datetime.date) -> list[tuple[int, DomainError]]:
    problems: list[tuple[int, DomainError]] = []
    for i, r in enumerate(rows):
        try:
            rules.check_notice(received_on=r.received_on, release_date=r.release_date, outcome=r.outcome,
                               checked_on=r.checked_on, today=today)
        except DomainError as e:
            problems.append((i, e))
    return problems


NOTICE_FIELDS = ("received_on", "settlement_id", "institution", "outcome", "checked_on", "recipient_id")


@transaction.atomic
def write_notices(organisation_id: int, rows: Sequence[NoticeRow], *, actor: Actor | None = None,
                  today: datetime.date | None = None) -> tuple[int, int]:
    """Write release notices checked by :func:`check_notice_rows`, matched by (full name, birth date, release
    date): a new one is created, a held one takes the row's other fields. (created, updated); one audit event."""
    problems = check_notice_rows(rows, today=today or timezone.localdate())
    if problems:
        i, e = problems[0]
        raise DomainError(_("Row %(row)d: %(message)s") % {"row": i + 1, "message": e.message}, field=e.field)
    held = {(n.full_name, n.birth_date, n.release_date): n
            for n in ReleaseNotice.objects.filter(organisation_id=organisation_id)}
    new: list[ReleaseNotice] = []
    changed: list[ReleaseNotice] = []
    for r in rows:
        n = held.get((r.full_name, r.birth_date, r.release_date))
        values = {f: getattr(r, f) for f in NOTICE_FIELDS}
        if n is None:
            n = ReleaseNotice(organisation_id=organisation_id, full_name=r.full_name, birth_date=r.birth_date,
                              release_date=r.release_date, **values)
            held[(r.full_name, r.birth_date, r.release_date)] = n
            new.append(n)
        elif any(getattr(n, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(n, f, v)
            if n.pk is not None and n not in changed:
                changed.append(n)
    ReleaseNotice.objects.bulk_create(new, batch_size=1000)
    if changed:
        ReleaseNotice.objects.bulk_update(changed, list(NOTICE_FIELDS), batch_size=1000)
    _audit(organisation_id, actor, "release_notices", len(new), len(changed))
    return len(new), len(changed)


def _audit(organisation_id: int, actor: Actor | None, what: str, created: int, updated: int) -> None:
    if created or updated:
        AuditEvent.objects.create(
            organisation_id=organisation_id, actor_id=getattr(actor, "user_id", None), event_type=EventType.CREATED,
            object_type=f"fieldwork.{what}", object_id="bulk", object_repr=what,
            changes={"created": created, "updated": updated})
