"""The rules of a journal line: eligibility and price. Pure: plain values in, a decision or a Refusal out.

Every way a line comes into being (one line, a visit, the monthly grid, an act of urgent services, the
API, the exchange import, the demo) asks these functions, so each rule and each message exists once:

- urgent: a line of an urgent department or of an urgent service, or a line on an act of urgent services;
- the date is given and not in the future; the quantity is at least 1;
- an urgent line is recorded with an act of urgent services (and needs neither enrolment nor programme);
- any other line needs the person enrolled in the department on the date;
- a basic service needs the programme in force on the date with the service in it, and within the item's
  volume for its period (week, month or the programme's term) unless a reason for exceeding is recorded.
  In *history* (an imported past the organisation kept before its programmes were in Opora) eligibility
  is by enrolment alone: see `programme_applies`;
- an additional service needs a tariff on the date; its amount is tariff × quantity, half-up to kopecks;
  basic and urgent services are free (an additional service on an urgent act is still paid);
- a line equal to an existing one (person, department, service, date, worker) is a duplicate.

A `Refusal` carries the field it is about (the form's field names: recipient, department, service, worker,
date, quantity) and the message translated into the active language.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from opora.programmes.rules import volume_period

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")
URGENT_KIND = "urgent"  # DepartmentKind.URGENT and ServiceType.URGENT
BASIC = "basic"  # ServiceList.BASIC
WEEK, MONTH, TERM = "week", "month", "term"  # programmes.VolumePeriod


@dataclass(frozen=True)
class Refusal:
    """Why a line is refused: the field it is about and the translated message."""

    field: str
    message: str


class LineRefused(Exception):
    def __init__(self, refusal: Refusal):
        super().__init__(refusal.message)
        self.refusal = refusal


def _day(day: datetime.date) -> str:
    return f"{day:%d.%m.%Y}"


# --- the shape of a line ---------------------------------------------------------------------------------------

def is_urgent(department_kind: str, service_type: str, on_urgent_act: bool = False) -> bool:
    """A line is urgent when it is on an act of urgent services, in an urgent department or of an urgent service."""
    return on_urgent_act or department_kind == URGENT_KIND or service_type == URGENT_KIND


def check_date(day: datetime.date | None, today: datetime.date) -> Refusal | None:
    if day is None:
        return Refusal("date", _("Enter the date."))
    if day > today:
        return Refusal("date", future_date_message())
    return None


def future_date_message() -> str:
    return _("The date cannot be in the future.")


MAX_QUANTITY = 10_000  # of one line: bounds the API, the forms and the import alike (no overflow of amounts)


def check_quantity(quantity: int | None) -> Refusal | None:
    if not quantity or quantity < 1:
        return Refusal("quantity", quantity_message())
    if quantity > MAX_QUANTITY:
        return Refusal("quantity", _("The quantity must be at most %(max)s.") % {"max": MAX_QUANTITY})
    return None


def quantity_message() -> str:
    return _("The quantity must be at least 1.")


def check_service_active(active: bool, service: str) -> Refusal | None:
    if not active:
        return Refusal("service", _("The service «%(service)s» is no longer provided.") % {"service": service})
    return None


def other_organisation(field: str) -> Refusal:
    """The line names a department, service, employee or person of another organisation."""
    messages = {
        "recipient": _("This record belongs to another organisation."),
        "department": _("The department belongs to another organisation."),
        "service": _("The service belongs to another organisation."),
        "worker": _("The employee belongs to another organisation."),
    }
    return Refusal(field, messages[field])


# --- eligibility -----------------------------------------------------------------------------------------------

def check_act_keeps_a_line(on_urgent_act: bool, other_lines: int) -> Refusal | None:
    """A numbered act of urgent services never stands empty: its only line is not deleted alone (the act is
    deleted with its lines instead)."""
    if on_urgent_act and other_lines < 1:
        return Refusal("delivery", _("This is the only service of the act of urgent services: delete the act "
                                     "instead."))
    return None


def check_urgent_act(urgent: bool, on_urgent_act: bool) -> Refusal | None:
    """An urgent line exists only on an act of urgent services (the act is the document of urgent help)."""
    if urgent and not on_urgent_act:
        return Refusal("service", _("Urgent services are recorded with an act of urgent services."))
    return None


def enrolled_on(periods: Iterable[tuple[datetime.date, datetime.date | None]], day: datetime.date) -> bool:
    """Whether one of the enrolment periods (admitted, discharged or None) holds the day (both ends included)."""
    return any(admitted <= day and (discharged is None or day <= discharged) for admitted, discharged in periods)


def check_enrolment(enrolled: bool, *, person: str, department: str, day: datetime.date) -> Refusal | None:
    return None if enrolled else not_enrolled(person, department, day)


def not_enrolled(person: str, department: str, day: datetime.date) -> Refusal:
    return Refusal("recipient", _("%(name)s is not enrolled in the department «%(department)s» on %(date)s.")
                   % {"name": person, "department": department, "date": _day(day)})


@dataclass(frozen=True)
class Item:
    """A service of a programme: its volume per period."""

    volume: int
    period: str  # week, month, term


@dataclass(frozen=True)
class ProgrammeTerms:
    """The version of a programme in force on a line's date, as the rules need it."""

    label: str  # "number/version"
    valid_from: datetime.date
    valid_to: datetime.date
    items: dict[int, Item]  # service id → item


def programme_applies(first_programme: datetime.date | None, day: datetime.date, *, history: bool) -> bool:
    """Whether a basic line needs a programme.

    Always, for a line recorded in Opora. For history (the exchange import), only from the organisation's
    first programme kept in Opora on: before it (or when it has none) Opora knows nothing of the centre's
    programmes, and a basic line is eligible by enrolment alone.
    """
    if not history:
        return True
    return first_programme is not None and day >= first_programme


def period_bounds(period: str, terms: ProgrammeTerms, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The volume's period holding the day: its Monday-to-Sunday week, its month, or the programme's term
    (programmes.rules.volume_period, the one definition)."""
    return volume_period(period, day, terms.valid_from, terms.valid_to)


def check_programme(terms: ProgrammeTerms | None, service_id: int, *, person: str, department: str, service: str,
                    day: datetime.date) -> Refusal | None:
    """A basic service needs the programme in force with the service in it."""
    if terms is None:
        return Refusal("service", _(
            "%(name)s has no individual programme for the department «%(department)s» in force on %(date)s: "
            "a basic service needs one."
        ) % {"name": person, "department": department, "date": _day(day)})
    if service_id not in terms.items:
        return Refusal("service", _(
            "The service «%(service)s» is not in the programme № %(programme)s in force on %(date)s."
        ) % {"service": service, "programme": terms.label, "date": _day(day)})
    return None


def check_volume(item: Item, *, period_label: str, delivered: int, quantity: int, reason: str, service: str,
                 start: datetime.date, end: datetime.date) -> Refusal | None:
    """Within the item's volume for the period (counting what was delivered in it), or with a recorded reason."""
    total = delivered + quantity
    if total > item.volume and not reason.strip():
        return Refusal("quantity", _(
            "The programme allows %(volume)s %(period)s of «%(service)s»; %(delivered)s already delivered "
            "from %(start)s to %(end)s, so %(total)s would exceed it. Record the reason for exceeding the volume."
        ) % {"volume": item.volume, "period": period_label, "service": service, "delivered": delivered,
             "start": _day(start), "end": _day(end), "total": total})
    return None


# --- price -----------------------------------------------------------------------------------------------------

def amount(tariff: Decimal, quantity: int) -> Decimal:
    """tariff × quantity, rounded half-up to kopecks."""
    return (tariff * quantity).quantize(KOPECK, rounding=ROUND_HALF_UP)


def check_tariff(tariff: Decimal | None, *, service: str, day: datetime.date) -> Refusal | None:
    if tariff is None:
        return Refusal("service", _("The service «%(service)s» has no tariff on %(date)s.") % {
            "service": service, "date": _day(day)})
    return None


@dataclass(frozen=True)
class Price:
    tariff: Decimal  # copied onto the line (0 without a tariff)
    amount: Decimal  # charged for the line


def price(service_list: str, tariff: Decimal | None, quantity: int, *, service: str,
          day: datetime.date) -> Price | Refusal:
    """The line's tariff and amount: an additional service is paid at its tariff (also on an urgent act);
    a basic one is free (paid, if at all, by the monthly fee), as are urgent services."""
    if service_list == BASIC:
        return Price(tariff if tariff is not None else ZERO, ZERO)
    refusal = check_tariff(tariff, service=service, day=day)
    if refusal is not None:
        return refusal
    assert tariff is not None
    return Price(tariff, amount(tariff, quantity))


# --- duplicates ------------------------------------------------------------------------------------------------

def check_duplicate(exists: bool) -> Refusal | None:
    if exists:
        return Refusal("service", _(
            "A line for this service, person, date and worker already exists: increase its quantity instead."))
    return None


# --- numbers of acts -------------------------------------------------------------------------------------------

def last_numbers(numbers: Iterable[str]) -> dict[int, int]:
    """The last sequence of each year among act numbers of the form N/YYYY (others are ignored)."""
    last: dict[int, int] = {}
    for number in numbers:
        head, _sep, year = number.partition("/")
        if head.isdigit() and len(year) == 4 and year.isdigit():
            last[int(year)] = max(last.get(int(year), 0), int(head))
    return last


# --- the whole line --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """A journal line as the rules see it: names for the messages, ids and codes for the decisions."""

    person: str
    department: str
    department_kind: str
    service_id: int
    service: str
    service_type: str
    service_list: str
    service_active: bool
    day: datetime.date | None
    quantity: int | None
    reason: str = ""
    on_urgent_act: bool = False


@dataclass(frozen=True)
class Facts:
    """What the rules need to know of the rest of the world about a line (looked up by the caller)."""

    today: datetime.date
    enrolled: bool
    tariff: Decimal | None
    programme_needed: bool = True
    programme: ProgrammeTerms | None = None
    delivered: int = 0  # in the volume's period, without this line
    period_label: str = ""
    duplicate: bool = False


def check_shape(line: Line, today: datetime.date) -> list[Refusal]:
    """The checks that need nothing but the line: the date, the quantity, the service provided."""
    return [r for r in (check_service_active(line.service_active, line.service), check_date(line.day, today),
                        check_quantity(line.quantity)) if r is not None]


def decide(line: Line, facts: Facts) -> Price | Refusal:
    """The line's price, or the first rule it breaks (after its shape: see check_shape)."""
    assert line.day is not None and line.quantity is not None
    urgent = is_urgent(line.department_kind, line.service_type, line.on_urgent_act)
    refusal = check_urgent_act(urgent, line.on_urgent_act)
    if refusal is None and not urgent:
        refusal = check_enrolment(facts.enrolled, person=line.person, department=line.department, day=line.day)
        if refusal is None and line.service_list == BASIC and facts.programme_needed:
            refusal = check_programme(facts.programme, line.service_id, person=line.person,
                                      department=line.department, service=line.service, day=line.day)
            if refusal is None:
                assert facts.programme is not None
                item = facts.programme.items[line.service_id]
                start, end = period_bounds(item.period, facts.programme, line.day)
                refusal = check_volume(item, period_label=facts.period_label, delivered=facts.delivered,
                                       quantity=line.quantity, reason=line.reason, service=line.service,
                                       start=start, end=end)
    if refusal is not None:
        return refusal
    result = price(line.service_list, facts.tariff, line.quantity, service=line.service, day=line.day)
    if isinstance(result, Refusal):
        return result
    duplicate = check_duplicate(facts.duplicate)
    return duplicate if duplicate is not None else result
