"""Units agreeing with numbers (ru, uk, en plural forms) and the orders people expect (names, service codes)."""

from __future__ import annotations

import pytest
from django.utils import translation

from opora.lib.collation import name_key, natural_key
from opora.lib.units import counted


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("ru", 1, "1 услуга"),
        ("ru", 3, "3 услуги"),
        ("ru", 8, "8 услуг"),
        ("ru", 11, "11 услуг"),
        ("ru", 21, "21 услуга"),
        ("ru", 22, "22 услуги"),
        ("uk", 8, "8 послуг"),
        ("uk", 2, "2 послуги"),
        ("en", 1, "1 service"),
        ("en", 8, "8 services"),
    ],
)
def test_a_unit_agrees_with_its_number(lang, n, expected):
    with translation.override(lang):
        assert counted(n, "услуга") == expected


def test_other_units_agree_and_an_unknown_one_is_kept():
    with translation.override("ru"):
        assert counted(5, "час") == "5 часов"
        assert counted(2, "сутки") == "2 суток"
        assert counted(1_500, "км") == "1\u00a0500 км"
        assert counted(4, "упаковка") == "4 упаковка"  # not known: as stored


def test_service_codes_sort_naturally():
    codes = ["1.10", "1.2", "10.1", "2.1", "1.1", "1.2.3"]
    assert sorted(codes, key=natural_key) == ["1.1", "1.2", "1.2.3", "1.10", "2.1", "10.1"]


def test_names_sort_in_alphabetical_order_with_yo_after_ye():
    names = ["Стрельцов", "Сёмина", "семёнов", "Семин", "Іваненко", "Иванов", "Ёлкин", "Жуков", "Ежов"]
    assert sorted(names, key=name_key) == [
        "Ежов",
        "Ёлкин",
        "Жуков",
        "Иванов",
        "Іваненко",
        "семёнов",
        "Семин",
        "Сёмина",
        "Стрельцов",
    ]
