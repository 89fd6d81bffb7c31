"""The rules of programmes (programmes/rules.py): term, deadlines, volume, cost and payment, without the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opora.lib.workdays import WorkCalendar
from opora.programmes import rules
from opora.programmes.rules import Payment, VolumePeriod

D = datetime.date
M = Decimal

# January 2020: 1–8 January are days off (Government decree of 10.07.2019 № 875).
JANUARY_2020 = WorkCalendar(holidays=frozenset(D(2020, 1, d) for d in range(1, 9)))


# --- term and deadlines --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end"), [
    (D(2020, 1, 15), D(2023, 1, 15)),
    (D(2020, 2, 29), D(2023, 2, 28)),  # a leap day: the same day three years on does not exist
    (D(2019, 12, 31), D(2022, 12, 31)),
])
def test_a_programme_runs_and_is_reviewed_within_three_years(start, end):
    assert rules.latest_end(start) == end
    assert rules.review_deadline(start) == end


@pytest.mark.parametrize(("decided", "calendar", "deadline"), [
    # decided on Friday 10.01.2020: 13–17 and 20–24 January, so by Friday 24.01.2020
    (D(2020, 1, 10), JANUARY_2020, D(2020, 1, 24)),
    # decided on 31.12.2019: the New Year holidays do not count (9, 10, 13–17, 20, 21, 22 January)
    (D(2019, 12, 31), JANUARY_2020, D(2020, 1, 22)),
    # on a bare Monday–Friday week the same decision would be due on 14.01.2020
    (D(2019, 12, 31), WorkCalendar(), D(2020, 1, 14)),
])
def test_the_programme_is_due_ten_working_days_after_the_decision(decided, calendar, deadline):
    assert rules.drawing_up_deadline(decided, calendar) == deadline


def test_drawn_up_late_only_after_the_deadline_and_never_without_a_decision():
    assert not rules.drawn_up_late(D(2020, 1, 24), D(2020, 1, 24))
    assert rules.drawn_up_late(D(2020, 1, 25), D(2020, 1, 24))
    assert not rules.drawn_up_late(D(2030, 1, 1), None)


# --- volume --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "months"), [
    (D(2020, 1, 1), D(2020, 12, 31), 12),
    (D(2020, 1, 15), D(2020, 3, 14), 2),
    (D(2020, 1, 15), D(2020, 3, 20), 3),  # a started month counts as a whole one
    (D(2020, 1, 1), D(2020, 1, 5), 1),    # at least one
    (D(2020, 1, 10), D(2022, 12, 31), 36),
])
def test_it_counts_the_months_of_a_term(start, end, months):
    assert rules.months_in_term(start, end) == months


def test_the_monthly_volume_by_period():
    term = (D(2020, 1, 10), D(2020, 12, 31))  # 12 months
    assert rules.monthly_volume(8, VolumePeriod.MONTH, *term) == 8
    # 2 a week: 2 × 52 / 12 = 8⅔ a month, kept exact until the cost is rounded
    assert rules.monthly_volume(2, VolumePeriod.WEEK, *term) == M(2) * 52 / 12
    assert rules.monthly_volume(2, VolumePeriod.WEEK, *term).quantize(M("0.0001")) == M("8.6667")
    # 6 for the whole term over 12 months: 0.5 a month
    assert rules.monthly_volume(6, VolumePeriod.TERM, *term) == M("0.5")
    # the same 6 over 15.01–20.03 (3 months): 2 a month
    assert rules.monthly_volume(6, VolumePeriod.TERM, D(2020, 1, 15), D(2020, 3, 20)) == 2


@pytest.mark.parametrize(("period", "day", "bounds"), [
    (VolumePeriod.WEEK, D(2020, 3, 4), (D(2020, 3, 2), D(2020, 3, 8))),     # a Wednesday: Monday–Sunday
    (VolumePeriod.WEEK, D(2020, 3, 2), (D(2020, 3, 2), D(2020, 3, 8))),     # a Monday
    (VolumePeriod.WEEK, D(2020, 3, 8), (D(2020, 3, 2), D(2020, 3, 8))),     # a Sunday
    (VolumePeriod.WEEK, D(2019, 12, 31), (D(2019, 12, 30), D(2020, 1, 5))),  # across the year
    (VolumePeriod.MONTH, D(2020, 2, 14), (D(2020, 2, 1), D(2020, 2, 29))),  # a leap February
    (VolumePeriod.MONTH, D(2021, 2, 14), (D(2021, 2, 1), D(2021, 2, 28))),
    (VolumePeriod.TERM, D(2020, 6, 1), (D(2020, 1, 10), D(2020, 12, 31))),
])
def test_the_period_a_volume_counts_over(period, day, bounds):
    assert rules.volume_period(period, day, D(2020, 1, 10), D(2020, 12, 31)) == bounds


# --- cost and payment ------------------------------------------------------------------------------------------------

def test_the_monthly_cost_of_the_worked_example():
    # tests/programmes/test_programmes.py's programme, 10.01.2020–31.12.2020: shopping 8 a month at 100, cleaning
    # 2 a week at 40, repair 6 for the term at 300: 800 + 346.666… + 150 = 1 296.67
    term = (D(2020, 1, 10), D(2020, 12, 31))
    lines = [(M(100), rules.monthly_volume(8, VolumePeriod.MONTH, *term)),
             (M(40), rules.monthly_volume(2, VolumePeriod.WEEK, *term)),
             (M(300), rules.monthly_volume(6, VolumePeriod.TERM, *term))]
    assert rules.monthly_cost(lines) == M("1296.67")
    # a service without a tariff on that day costs nothing
    assert rules.monthly_cost([*lines, (None, M(4))]) == M("1296.67")
    assert rules.monthly_cost([]) == M("0.00")


def test_the_cost_is_rounded_once_not_line_by_line():
    # three lines of 0.005 each: rounded each they would give 0.03; the exact sum 0.015 gives 0.02 (half-up)
    third = (M("0.01"), M("0.5"))
    assert rules.kopecks(rules.line_cost(*third)) == M("0.01")
    assert rules.monthly_cost([third, third, third]) == M("0.02")
    assert rules.kopecks(M("0.125")) == M("0.13")  # half-up, not half-even


@given(st.lists(st.tuples(st.one_of(st.none(), st.decimals(min_value=0, max_value=10_000, places=2)),
                          st.integers(min_value=1, max_value=500)), max_size=20))
def test_the_cost_is_the_rounded_exact_sum(lines):
    exact = sum(((tariff or 0) * M(volume) for tariff, volume in lines), M(0))
    cost = rules.monthly_cost((tariff, M(volume)) for tariff, volume in lines)
    assert abs(cost - exact) <= M("0.005")
    assert cost == cost.quantize(M("0.01"))


@pytest.mark.parametrize(("fee", "cost", "payment"), [
    (M("0.00"), M("5000.00"), Payment.FREE),
    (M("750.00"), M("5000.00"), Payment.PARTLY_PAID),     # domain/RULES.md: I = 24 000 → 750 of 5 000
    (M("5000.00"), M("5000.00"), Payment.PAID),           # I = 40 000 → the whole cost
    (M("22500.00"), M("40000.00"), Payment.PARTLY_PAID),  # stationary, I = 30 000
    (M("300.00"), None, Payment.PARTLY_PAID),             # cost unknown: not "paid in full"
])
def test_the_payment_terms_of_a_fee(fee, cost, payment):
    assert rules.payment_for_fee(fee, cost) == payment


# --- the version in force and a contract's terms on a day -------------------------------------------------------------

@dataclass(frozen=True)
class V:
    pk: int
    version: int
    valid_from: datetime.date
    valid_to: datetime.date
    closed_on: datetime.date | None = None


def test_the_version_in_force_on_a_day():
    v1 = V(1, 1, D(2020, 1, 10), D(2020, 12, 31))
    v2 = V(2, 2, D(2020, 6, 1), D(2020, 12, 31))
    assert rules.version_on([v1, v2], D(2020, 1, 9)) is None    # before the programme
    assert rules.version_on([v1, v2], D(2020, 5, 31)) is v1     # the past keeps its version
    assert rules.version_on([v1, v2], D(2020, 6, 1)) is v2      # the revision applies from its own start
    assert rules.version_on([v1, v2], D(2021, 1, 1)) is None    # after the term
    # closed on 15.09.2020 (the chain's closed_on, whichever version carries it): nothing after that day
    closed = V(2, 2, D(2020, 6, 1), D(2020, 12, 31), closed_on=D(2020, 9, 15))
    assert rules.version_on([v1, closed], D(2020, 9, 15)) is closed
    assert rules.version_on([v1, closed], D(2020, 9, 16)) is None
    # a revision with a shorter term ends the programme at its own end
    short = V(3, 2, D(2020, 6, 1), D(2020, 8, 31))
    assert rules.version_on([v1, short], D(2020, 9, 1)) is None


@dataclass(frozen=True)
class A:
    number: int
    valid_from: datetime.date
    payment: str = ""
    monthly_fee: Decimal | None = None
    fee_decision_id: int | None = None


def test_a_contracts_terms_on_a_day_follow_its_amendments():
    # tests/programmes/test_contracts.py's contract: partly paid 300 from 15.01.2020; agreement 1 raises the fee
    # to 420 from 01.04 (fee decision 7); agreement 2 makes it free from 01.09; agreement 3 only describes a change
    amendments = [A(2, D(2020, 9, 1), Payment.FREE), A(1, D(2020, 4, 1), "", M("420.00"), 7), A(3, D(2020, 10, 5))]

    def on(day: datetime.date) -> rules.Terms:
        return rules.terms_on(Payment.PARTLY_PAID, M("300.00"), 5, amendments, day)

    assert (on(D(2020, 3, 31)).fee, on(D(2020, 3, 31)).fee_decision_id, on(D(2020, 3, 31)).amendment) == (
        M("300.00"), 5, None)
    april = on(D(2020, 4, 1))
    assert (april.payment, april.fee, april.fee_decision_id, april.amendment) == (
        Payment.PARTLY_PAID, M("420.00"), 7, amendments[1])
    september = on(D(2020, 9, 1))
    assert (september.payment, september.monthly_fee, september.fee) == (Payment.FREE, 0, 0)
    assert on(D(2020, 10, 5)).amendment is amendments[0]  # the 3rd changes nothing


def test_a_contract_is_in_force_from_its_start_to_its_end_or_termination():
    start, end = D(2020, 1, 15), D(2020, 12, 31)
    assert not rules.contract_in_force(start, end, None, D(2020, 1, 14))
    assert rules.contract_in_force(start, end, None, D(2020, 1, 15))
    assert rules.contract_in_force(start, end, None, D(2020, 12, 31))
    assert not rules.contract_in_force(start, end, None, D(2021, 1, 1))
    assert rules.contract_in_force(start, None, None, D(2030, 1, 1))  # open-ended
    assert rules.contract_in_force(start, end, D(2020, 6, 30), D(2020, 6, 30))
    assert not rules.contract_in_force(start, end, D(2020, 6, 30), D(2020, 7, 1))


@pytest.mark.parametrize("lang, volume, unit, period, text", [
    ("ru", 8, "услуга", "month", "8 услуг в месяц"),
    ("ru", 2, "услуга", "week", "2 услуги в неделю"),
    ("ru", 1, "час", "term", "1 час на весь срок"),
    ("ru", 3, "ведро", "month", "3 ведро в месяц"),  # a unit not known: as stored
    ("uk", 5, "услуга", "month", "5 послуг на місяць"),
    ("en", 1, "услуга", "week", "1 service a week"),
])
def test_a_volume_is_written_with_its_unit_agreeing(lang, volume, unit, period, text):
    from django.utils import translation

    with translation.override(lang):
        assert rules.volume_text(volume, unit, period) == text
