"""lib/formats.py: numbers, money, percentages, dates and month names in ru, uk and en."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from opora.lib import formats
from opora.lib.formats import (
    NBSP,
    day,
    integer,
    long_day,
    money,
    month_name,
    month_year,
    number,
    percent,
    short_name,
    signed_integer,
    signed_percent,
)


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_ru_and_uk_separate_thousands_with_a_no_break_space(lang):
    assert integer(530487, lang) == f"530{NBSP}487"
    assert integer(1000, lang) == f"1{NBSP}000"
    assert integer(999, lang) == "999"
    assert integer(-1234567, lang) == f"-1{NBSP}234{NBSP}567"
    assert money(Decimal("1234.5"), lang) == f"1{NBSP}234,50"
    assert money(Decimal("0"), lang) == "0,00"
    assert money(Decimal("-1500"), lang) == f"-1{NBSP}500,00"
    assert percent(Decimal("116.92"), lang=lang) == f"116,92{NBSP}%"
    assert signed_percent(Decimal("14.18"), lang=lang) == f"+14,18{NBSP}%"
    assert signed_percent(Decimal("-3.5"), lang=lang) == f"-3,50{NBSP}%"
    assert " " not in money(Decimal("1234567.89"), lang) + percent(Decimal("1234.5"), lang=lang)


def test_en_uses_commas_and_points_and_no_space_before_percent():
    assert integer(530487, "en") == "530,487"
    assert money(Decimal("1234.5"), "en") == "1,234.50"
    assert percent(Decimal("116.92"), lang="en") == "116.92%"
    assert signed_percent(Decimal("14.18"), lang="en") == "+14.18%"
    assert signed_integer(1234, "en") == "+1,234"
    assert signed_integer(-56, "en") == "-56"
    assert signed_integer(0, "en") == "0"


def test_it_rounds_half_up_with_decimals_never_floats():
    assert percent(Decimal("116.925"), lang="ru") == f"116,93{NBSP}%"
    assert percent(116.925, lang="ru") == f"116,93{NBSP}%"  # a float is read through its repr
    assert percent(116.915, lang="ru") == f"116,92{NBSP}%"
    assert money(Decimal("0.005"), "ru") == "0,01"
    assert money(0.005, "ru") == "0,01"
    assert money(Decimal("-0.005"), "ru") == "-0,01"
    assert money(Decimal("1234567.005"), "ru") == f"1{NBSP}234{NBSP}567,01"
    assert money(2.675, "en") == "2.68"  # round(2.675, 2) == 2.67 in binary floats
    assert number(Decimal("1234.56"), 1, "ru") == f"1{NBSP}234,6"
    assert number(Decimal("1.5"), None, "ru") == "1,5"  # None keeps the value's own decimals
    assert signed_percent(Decimal("0.004"), lang="ru") == f"0,00{NBSP}%"  # no sign on a zero


def test_none_is_an_empty_cell_never_a_zero():
    for text in (integer(None), money(None), percent(None), number(None), day(None), signed_percent(None)):
        assert text == ""


def test_the_language_defaults_to_the_active_one():
    with translation.override("ru"):
        assert money(Decimal("1234.5")) == f"1{NBSP}234,50"
        assert month_name(3) == "март"
    with translation.override("uk"):
        assert money(Decimal("1234.5")) == f"1{NBSP}234,50"
        assert month_name(3) == "березень"
    with translation.override("en"):
        assert money(Decimal("1234.5")) == "1,234.50"
        assert month_name(3) == "March"
    assert formats.language("uk-ua") == "uk" and formats.language("be") == "ru"


@pytest.mark.parametrize("lang", ["ru", "uk", "en"])
def test_a_date_is_day_month_year_in_every_language(lang):
    assert day(date(2020, 12, 31), lang) == "31.12.2020"
    assert day(date(2020, 1, 5), lang) == "05.01.2020"


def test_month_names_in_both_cases():
    assert month_name(date(2020, 12, 1), lang="ru") == "декабрь"
    assert month_name(date(2020, 5, 1), genitive=True, lang="ru") == "мая"
    assert month_name(12, lang="uk") == "грудень"
    assert month_name(5, genitive=True, lang="uk") == "травня"
    assert month_name(5, genitive=True, lang="en") == "May"
    assert month_year(date(2020, 12, 1), "ru") == "декабрь 2020"
    assert month_year(date(2020, 12, 1), "uk") == "грудень 2020"
    assert month_year(date(2020, 12, 1), "en") == "December 2020"
    assert long_day(date(2020, 3, 1), "ru") == "«01» марта 2020 г."
    assert long_day(date(2020, 3, 1), "uk") == "«01» березня 2020 р."
    assert long_day(date(2020, 3, 1), "en") == "1 March 2020"
    assert long_day(None, "ru").startswith("«___»")


def test_short_name_gives_the_initials():
    assert short_name("Иванова", "Анна", "Петровна") == "Иванова А. П."
    assert short_name("Smith", "John") == "Smith J."
    assert short_name("Петров") == "Петров"


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_grouping_reads_back_to_the_number(n):
    for lang, sep in (("ru", NBSP), ("en", ",")):
        text = integer(n, lang)
        assert int(text.replace(sep, "")) == n
        groups = text.lstrip("-").split(sep)
        assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_money_is_the_half_up_rounding_of_the_value(value):
    text = money(value, "en").replace(",", "")
    rounded = Decimal(text)
    assert abs(rounded - value) <= Decimal("0.005")
    if abs(rounded - value) == Decimal("0.005"):  # a tie goes away from zero
        assert abs(rounded) > abs(value)
