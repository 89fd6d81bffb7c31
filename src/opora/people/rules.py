"""The registry's rules: a recipient's status from their periods of service. Pure: no ORM, no models.

The status is derived, never entered: it follows from the person's enrolments (periods of service in a
department) and the reasons they were discharged.

    deceased  any enrolment was closed with the reason "death" (whatever else is open or closed);
    active    otherwise, at least one enrolment is open (no discharge date);
    inactive  otherwise: never enrolled, or every enrolment is closed.

The people's actions (do_enrol, do_discharge), the exchange import and the demo all call
:func:`recipient_status` or its bulk form :func:`status_changes`, so a status comes into being in one way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TypeAlias

from django.db import models
from django.utils.translation import gettext_lazy as _

from opora.core.reference import DischargeReason


class RecipientStatus(models.TextChoices):
    ACTIVE = "active", _("On service")
    INACTIVE = "inactive", _("Not on service")
    DECEASED = "deceased", _("Deceased")


# One enrolment as the rule sees it: (discharged_on, discharge_reason); None and "" while it is open.
Period: TypeAlias = tuple[datetime.date | None, str]


def recipient_status(periods: Iterable[Period]) -> RecipientStatus:
    """The status of a person whose enrolments are ``periods`` (see the module's table)."""
    periods = list(periods)
    if any(reason == DischargeReason.DEATH for _discharged, reason in periods):
        return RecipientStatus.DECEASED
    if any(discharged is None for discharged, _reason in periods):
        return RecipientStatus.ACTIVE
    return RecipientStatus.INACTIVE


def status_changes(current: Mapping[int, str], periods_of: Mapping[int, Iterable[Period]]
                   ) -> dict[RecipientStatus, list[int]]:
    """For many people at once: ``current`` maps each person's id to the status stored now, ``periods_of`` the
    person's id to their enrolments (a person without any may be absent). Returns the new status → the ids
    (sorted) of the people whose stored status differs from the rule's; people whose status is right are left out.
    """
    changed: dict[RecipientStatus, list[int]] = {}
    for pk in sorted(current):
        status = recipient_status(periods_of.get(pk, ()))
        if status != current[pk]:
            changed.setdefault(status, []).append(pk)
    return changed


def may_enrol(status: str) -> bool:
    """A person recorded as deceased cannot be admitted to service again; anyone else can."""
    return status != RecipientStatus.DECEASED


def consent_in_force(consents: Iterable[tuple[datetime.date, datetime.date | None]], day: datetime.date) -> bool:
    """Whether a consent to personal-data processing (given_on, withdrawn_on) is on file on ``day``: given by
    then and not withdrawn by then (issue 11: casework for a person without it is warned about)."""
    return any(given <= day and (withdrawn is None or withdrawn > day) for given, withdrawn in consents)


def closes_every_enrolment(reason: str) -> bool:
    """A discharge for death closes the person's other open enrolments too, with the same reason."""
    return reason == DischargeReason.DEATH


def discharge_date_of_other(discharged_on: datetime.date, admitted_on: datetime.date) -> datetime.date:
    """The day another open enrolment is closed when the person dies: the day of death, or the day of admission
    when that enrolment began later (a discharge cannot precede the admission)."""
    return max(discharged_on, admitted_on)


# --- the families' social register (issue 14) ---------------------------------------------------------------

def on_family_register(registered_on: datetime.date | None, deregistered_on: datetime.date | None,
                       day: datetime.date) -> bool:
    """A family is on the social register on ``day`` when ``registered_on`` ≤ day and it has no
    ``deregistered_on`` ≤ day (EXCHANGE.md Part 2): removed on 31 December, it is off the register at the year's end.
    """
    return registered_on is not None and registered_on <= day and (deregistered_on is None or deregistered_on > day)


def family_register_errors(registered_on: datetime.date | None, deregistered_on: datetime.date | None,
                           reason: str) -> dict[str, str]:
    """The register's dates and reason checked together: {field: translated message}, empty when they agree."""
    errors: dict[str, str] = {}
    if deregistered_on is not None and registered_on is None:
        errors["deregistered_on"] = str(_("A family cannot be removed from the register it was never put on."))
    elif deregistered_on is not None and registered_on is not None and deregistered_on < registered_on:
        errors["deregistered_on"] = str(_("The removal from the register cannot be earlier than the registration."))
    if deregistered_on is not None and not reason:
        errors["deregistration_reason"] = str(_("Give the reason for the removal from the register."))
    if deregistered_on is None and reason:
        errors["deregistration_reason"] = str(_("A reason for removal needs the date of removal."))
    return errors
