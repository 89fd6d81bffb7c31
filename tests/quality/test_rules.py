"""Worked examples of quality/rules.py (RULES.md "Independent quality assessment"; EXCHANGE.md Part 2)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from opora.lib.errors import DomainError
from opora.lib.formats import round_half_up
from opora.quality import rules
from opora.quality.rules import Tally, TrainingRecord

D = datetime.date

FACTS = {"info_completeness": 100, "remote_channels": 90, "comfort_conditions": 100, "facility_access": 80,
         "service_access": 60}
# seed 003's style: 719 asked, 716 would recommend
TALLIES = {
    "info_satisfied": Tally(710, 719), "comfort_satisfied": Tally(715, 719), "waiting_ok": Tally(719, 719),
    "access_satisfied": Tally(700, 719), "courtesy_first_contact": Tally(719, 719),
    "courtesy_during": Tally(718, 719), "courtesy_remote": Tally(100, 100), "recommend": Tally(716, 719),
    "schedule_satisfied": Tally(719, 719), "overall_satisfied": Tally(717, 719),
}


def r2(value):
    return round_half_up(value, 2)


def test_it_shares_716_of_719_as_99_58_unrounded():
    p = rules.to_decimal(rules.share(Tally(716, 719)))
    assert p != Decimal("99.58")  # unrounded
    assert str(p).startswith("99.582753")
    assert r2(p) == Decimal("99.58")


def test_it_computes_k1_to_k5_and_s():
    k = rules.nok_scores(TALLIES, FACTS)
    # K1 = 0.3·100 + 0.3·90 + 0.4·(710/719·100) = 30 + 27 + 39.4993… = 96.4993…
    assert r2(k["k1"]) == Decimal("96.50")
    # K2 = 0.3·100 + 0.4·100 + 0.3·(715/719·100) = 70 + 29.8331… = 99.8331…
    assert r2(k["k2"]) == Decimal("99.83")
    # K3 = 0.3·80 + 0.4·60 + 0.3·(700/719·100) = 48 + 29.2072… = 77.2072…
    assert r2(k["k3"]) == Decimal("77.21")
    # K4 = 0.4·100 + 0.4·(718/719·100) + 0.2·100 = 40 + 39.9443… + 20 = 99.9443…
    assert r2(k["k4"]) == Decimal("99.94")
    # K5 = 0.3·99.5827… + 0.2·100 + 0.5·(717/719·100) = 29.8748… + 20 + 49.8609… = 99.7357…
    assert r2(k["k5"]) == Decimal("99.74")
    # S is the mean of the unrounded K: (96.4993 + 99.8331 + 77.2072 + 99.9443 + 99.7357) / 5 = 94.6439…
    assert r2(k["s"]) == Decimal("94.64")
    assert k["s"] == sum(k[f"k{i}"] for i in range(1, 6)) / 5  # type: ignore[operator]


def test_it_takes_k2_half_and_half_without_the_waiting_question():
    tallies = {**TALLIES, "comfort_satisfied": Tally(3, 4), "waiting_ok": Tally(0, 0)}
    facts = {**FACTS, "comfort_conditions": 100}
    assert rules.nok_scores(tallies, facts)["k2"] == Decimal("87.5")  # 0.5·100 + 0.5·75
    tallies["waiting_ok"] = Tally(1, 2)
    assert rules.nok_scores(tallies, facts)["k2"] == Decimal("72.5")  # 0.3·100 + 0.4·50 + 0.3·75


def test_it_leaves_a_criterion_empty_when_its_question_was_not_asked():
    k = rules.nok_scores({**TALLIES, "courtesy_remote": Tally(0, 0)}, FACTS)
    assert k["k4"] is None and k["s"] is None and k["k5"] is not None


def test_it_tallies_answers_ignoring_empty_ones():
    t = rules.tally([{"recommend": True}, {"recommend": False}, {"recommend": None}, {"recommend": 1}])
    assert t["recommend"] == Tally(2, 3)
    assert t["waiting_ok"] == Tally(0, 0)


def test_it_counts_complaints_per_100_recipients():
    assert rules.per_100(3, 719) is not None
    assert r2(rules.per_100(3, 719)) == Decimal("0.42")
    assert rules.per_100(0, 3807) == 0
    assert rules.per_100(1, 0) is None


@pytest.mark.parametrize(("received", "answered", "as_of", "late"), [
    (D(2024, 1, 10), D(2024, 2, 9), D(2024, 12, 31), False),  # day 30
    (D(2024, 1, 10), D(2024, 2, 10), D(2024, 12, 31), True),  # day 31
    (D(2024, 12, 1), None, D(2024, 12, 31), False),  # 30 days unanswered at the period's end
    (D(2024, 11, 30), None, D(2024, 12, 31), True),  # 31 days unanswered
    (D(2024, 11, 30), D(2025, 1, 2), D(2024, 12, 31), True),  # answered after the period: unanswered at its end
    (D(2024, 12, 20), D(2025, 1, 2), D(2024, 12, 31), False),
])
def test_it_finds_late_answers(received, answered, as_of, late):
    assert rules.is_late(received, answered, as_of) is late


def test_it_refuses_an_answer_before_the_receipt_and_a_term_ending_before_it_starts():
    with pytest.raises(DomainError) as e:
        rules.check_answer_date(D(2024, 3, 2), D(2024, 3, 1))
    assert e.value.field == "answered_on"
    with pytest.raises(DomainError) as e:
        rules.check_term(D(2024, 3, 2), D(2024, 3, 1))
    assert e.value.field == "end"


def test_it_refuses_an_answer_outside_0_1_and_points_outside_0_100():
    assert rules.check_answer("recommend", "1") is True
    assert rules.check_answer("recommend", "") is None
    with pytest.raises(DomainError) as e:
        rules.check_answer("recommend", "2")
    assert e.value.field == "recommend"
    assert rules.check_points("service_access", 100) == 100
    with pytest.raises(DomainError) as e:
        rules.check_points("service_access", Decimal("100.5"))
    assert e.value.field == "service_access"


def test_it_counts_distinct_trained_staff_and_hours():
    start, end = D(2020, 1, 1), D(2020, 12, 31)
    records = [
        TrainingRecord(1, "course", D(2020, 2, 1), D(2020, 2, 20), Decimal(72)),
        TrainingRecord(1, "retraining", D(2020, 3, 1), D(2020, 6, 1), Decimal(250)),  # same worker: one trained
        TrainingRecord(2, "course", D(2019, 12, 1), D(2020, 1, 15), Decimal(36)),
        TrainingRecord(3, "course", D(2019, 5, 1), D(2019, 5, 20), Decimal(16)),  # ended last year
        TrainingRecord(4, "higher_education", D(2018, 9, 1), D(2023, 6, 30)),
        TrainingRecord(5, "higher_education", D(2016, 9, 1), D(2020, 6, 30)),  # finished before the year's end
        TrainingRecord(6, "higher_education", D(2021, 9, 1), None),  # not yet started
        TrainingRecord(2, "seminar", D(2020, 4, 2), None, Decimal(4)),  # no end: dated by its start
        TrainingRecord(7, "attestation", D(2020, 5, 5), D(2020, 5, 5)),
        TrainingRecord(7, "award", D(2020, 12, 1), None),
        TrainingRecord(8, "award", D(2021, 1, 10), None),
    ]
    assert rules.training_counts(records, start, end) == {
        "trained": 2, "in_higher_education": 1, "attested": 1, "awarded": 1, "hours": Decimal(362)}
