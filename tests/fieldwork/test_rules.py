"""fieldwork/rules.py and the register's rule in people/rules.py: worked examples with known answers."""

from __future__ import annotations

import datetime

import pytest

from opora.fieldwork import rules
from opora.fieldwork.rules import RegisterFamily, VisitFacts
from opora.lib.errors import DomainError
from opora.people.rules import family_register_errors, on_family_register

D = datetime.date


def test_it_puts_a_family_on_the_register_on_its_registration_day_and_off_on_its_removal_day():
    assert not on_family_register(D(2020, 3, 1), None, D(2020, 2, 29))
    assert on_family_register(D(2020, 3, 1), None, D(2020, 3, 1))
    assert on_family_register(D(2020, 3, 1), D(2020, 12, 31), D(2020, 12, 30))
    assert not on_family_register(D(2020, 3, 1), D(2020, 12, 31), D(2020, 12, 31))
    assert not on_family_register(None, None, D(2020, 3, 1))


def test_it_refuses_a_removal_before_the_registration_and_a_reason_without_a_date():
    assert set(family_register_errors(D(2020, 3, 1), D(2020, 2, 1), "own_request")) == {"deregistered_on"}
    assert set(family_register_errors(D(2020, 3, 1), D(2020, 4, 1), "")) == {"deregistration_reason"}
    assert set(family_register_errors(D(2020, 3, 1), None, "moved_away")) == {"deregistration_reason"}
    assert set(family_register_errors(None, D(2020, 4, 1), "moved_away")) == {"deregistered_on"}
    assert family_register_errors(D(2020, 3, 1), D(2020, 3, 1), "moved_away") == {}


def test_it_counts_the_register_on_its_boundary_days():
    start, end = D(2020, 1, 1), D(2020, 12, 31)
    families = [
        RegisterFamily(D(2019, 5, 1), None, 3, ("family_large",)),             # start and end
        RegisterFamily(D(2019, 5, 1), D(2020, 1, 1), 2, ("family_low_income",)),  # start; removed on day one
        RegisterFamily(D(2019, 12, 31), D(2020, 12, 31), 1, ()),                 # start; removed on the last day
        RegisterFamily(D(2020, 1, 1), None, 4, ("family_large", "family_sop")),  # registered on day one
        RegisterFamily(D(2020, 12, 31), None, 2, ("family_sop",)),               # registered on the last day
        RegisterFamily(D(2018, 1, 1), D(2019, 12, 31), 5, ("family_large",)),    # off before the start
        RegisterFamily(D(2021, 1, 1), None, 5, ()),                               # after the period
    ]
    f = rules.register_figures(families, start, end)
    assert (f.start, f.registered, f.deregistered, f.end, f.children_end) == (3, 2, 2, 3, 9)
    assert f.start + f.registered - f.deregistered == f.end
    assert f.by_category == {"family_large": (2, 7), "family_sop": (2, 6)}


def test_it_counts_a_household_once_whether_visited_as_a_family_or_as_a_person():
    assert rules.household(7, None, None) == ("family", 7)
    assert rules.household(None, 12, 7) == ("family", 7)
    assert rules.household(None, 12, None) == ("person", 12)
    assert rules.household(None, None, None) is None
    visits = [VisitFacts("fire_safety", rules.household(7, None, None), 3),
              VisitFacts("fire_safety", rules.household(None, 12, 7), 1),
              VisitFacts("fire_safety", rules.household(None, 13, None), 1),
              VisitFacts("patronage", rules.household(7, None, None), 2),
              VisitFacts("raid", None, 4)]
    assert rules.visit_figures(visits) == {
        "fire_safety": {"visits": 3, "households": 2, "people": 5},
        "patronage": {"visits": 1, "households": 1, "people": 2},
        "raid": {"visits": 1, "households": 0, "people": 4},
    }


def test_it_counts_the_categories_of_the_equipped_households_once_each():
    equipped = [("family", 1), ("family", 1), ("person", 5), ("family", 2)]
    cats = {("family", 1): ["family_large", "family_large"], ("person", 5): ["pensioner", "disabled_2"],
            ("family", 2): ["family_large"]}
    all_row, by_category = rules.fire_safety_figures([("family", 1), ("person", 9)], equipped, 7, cats)
    assert all_row == {"households_visited": 2, "households_equipped": 3, "detectors": 7}
    assert by_category == {"family_large": 2, "pensioner": 1, "disabled_2": 1}


def test_it_refuses_a_visit_to_a_family_and_a_person_that_do_not_belong_together():
    with pytest.raises(DomainError) as e:
        rules.check_visit(kind="patronage", family_id=1, recipient_id=2, person_family_ids={3}, settlement_id=None)
    assert e.value.field == "recipient"
    rules.check_visit(kind="patronage", family_id=1, recipient_id=2, person_family_ids={3, 1}, settlement_id=None)


def test_it_lets_only_a_raid_or_a_reception_name_just_a_settlement():
    rules.check_visit(kind="raid", family_id=None, recipient_id=None, person_family_ids=(), settlement_id=4)
    rules.check_visit(kind="field_reception", family_id=None, recipient_id=None, person_family_ids=(),
                      settlement_id=4)
    with pytest.raises(DomainError) as e:
        rules.check_visit(kind="patronage", family_id=None, recipient_id=None, person_family_ids=(), settlement_id=4)
    assert e.value.field == "family"
    with pytest.raises(DomainError) as e:
        rules.check_visit(kind="raid", family_id=None, recipient_id=None, person_family_ids=(), settlement_id=None)
    assert e.value.field == "settlement"
    with pytest.raises(DomainError) as e:
        rules.check_visit(kind="picnic", family_id=1, recipient_id=None, person_family_ids=(), settlement_id=None)
    assert e.value.field == "kind"


@pytest.mark.parametrize(("release", "outcome", "checked", "field"), [
    (D(2020, 5, 1), "pending", None, "outcome"),           # the date has passed, no check
    (D(2020, 6, 1), "pending", D(2020, 5, 20), "checked_on"),  # pending with a check date
    (D(2020, 5, 1), "arrived", None, "checked_on"),        # a check without its date
    (D(2020, 5, 1), "arrived", D(2020, 3, 31), "checked_on"),  # checked before received
    (D(2020, 5, 1), "vanished", D(2020, 5, 2), "outcome"),
])
def test_it_refuses_a_notice_that_cannot_be_true(release, outcome, checked, field):
    with pytest.raises(DomainError) as e:
        rules.check_notice(received_on=D(2020, 4, 1), release_date=release, outcome=outcome, checked_on=checked,
                           today=D(2020, 5, 25))
    assert e.value.field == field


def test_it_accepts_a_pending_notice_whose_release_is_today_or_ahead_and_a_checked_one():
    today = D(2020, 5, 25)
    rules.check_notice(received_on=D(2020, 4, 1), release_date=today, outcome="pending", checked_on=None, today=today)
    rules.check_notice(received_on=D(2020, 4, 1), release_date=D(2020, 5, 1), outcome="not_arrived",
                       checked_on=D(2020, 5, 10), today=today)


def test_it_counts_the_notices_by_outcome():
    assert rules.notice_figures([("arrived", True), ("arrived", False), ("not_arrived", False), ("moved", False),
                                 ("pending", False)]) == {
        "notices": 5, "arrived": 2, "not_arrived": 1, "moved": 1, "pending": 1, "registered": 1}
