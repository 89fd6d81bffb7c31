"""The rules of intake (442-ФЗ art. 15): the application's statuses and their transitions, and the deadline of the
decision on need. Pure: no ORM, no models; the production calendar comes in as a ``WorkCalendar``.

    registered ──► assessment ──► recognised | refused | withdrawn
         └────────────────────────► recognised | refused | withdrawn
    recognised, refused, withdrawn: final

The decision is due within 5 working days of the application; the day of receipt is not counted
(lib/workdays.py): received on Friday 10.01.2020, due on Friday 17.01.2020.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.lib.errors import DomainError
from opora.lib.workdays import WorkCalendar

DECISION_WORKING_DAYS = 5  # 442-ФЗ art. 15 p. 2: the decision within five working days of the application


class ApplicationStatus(models.TextChoices):
    REGISTERED = "registered", gettext_lazy("Registered")
    ASSESSMENT = "assessment", gettext_lazy("Needs assessment")
    RECOGNISED = "recognised", gettext_lazy("Recognised as needing service")
    REFUSED = "refused", gettext_lazy("Refused")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


# Which status may follow which (DESIGN.md habit 3: transitions are explicit, as django-oscar's order pipeline).
APPLICATION_TRANSITIONS: Mapping[str, frozenset[str]] = {
    ApplicationStatus.REGISTERED: frozenset({ApplicationStatus.ASSESSMENT, ApplicationStatus.RECOGNISED,
                                             ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.ASSESSMENT: frozenset({ApplicationStatus.RECOGNISED, ApplicationStatus.REFUSED,
                                             ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.RECOGNISED: frozenset(),
    ApplicationStatus.REFUSED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

# Awaiting a decision.
OPEN_STATUSES: tuple[ApplicationStatus, ...] = (ApplicationStatus.REGISTERED, ApplicationStatus.ASSESSMENT)
# An assessment may be recorded (and so the answers changed) only before the decision.
ASSESSABLE_STATUSES = OPEN_STATUSES
# The two outcomes of the decision on need.
DECISIONS: tuple[ApplicationStatus, ...] = (ApplicationStatus.RECOGNISED, ApplicationStatus.REFUSED)


def may_become(old: str, new: str) -> bool:
    """Whether an application in status ``old`` may move to ``new``."""
    return new in APPLICATION_TRANSITIONS.get(old, frozenset())


def next_statuses(old: str) -> frozenset[str]:
    """The statuses an application in status ``old`` may move to (empty for a final one)."""
    return APPLICATION_TRANSITIONS.get(old, frozenset())


def label(status: str) -> str:
    """The translated name of a status; an unknown code as it is."""
    try:
        return str(ApplicationStatus(status).label)
    except ValueError:
        return status


def check_transition(old: str, new: str) -> None:
    """Raise a DomainError (field ``status``) naming both statuses unless ``old`` may become ``new``."""
    if not may_become(old, new):
        raise DomainError(_("An application in status “%(old)s” cannot become “%(new)s”.")
                          % {"old": label(old), "new": label(new)}, field="status")


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


# The decisions an application journal brought from elsewhere (the exchange file `applications`) may hold.
RECORDED_DECISIONS: tuple[ApplicationStatus, ...] = (ApplicationStatus.RECOGNISED, ApplicationStatus.REFUSED,
                                                     ApplicationStatus.WITHDRAWN)


def recorded_decision_problems(received_on: datetime.date, decision: str, decided_on: datetime.date | None,
                               stored_status: str | None) -> list[tuple[str, str]]:
    """What is wrong with a decision recorded elsewhere, as (field, message): the same rules as the form.

    A decision needs its date, a date needs its decision (recognised, refused or withdrawn), the decision cannot
    be dated before the application, and a decision already taken (a final status) cannot be changed; an open
    application (``stored_status`` registered or in assessment, or None for a new one) may take any decision.
    """
    problems: list[tuple[str, str]] = []
    if decision and decision not in RECORDED_DECISIONS:
        problems.append(("decision", _("Unknown decision «%(code)s»: expected recognised, refused or withdrawn.")
                         % {"code": decision}))
        return problems
    if decision in DECISIONS and decided_on is None:
        problems.append(("decided_on", _("Give the date of the decision.")))
    if decided_on is not None and not decision:
        problems.append(("decision", _("A date of decision needs the decision: recognised, refused or withdrawn.")))
    if decided_on is not None and decided_on < received_on:
        problems.append(("decided_on", _("The decision cannot be dated before the application.")))
    if decision and stored_status and stored_status != decision and not may_become(stored_status, decision):
        problems.append(("decision", _("An application in status “%(old)s” cannot become “%(new)s”.")
                         % {"old": label(stored_status), "new": label(decision)}))
    return problems


# --- the decision on need is based on the needs assessment (442-ФЗ art. 15) ---------------------------------------

# The one exception: urgent social services (art. 21) are given at once, without a programme and so without the
# assessment a programme rests on; the decision then records why there is no assessment.
FORMS_WITHOUT_ASSESSMENT = frozenset({"urgent"})


def recognition_problem(form: str, assessments: int, no_assessment_reason: str) -> tuple[str, str] | None:
    """Why a person cannot be recognised as needing service in ``form``, as (field, message); None when they can.

    442-ФЗ bases the decision on the needs assessment: without one it is refused, except for urgent services,
    where the reason there is no assessment must be recorded (``no_assessment_reason``)."""
    if assessments > 0:
        return None
    if form in FORMS_WITHOUT_ASSESSMENT:
        if not (no_assessment_reason or "").strip():
            return ("no_assessment_reason", _("Urgent help may be granted without a needs assessment: record why "
                                              "there is none."))
        return None
    return ("outcome", _("The decision on need is based on the needs assessment: record the assessment first "
                         "(«Record an assessment»)."))


def decision_due(received_on: datetime.date, calendar: WorkCalendar) -> datetime.date:
    """The last day of the decision on need: the 5th working day after the day the application was received."""
    return calendar.add_working_days(received_on, DECISION_WORKING_DAYS)


def is_overdue(status: str, due: datetime.date, today: datetime.date) -> bool:
    """Still awaiting a decision after the day it was due."""
    return is_open(status) and due < today


def deadline_met(decided_on: datetime.date | None, due: datetime.date) -> bool | None:
    """Whether the decision came by the day it was due; None while there is no decision. The deadline does not
    move when the decision comes late."""
    if decided_on is None:
        return None
    return decided_on <= due


# --- the level of care need ---------------------------------------------------------------------------------------

class ScaleRow(Protocol):
    """What :func:`scale_row_for` reads of a row of the care-level scale."""

    @property
    def min_score(self) -> int: ...
    @property
    def max_score(self) -> int: ...


R = TypeVar("R", bound=ScaleRow)


def scale_row_for(rows: Iterable[R], score: int) -> R | None:
    """The row of the scale in force whose range (both ends included) holds the questionnaire's score; None when
    the scale has a gap there (the action then asks an administrator to complete it)."""
    return next((row for row in rows if row.min_score <= score <= row.max_score), None)
