"""The production calendars of Russia and Ukraine built from the `holidays` package (pure: no database)."""

from __future__ import annotations

import datetime

import pytest

from opora.lib.workdays import WorkCalendar, jurisdiction_calendar, jurisdiction_days

D = datetime.date
YEARS = range(2019, 2028)


@pytest.fixture(scope="module")
def ru() -> WorkCalendar:
    return jurisdiction_calendar("ru", YEARS)


@pytest.fixture(scope="module")
def ua() -> WorkCalendar:
    return jurisdiction_calendar("ua", YEARS)


def test_it_counts_the_working_saturdays_the_government_moved(ru):
    for day in (D(2021, 2, 20), D(2022, 3, 5), D(2024, 4, 27), D(2024, 11, 2), D(2024, 12, 28), D(2025, 11, 1)):
        assert day.weekday() == 5 and ru.is_working_day(day), day
    # …and the weekdays they were moved to are days off.
    for day in (D(2022, 3, 7), D(2024, 4, 29), D(2024, 4, 30), D(2024, 12, 30), D(2024, 12, 31), D(2025, 11, 3)):
        assert day.weekday() < 5 and not ru.is_working_day(day), day


def test_it_knows_the_moves_of_2027(ru):
    assert ru.is_working_day(D(2027, 2, 20))  # Saturday worked…
    assert not ru.is_working_day(D(2027, 2, 22))  # …for Monday 22 February
    assert not ru.is_working_day(D(2027, 11, 5))  # 2 January moved to Friday 5 November
    assert not ru.is_working_day(D(2027, 12, 31))  # 3 January moved to 31 December
    assert ru.is_working_day(D(2027, 1, 11))


def test_it_moves_a_five_day_deadline_past_the_new_year_of_2025(ru):
    # 25.12.2024: Thu 26, Fri 27, Sat 28 (worked), then 29.12–08.01 off, Thu 9, Fri 10.
    assert ru.add_working_days(D(2024, 12, 25), 5) == D(2025, 1, 10)
    # Without the package's calendar (only the Monday–Friday week) it would be New Year's Day.
    assert WorkCalendar().add_working_days(D(2024, 12, 25), 5) == D(2025, 1, 1)


def test_it_gives_ukraine_its_own_calendar_with_holidays_worked_under_martial_law(ru, ua):
    # Before martial law: the Cabinet's moves (8 Jan 2021 off, Saturday 16 Jan worked; 7 Mar 2022 off for 12 Mar).
    assert not ua.is_working_day(D(2021, 1, 8)) and ua.is_working_day(D(2021, 1, 16))
    assert not ua.is_working_day(D(2022, 3, 7)) and ua.is_working_day(D(2022, 3, 12))
    assert not ua.is_working_day(D(2022, 3, 8))
    # Law 2136-IX (in force 24.03.2022): holidays are working days; no day moved for Labour Day on a Sunday.
    for day in (D(2022, 5, 2), D(2022, 5, 9), D(2023, 1, 2), D(2024, 12, 25), D(2025, 1, 1), D(2025, 8, 25)):
        assert ua.is_working_day(day), day
    # Russian holidays are ordinary days in Ukraine, and the other way round.
    assert not ru.is_working_day(D(2025, 1, 8)) and ua.is_working_day(D(2025, 1, 8))
    assert ru.is_working_day(D(2021, 8, 24)) and not ua.is_working_day(D(2021, 8, 24))
    assert ua.add_working_days(D(2024, 12, 25), 5) == D(2025, 1, 1)


def test_it_has_no_day_off_on_a_weekday_in_ukraine_since_2023(ua):
    assert not [d for d in ua.holidays if d.year >= 2023 and d.weekday() < 5]
    assert not [d for d in ua.working_weekends if d.year >= 2023]


def test_it_names_the_days_in_the_countrys_language_unless_asked():
    assert jurisdiction_days("ru", [2024])[D(2024, 12, 31)] == (False, "Выходной (перенесено с 07.01.2024)")
    assert jurisdiction_days("ru", [2024])[D(2024, 12, 28)] == (True, "")
    assert jurisdiction_days("ua", [2021])[D(2021, 8, 24)] == (False, "День незалежності України")
    assert jurisdiction_days("ru", [2024], language="en_US")[D(2024, 6, 12)] == (False, "Russia Day")


def test_it_lets_days_be_set_by_hand(ru):
    changed = ru.overridden({D(2024, 12, 30): True, D(2024, 12, 27): False})
    assert changed.is_working_day(D(2024, 12, 30)) and not changed.is_working_day(D(2024, 12, 27))
    assert ru.is_working_day(D(2024, 12, 27)) and not ru.is_working_day(D(2024, 12, 30))  # unchanged
    # A worked Saturday set back to a day off.
    assert not ru.overridden({D(2024, 12, 28): False}).is_working_day(D(2024, 12, 28))
    assert ru.overridden({}) is ru


def test_it_is_the_bare_week_outside_the_years_asked_for(ru):
    assert ru.is_working_day(D(2018, 1, 8)) and ru.is_working_day(D(2028, 1, 3))
