"""The recipient-status rule (people/rules.py): worked examples, without the database."""

from __future__ import annotations

import datetime

import pytest

from opora.core.reference import DischargeReason
from opora.people import rules
from opora.people.rules import RecipientStatus

D = datetime.date
OPEN = (None, "")


@pytest.mark.parametrize(("periods", "expected"), [
    # never enrolled: registered only (an application, a family member)
    ([], RecipientStatus.INACTIVE),
    # one open enrolment
    ([OPEN], RecipientStatus.ACTIVE),
    # discharged at their own request: off service
    ([(D(2020, 3, 31), DischargeReason.OWN_REQUEST)], RecipientStatus.INACTIVE),
    # a transfer: discharged from one home-care department, open in another
    ([(D(2020, 3, 31), DischargeReason.OTHER), OPEN], RecipientStatus.ACTIVE),
    # every enrolment closed, for several reasons
    ([(D(2019, 5, 1), DischargeReason.TERM_EXPIRED), (D(2020, 1, 9), DischargeReason.MOVED_AWAY)],
     RecipientStatus.INACTIVE),
    # died: deceased, even with another enrolment still open (an import of an inconsistent history)
    ([(D(2020, 6, 2), DischargeReason.DEATH), OPEN], RecipientStatus.DECEASED),
    ([(D(2019, 5, 1), DischargeReason.OWN_REQUEST), (D(2020, 6, 2), DischargeReason.DEATH)],
     RecipientStatus.DECEASED),
    # a court declaring the person missing or dead is not "death": the record stays off service, not deceased
    ([(D(2020, 6, 2), DischargeReason.COURT_RULING)], RecipientStatus.INACTIVE),
])
def test_it_derives_the_status_from_the_enrolments(periods, expected):
    assert rules.recipient_status(periods) == expected


def test_it_compares_with_the_reason_code_stored_in_the_database():
    # Enrolments read with values_list() carry plain strings: "death" is the code of DischargeReason.DEATH.
    assert rules.recipient_status([(D(2020, 6, 2), "death")]) == RecipientStatus.DECEASED
    assert rules.recipient_status([(D(2020, 6, 2), "own_request")]) == RecipientStatus.INACTIVE


def test_it_lists_only_the_people_whose_stored_status_is_wrong():
    current = {1: "active", 2: "active", 3: "inactive", 4: "inactive", 5: "active", 6: "deceased"}
    periods = {
        1: [OPEN],                                            # right: active
        2: [(D(2020, 3, 1), DischargeReason.OWN_REQUEST)],    # wrong: now inactive
        3: [OPEN, (D(2019, 1, 1), DischargeReason.MOVED_AWAY)],  # wrong: now active
        4: [],                                                # right: inactive
        # 5 has no enrolments at all (absent): inactive, wrong
        6: [(D(2020, 6, 2), DischargeReason.DEATH)],          # right: deceased
    }
    assert rules.status_changes(current, periods) == {
        RecipientStatus.INACTIVE: [2, 5],
        RecipientStatus.ACTIVE: [3],
    }
    assert rules.status_changes({1: "active"}, {1: [OPEN]}) == {}


def test_a_deceased_person_is_not_admitted_again():
    assert rules.may_enrol(RecipientStatus.ACTIVE)
    assert rules.may_enrol(RecipientStatus.INACTIVE)
    assert not rules.may_enrol(RecipientStatus.DECEASED)


def test_death_closes_the_other_enrolments_not_before_they_began():
    assert rules.closes_every_enrolment(DischargeReason.DEATH)
    assert not rules.closes_every_enrolment(DischargeReason.OWN_REQUEST)
    # died on 02.06.2020: an enrolment from 01.03.2020 closes on 02.06.2020; one dated 10.06.2020 (entered ahead)
    # closes on its own admission day
    assert rules.discharge_date_of_other(D(2020, 6, 2), D(2020, 3, 1)) == D(2020, 6, 2)
    assert rules.discharge_date_of_other(D(2020, 6, 2), D(2020, 6, 10)) == D(2020, 6, 10)
