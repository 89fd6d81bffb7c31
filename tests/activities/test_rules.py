"""Worked examples of activities/rules.py."""

from __future__ import annotations

import datetime

import pytest

from opora.activities import rules
from opora.lib.errors import DomainError

D = datetime.date


def test_it_counts_the_members_on_a_day_with_open_ends_and_the_day_of_leaving():
    spans = [rules.Span(None, None), rules.Span(D(2020, 3, 1), None), rules.Span(D(2020, 1, 1), D(2020, 2, 29)),
             rules.Span(None, D(2020, 1, 31))]
    assert rules.members_on(spans, D(2020, 2, 29)) == 2  # the day of leaving counts; March's not yet
    assert rules.members_on(spans, D(2020, 3, 1)) == 2
    assert rules.members_on(spans, D(2020, 1, 15)) == 3
    assert rules.members_on([], D(2020, 1, 15)) == 0


def test_it_tells_whether_a_membership_overlaps_a_period():
    assert rules.Span(D(2020, 12, 31), None).overlaps(D(2020, 1, 1), D(2020, 12, 31))
    assert not rules.Span(D(2021, 1, 1), None).overlaps(D(2020, 1, 1), D(2020, 12, 31))
    assert not rules.Span(None, D(2019, 12, 31)).overlaps(D(2020, 1, 1), D(2020, 12, 31))


def test_it_refuses_attendance_above_the_members_and_names_the_field():
    rules.check_attendance(3, 3, D(2020, 5, 5))
    with pytest.raises(DomainError) as exc:
        rules.check_attendance(4, 3, D(2020, 5, 5))
    assert exc.value.field == "attendance" and "05.05.2020" in exc.value.message and "(3)" in exc.value.message
    with pytest.raises(DomainError):
        rules.check_attendance(-1, 3, D(2020, 5, 5))


def test_it_refuses_an_end_before_the_start():
    rules.check_span(D(2020, 1, 1), D(2020, 1, 1))
    rules.check_span(None, D(2020, 1, 1))
    with pytest.raises(DomainError) as exc:
        rules.check_span(D(2020, 1, 2), D(2020, 1, 1), field="left_on")
    assert exc.value.field == "left_on" and "01.01.2020" in exc.value.message
