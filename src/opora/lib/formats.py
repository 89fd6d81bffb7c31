"""The one formatter of numbers, money, percentages, dates and names, for ru, uk and en.

Every page, printed form (DOCX, PDF), report cell, chart label and sentence that shows a figure goes through
here, so a document never mixes two kinds of space or two roundings.

=========  ====================  ====================
           ru, uk                en
=========  ====================  ====================
integer    ``530 487``           ``530,487``
money      ``1 234,50``          ``1,234.50``
percent    ``116,92 %``          ``116.92%``
change     ``+14,18 %``          ``+14.18%``
day        ``31.12.2020``        ``31.12.2020``
=========  ====================  ====================

- In ru and uk the thousands separator and the space before ``%`` are a no-break space U+00A0, as CLDR and
  Django's own ru/uk locales write them (the figure never breaks across lines, and it is the same space that
  Django's localisation of a plain ``{{ number }}`` puts in a page); the decimal mark is a comma.
- In en the thousands separator is a comma and the decimal mark a point; the percent sign follows the figure
  without a space.
- Rounding is half-up on ``Decimal`` (116.925 → 116,93; 0.005 → 0,01), never float rounding; a float is read
  through its shortest ``repr`` (116.925 stays 116.925, not 116.92499…).
- A date is ``DD.MM.YYYY`` in every language: the centre's documents are dated so, and an English page shows the
  same date as the Russian document beside it (no ``12/31/2020`` on one page and ``31.12.2020`` on the next).
- ``None`` is an empty string (an empty cell, "no data"), never a zero.

The language is the ``lang`` argument, or the active translation language when it is omitted; a language other
than uk and en is written as ru.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from django.utils.translation import get_language

Lang = Literal["ru", "uk", "en"]
Number = Decimal | float | int | str

NBSP = "\u00a0"  # the thousands separator of ru and uk, and the space before % there

#: (thousands separator, decimal mark, what comes before "%") of each language
SEPARATORS: dict[str, tuple[str, str, str]] = {
    "ru": (NBSP, ",", NBSP),
    "uk": (NBSP, ",", NBSP),
    "en": (",", ".", ""),
}

_MONTHS: dict[str, tuple[list[str], list[str]]] = {  # (nominative, genitive)
    "ru": (["январь", "февраль", "март", "апрель", "май", "июнь",
            "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"],
           ["января", "февраля", "марта", "апреля", "мая", "июня",
            "июля", "августа", "сентября", "октября", "ноября", "декабря"]),
    "uk": (["січень", "лютий", "березень", "квітень", "травень", "червень",
            "липень", "серпень", "вересень", "жовтень", "листопад", "грудень"],
           ["січня", "лютого", "березня", "квітня", "травня", "червня",
            "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"]),
    "en": (["January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December"],) * 2,
}
_YEAR_MARK = {"ru": "г.", "uk": "р."}


def language(lang: str | None = None) -> Lang:
    """``ru``, ``uk`` or ``en``: the given language, else the active one (``uk-UA`` → ``uk``; others → ``ru``)."""
    code = (lang or get_language() or "ru").split("-")[0].split("_")[0].lower()
    if code == "uk":
        return "uk"
    if code == "en":
        return "en"
    return "ru"


def separators(lang: str | None = None) -> tuple[str, str]:
    """(thousands separator, decimal mark) of a language (the active one by default)."""
    thousands, point, _before_pct = SEPARATORS[language(lang)]
    return thousands, point


# --- numbers --------------------------------------------------------------------------------------------------

def to_decimal(value: Number) -> Decimal:
    """A Decimal of an int, a str, a Decimal or a float (through its shortest repr, so 116.925 stays 116.925)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """Half-up to ``places`` decimals: 116.925 → 116.93, 0.005 → 0.01, -0.005 → -0.01."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _group(digits: str, sep: str) -> str:
    """'530487' → '530 487' (with ``sep``)."""
    head = len(digits) % 3 or 3
    return sep.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def _fixed(value: Decimal, places: int | None, lang: str | None) -> str:
    thousands, point, _ = SEPARATORS[language(lang)]
    q = value if places is None else value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _dot, frac = f"{abs(q):f}".partition(".")
    grouped = _group(whole, thousands)
    return f"{sign}{grouped}{point}{frac}" if frac else f"{sign}{grouped}"


def integer(value: int | None, lang: str | None = None) -> str:
    """``530 487`` (ru, uk, with U+00A0), ``530,487`` (en); None → ""."""
    if value is None:
        return ""
    return _fixed(Decimal(int(value)), 0, lang)


def number(value: Number | None, places: int | None = 2, lang: str | None = None) -> str:
    """A decimal with ``places`` decimals (half-up; None keeps the value's own) and grouped thousands."""
    if value is None:
        return ""
    try:
        d = to_decimal(value)
    except InvalidOperation:
        return str(value)
    if not d.is_finite():
        return str(value)
    return _fixed(d, places, lang)


def money(value: Number | None, lang: str | None = None) -> str:
    """Roubles or hryvnias and kopecks: ``1 234,50`` (ru, uk), ``1,234.50`` (en); None → ""."""
    return number(value, 2, lang)


def percent(value: Number | None, places: int = 2, lang: str | None = None) -> str:
    """``116,92 %`` (ru, uk, the space U+00A0), ``116.92%`` (en); half-up to ``places``; None → ""."""
    if value is None:
        return ""
    return number(value, places, lang) + SEPARATORS[language(lang)][2] + "%"


def _signed(text: str, value: Decimal) -> str:
    return "+" + text if value > 0 and not text.startswith("-") else text


def signed_percent(value: Number | None, places: int = 2, lang: str | None = None) -> str:
    """A change in percent with its sign: ``+14,18 %``, ``-3,50 %``, ``0,00 %``; None → ""."""
    if value is None:
        return ""
    rounded = round_half_up(value, places)
    return _signed(percent(rounded, places, lang), rounded)


def signed_integer(value: int | None, lang: str | None = None) -> str:
    """A change in units with its sign: ``+1 234``, ``-56``, ``0``; None → ""."""
    if value is None:
        return ""
    return _signed(integer(value, lang), Decimal(int(value)))


def signed_number(value: Number | None, places: int = 2, lang: str | None = None) -> str:
    """A change of a decimal with its sign: ``+1 234,50``; None → ""."""
    if value is None:
        return ""
    rounded = round_half_up(value, places)
    return _signed(number(rounded, places, lang), rounded)


# --- dates ----------------------------------------------------------------------------------------------------

def day(value: datetime.date | None, lang: str | None = None) -> str:
    """``31.12.2020`` in every language (see the module docstring); None → ""."""
    if value is None:
        return ""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def day_range(start: datetime.date, end: datetime.date, lang: str | None = None) -> str:
    """``01.03.2020 – 15.04.2020`` (an en dash between spaces)."""
    return f"{day(start, lang)} – {day(end, lang)}"


def month_name(value: datetime.date | int, genitive: bool = False, lang: str | None = None) -> str:
    """The month's name: ru ``январь``/``января``, uk ``січень``/``січня``, en ``January`` (both cases)."""
    m = value if isinstance(value, int) else value.month
    nominative, genitive_names = _MONTHS[language(lang)]
    return (genitive_names if genitive else nominative)[m - 1]


def month_year(value: datetime.date, lang: str | None = None) -> str:
    """``декабрь 2020``, ``грудень 2020``, ``December 2020``."""
    return f"{month_name(value, lang=lang)} {value.year}"


def long_day(value: datetime.date | None, lang: str | None = None) -> str:
    """As written in contracts: ``«31» декабря 2020 г.``, ``«31» грудня 2020 р.``, ``31 December 2020``;
    None → a blank to fill in by hand."""
    code = language(lang)
    if code == "en":
        return "___ ____________ 20___" if value is None else f"{value.day} {month_name(value, lang=code)} {value.year}"
    if value is None:
        return f"«___» ____________ 20___ {_YEAR_MARK[code]}"
    return f"«{value.day:02d}» {month_name(value, genitive=True, lang=code)} {value.year} {_YEAR_MARK[code]}"


# --- names ----------------------------------------------------------------------------------------------------

def short_name(last_name: str, first_name: str = "", patronymic: str = "") -> str:
    """``Иванова А. П.``: the last name and initials, as under a signature."""
    initials = " ".join(f"{p[0]}." for p in (first_name, patronymic) if p)
    return f"{last_name} {initials}".strip()
