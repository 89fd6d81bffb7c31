"""The years after 2020 of the demo's records beyond casework (issue 11): funds and aid, quality records, clubs,
events, taxi, volunteers, visits and work plans hold seed 000's 2020, and every later year up to the build's
`today` the same records moved by whole years (the current year up to `today` only, so nothing is dated after it).
2020's rows are never changed: the later years are added to the same batch the bulk entry point writes."""

from __future__ import annotations

import datetime

BASE = 2020


def later_years(today: datetime.date | None) -> range:
    """The years after 2020 up to `today`'s (empty for a demo built up to 31.12.2020)."""
    return range(BASE + 1, (today.year if today is not None else BASE) + 1)


def moved(day: datetime.date, year: int) -> datetime.date:
    """`day` of 2020 (or near it) moved to `year` by whole years; 29 February becomes the 28th."""
    target = day.year + year - BASE
    try:
        return day.replace(year=target)
    except ValueError:
        return day.replace(year=target, day=28)


def moved_or_none(day: datetime.date | None, year: int, today: datetime.date) -> datetime.date | None:
    """An optional date moved to `year`; None when it would fall after `today` (not yet happened)."""
    if day is None:
        return None
    new = moved(day, year)
    return new if new <= today else None
