"""plans/rules.py: placeholders, numbers, deadlines, percentages (pure, worked examples)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from opora.lib.errors import DomainError
from opora.plans import rules

KNOWN = {"services": {"department", "type"}, "income": {"list"}}


def test_it_parses_placeholders_with_their_positions():
    text = "Оказано {{ services }} услуг, из них {{services department=home type=household}}."
    found = rules.parse_marks(text)
    assert [(p.position, p.name, p.params) for p in found] == [
        (9, "services", ()), (38, "services", (("department", "home"), ("type", "household")))]
    assert text[found[1].position - 1:].startswith("{{services")


def test_it_names_an_unknown_indicator_with_its_position():
    with translation.override("en"), pytest.raises(DomainError) as exc:
        rules.check_mark("Итого: {{ servises }}", KNOWN)
    assert exc.value.message == "Position 8: unknown indicator «servises»." and exc.value.field == "mark"


def test_it_names_an_unknown_parameter_with_its_position():
    with translation.override("en"), pytest.raises(DomainError) as exc:
        rules.check_mark("{{ income }} и {{ income kind=paid }}", KNOWN)
    assert exc.value.message == "Position 16: the indicator «income» has no parameter «kind»."
    with translation.override("ru"), pytest.raises(DomainError) as exc:
        rules.check_mark("{{ income }} и {{ income kind=paid }}", KNOWN)
    assert "16" in exc.value.message and "kind" in exc.value.message and "Position" not in exc.value.message


@pytest.mark.parametrize("text", ["{{ }}", "{{ income list }}", "{{ income list= }}", "начало {{ income"])
def test_it_refuses_malformed_placeholders(text):
    with pytest.raises(DomainError):
        rules.check_mark(text, KNOWN)


def test_it_renders_in_order():
    values = iter(["214", "36 501,12"])
    assert rules.render_mark("{{ services }} и {{ income }} руб.", lambda p: next(values)) == "214 и 36 501,12 руб."
    assert rules.render_mark("без подстановок", lambda p: "x") == "без подстановок"


def test_numbers_sort_naturally():
    assert rules.check_number(" 2.3. ") == "2.3"
    assert sorted(["2.10", "2.9", "10", "1.1"], key=rules.sort_key) == ["1.1", "2.9", "2.10", "10"]
    with pytest.raises(DomainError):
        rules.check_number("II")


def test_deadlines():
    assert rules.deadline_bounds("q2", 2021) == (datetime.date(2021, 4, 1), datetime.date(2021, 6, 30))
    assert rules.deadline_bounds("15.05.2021", 2021) == (datetime.date(2021, 5, 15),) * 2
    assert rules.deadline_bounds("", 2021) is None
    with translation.override("en"), pytest.raises(DomainError) as exc:
        rules.deadline_bounds("2022-01-15", 2021)
    assert exc.value.field == "deadline" and "2021" in exc.value.message
    with pytest.raises(DomainError):
        rules.deadline_bounds("постоянно", 2021)
    assert rules.is_due(rules.deadline_bounds("q2", 2021), datetime.date(2021, 4, 1), datetime.date(2021, 6, 30))
    assert not rules.is_due(rules.deadline_bounds("q3", 2021), datetime.date(2021, 4, 1), datetime.date(2021, 6, 30))


def test_achieved_percentage():
    assert rules.achieved_pct(44, Decimal("50")) == Decimal("88.00")
    assert rules.achieved_pct(2, Decimal("3")) == Decimal("66.67")
    assert rules.achieved_pct(Decimal("1.5"), Decimal("0")) is None
    assert rules.achieved_pct(5, None) is None


def test_params_lists():
    assert rules.parse_params("department=home|type=household") == {"department": "home", "type": "household"}
    assert rules.parse_params("") == {}
    with pytest.raises(DomainError):
        rules.parse_params("department")


def test_deadline_labels():
    with translation.override("ru"):
        assert rules.deadline_label("q2", 2021) == "II квартал 2021 г."
        assert rules.deadline_label("2021-05-15", 2021) == "15.05.2021"
        assert rules.deadline_label("m05", 2021) == "май 2021 г."
        assert rules.deadline_label("", 2021) == ""
        assert rules.deadline_label("постоянно", 2021) == "постоянно"
