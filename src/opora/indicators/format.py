"""An indicator's value as text in a language: counts as integers, money with two decimals, percentages."""

from __future__ import annotations

from decimal import Decimal

from opora.indicators.registry import Unit, Value
from opora.lib import formats


def format_value(value: Value, unit: Unit, lang: str | None = None) -> str:
    if unit == "money":
        return formats.money(value, lang)
    if unit == "percent":
        return formats.percent(value, lang=lang)
    if isinstance(value, Decimal) and (unit == "decimal" or value != value.to_integral_value()):
        return formats.number(value, lang=lang)
    return formats.integer(int(value), lang)
