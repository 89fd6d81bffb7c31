"""The rules of individual programmes and contracts (442-ФЗ art. 16–17, domain/RULES.md). Pure: no ORM, no
models; the production calendar comes in as a ``WorkCalendar``.

- The term: a programme is drawn up for at most 3 years, and reviewed at least every 3 years.
- The deadline: the programme is drawn up within 10 working days of the decision on need (the day of the
  decision not counted).
- The volume of a service is given per week (Monday–Sunday), per calendar month or for the whole term. Its
  monthly volume: a week's × 52/12, a month's as it is, the term's ÷ the months of the term (a started month
  counting as a whole one).
- The monthly cost of a programme: Σ tariff × monthly volume over its services, rounded half-up to kopecks once,
  at the end (a service without a tariff costs 0).
- The payment terms of a fee: 0 → free; at least the programme's cost → paid; otherwise partly paid.
- The version in force on a day, and a contract's terms on a day after its amendments.
- A volume as written: «8 услуг в месяц» (the unit agreeing with the number).

The functions that take programme versions or contract amendments read only their attributes (the Protocols
below), so they take model instances, prefetched, as well as plain objects in the tests.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from opora.lib.dates import add_years, month_bounds, months_in_term
from opora.lib.units import counted
from opora.lib.workdays import WorkCalendar

ZERO = Decimal("0")
CENT = Decimal("0.01")
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12
MAX_TERM_YEARS = 3  # art. 16: the programme is drawn up for at most 3 years …
REVIEW_YEARS = 3  # … and reviewed at least once every 3 years
DRAW_UP_WORKING_DAYS = 10  # art. 16 p. 3: the programme within 10 working days of the decision on need


class VolumePeriod(models.TextChoices):
    WEEK = "week", _("a week")
    MONTH = "month", _("a month")
    TERM = "term", _("for the whole term")


def volume_text(volume: int, unit: str, period: str) -> str:
    """«8 услуг в месяц»: the volume with the service's unit agreeing with it (lib.units) and the period. The
    printed programme and the monthly grid write a volume so."""
    return f"{counted(volume, unit)} {VolumePeriod(period).label}"


class Payment(models.TextChoices):
    FREE = "free", _("Free of charge")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")


# --- the term and the deadlines ---------------------------------------------------------------------------------

def latest_end(valid_from: datetime.date) -> datetime.date:
    """The last day a programme starting on ``valid_from`` may run to (3 years on)."""
    return add_years(valid_from, MAX_TERM_YEARS)


def review_deadline(valid_from: datetime.date) -> datetime.date:
    """The latest review date of a programme (version) applying from ``valid_from``: 3 years on."""
    return add_years(valid_from, REVIEW_YEARS)


def drawing_up_deadline(decided_on: datetime.date, calendar: WorkCalendar) -> datetime.date:
    """The last day to draw up the programme: the 10th working day after the decision on need."""
    return calendar.add_working_days(decided_on, DRAW_UP_WORKING_DAYS)


def drawn_up_late(drawn_up_on: datetime.date, deadline: datetime.date | None) -> bool:
    """Drawn up after the deadline (never late without a decision to count from)."""
    return deadline is not None and drawn_up_on > deadline


# --- volume ------------------------------------------------------------------------------------------------------

def monthly_volume(volume: int | Decimal, period: str, valid_from: datetime.date, valid_to: datetime.date
                   ) -> Decimal:
    """A service's volume per month, exact (not rounded): a week's volume × 52/12, a month's as it is, the
    term's ÷ the months of the programme's term ``valid_from``–``valid_to``."""
    amount = Decimal(volume)
    if period == VolumePeriod.WEEK:
        return amount * WEEKS_PER_YEAR / MONTHS_PER_YEAR
    if period == VolumePeriod.TERM:
        return amount / months_in_term(valid_from, valid_to)
    return amount


def volume_period(period: str, day: datetime.date, valid_from: datetime.date, valid_to: datetime.date
                  ) -> tuple[datetime.date, datetime.date]:
    """The period (first and last day) a volume counts over, around ``day``: the week Monday–Sunday, the calendar
    month, or the programme's whole term."""
    if period == VolumePeriod.WEEK:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if period == VolumePeriod.MONTH:
        return month_bounds(day)
    return valid_from, valid_to


# --- cost and payment ---------------------------------------------------------------------------------------------

def kopecks(amount: Decimal) -> Decimal:
    """Round half-up to kopecks."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_cost(tariff: Decimal | None, volume_a_month: Decimal) -> Decimal:
    """One service's monthly cost, exact: tariff × monthly volume; 0 without a tariff."""
    return (tariff or ZERO) * volume_a_month


def monthly_cost(lines: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal:
    """The monthly cost of a programme from its (tariff, monthly volume) pairs: the exact sum, rounded half-up to
    kopecks once."""
    return kopecks(sum((line_cost(tariff, volume) for tariff, volume in lines), ZERO))


def payment_for_fee(fee: Decimal, cost: Decimal | None) -> Payment:
    """The payment terms a fee decision gives a contract: free, paid (the fee covers the cost) or partly paid."""
    if fee == 0:
        return Payment.FREE
    if cost is not None and fee >= cost:
        return Payment.PAID
    return Payment.PARTLY_PAID


def terms_disagree(payment: str, monthly_fee: Decimal, decision_fee: Decimal, decision_cost: Decimal | None) -> bool:
    """Whether a contract's payment terms (``payment``, ``monthly_fee``) disagree with the fee decision in force
    (its fee, and the terms that fee gives against the programme's cost): «partly paid 500,00» against a decision
    of 0,00 does."""
    return kopecks(Decimal(monthly_fee)) != kopecks(Decimal(decision_fee)) or payment != payment_for_fee(
        Decimal(decision_fee), decision_cost)


# --- the version in force ---------------------------------------------------------------------------------------

class Version(Protocol):
    """What :func:`version_on` reads of a programme version."""

    @property
    def pk(self) -> Any: ...
    @property
    def version(self) -> int: ...
    @property
    def valid_from(self) -> datetime.date: ...
    @property
    def valid_to(self) -> datetime.date: ...
    @property
    def closed_on(self) -> datetime.date | None: ...


V = TypeVar("V", bound=Version)


def version_on(versions: Sequence[V], day: datetime.date) -> V | None:
    """Of one programme's versions (same number), the one that applies on ``day``, or None.

    A revision replaces the previous version from its own ``valid_from`` on, so the version that applies is the
    newest one whose ``valid_from`` is on or before the day; it applies only when the day is also within its term
    (``valid_to``) and not after the day the programme was closed (``closed_on`` of any version of the chain).
    """
    closed = [v.closed_on for v in versions if v.closed_on is not None]
    if closed and day > min(closed):
        return None
    started = [v for v in versions if v.valid_from <= day]
    if not started:
        return None
    chosen = max(started, key=lambda v: (v.version, v.valid_from, v.pk))
    return chosen if chosen.valid_to >= day else None


# --- a contract's terms on a day ---------------------------------------------------------------------------------

class Amendment(Protocol):
    """What :func:`terms_on` reads of a contract amendment."""

    @property
    def number(self) -> int: ...
    @property
    def valid_from(self) -> datetime.date: ...
    @property
    def payment(self) -> str: ...
    @property
    def monthly_fee(self) -> Decimal | None: ...
    @property
    def fee_decision_id(self) -> int | None: ...


@dataclass(frozen=True)
class Terms:
    payment: str
    monthly_fee: Decimal
    fee_decision_id: int | None
    amendment: Amendment | None  # the amendment that set these terms, None for the contract's own

    @property
    def payment_display(self) -> str:
        return str(Payment(self.payment).label)

    @property
    def fee(self) -> Decimal:
        """The monthly fee these terms charge: 0 when free."""
        return ZERO if self.payment == Payment.FREE else self.monthly_fee


def terms_on(payment: str, monthly_fee: Decimal, fee_decision_id: int | None, amendments: Iterable[Amendment],
             day: datetime.date) -> Terms:
    """The payment terms on a day: the contract's own (``payment``, ``monthly_fee``, ``fee_decision_id``), changed
    by each amendment in force by then (ordered by valid_from, then number) that changes the payment or the fee.
    An amendment to free terms sets the fee to 0; one that gives only a fee keeps the payment terms."""
    terms = Terms(payment, monthly_fee, fee_decision_id, None)
    for a in sorted((a for a in amendments if a.valid_from <= day), key=lambda a: (a.valid_from, a.number)):
        if not a.payment and a.monthly_fee is None:
            continue
        new_payment = a.payment or terms.payment
        fee = a.monthly_fee if a.monthly_fee is not None else terms.monthly_fee
        if new_payment == Payment.FREE:
            fee = ZERO
        terms = Terms(new_payment, fee, a.fee_decision_id or terms.fee_decision_id, a)
    return terms


def contract_in_force(valid_from: datetime.date, valid_to: datetime.date | None, terminated_on: datetime.date | None,
                      day: datetime.date) -> bool:
    """A contract is in force from its start to its end (none: open-ended) or its termination, both inclusive."""
    if day < valid_from:
        return False
    if valid_to is not None and day > valid_to:
        return False
    return not (terminated_on is not None and day > terminated_on)
