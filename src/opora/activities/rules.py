"""Pure rules of the services beyond casework (groups and clubs, events): no ORM here.

The actions, the exchange import and the demo ask these; worked examples are in tests/activities/test_rules.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.lib.errors import DomainError
from opora.lib.formats import day as fmt_day
from opora.lib.formats import number as fmt_number

CENT = Decimal("0.01")


class GroupKind(models.TextChoices):
    CLUB = "club", gettext_lazy("Club")
    CLASS = "class", gettext_lazy("Class")
    UNIVERSITY = "university", gettext_lazy("University of the third age")
    PROJECT = "project", gettext_lazy("Project")
    SCHOOL = "school", gettext_lazy("School")
    OTHER = "other", gettext_lazy("Other")


class EventKind(models.TextChoices):
    HOLIDAY = "holiday", gettext_lazy("Holiday")
    EXCURSION = "excursion", gettext_lazy("Excursion")
    EXHIBITION = "exhibition", gettext_lazy("Exhibition")
    SPORT = "sport", gettext_lazy("Sport")
    SEMINAR = "seminar", gettext_lazy("Seminar")
    CONSULTATION = "consultation", gettext_lazy("Consultation day")
    CAMPAIGN = "campaign", gettext_lazy("Campaign")
    OTHER = "other", gettext_lazy("Other")


@dataclass(frozen=True)
class Span:
    """A membership's dates: either end may be open (None)."""

    joined_on: datetime.date | None
    left_on: datetime.date | None

    def holds(self, day: datetime.date) -> bool:
        """A member on this day: joined on or before it, not left before it (the day of leaving counts)."""
        return (self.joined_on is None or self.joined_on <= day) and (self.left_on is None or self.left_on >= day)

    def overlaps(self, start: datetime.date, end: datetime.date) -> bool:
        return (self.joined_on is None or self.joined_on <= end) and (self.left_on is None or self.left_on >= start)


def check_span(start: datetime.date | None, end: datetime.date | None, *, field: str = "end") -> None:
    """An end is not before its start."""
    if start is not None and end is not None and end < start:
        raise DomainError(_("The end (%(end)s) is before the start (%(start)s).")
                          % {"end": fmt_day(end), "start": fmt_day(start)}, field=field)


def members_on(spans: Iterable[Span], day: datetime.date) -> int:
    """How many members a group has on a day."""
    return sum(1 for s in spans if s.holds(day))


def check_attendance(attendance: int, members: int, day: datetime.date) -> None:
    """A session's attendance is at least 0 and at most the group's members on its date."""
    if attendance < 0:
        raise DomainError(_("The attendance cannot be negative."), field="attendance")
    if attendance > members:
        raise DomainError(_("The attendance (%(attendance)s) is above the group's members on %(day)s "
                            "(%(members)s).") % {"attendance": attendance, "members": members,
                                                  "day": fmt_day(day)}, field="attendance")


def check_participants(participants: int) -> None:
    if participants < 0:
        raise DomainError(_("The number of participants cannot be negative."), field="participants")


# ---- the social taxi ----------------------------------------------------------------------------------------------
class Destination(models.TextChoices):
    MEDICAL = "medical", gettext_lazy("Medical institution")
    SOCIAL = "social", gettext_lazy("Social institution")
    PENSION_FUND = "pension_fund", gettext_lazy("Pension fund")
    SHOPPING = "shopping", gettext_lazy("Shopping")
    STATION = "station", gettext_lazy("Station")
    OTHER = "other", gettext_lazy("Other")


@dataclass(frozen=True)
class TaxiTariff:
    """The taxi's price from a date: a trip within the district costs `per_trip`; outside it, `per_trip` plus
    `per_km` for every kilometre."""

    valid_from: datetime.date
    per_trip: Decimal
    per_km: Decimal


def tariff_on(tariffs: Iterable[TaxiTariff], day: datetime.date) -> TaxiTariff | None:
    """The tariff in force on a day: the latest one starting on or before it."""
    best = None
    for t in tariffs:
        if t.valid_from <= day and (best is None or t.valid_from > best.valid_from):
            best = t
    return best


def taxi_fee(tariff: TaxiTariff | None, day: datetime.date, km: Decimal | None, out_of_district: bool) -> Decimal:
    """The fee of a trip by the tariff of its date, rounded half-up to kopecks once."""
    if tariff is None:
        raise DomainError(_("No taxi tariff is in force on %(day)s: give the amount or add a tariff.")
                          % {"day": fmt_day(day)}, field="amount")
    if km is not None and km < 0:
        raise DomainError(_("The distance cannot be negative."), field="km")
    fee = tariff.per_trip
    if out_of_district:
        if km is None:
            raise DomainError(_("A trip outside the district needs its distance."), field="km")
        fee += tariff.per_km * km
    return fee.quantize(CENT, rounding=ROUND_HALF_UP)


# ---- the rental point of technical aids (issue 13) ----------------------------------------------------------------
class AidKind(models.TextChoices):
    WHEELCHAIR = "wheelchair", gettext_lazy("Wheelchair")
    WALKER = "walker", gettext_lazy("Walker")
    CRUTCHES = "crutches", gettext_lazy("Crutches")
    CANE = "cane", gettext_lazy("Cane")
    BED = "bed", gettext_lazy("Functional bed")
    TOILET_CHAIR = "toilet_chair", gettext_lazy("Toilet chair")
    OTHER = "other", gettext_lazy("Other")


@dataclass(frozen=True)
class Loan:
    """A rental's dates: the item is out from `issued_on` up to `returned_on` (None: still out). The day of the
    return is free again: an item returned on a day may be issued to someone else on that day."""

    issued_on: datetime.date
    returned_on: datetime.date | None

    def overlaps(self, other: Loan) -> bool:
        if self.issued_on == other.issued_on:
            return True
        return ((other.returned_on is None or self.issued_on < other.returned_on)
                and (self.returned_on is None or other.issued_on < self.returned_on))

    def out_on(self, day: datetime.date) -> bool:
        """Out at the end of this day: issued on or before it and not returned by then."""
        return self.issued_on <= day and (self.returned_on is None or self.returned_on > day)


def check_return(issued_on: datetime.date, returned_on: datetime.date | None, *, field: str = "returned_on") -> None:
    """A return is not before the issue."""
    if returned_on is not None and returned_on < issued_on:
        raise DomainError(_("The return (%(returned)s) is before the issue (%(issued)s).")
                          % {"returned": fmt_day(returned_on), "issued": fmt_day(issued_on)}, field=field)


def check_due(issued_on: datetime.date, due_on: datetime.date | None) -> None:
    """The expected return is not before the issue."""
    if due_on is not None and due_on < issued_on:
        raise DomainError(_("The expected return (%(due)s) is before the issue (%(issued)s).")
                          % {"due": fmt_day(due_on), "issued": fmt_day(issued_on)}, field="due_on")


def check_rental_amount(amount: Decimal) -> None:
    if amount < 0:
        raise DomainError(_("The amount cannot be negative."), field="amount")


def check_free(loan: Loan, others: Iterable[Loan]) -> None:
    """An item is not issued twice at once: the new loan overlaps none of the item's other loans."""
    for other in others:
        if loan.overlaps(other):
            since = fmt_day(other.issued_on)
            if other.returned_on is None:
                message = _("The item is out since %(since)s and not returned yet.") % {"since": since}
            else:
                message = _("The item is out from %(since)s to %(until)s.") % {
                    "since": since, "until": fmt_day(other.returned_on)}
            raise DomainError(message, field="issued_on")


def is_overdue(due_on: datetime.date | None, returned_on: datetime.date | None, today: datetime.date) -> bool:
    """Overdue: an expected return date was set, it has passed, and the item is not back."""
    return due_on is not None and returned_on is None and due_on < today


# ---- volunteers (issue 13) ----------------------------------------------------------------------------------------
class VolunteerKind(models.TextChoices):
    STUDENT = "student", gettext_lazy("Student")
    SILVER = "silver", gettext_lazy("Silver volunteer")
    CORPORATE = "corporate", gettext_lazy("Corporate volunteer")
    OTHER = "other", gettext_lazy("Other")


DAY_HOURS = Decimal("24")


def check_hours(hours: Decimal | None, already: Decimal = Decimal("0"), day: datetime.date | None = None) -> None:
    """A piece of work lasts more than 0 and at most 24 hours (or is not counted in hours: None), and a
    volunteer's hours of one date (`already`: the other work of that date) add up to at most 24."""
    if hours is None:
        return
    if hours <= 0:
        raise DomainError(_("The hours must be above zero."), field="hours")
    if hours > DAY_HOURS:
        raise DomainError(_("The hours (%(hours)s) are over 24 a day.") % {"hours": fmt_number(hours)}, field="hours")
    if hours + already > DAY_HOURS:
        raise DomainError(_("The volunteer's hours of %(day)s (%(total)s) are over 24 a day.")
                          % {"day": fmt_day(day) if day else "", "total": fmt_number(hours + already)}, field="hours")
# ---- day-stay shifts and the mobile brigade -----------------------------------------------------------------------
def check_shift(start: datetime.date, end: datetime.date, capacity: int | None) -> None:
    """A shift ends on or after its start (start = end: a one-day shift); a capacity, when given, is at least 1."""
    check_span(start, end)
    if capacity is not None and capacity < 1:
        raise DomainError(_("The capacity must be at least 1 (or left empty)."), field="capacity")


def check_shift_enrolment(*, shift_code: str, shift_department_id: object, start: datetime.date,
                          end: datetime.date, department_id: object, admitted_on: datetime.date,
                          discharged_on: datetime.date | None) -> None:
    """An enrolment can be for a shift of its own department whose dates meet its period of service: admitted on
    or before the shift's last day and not discharged before its first day."""
    if department_id != shift_department_id:
        raise DomainError(_("The enrolment is of another department than the shift «%(code)s».")
                          % {"code": shift_code}, field="shift")
    if admitted_on > end or (discharged_on is not None and discharged_on < start):
        raise DomainError(_("The enrolment's dates (%(admitted)s – %(discharged)s) do not meet the shift «%(code)s» "
                            "(%(start)s – %(end)s).")
                          % {"admitted": fmt_day(admitted_on), "discharged": fmt_day(discharged_on)
                             if discharged_on else "…", "code": shift_code, "start": fmt_day(start),
                             "end": fmt_day(end)}, field="shift")


def check_capacity(shift_code: str, capacity: int | None, people: int) -> None:
    """A shift takes at most its capacity (an error, not a warning: the intake is planned to its places)."""
    if capacity is not None and people > capacity:
        raise DomainError(_("The shift «%(code)s» has %(capacity)s places; %(people)s enrolments would exceed them.")
                          % {"code": shift_code, "capacity": capacity, "people": people}, field="shift")


def check_trip_line(trip_code: str, trip_date: datetime.date, line_date: datetime.date) -> None:
    """A journal line delivered on a brigade trip is dated the trip's day."""
    if line_date != trip_date:
        raise DomainError(_("The line is dated %(line)s, the trip «%(code)s» %(trip)s.")
                          % {"line": fmt_day(line_date), "code": trip_code, "trip": fmt_day(trip_date)},
                          field="trip")
