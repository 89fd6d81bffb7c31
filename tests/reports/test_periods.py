"""Report periods: parsing with errors naming the parameter, the previous year, months, labels, comparisons."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from opora.lib.periods import (
    PERIOD_CODES,
    Period,
    PeriodError,
    change,
    change_pct,
    parse_period,
    round2,
    share_pct,
)

D = datetime.date


@pytest.mark.parametrize("code, start, end", [
    ("year", D(2020, 1, 1), D(2020, 12, 31)),
    ("q1", D(2020, 1, 1), D(2020, 3, 31)),
    ("q4", D(2020, 10, 1), D(2020, 12, 31)),
    ("h1", D(2020, 1, 1), D(2020, 6, 30)),
    ("h2", D(2020, 7, 1), D(2020, 12, 31)),
    ("9m", D(2020, 1, 1), D(2020, 9, 30)),
    ("m02", D(2020, 2, 1), D(2020, 2, 29)),
    ("m12", D(2020, 12, 1), D(2020, 12, 31)),
])
def test_it_parses_the_period_of_a_year(code, start, end):
    p = parse_period({"year": "2020", "period": code})
    assert (p.start, p.end) == (start, end)
    assert p.code == code
    assert parse_period(p.params()) == p


def test_it_defaults_to_the_whole_year_and_parses_a_range():
    assert parse_period({"year": "2020"}) == Period.year_of(2020)
    p = parse_period({"start": "2020-03-01", "end": "2020-04-15", "year": "2019"})
    assert (p.kind, p.start, p.end, p.days) == ("range", D(2020, 3, 1), D(2020, 4, 15), 46)


@pytest.mark.parametrize("params, field", [
    ({}, "year"),
    ({"year": "20x0"}, "year"),
    ({"year": "1900"}, "year"),
    ({"year": "2020", "period": "q5"}, "period"),
    ({"year": "2020", "period": "m13"}, "period"),
    ({"start": "2020-03-01"}, "end"),
    ({"end": "2020-03-01"}, "start"),
    ({"start": "2020-02-30", "end": "2020-03-01"}, "start"),
    ({"start": "2020-03-01", "end": "01.04.2020"}, "end"),
    ({"start": "2020-03-01", "end": "2020-02-01"}, "end"),
])
def test_it_names_the_bad_parameter(params, field):
    with pytest.raises(PeriodError) as exc:
        parse_period(params)
    assert exc.value.field == field
    assert exc.value.message


def test_it_finds_the_same_period_of_the_previous_year():
    assert Period.from_code(2020, "q3").previous_year() == Period.from_code(2019, "q3")
    assert Period.from_code(2020, "9m").previous_year() == Period.nine_months_of(2019)
    assert Period.month_of(2020, 2).previous_year().end == D(2019, 2, 28)
    r = Period.range_of(D(2020, 2, 29), D(2020, 3, 10)).previous_year()
    assert (r.start, r.end) == (D(2019, 2, 28), D(2019, 3, 10))


def test_it_lists_the_months_covered():
    assert Period.from_code(2020, "q2").months() == [D(2020, 4, 1), D(2020, 5, 1), D(2020, 6, 1)]
    assert len(Period.year_of(2020).months()) == 12
    r = Period.range_of(D(2019, 12, 15), D(2020, 2, 3))
    assert r.months() == [D(2019, 12, 1), D(2020, 1, 1), D(2020, 2, 1)]
    assert not r.whole_months and Period.from_code(2020, "h1").whole_months


def test_it_labels_periods_in_the_active_language():
    with translation.override("en"):
        assert Period.year_of(2020).label() == "Year 2020"
        assert Period.quarter_of(2020, 1).label() == "Q1 2020"
        assert Period.half_of(2020, 2).label() == "H2 2020"
        assert Period.nine_months_of(2020).label() == "9 months of 2020"
        assert Period.month_of(2020, 1).label() == "January 2020"
    with translation.override("ru"):
        assert Period.month_of(2020, 1).label().startswith("январь")  # Django's own month names
        assert Period.range_of(D(2020, 3, 1), D(2020, 4, 15)).label() == "01.03.2020 – 15.04.2020"
    assert len(PERIOD_CODES) == 20


def test_it_compares_with_the_previous_year():
    assert change(521491, 456727) == 64764
    assert round2(change_pct(521491, 456727)) == Decimal("14.18")
    assert change_pct(5, 0) is None and change_pct(None, 3) is None and change(None, 1) is None
    assert change_pct(Decimal("90.00"), Decimal("100.00")) == Decimal("-10")
    assert round2(share_pct(521491, 446000)) == Decimal("116.93")
    assert round2(share_pct(3807, 4544)) == Decimal("83.78")
    assert round2(Decimal("116.925")) == Decimal("116.93")
    assert share_pct(1, 0) is None
