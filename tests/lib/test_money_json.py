"""The one JSON encoder of money: decimals as numbers with two decimals, half-up; the rest as json.dumps."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from opora.lib.money_json import dumps, two_decimals

D = Decimal


@pytest.mark.parametrize(("value", "text"), [
    (D("750"), "750.00"), (D("116.915"), "116.92"), (D("116.914"), "116.91"), (D("0.005"), "0.01"),
    (D("-0.005"), "-0.01"), (D("1234.5"), "1234.50"), (D("1E+3"), "1000.00"), (D("0"), "0.00"),
])
def test_it_writes_decimals_with_two_decimals_rounded_half_up(value, text):
    assert dumps(value) == text
    assert dumps({"fee": value}) == f'{{"fee": {text}}}'


def test_it_writes_everything_else_as_json_dumps_does():
    data = {"a": [1, 2.5, True, False, None, "ё \"q\" \u0000"], "b": {"c": (3,)}, 7: "int key"}
    assert dumps(data) == json.dumps(data, ensure_ascii=False)
    assert dumps(data, compact=True) == json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert dumps(data, ensure_ascii=True) == json.dumps(data)


def test_it_asks_default_for_other_objects_and_refuses_without_it():
    day = datetime.date(2020, 3, 1)
    assert dumps({"day": day, "sum": D("1.5")}, default=lambda o: o.isoformat()) == '{"day": "2020-03-01", "sum": 1.50}'
    with pytest.raises(TypeError):
        dumps({"day": day})
    with pytest.raises(ValueError):
        dumps(D("NaN"))


def test_the_text_reads_back_as_the_rounded_numbers():
    data = {"rows": [{"key": "all", "amount": D("990.125"), "count": 3}]}
    assert json.loads(dumps(data), parse_float=Decimal) == {"rows": [{"key": "all", "amount": D("990.13"),
                                                                      "count": 3}]}
    assert two_decimals(3) == D("3.00")
