"""Report cells as shown in HTML, DOCX and PDF: by the column's kind, through :mod:`opora.lib.formats`.

The figures themselves are written by :mod:`opora.lib.formats` (ru/uk ``530 487``, ``1 234,56``, ``116,92 %``
with no-break spaces; en ``530,487``, ``1,234.56``, ``116.92%``; dates ``31.12.2020``); this module only chooses
the format for a kind. None is an empty cell.
"""

from __future__ import annotations

from decimal import Decimal

from opora.lib import formats
from opora.lib.formats import day, integer, percent, round_half_up, separators
from opora.reports.model import Kind, Value

__all__ = ["cell", "day", "decimal", "integer", "money", "percent", "rounded", "separators"]


def decimal(value: Decimal | int | float | None, places: int = 2, lang: str | None = None) -> str:
    """A decimal with ``places`` decimals, half-up."""
    return formats.number(value, places, lang)


def money(value: Decimal | int | float | None, lang: str | None = None) -> str:
    return formats.money(value, lang)


def cell(value: Value, kind: Kind, lang: str | None = None) -> str:
    """A table cell as shown: by the column's kind."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == "int" or (kind == "decimal" and isinstance(value, int)):
        return integer(int(round_half_up(value, 0)), lang)  # a forecast of people is shown in whole people
    if kind == "percent":
        return percent(value, lang=lang)
    if kind in ("money", "decimal"):
        return formats.number(value, 2, lang)
    return str(value)


def rounded(value: Decimal | int | None) -> Decimal | None:
    """Half-up to two places (how money and percentages leave the report as numbers)."""
    return None if value is None else round_half_up(value, 2)
