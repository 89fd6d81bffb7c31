"""Russian formatting of numbers and dates for printed documents (pure, Django-free).

Conventions (as in the centre's documents):
- thousands are separated by a regular space U+0020 (not a no-break space: documents are edited in Word and
  compared in tests, and a plain space is what people type); the decimal separator is a comma;
- money always has two decimals, rounded half-up: ``money(Decimal("1234.5")) == "1 234,50"``;
- percentages have two decimals, half-up, and a space before the sign: ``percent(116.915) == "116,92 %"``;
- dates are ``DD.MM.YYYY``.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

SPACE = " "  # the thousands separator (U+0020), see the module docstring

_MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь",
           "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]
_MONTHS_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня",
                    "июля", "августа", "сентября", "октября", "ноября", "декабря"]


def _group(digits: str) -> str:
    """'530487' → '530 487'."""
    parts = []
    while len(digits) > 3:
        parts.append(digits[-3:])
        digits = digits[:-3]
    parts.append(digits)
    return SPACE.join(reversed(parts))


def _fixed(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    q = value.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    return f"{sign}{_group(whole)},{frac}" if places else f"{sign}{_group(whole)}"


def _decimal(value: Decimal | float | int | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def money(value: Decimal | float | int | str | None) -> str:
    """Roubles and kopecks: ``1 234,50``; None → empty string."""
    if value is None:
        return ""
    return _fixed(_decimal(value), 2)


def integer(value: int | None) -> str:
    """``530 487``; None → empty string."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    return sign + _group(str(abs(int(value))))


def number(value: Decimal | float | int | str | None, places: int = 2) -> str:
    """A decimal number with ``places`` decimals (half-up) and grouped thousands: ``1 234,5``."""
    if value is None:
        return ""
    return _fixed(_decimal(value), places)


def percent(value: Decimal | float | int | str | None) -> str:
    """``116,92 %`` (two decimals, half-up); None → empty string."""
    if value is None:
        return ""
    return f"{_fixed(_decimal(value), 2)}{SPACE}%"


def day(value: date | None) -> str:
    """``31.12.2020``; None → empty string."""
    if value is None:
        return ""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def month_name(value: date | int, genitive: bool = False) -> str:
    """Russian month name of a date (or month number 1–12): ``январь``, or ``января`` in the genitive."""
    m = value if isinstance(value, int) else value.month
    return (_MONTHS_GENITIVE if genitive else _MONTHS)[m - 1]


def long_day(value: date | None) -> str:
    """``«31» декабря 2020 г.`` as written in contracts; None → a blank to fill in by hand."""
    if value is None:
        return "«___» ____________ 20___ г."
    return f"«{value.day:02d}» {month_name(value, genitive=True)} {value.year} г."


def month_year(value: date) -> str:
    """``декабрь 2020``."""
    return f"{month_name(value)} {value.year}"


def short_name(last_name: str, first_name: str = "", patronymic: str = "") -> str:
    """``Иванова А. П.``: the last name and initials, as under a signature."""
    initials = " ".join(f"{p[0]}." for p in (first_name, patronymic) if p)
    return f"{last_name} {initials}".strip()
