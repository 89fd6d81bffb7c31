"""Deadlines in working days: the pure counting, and the production calendar of a Russian organisation."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opora.lib.workdays import WorkCalendar, add_working_days, is_working_day, working_days_between
from opora.org.calendar import calendar_for
from opora.org.models import CalendarDay, Organisation

D = datetime.date


def _org(region: str = "", jurisdiction: str = "ru") -> Organisation:
    return Organisation.objects.create(code=f"o{Organisation.objects.count()}", name="Центр", region=region,
                                       jurisdiction=jurisdiction)


def test_it_counts_from_the_day_after_receipt_across_a_weekend():
    # Thursday 9 Jan 2025 (no holidays in this bare calendar): Fri 10, Mon 13, Tue 14, Wed 15, Thu 16.
    assert add_working_days(D(2025, 1, 9), 5) == D(2025, 1, 16)
    # Received on a Saturday: Mon..Fri of the next week.
    assert add_working_days(D(2025, 1, 11), 5) == D(2025, 1, 17)
    assert add_working_days(D(2025, 1, 11), 0) == D(2025, 1, 11)


def test_it_skips_holidays_and_counts_working_weekends():
    holidays = {D(2025, 1, 13)}
    working = {D(2025, 1, 11)}
    assert not is_working_day(D(2025, 1, 13), holidays, working)
    assert is_working_day(D(2025, 1, 11), holidays, working)
    # Fri 10 → Sat 11 (working), Tue 14, Wed 15, Thu 16, Fri 17.
    assert add_working_days(D(2025, 1, 10), 5, holidays, working) == D(2025, 1, 17)
    assert working_days_between(D(2025, 1, 10), D(2025, 1, 17), holidays, working) == 5


def test_it_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 10), -1)


@given(st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31)), st.integers(min_value=0, max_value=40),
       st.sets(st.dates(min_value=D(2019, 1, 1), max_value=D(2031, 3, 1)), max_size=20))
def test_it_is_consistent_between_adding_and_counting(start, n, holidays):
    cal = WorkCalendar(holidays=frozenset(holidays))
    due = cal.add_working_days(start, n)
    assert cal.working_days_between(start, due) == n
    assert cal.working_days_between(due, start) == -n
    assert n == 0 or cal.is_working_day(due)


@pytest.mark.django_db
def test_it_knows_the_new_year_holidays_so_the_deadline_moves_past_them():
    cal = calendar_for(_org())
    # Mon 30 Dec 2019: Tue 31 Dec, then 1–8 Jan are holidays: Thu 9, Fri 10, Mon 13, Tue 14.
    assert cal.add_working_days(D(2019, 12, 30), 5) == D(2020, 1, 14)
    # Across the weekend and the 2020 moved days off (4, 5 May; 11 May).
    assert cal.add_working_days(D(2020, 4, 29), 5) == D(2020, 5, 12)
    # 2026 (today's year): 1–9 Jan off, Mon 12 Jan is the first working day.
    assert cal.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 12)


@pytest.mark.django_db
def test_it_counts_the_working_saturday_of_2021():
    cal = calendar_for(_org())
    assert cal.is_working_day(D(2021, 2, 20))
    assert not cal.is_working_day(D(2021, 2, 22))
    # Thu 18 Feb: Fri 19, Sat 20 (working), Mon 22 and Tue 23 off, Wed 24, Thu 25, Fri 26.
    assert cal.add_working_days(D(2021, 2, 18), 5) == D(2021, 2, 26)


@pytest.mark.django_db
def test_it_lets_a_region_override_the_general_calendar():
    CalendarDay.objects.create(region="Республика Татарстан", date=D(2020, 8, 31), is_working=False,
                               name="День Республики")
    CalendarDay.objects.create(region="Республика Татарстан", date=D(2020, 1, 8), is_working=True, name="")
    general = calendar_for(_org())
    regional = calendar_for(_org("Республика Татарстан"))
    assert general.is_working_day(D(2020, 8, 31))
    assert not regional.is_working_day(D(2020, 8, 31))
    assert not general.is_working_day(D(2020, 1, 8))
    assert regional.is_working_day(D(2020, 1, 8))
    assert not calendar_for(_org("Другой регион")).is_working_day(D(2020, 1, 8))
