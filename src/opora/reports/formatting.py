"""Numbers and dates of reports in the active language.

- ru, uk: ``530 487``, ``1 234,56``, ``116,92 %`` (thousands separated by a plain space U+0020, as in
  :mod:`opora.lib.formats`: documents are edited in Word and people type a plain space);
- en: ``530,487``, ``1,234.56``, ``116.92 %``;
- dates everywhere ``31.12.2020``.

Money, percentages and other decimals are shown with two places, rounded half-up. None is an empty cell.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

from opora.reports.model import Kind, Value

_SEPARATORS = {"en": (",", ".")}
_DEFAULT = (" ", ",")
_TWO = Decimal("0.01")


def separators(lang: str | None = None) -> tuple[str, str]:
    """(thousands, decimal) separators of a language (the active one by default)."""
    lang = (lang or get_language() or "ru").split("-")[0]
    return _SEPARATORS.get(lang, _DEFAULT)


def _group(digits: str, sep: str) -> str:
    if len(digits) <= 3:
        return digits
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def integer(value: int | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    thousands, _dec = separators(lang)
    sign = "-" if value < 0 else ""
    return sign + _group(str(abs(int(value))), thousands)


def decimal(value: Decimal | int | float | None, places: int = 2, lang: str | None = None) -> str:
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    thousands, point = separators(lang)
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    return f"{sign}{_group(whole, thousands)}{point}{frac}" if places else f"{sign}{_group(whole, thousands)}"


def money(value: Decimal | int | float | None, lang: str | None = None) -> str:
    return decimal(value, 2, lang)


def percent(value: Decimal | int | float | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    return f"{decimal(value, 2, lang)} %"


def day(value: datetime.date | None) -> str:
    if value is None:
        return ""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def cell(value: Value, kind: Kind, lang: str | None = None) -> str:
    """A table cell as shown: by the column's kind."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == "int" or (kind == "decimal" and isinstance(value, int)):
        return integer(int(value), lang)
    if kind == "percent":
        return percent(value, lang)
    if kind in ("money", "decimal"):
        return decimal(value, 2, lang)
    return str(value)


def rounded(value: Decimal | int | None) -> Decimal | None:
    """Half-up to two places (how money and percentages leave the report as numbers)."""
    if value is None:
        return None
    return (value if isinstance(value, Decimal) else Decimal(value)).quantize(_TWO, rounding=ROUND_HALF_UP)
