"""The pure rules of quality: the independent assessment (НОК, Минтруд order 344н), complaints and appeals
(59-ФЗ: an answer within 30 days), staff development counts. No ORM here.

Shares are computed exactly (fractions) and returned as unrounded Decimals; they are rounded half-up to two
places only when shown (lib/formats.py, the report renderers). Seed 003: 716 of 719 would recommend →
Precommend = 99.5827538… → 99,58.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from django.utils.translation import gettext as _

from opora.lib.errors import DomainError

# The questions of a response, in the order of the exchange file's columns (EXCHANGE.md Part 2).
QUESTIONS: tuple[str, ...] = (
    "info_satisfied", "comfort_satisfied", "waiting_ok", "access_satisfied", "courtesy_first_contact",
    "courtesy_during", "courtesy_remote", "recommend", "schedule_satisfied", "overall_satisfied",
)
# The institution-level points of 344н entered per assessment (0–100 each).
FACTS: tuple[str, ...] = (
    "info_completeness", "remote_channels", "comfort_conditions", "facility_access", "service_access",
)
# The K2 weights without the waiting indicator (RULES.md: configurable; 0.5/0.5 by default).
K2_WITHOUT_WAITING = (Fraction(1, 2), Fraction(1, 2))
# An answer to a complaint or an appeal is due within this many days of its receipt (59-ФЗ art. 12).
ANSWER_DAYS = 30
HUNDRED = Fraction(100)


def to_decimal(value: Fraction | None) -> Decimal | None:
    """A fraction as a Decimal of 28 significant digits (unrounded for any figure shown to two places)."""
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return Decimal(value.numerator) / Decimal(value.denominator)


@dataclass(frozen=True)
class Tally:
    """Answers to one question: how many said 1 among those who answered (0 or 1; an empty answer is not asked)."""

    yes: int = 0
    answered: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.yes + other.yes, self.answered + other.answered)


def share(tally: Tally) -> Fraction | None:
    """P of a question: the share of 1 among its non-empty answers × 100; None when nobody answered."""
    if tally.answered == 0:
        return None
    return Fraction(tally.yes * 100, tally.answered)


def tally(responses: Iterable[Mapping[str, bool | int | None]]) -> dict[str, Tally]:
    """The tallies of every question over responses (each a mapping question → 1, 0 or None)."""
    counts = {q: [0, 0] for q in QUESTIONS}
    for response in responses:
        for q in QUESTIONS:
            value = response.get(q)
            if value is None:
                continue
            counts[q][1] += 1
            counts[q][0] += 1 if value else 0
    return {q: Tally(yes, answered) for q, (yes, answered) in counts.items()}


def check_answer(question: str, value: object) -> bool | None:
    """An answer as stored: 1 → True, 0 → False, empty → None; anything else is a DomainError naming the field."""
    if value is None or value == "":
        return None
    if value in (1, "1", True):
        return True
    if value in (0, "0", False):
        return False
    raise DomainError(_("An answer is 1, 0 or empty, not «%(value)s».") % {"value": value}, field=question)


def check_points(field: str, value: Decimal | int | None) -> Decimal:
    """A 344н point of the institution: a number from 0 to 100."""
    if value is None:
        raise DomainError(_("A value is required."), field=field)
    points = Decimal(value)
    if not points.is_finite() or not Decimal(0) <= points <= Decimal(100):
        raise DomainError(_("The points must be from 0 to 100."), field=field)
    return points


def _points(value: Decimal | int) -> Fraction:
    return Fraction(Decimal(value))


def _weighted(parts: Iterable[tuple[Fraction, Fraction | None]]) -> Fraction | None:
    total = Fraction(0)
    for weight, value in parts:
        if value is None:
            return None
        total += weight * value
    return total


def nok_scores(tallies: Mapping[str, Tally], facts: Mapping[str, Decimal | int]) -> dict[str, Decimal | None]:
    """K1–K5 and S of 344н (RULES.md), unrounded. A criterion whose survey question nobody answered is None
    (and so is S), except K2 without answers to waiting_ok, which takes 0.5·Pcomfort + 0.5·Psatisfied_comfort."""
    p = {q: share(tallies.get(q, Tally())) for q in QUESTIONS}
    f = {k: _points(facts[k]) for k in FACTS}
    w = Fraction
    k1 = _weighted([(w(3, 10), f["info_completeness"]), (w(3, 10), f["remote_channels"]),
                    (w(4, 10), p["info_satisfied"])])
    if p["waiting_ok"] is None:
        a, b = K2_WITHOUT_WAITING
        k2 = _weighted([(a, f["comfort_conditions"]), (b, p["comfort_satisfied"])])
    else:
        k2 = _weighted([(w(3, 10), f["comfort_conditions"]), (w(4, 10), p["waiting_ok"]),
                        (w(3, 10), p["comfort_satisfied"])])
    k3 = _weighted([(w(3, 10), f["facility_access"]), (w(4, 10), f["service_access"]),
                    (w(3, 10), p["access_satisfied"])])
    k4 = _weighted([(w(4, 10), p["courtesy_first_contact"]), (w(4, 10), p["courtesy_during"]),
                    (w(2, 10), p["courtesy_remote"])])
    k5 = _weighted([(w(3, 10), p["recommend"]), (w(2, 10), p["schedule_satisfied"]),
                    (w(5, 10), p["overall_satisfied"])])
    ks = [k for k in (k1, k2, k3, k4, k5) if k is not None]
    s = sum(ks, Fraction(0)) / 5 if len(ks) == 5 else None
    return {"k1": to_decimal(k1), "k2": to_decimal(k2), "k3": to_decimal(k3), "k4": to_decimal(k4),
            "k5": to_decimal(k5), "s": to_decimal(s)}


def per_100(complaints: int, recipients: int) -> Decimal | None:
    """Complaints per 100 recipients: complaints / recipients × 100; None when nobody was served."""
    if recipients <= 0:
        return None
    return to_decimal(Fraction(complaints * 100, recipients))


def answer_due(received_on: datetime.date) -> datetime.date:
    """The last day to answer a complaint or an appeal (30 days after its receipt)."""
    return received_on + datetime.timedelta(days=ANSWER_DAYS)


def is_late(received_on: datetime.date, answered_on: datetime.date | None, as_of: datetime.date) -> bool:
    """Answered more than 30 days after receipt, or still unanswered more than 30 days after receipt on `as_of`
    (an answer given after `as_of` does not count yet)."""
    if answered_on is not None and answered_on <= as_of:
        return (answered_on - received_on).days > ANSWER_DAYS
    return (as_of - received_on).days > ANSWER_DAYS


def check_answer_date(received_on: datetime.date, answered_on: datetime.date | None) -> None:
    if answered_on is not None and answered_on < received_on:
        raise DomainError(_("The answer cannot be dated before the receipt."), field="answered_on")


def check_term(start: datetime.date, end: datetime.date | None) -> None:
    if end is not None and end < start:
        raise DomainError(_("The end cannot be before the start."), field="end")


@dataclass(frozen=True)
class TrainingRecord:
    worker: int | str
    kind: str
    start: datetime.date
    end: datetime.date | None
    hours: Decimal | None = None

    @property
    def dated(self) -> datetime.date:
        """A record is dated by its end; one without an end by its start."""
        return self.end if self.end is not None else self.start


def training_counts(records: Iterable[TrainingRecord], start: datetime.date,
                    end: datetime.date) -> dict[str, int | Decimal]:
    """The staff_training figures of a period (EXCHANGE.md): distinct workers trained (a course or retraining
    ending in the period), in higher education on the period's last day, attested, awarded; Σ hours of the
    records dated in the period."""
    trained: set[int | str] = set()
    studying: set[int | str] = set()
    attested: set[int | str] = set()
    awarded: set[int | str] = set()
    hours = Decimal(0)
    for r in records:
        inside = start <= r.dated <= end
        if inside and r.hours is not None:
            hours += r.hours
        if r.kind == "higher_education":
            if r.start <= end and (r.end is None or r.end >= end):
                studying.add(r.worker)
        elif inside and r.kind in ("course", "retraining"):
            trained.add(r.worker)
        elif inside and r.kind == "attestation":
            attested.add(r.worker)
        elif inside and r.kind == "award":
            awarded.add(r.worker)
    return {"trained": len(trained), "in_higher_education": len(studying), "attested": len(attested),
            "awarded": len(awarded), "hours": hours}


# ---- internal quality checks ------------------------------------------------------------------------------------
def check_quality_check(planned_on: datetime.date, done_on: datetime.date | None, findings: str,
                        today: datetime.date) -> None:
    """A check is planned on a day (any year); done on a day not in the future; findings belong to a check done."""
    if done_on is not None and done_on > today:
        raise DomainError(_("The check cannot be done in the future."), field="done_on")
    if findings.strip() and done_on is None:
        raise DomainError(_("Findings are recorded for a check that was done: give the day it was done."),
                          field="done_on")


@dataclass(frozen=True)
class CheckRecord:
    department: str
    planned_on: datetime.date
    done_on: datetime.date | None
    findings: str = ""


def quality_check_rows(checks: Iterable[CheckRecord], start: datetime.date,
                       end: datetime.date) -> dict[str, dict[str, int]]:
    """Table `quality_checks`: one row per department with a check planned or done in the period (sorted by its
    code), then `all`. planned = checks planned in the period; done = checks done in the period; with_findings =
    of those done in the period, the ones with findings."""
    rows: dict[str, dict[str, int]] = {}
    total = {"planned": 0, "done": 0, "with_findings": 0}
    for c in checks:
        planned = start <= c.planned_on <= end
        done = c.done_on is not None and start <= c.done_on <= end
        if not (planned or done):
            continue
        row = rows.setdefault(c.department, {"planned": 0, "done": 0, "with_findings": 0})
        for target in (row, total):
            target["planned"] += planned
            target["done"] += done
            target["with_findings"] += done and bool(c.findings.strip())
    out = {k: rows[k] for k in sorted(rows)}
    out["all"] = total
    return out
