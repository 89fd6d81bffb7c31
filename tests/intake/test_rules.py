"""The rules of intake (intake/rules.py): the status transitions and the decision deadline, without the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from opora.intake import rules
from opora.intake.rules import ApplicationStatus as S
from opora.lib.errors import DomainError
from opora.lib.workdays import WorkCalendar

D = datetime.date

# Russia, the turn of 2024–2025 (Government decree of 10.08.2023 № 1302): Saturday 28.12.2024 is a working day,
# 30 and 31 December and 1–8 January are days off.
NEW_YEAR_2025 = WorkCalendar(
    holidays=frozenset([D(2024, 12, 30), D(2024, 12, 31), *(D(2025, 1, d) for d in range(1, 9))]),
    working_weekends=frozenset([D(2024, 12, 28)]),
)
# January 2020: 1–8 January are days off.
NEW_YEAR_2020 = WorkCalendar(holidays=frozenset(D(2020, 1, d) for d in range(1, 9)))


@pytest.mark.parametrize(("old", "new"), [
    (S.REGISTERED, S.ASSESSMENT), (S.REGISTERED, S.RECOGNISED), (S.REGISTERED, S.REFUSED),
    (S.REGISTERED, S.WITHDRAWN), (S.ASSESSMENT, S.RECOGNISED), (S.ASSESSMENT, S.REFUSED),
    (S.ASSESSMENT, S.WITHDRAWN),
])
def test_it_allows_the_moves_of_the_table(old, new):
    assert rules.may_become(old, new)
    rules.check_transition(old, new)  # does not raise


@pytest.mark.parametrize(("old", "new"), [
    (S.ASSESSMENT, S.REGISTERED),   # no way back
    (S.REGISTERED, S.REGISTERED),   # not a move
    (S.RECOGNISED, S.REFUSED),      # a decision is final
    (S.REFUSED, S.RECOGNISED),
    (S.WITHDRAWN, S.ASSESSMENT),
    (S.REGISTERED, "archived"),     # an unknown status
    ("archived", S.REGISTERED),
])
def test_it_refuses_every_other_move_naming_both_statuses(old, new):
    assert not rules.may_become(old, new)
    with pytest.raises(DomainError) as caught:
        rules.check_transition(old, new)
    assert caught.value.field == "status"
    assert rules.label(old) in str(caught.value.message) and rules.label(new) in str(caught.value.message)


def test_final_statuses_lead_nowhere_and_open_ones_await_a_decision():
    assert {s for s in S if not rules.next_statuses(s)} == {S.RECOGNISED, S.REFUSED, S.WITHDRAWN}
    assert [s for s in S if rules.is_open(s)] == [S.REGISTERED, S.ASSESSMENT]
    assert rules.label("archived") == "archived"


@pytest.mark.parametrize(("received", "calendar", "due"), [
    # docs/architecture.md: received on Friday 10.01.2020, due on Friday 17.01.2020 (13, 14, 15, 16, 17)
    (D(2020, 1, 10), NEW_YEAR_2020, D(2020, 1, 17)),
    # received on a Saturday: the five days start on Monday
    (D(2020, 2, 1), NEW_YEAR_2020, D(2020, 2, 7)),
    # issue 8: 25.12.2024 + 5 working days is 10.01.2025 (26, 27, Saturday 28 December, 9 and 10 January)
    (D(2024, 12, 25), NEW_YEAR_2025, D(2025, 1, 10)),
    # the same day on a bare Monday–Friday week would give 01.01.2025, a holiday
    (D(2024, 12, 25), WorkCalendar(), D(2025, 1, 1)),
])
def test_the_decision_is_due_on_the_fifth_working_day_after_receipt(received, calendar, due):
    assert rules.decision_due(received, calendar) == due


def test_overdue_only_while_open_and_after_the_day_due():
    due = D(2020, 1, 17)
    assert not rules.is_overdue(S.REGISTERED, due, today=D(2020, 1, 17))
    assert rules.is_overdue(S.REGISTERED, due, today=D(2020, 1, 18))
    assert rules.is_overdue(S.ASSESSMENT, due, today=D(2020, 1, 18))
    assert not rules.is_overdue(S.RECOGNISED, due, today=D(2020, 3, 1))


def test_the_deadline_is_met_by_a_decision_on_the_day_due_and_unknown_without_one():
    due = D(2020, 1, 17)
    assert rules.deadline_met(None, due) is None
    assert rules.deadline_met(D(2020, 1, 17), due) is True
    assert rules.deadline_met(D(2020, 1, 20), due) is False


def test_the_level_of_care_need_is_the_scale_row_holding_the_score():
    # the seeded placeholder scale (docs/architecture.md): 0–9 → level 0, 10–17 → 1, 18–25 → 2, 26–36 → 3
    @dataclass(frozen=True)
    class Row:
        level: int
        min_score: int
        max_score: int

    scale = [Row(0, 0, 9), Row(1, 10, 17), Row(2, 18, 25), Row(3, 26, 36)]
    assert [rules.scale_row_for(scale, score).level for score in (0, 9, 10, 17, 18, 25, 26, 36)] == [
        0, 0, 1, 1, 2, 2, 3, 3]
    assert rules.scale_row_for(scale, 37) is None
    assert rules.scale_row_for([Row(0, 0, 9), Row(2, 18, 36)], 12) is None  # a gap in the scale
