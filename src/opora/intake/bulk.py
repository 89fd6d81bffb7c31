"""The bulk entry point of intake: an application journal brought from elsewhere (the exchange import, the demo).

`write_applications` creates or updates many applications at once with the rules of the form
(intake/rules.py: `recorded_decision_problems`, the deadline of the decision on the organisation's calendar,
numbers per organisation and year). History semantics, for a re-import of the same or a longer journal:

- an application is matched by (person, received_on, requested form); the file's channel and department replace
  the stored ones;
- a decision in the file (recognised, refused, withdrawn, with its date) is recorded on an open application and
  is left as it is on one already decided the same way; a different decision on a decided application is an error
  (a decision is final, as in the form); an empty decision never undoes one recorded in Opora;
- a new application gets the next free number of its year and the deadline of the decision (5 working days);
  a refusal without a reason in the file gets the reason "recorded in the imported application journal";
- nothing is deleted: an application that is not in the file stays.

No query per row: the organisation's applications are read once; new ones go in with bulk_create, changed ones
with bulk_update. The caller's transaction and audit event cover the write (exchange/actions.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from opora.intake import rules
from opora.intake.models import Application
from opora.intake.rules import ApplicationStatus
from opora.lib.errors import DomainError
from opora.org.calendar import calendar_for
from opora.org.models import Organisation

BATCH = 5000
Key = tuple[int, datetime.date, str]  # recipient id, received_on, requested form


@dataclass(frozen=True)
class Recorded:
    """One application of a journal: what the exchange file `applications` holds for it."""

    channel: str
    department_id: int
    decision: str = ""  # "", recognised, refused or withdrawn
    decided_on: datetime.date | None = None


def stored_statuses(organisation_id: int) -> dict[Key, str]:
    """The organisation's applications by their key → status (one query; for checking a file)."""
    return {(r, d, f): s for r, d, f, s in Application.objects.filter(organisation_id=organisation_id).values_list(
        "recipient_id", "received_on", "requested_form", "status")}


@transaction.atomic
def write_applications(organisation: Organisation, rows: Mapping[Key, Recorded]) -> tuple[int, int]:
    """Create or update the applications of `rows`; return (created, updated). Raises DomainError naming the first
    application whose decision breaks a rule (the exchange checks every row before, naming file and line)."""
    existing: dict[Key, Application] = {}
    for a in Application.objects.filter(organisation=organisation):
        existing.setdefault((a.recipient_id, a.received_on, a.requested_form), a)
    calendar = calendar_for(organisation)
    numbers: dict[int, int] = {}
    for number in Application.objects.filter(organisation=organisation).values_list("number", flat=True):
        head, _sep, seq = number.partition("-")
        if head.isdigit() and seq.isdigit():
            numbers[int(head)] = max(numbers.get(int(head), 0), int(seq))
    new: list[Application] = []
    changed: list[Application] = []
    fields: set[str] = set()
    for key in sorted(rows, key=lambda k: (k[1], k[0], k[2])):
        row = rows[key]
        old = existing.get(key)
        problems = rules.recorded_decision_problems(key[1], row.decision, row.decided_on,
                                                    old.status if old is not None else None)
        if problems:
            raise DomainError(problems[0][1], field=problems[0][0])
        if old is None:
            year = key[1].year
            numbers[year] = numbers.get(year, 0) + 1
            app = Application(organisation=organisation, number=f"{year}-{numbers[year]:04d}", recipient_id=key[0],
                              received_on=key[1], requested_form=key[2], channel=row.channel,
                              department_id=row.department_id, decision_due=rules.decision_due(key[1], calendar))
            _decide(app, row)
            new.append(app)
            continue
        values: dict[str, Any] = {"channel": row.channel, "department_id": row.department_id}
        if row.decision and old.status != row.decision:
            probe = Application(status=old.status, requested_form=old.requested_form)
            _decide(probe, row)
            values.update(status=probe.status, decided_on=probe.decided_on, decided_form=probe.decided_form,
                          refusal_reason=probe.refusal_reason)
        diff = {f: v for f, v in values.items() if getattr(old, f) != v}
        if diff:
            for f, v in diff.items():
                setattr(old, f, v)
            changed.append(old)
            fields |= set(diff)
    Application.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        Application.objects.bulk_update(changed, sorted(fields), batch_size=BATCH)
    return len(new), len(changed)


def _decide(app: Application, row: Recorded) -> None:
    if not row.decision:
        app.status = ApplicationStatus.REGISTERED
        return
    app.status = row.decision
    app.decided_on = row.decided_on
    app.decided_form = app.requested_form if row.decision == ApplicationStatus.RECOGNISED else ""
    app.refusal_reason = (_("Recorded in the imported application journal.")
                          if row.decision == ApplicationStatus.REFUSED else "")
