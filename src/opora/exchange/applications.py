"""The exchange file `applications` (EXCHANGE.md Part 1): a centre's application journal.

Columns: **recipient_id**, **received_on**, **form** (the requested form), channel, department_code, decision
(recognised, refused, withdrawn), decided_on. An application is matched on re-import by (recipient_id, received_on,
form). Rows are checked here (every problem as `file:line: column: message`, with intake's rules:
intake.rules.recorded_decision_problems) and written through intake's bulk entry point (intake/bulk.py, which
documents what a re-import changes). An empty channel is "in person"; an empty department_code is the person's
registered department (an error when there is none).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from opora.core.reference import Channel, Form
from opora.exchange.spec import COLUMNS
from opora.intake import bulk as intake_bulk
from opora.intake import rules as intake_rules
from opora.intake.models import Application
from opora.people.models import Recipient

if TYPE_CHECKING:
    from opora.exchange.load import Loader
    from opora.exchange.validate import Validator

FILE = "applications"
HEADER = ["recipient_id", "received_on", "form", "channel", "department_code", "decision", "decided_on"]
DECIDED = {str(s) for s in intake_rules.RECORDED_DECISIONS}


def validate(v: Validator) -> None:
    """Check the rows of `applications` into v.plan.applications: {(recipient_id, received_on, form): values}."""
    file = v.plan.files.get(FILE, "")
    if not file:
        return
    org_id = v.existing.organisation_id
    stored: dict[tuple[int, datetime.date, str], str] = intake_bulk.stored_statuses(org_id) if org_id else {}
    registered = dict(Recipient.objects.filter(organisation_id=org_id, registered_department__isnull=False)
                      .values_list("id", "registered_department__code")) if org_id else {}
    forms, channels = {str(f) for f in Form.values}, {str(c) for c in Channel.values}
    lines: dict[tuple[Any, datetime.date, str], int] = {}
    for line, row in v.rows(FILE):
        ok = v._required(file, line, row, COLUMNS[FILE][0])
        person = v.known_person(row["recipient_id"]) if row["recipient_id"] else None
        if row["recipient_id"] and person is None:
            v.problems.add(file, line, "recipient_id",
                           _("Unknown recipient «%(code)s».") % {"code": row["recipient_id"]})
            ok = False
        ok &= v._code(file, line, row, "form", forms, _("Unknown form of service «%(code)s»."))
        ok &= v._code(file, line, row, "channel", channels, _("Unknown channel «%(code)s»."))
        ok &= v._code(file, line, row, "department_code", v.department_kinds, _("Unknown department «%(code)s»."))
        department = row["department_code"] or (registered.get(person) if isinstance(person, int) else None)
        if not department and row["recipient_id"]:
            v.problems.add(file, line, "department_code", _(
                "Give the department: the person has no registered department to record the application to."))
            ok = False
        received = v._date(file, line, row, "received_on")
        decided = v._date(file, line, row, "decided_on")
        ok &= received is not None and (decided is not None or not row["decided_on"])
        if received is None:
            continue
        old = stored.get((person, received, row["form"])) if isinstance(person, int) else None
        for column, message in intake_rules.recorded_decision_problems(received, row["decision"], decided, old):
            v.problems.add(file, line, column, message)
            ok = False
        same = (person if person is not None else row["recipient_id"], received, row["form"])
        if same in lines:
            v.problems.add(file, line, "received_on", _(
                "This row repeats the application on line %(line)s: the same recipient, date and form.")
                % {"line": lines[same]})
            continue
        lines[same] = line
        if ok:
            v.plan.applications[(row["recipient_id"], received, row["form"])] = {
                "channel": row["channel"] or Channel.IN_PERSON, "department_code": department,
                "decision": row["decision"], "decided_on": decided}


def load(loader: Loader) -> None:
    """Write the checked rows through intake's bulk entry point."""
    from opora.exchange.load import _count  # load.py imports this module

    if not loader.plan.applications:
        return
    rows = {(loader.recipient_ids[ref], received, form): intake_bulk.Recorded(
        channel=v["channel"], department_id=loader.department_ids[v["department_code"]], decision=v["decision"],
        decided_on=v["decided_on"]) for (ref, received, form), v in loader.plan.applications.items()}
    created, updated = intake_bulk.write_applications(loader.org, rows)
    _count(loader.counts, loader.file(FILE), created, updated)


def export_rows(organisation_id: int, ext: dict[int, str], dept: dict[int, str]) -> Iterable[list[Any]]:
    """The organisation's applications as rows of the file (decisions only when final)."""
    for r, received, form, channel, d, status, decided in Application.objects.filter(
            organisation_id=organisation_id).order_by("received_on", "id").values_list(
            "recipient_id", "received_on", "requested_form", "channel", "department_id", "status", "decided_on"):
        final = status in DECIDED
        yield [ext[r], received, form, channel, dept[d], status if final else "", decided if final else None]
