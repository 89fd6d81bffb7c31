"""The rules of field work (issue 14). Pure: plain values in, figures or DomainErrors out; no ORM.

Households. A visit, an aid or a check names a family or a person. A person who belongs to a family is counted
as that family's household, so a household visited once as a family and once as one of its members is one
household (:func:`household`). A person without a family is their own household.

The register. A family is on the social register on a day when registered_on ≤ day and it has no
deregistered_on ≤ day (people.rules.on_family_register); the period's start is the register on the day before it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.lib.errors import DomainError
from opora.people.rules import on_family_register


class VisitKind(models.TextChoices):
    PATRONAGE = "patronage", gettext_lazy("Patronage")
    HOME_INSPECTION = "home_inspection", gettext_lazy("Home inspection")
    FIRE_SAFETY = "fire_safety", gettext_lazy("Fire-safety visit")
    FLOOD_SURVEY = "flood_survey", gettext_lazy("Flood survey")
    WILDFIRE_SURVEY = "wildfire_survey", gettext_lazy("Forest-fire survey")
    RAID = "raid", gettext_lazy("Raid")
    AGENCY_REQUEST = "agency_request", gettext_lazy("Examination on another agency's request")
    FIELD_RECEPTION = "field_reception", gettext_lazy("Field reception")


#: kinds that may name only a settlement (no family and no person)
SETTLEMENT_ONLY_KINDS = frozenset({VisitKind.RAID, VisitKind.FIELD_RECEPTION})


class NoticeOutcome(models.TextChoices):
    ARRIVED = "arrived", gettext_lazy("Arrived")
    NOT_ARRIVED = "not_arrived", gettext_lazy("Did not arrive")
    MOVED = "moved", gettext_lazy("Moved elsewhere")
    PENDING = "pending", gettext_lazy("Not checked yet")


#: ("family", id) or ("person", id)
Household: TypeAlias = tuple[str, int]


def household(family_id: int | None, recipient_id: int | None, recipient_family_id: int | None) -> Household | None:
    """The household a visit (or an aid) counts for: the family named, else the person's family, else the person."""
    if family_id is not None:
        return ("family", family_id)
    if recipient_family_id is not None:
        return ("family", recipient_family_id)
    if recipient_id is not None:
        return ("person", recipient_id)
    return None


def check_visit(*, kind: str, family_id: Hashable | None, recipient_id: Hashable | None,
                person_family_ids: Iterable[Hashable], settlement_id: Hashable | None) -> None:
    """Refuse a visit whose family and person do not belong together, or that names nobody and no place.

    ``person_family_ids``: the families the person belongs to (their own family and the families listing them as
    a member); a visit naming both a family and a person needs the family among them.
    """
    if kind not in VisitKind.values:
        raise DomainError(_("Unknown kind of visit: %(kind)s.") % {"kind": kind}, field="kind")
    if family_id is not None and recipient_id is not None and family_id not in set(person_family_ids):
        raise DomainError(_("This person does not belong to the family visited."), field="recipient")
    if family_id is None and recipient_id is None:
        if kind not in SETTLEMENT_ONLY_KINDS:
            raise DomainError(_("Name the family or the person visited."), field="family")
        if settlement_id is None:
            raise DomainError(_("Name the settlement of the raid or the field reception."), field="settlement")


def check_notice(*, received_on: datetime.date, release_date: datetime.date, outcome: str,
                 checked_on: datetime.date | None, today: datetime.date) -> None:
    """Refuse a release notice that cannot be true: an unknown outcome, a check without its date (or a date
    without a check), a check before the notice was received, a release date already past without a check."""
    if outcome not in NoticeOutcome.values:
        raise DomainError(_("Unknown outcome of the check: %(outcome)s.") % {"outcome": outcome}, field="outcome")
    if outcome == NoticeOutcome.PENDING:
        if checked_on is not None:
            raise DomainError(_("A notice not checked yet cannot have the date of its check."), field="checked_on")
        if release_date < today:
            raise DomainError(_("The release date has passed: record the outcome of the check (arrived, did not "
                                "arrive, moved elsewhere) and its date."), field="outcome")
    else:
        if checked_on is None:
            raise DomainError(_("Give the date of the check."), field="checked_on")
        if checked_on < received_on:
            raise DomainError(_("The check cannot be earlier than the notice was received."), field="checked_on")


# --- figures of the reports -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegisterFamily:
    registered_on: datetime.date | None
    deregistered_on: datetime.date | None
    children: int
    categories: tuple[str, ...] = ()


@dataclass
class RegisterFigures:
    start: int = 0
    registered: int = 0
    deregistered: int = 0
    end: int = 0
    children_end: int = 0
    #: category code → (families_end, children_end)
    by_category: dict[str, tuple[int, int]] = field(default_factory=dict)


def register_figures(families: Iterable[RegisterFamily], start: datetime.date, end: datetime.date) -> RegisterFigures:
    """The table `family_register`: on the register the day before the period, registered and removed within it
    (dates inside the period), on it on its last day, and the children of those; per category the same at the end.
    """
    before = start - datetime.timedelta(days=1)
    f = RegisterFigures()
    cats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for fam in families:
        if on_family_register(fam.registered_on, fam.deregistered_on, before):
            f.start += 1
        if fam.registered_on is not None and start <= fam.registered_on <= end:
            f.registered += 1
        if fam.deregistered_on is not None and start <= fam.deregistered_on <= end:
            f.deregistered += 1
        if on_family_register(fam.registered_on, fam.deregistered_on, end):
            f.end += 1
            f.children_end += fam.children
            for code in fam.categories:
                cats[code][0] += 1
                cats[code][1] += fam.children
    f.by_category = {code: (n, c) for code, (n, c) in cats.items()}
    return f


@dataclass(frozen=True)
class VisitFacts:
    kind: str
    household: Household | None
    people: int


def visit_figures(visits: Iterable[VisitFacts]) -> dict[str, dict[str, int]]:
    """The table `visits`: per kind the visits, the distinct households visited and Σ people met."""
    rows: dict[str, dict[str, int]] = {}
    homes: dict[str, set[Household]] = defaultdict(set)
    for v in visits:
        row = rows.setdefault(v.kind, {"visits": 0, "households": 0, "people": 0})
        row["visits"] += 1
        row["people"] += v.people
        if v.household is not None:
            homes[v.kind].add(v.household)
    for kind, row in rows.items():
        row["households"] = len(homes[kind])
    return rows


def fire_safety_figures(visited: Iterable[Household], equipped: Iterable[Household], detectors: int,
                        categories_of: Mapping[Household, Iterable[str]]) -> tuple[dict[str, int], dict[str, int]]:
    """The table `fire_safety`: (row `all`, {category: households}) — households counted once each; a category
    row counts the equipped households holding that category (a family's or a person's own categories)."""
    visited_set, equipped_set = set(visited), set(equipped)
    by_category: dict[str, int] = defaultdict(int)
    for home in equipped_set:
        for code in set(categories_of.get(home, ())):
            by_category[code] += 1
    return ({"households_visited": len(visited_set), "households_equipped": len(equipped_set),
             "detectors": detectors}, dict(by_category))


def notice_figures(notices: Iterable[tuple[str, bool]]) -> dict[str, int]:
    """The table `release_notices`, row `all`, from (outcome, has a recipient) of the notices received."""
    row = {"notices": 0, "arrived": 0, "not_arrived": 0, "moved": 0, "pending": 0, "registered": 0}
    for outcome, registered in notices:
        row["notices"] += 1
        row[outcome] += 1
        row["registered"] += int(registered)
    return row
