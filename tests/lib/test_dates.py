"""lib/dates.py: month arithmetic and the reading of dates, with worked examples and properties."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opora.lib.dates import (
    DateFormatError,
    add_months,
    add_years,
    from_month_index,
    month_bounds,
    month_end,
    month_index,
    month_start,
    months_between,
    months_in_term,
    parse_date,
    parse_month,
)

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


def test_it_gives_the_first_and_last_day_of_a_month():
    assert month_start(date(2020, 2, 15)) == date(2020, 2, 1)
    assert month_end(date(2020, 2, 15)) == date(2020, 2, 29)  # leap year
    assert month_end(date(2021, 2, 1)) == date(2021, 2, 28)
    assert month_end(date(2020, 12, 31)) == date(2020, 12, 31)
    assert month_end(date(1900, 2, 10)) == date(1900, 2, 28)  # a century is not leap…
    assert month_end(date(2000, 2, 10)) == date(2000, 2, 29)  # …unless divisible by 400
    assert month_bounds(date(2020, 4, 30)) == (date(2020, 4, 1), date(2020, 4, 30))


@given(days)
def test_it_ends_every_month_on_the_day_before_the_next_month_starts(day):
    end = month_end(day)
    assert end.month == day.month and end.year == day.year
    assert (end + datetime.timedelta(days=1)).day == 1
    assert month_start(day) <= day <= end


def test_it_lists_the_months_between_two_days_inclusive():
    assert months_between(date(2019, 11, 15), date(2020, 2, 10)) == [
        date(2019, 11, 1), date(2019, 12, 1), date(2020, 1, 1), date(2020, 2, 1)]
    assert months_between(date(2020, 3, 31), date(2020, 3, 1)) == [date(2020, 3, 1)]  # the same month
    assert months_between(date(2020, 4, 1), date(2020, 3, 31)) == []


def test_it_adds_months_clamping_the_day():
    assert add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)
    assert add_months(date(2021, 1, 31), 1) == date(2021, 2, 28)
    assert add_months(date(2020, 12, 15), 1) == date(2021, 1, 15)
    assert add_months(date(2020, 1, 15), -1) == date(2019, 12, 15)
    assert add_months(date(2020, 3, 31), -1) == date(2020, 2, 29)
    assert add_months(date(2020, 5, 10), 24) == date(2022, 5, 10)
    assert add_months(date(2020, 5, 10), 0) == date(2020, 5, 10)


@given(days, st.integers(min_value=-600, max_value=600))
def test_adding_and_subtracting_months_comes_back_to_the_day_when_it_exists_in_both(day, n):
    day = day.replace(day=min(day.day, 28))  # every month has the 28th
    assert add_months(add_months(day, n), -n) == day
    assert month_index(add_months(day, n)) - month_index(day) == n


@given(days, st.integers(min_value=-600, max_value=600))
def test_added_months_never_overflow_the_month(day, n):
    later = add_months(day, n)
    assert later.day <= day.day
    assert later.day == day.day or later == month_end(later)


def test_it_adds_years_turning_29_february_into_the_28th():
    assert add_years(date(2020, 2, 29), 1) == date(2021, 2, 28)
    assert add_years(date(2020, 2, 29), -1) == date(2019, 2, 28)
    assert add_years(date(2020, 2, 29), 4) == date(2024, 2, 29)
    assert add_years(date(2020, 3, 1), 3) == date(2023, 3, 1)


@given(days)
def test_a_month_index_is_inverted_by_from_month_index(day):
    assert from_month_index(month_index(day)) == month_start(day)
    assert month_index(date(2020, 1, 1)) - month_index(date(2019, 12, 31)) == 1


def test_it_counts_the_months_of_a_term_a_started_month_as_a_whole():
    assert months_in_term(date(2020, 1, 1), date(2020, 12, 31)) == 12
    assert months_in_term(date(2020, 1, 15), date(2020, 3, 14)) == 2
    assert months_in_term(date(2020, 1, 15), date(2020, 3, 20)) == 3
    assert months_in_term(date(2020, 1, 1), date(2020, 1, 5)) == 1


@pytest.mark.parametrize("text, expected", [
    ("2020-12-31", date(2020, 12, 31)),
    ("31.12.2020", date(2020, 12, 31)),
    (" 05.01.2021 ", date(2021, 1, 5)),
    ("2020-02-29", date(2020, 2, 29)),
])
def test_it_reads_a_date_in_either_form_exchange_allows(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "2020-13-01", "31.02.2020", "2020-1-5", "5.1.2020", "20201231", "005.01.2020",
                                  "2021-02-29", "12/31/2020", "завтра"])
def test_it_refuses_anything_else_with_one_error_type(text):
    with pytest.raises(DateFormatError) as exc:
        parse_date(text)
    assert exc.value.text == text.strip()
    assert isinstance(exc.value, ValueError)


def test_short_accepts_a_day_and_month_without_the_leading_zero():
    assert parse_date("5.1.2021", short=True) == date(2021, 1, 5)
    assert parse_date("05.01.2021", short=True) == date(2021, 1, 5)
    with pytest.raises(DateFormatError):
        parse_date("5.1.2021")  # the exchange format wants DD.MM.YYYY


def test_iso_only_refuses_the_dotted_form():
    assert parse_date("2020-03-01", iso_only=True) == date(2020, 3, 1)
    with pytest.raises(DateFormatError):
        parse_date("01.03.2020", iso_only=True)


@given(days)
def test_both_forms_read_back_what_they_write(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day:%d.%m.%Y}") == day


def test_it_reads_a_month():
    assert parse_month("2020-03") == date(2020, 3, 1)
    assert parse_month("2020-03-15") == date(2020, 3, 1)
    assert parse_month("03.2020") == date(2020, 3, 1)
    for bad in ("", "2020-13", "2020-3", "3.2020", "13.2020", "2020-02-30", "x"):
        with pytest.raises(DateFormatError):
            parse_month(bad)
