"""Worked examples of the journal's rules (delivery/rules.py): no database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from opora.delivery import rules

D = datetime.date
TODAY = D(2024, 6, 15)
TERMS = rules.ProgrammeTerms(
    "7/2", D(2024, 1, 1), D(2024, 12, 31),
    {10: rules.Item(8, rules.MONTH), 11: rules.Item(2, rules.WEEK), 12: rules.Item(5, rules.TERM)})


def line(**changes: object) -> rules.Line:
    values: dict[str, object] = dict(
        person="Иванова Анна Петровна", department="Надомное обслуживание", department_kind="home", service_id=10,
        service="Покупка продуктов", service_type="social_household", service_list="basic", service_active=True,
        day=D(2024, 6, 10), quantity=2, reason="", on_urgent_act=False)
    values.update(changes)
    return rules.Line(**values)  # type: ignore[arg-type]


def facts(**changes: object) -> rules.Facts:
    values: dict[str, object] = dict(today=TODAY, enrolled=True, tariff=Decimal("120.50"), programme=TERMS,
                                     delivered=0, period_label="в месяц", duplicate=False)
    values.update(changes)
    return rules.Facts(**values)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_urgent_by_department_service_or_act():
    assert rules.is_urgent("urgent", "social_household")
    assert rules.is_urgent("home", "urgent")
    assert rules.is_urgent("home", "social_household", on_urgent_act=True)
    assert not rules.is_urgent("home", "social_household")


def test_date_given_and_not_in_the_future():
    assert rules.check_date(TODAY, TODAY) is None
    assert rules.check_date(D(2024, 6, 16), TODAY) == rules.Refusal("date", "The date cannot be in the future.")
    assert rules.check_date(None, TODAY) == rules.Refusal("date", "Enter the date.")


@pytest.mark.parametrize("quantity, ok", [(1, True), (7, True), (0, False), (-1, False), (None, False)])
def test_quantity_at_least_one(quantity, ok):
    refusal = rules.check_quantity(quantity)
    assert (refusal is None) is ok
    if not ok:
        assert refusal == rules.Refusal("quantity", "The quantity must be at least 1.")


def test_shape_collects_every_problem():
    refusals = rules.check_shape(line(day=D(2025, 1, 1), quantity=0, service_active=False), TODAY)
    assert [r.field for r in refusals] == ["service", "date", "quantity"]
    assert refusals[0].message == "The service «Покупка продуктов» is no longer provided."


def test_basic_line_within_volume_is_free():
    assert rules.decide(line(), facts(delivered=6)) == rules.Price(Decimal("120.50"), Decimal("0.00"))


def test_over_volume_needs_a_reason():
    refusal = rules.decide(line(quantity=3), facts(delivered=6))
    assert refusal == rules.Refusal("quantity", (
        "The programme allows 8 в месяц of «Покупка продуктов»; 6 already delivered from 01.06.2024 to 30.06.2024, "
        "so 9 would exceed it. Record the reason for exceeding the volume."))
    assert isinstance(rules.decide(line(quantity=3, reason="выписка из больницы"), facts(delivered=6)), rules.Price)
    assert isinstance(rules.decide(line(quantity=3, reason="   "), facts(delivered=6)), rules.Refusal)


def test_volume_periods():
    assert rules.period_bounds(rules.WEEK, TERMS, D(2024, 6, 13)) == (D(2024, 6, 10), D(2024, 6, 16))
    assert rules.period_bounds(rules.MONTH, TERMS, D(2024, 2, 13)) == (D(2024, 2, 1), D(2024, 2, 29))
    assert rules.period_bounds(rules.MONTH, TERMS, D(2024, 12, 31)) == (D(2024, 12, 1), D(2024, 12, 31))
    assert rules.period_bounds(rules.TERM, TERMS, D(2024, 6, 13)) == (D(2024, 1, 1), D(2024, 12, 31))


def test_basic_service_needs_the_programme_and_the_service_in_it():
    assert rules.decide(line(), facts(programme=None)) == rules.Refusal("service", (
        "Иванова Анна Петровна has no individual programme for the department «Надомное обслуживание» in force on "
        "10.06.2024: a basic service needs one."))
    assert rules.decide(line(service_id=99), facts()) == rules.Refusal(
        "service", "The service «Покупка продуктов» is not in the programme № 7/2 in force on 10.06.2024.")


def test_history_before_the_first_programme_is_eligible_by_enrolment():
    assert not rules.programme_applies(None, D(2019, 3, 1), history=True)
    assert not rules.programme_applies(D(2024, 1, 1), D(2023, 12, 31), history=True)
    assert rules.programme_applies(D(2024, 1, 1), D(2024, 1, 1), history=True)
    assert rules.programme_applies(None, D(2019, 3, 1), history=False)
    assert isinstance(rules.decide(line(), facts(programme=None, programme_needed=False)), rules.Price)
    # enrolment is still needed in history
    assert rules.decide(line(), facts(enrolled=False, programme_needed=False)).field == "recipient"  # type: ignore


def test_not_enrolled():
    assert rules.decide(line(), facts(enrolled=False)) == rules.Refusal("recipient", (
        "Иванова Анна Петровна is not enrolled in the department «Надомное обслуживание» on 10.06.2024."))


def test_enrolment_periods_include_both_ends():
    periods = [(D(2024, 1, 10), D(2024, 3, 31)), (D(2024, 5, 1), None)]
    assert rules.enrolled_on(periods, D(2024, 1, 10))
    assert rules.enrolled_on(periods, D(2024, 3, 31))
    assert not rules.enrolled_on(periods, D(2024, 4, 15))
    assert rules.enrolled_on(periods, D(2030, 1, 1))


def test_additional_service_is_paid_tariff_times_quantity_half_up():
    extra = line(service_list="additional", service_id=50)
    assert rules.decide(extra, facts(tariff=Decimal("120.50"))) == rules.Price(Decimal("120.50"), Decimal("241.00"))
    assert rules.amount(Decimal("0.125"), 1) == Decimal("0.13")  # half-up, not half-even
    assert rules.amount(Decimal("33.335"), 3) == Decimal("100.01")
    assert rules.decide(extra, facts(tariff=None)) == rules.Refusal(
        "service", "The service «Покупка продуктов» has no tariff on 10.06.2024.")


def test_urgent_lines_need_an_act_and_neither_enrolment_nor_programme():
    urgent = line(department_kind="urgent")
    assert rules.decide(urgent, facts()) == rules.Refusal(
        "service", "Urgent services are recorded with an act of urgent services.")
    on_act = line(department_kind="urgent", on_urgent_act=True)
    assert rules.decide(on_act, facts(enrolled=False, programme=None)) == rules.Price(Decimal("120.50"),
                                                                                       Decimal("0.00"))
    paid = line(department_kind="urgent", on_urgent_act=True, service_list="additional")
    assert rules.decide(paid, facts(enrolled=False)) == rules.Price(Decimal("120.50"), Decimal("241.00"))


def test_duplicate():
    assert rules.decide(line(), facts(duplicate=True)) == rules.Refusal("service", (
        "A line for this service, person, date and worker already exists: increase its quantity instead."))


def test_messages_are_translated():
    with translation.override("ru"):
        assert rules.check_quantity(0).message != "The quantity must be at least 1."  # type: ignore[union-attr]
