"""Figures the reports share (and an indicator may call): small functions, a fixed number of queries each.

Counting rules: domain/RULES.md, "Counting rules the reports use".

- `kind_register`: the register and the movement of a department kind in people, not enrolments. A person's
  enrolments in the kind's departments are merged into spells of service: an enrolment that starts on or before
  the day after the previous one ends (a transfer between two departments of the kind: discharged on one day,
  admitted on the same or the next day, whatever the reason) continues the spell. On the register at a date: a
  spell admitted on or before it and not discharged on or before it (off the register on the day of discharge).
  Admitted / discharged = spells that begin / end in the period; so start + admitted − discharged = end.
- income from services is billing's rule (billing.rules.income_by_department, billing.queries.fees_by_department):
  the reports and the `income` indicator read it there.
- `kind_recipients`: distinct people served in the departments of each kind (one query).
- `year_to_date`: the period from 1 January to the period's end (what the state assignment compares with the year's
  plan for a period shorter than a year).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When

from opora.intake.models import Application
from opora.lib.periods import Period
from opora.people.models import Category, CategoryGroup, Enrolment, Family, Recipient
from opora.programmes.models import Contract, Programme

ONE_DAY = datetime.timedelta(days=1)
ZERO = Decimal("0.00")


def year_to_date(period: Period) -> Period:
    """The period itself when it starts on 1 January, else 1 January of its year to its end."""
    first = datetime.date(period.end.year, 1, 1)
    return period if period.start == first else Period.range_of(first, period.end)


# --- the register of a department kind ----------------------------------------------------------------------------

@dataclass
class Spell:
    recipient_id: int
    sector: str
    admitted_on: datetime.date
    discharged_on: datetime.date | None


def spells(enrolments: Iterable[Mapping[str, Any]]) -> list[Spell]:
    """Merge each person's enrolments (dicts with recipient_id, sector, admitted_on, discharged_on) into spells.

    An enrolment admitted on or before the day after the current spell's discharge continues it (a transfer, or an
    overlap); a later one starts a new spell. Pure: no database.
    """
    out: list[Spell] = []
    current: Spell | None = None
    # one sort by person and admission (not a list and a sort per person: a region's 30 000 people)
    for r in sorted(enrolments, key=lambda r: (r["recipient_id"], r["admitted_on"])):
        if current is not None and current.recipient_id == r["recipient_id"] and (
                current.discharged_on is None or r["admitted_on"] <= current.discharged_on + ONE_DAY):
            if current.discharged_on is not None:
                end = r["discharged_on"]
                current.discharged_on = None if end is None else max(end, current.discharged_on)
            continue
        current = Spell(r["recipient_id"], r.get("sector") or "", r["admitted_on"], r["discharged_on"])
        out.append(current)
    return out


def on_register(spell: Spell, day: datetime.date) -> bool:
    """Admitted on or before the day and not discharged on or before it."""
    return spell.admitted_on <= day and (spell.discharged_on is None or spell.discharged_on > day)


@dataclass
class Register:
    """Per sector ("" = not recorded): on the register the day before the period, at its end; the movement."""

    start: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    end: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    admitted: int = 0
    discharged: int = 0


def register_of(all_spells: Sequence[Spell], start: datetime.date, end: datetime.date) -> Register:
    before = start - ONE_DAY
    reg = Register()
    for s in all_spells:
        if on_register(s, before):
            reg.start[s.sector] += 1
        if on_register(s, end):
            reg.end[s.sector] += 1
        if start <= s.admitted_on <= end:
            reg.admitted += 1
        if s.discharged_on is not None and start <= s.discharged_on <= end:
            reg.discharged += 1
    return reg


def kind_register(department_ids: Sequence[int], start: datetime.date, end: datetime.date) -> Register:
    """The register of the departments of one kind over a period, in people (one query): `register_of(spells(…))` of
    the kind's enrolments, counted by the database (window functions), so that a region's 36 000 enrolments are not
    read into Python — a few rows come back, one per sector.

    The enrolments discharged before the day before the period are not read (half of a region's home-care
    enrolments): a spell made of them only counts nowhere, and leaving them out of a spell that goes on changes
    neither its end nor, for the register and the movement, its start — an enrolment that continued the spell after
    one of them was admitted on or before that day, so the spell still begins before the period.

    The spells as `spells` merges them: in each person's enrolments by admission (then id), an enrolment starts a new
    spell unless it is admitted on or before the day after the latest discharge of the person's enrolments before it
    (an open enrolment: never discharged — the sentinel 31.12.9999). Then a spell's admission is its first, its
    discharge its latest (open if any is); and the register and the movement of `register_of`.
    """
    reg = Register()
    if not department_ids:
        return reg
    before = start - ONE_DAY
    enrolment, recipient = Enrolment._meta.db_table, Recipient._meta.db_table
    day_before_admission = ("e.admitted_on - 1" if connection.vendor == "postgresql"
                            else "date(e.admitted_on, '-1 day')")
    d = connection.ops.adapt_datefield_value
    ids = ", ".join(["%s"] * len(department_ids))
    sql = (
        "SELECT sector, "
        "SUM(CASE WHEN admitted <= %s AND ends > %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN admitted <= %s AND ends > %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN admitted >= %s AND admitted <= %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN ends >= %s AND ends <= %s THEN 1 ELSE 0 END) "
        "FROM (SELECT recipient_id, spell, MAX(sector) AS sector, MIN(admitted_on) AS admitted, MAX(ends) AS ends "
        "FROM (SELECT recipient_id, sector, admitted_on, ends, SUM(starts) OVER (PARTITION BY recipient_id "
        "ORDER BY admitted_on, id ROWS UNBOUNDED PRECEDING) AS spell "
        "FROM (SELECT e.id, e.recipient_id, COALESCE(r.sector, '') AS sector, e.admitted_on, "
        "COALESCE(e.discharged_on, %s) AS ends, "
        "CASE WHEN MAX(COALESCE(e.discharged_on, %s)) OVER (PARTITION BY e.recipient_id ORDER BY e.admitted_on, e.id "
        f"ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) >= {day_before_admission} THEN 0 ELSE 1 END AS starts "
        f"FROM {enrolment} e JOIN {recipient} r ON r.id = e.recipient_id "
        f"WHERE e.department_id IN ({ids}) AND e.admitted_on <= %s "
        "AND (e.discharged_on IS NULL OR e.discharged_on >= %s)) enrolments) numbered "
        "GROUP BY recipient_id, spell) spells GROUP BY sector")
    never = datetime.date(9999, 12, 31)
    params = [d(before), d(before), d(end), d(end), d(start), d(end), d(start), d(end), d(never), d(never),
              *department_ids, d(end), d(before)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for sector, at_start, at_end, admitted, discharged in cursor.fetchall():
            if at_start:
                reg.start[sector] += int(at_start)
            if at_end:
                reg.end[sector] += int(at_end)
            reg.admitted += int(admitted or 0)
            reg.discharged += int(discharged or 0)
    return reg


# --- recipients of a department kind ------------------------------------------------------------------------------

def kind_recipients(recipients_qs: Any, ids_of_kind: Mapping[str, Sequence[int]]) -> dict[str, int]:
    """Distinct people served in the departments of each kind (one query over a recipients source)."""
    if not ids_of_kind:
        return {}
    return recipients_qs.aggregate(**{kind: Count("recipient_id", distinct=True, filter=Q(department_id__in=ids))
                                      for kind, ids in ids_of_kind.items()})


# --- groups of categories ----------------------------------------------------------------------------------------

@dataclass
class Group:
    code: str
    label: str
    parent: str  # the parent's code, "" for a top-level group
    categories: frozenset[str]
    rest: bool


def category_groups() -> list[Group]:
    """The groups of the "by category" tables (people.CategoryGroup, edited by an administrator): two queries."""
    codes: dict[int, set[str]] = defaultdict(set)
    for gid, code in CategoryGroup.categories.through.objects.values_list("categorygroup_id", "category__code"):
        codes[gid].add(code)
    return [Group(g.code, g.label, g.parent.code if g.parent else "", frozenset(codes[g.pk]), g.rest)
            for g in CategoryGroup.objects.select_related("parent").order_by("sort", "code")]


def count_by_groups(groups: Sequence[Group], by_set: Mapping[frozenset[str], tuple[int, int]]
                    ) -> dict[str, tuple[int, int]]:
    """Per group: (people, services), from the people counted by the set of category codes they hold (`by_set`: set →
    (people, services), e.g. `merged_sets`). A person counts in a group holding any of its categories (and in a
    group "of them" only when also in its parent); the rest group counts people in none of the other top-level
    groups. Pure."""
    by_code = {g.code: g for g in groups}

    def holds(g: Group, cats: AbstractSet[str]) -> bool:
        return not g.categories.isdisjoint(cats)

    top = [g for g in groups if not g.parent and not g.rest]
    out: dict[str, tuple[int, int]] = {}
    for g in groups:
        people = services = 0
        for held, (n, q) in by_set.items():
            if g.rest:
                inside = not any(holds(t, held) for t in top)
            else:
                parent = by_code.get(g.parent)
                inside = holds(g, held) and (parent is None or holds(parent, held))
            if inside:
                people += n
                services += q
        out[g.code] = (people, services)
    return out


#: The people served counted by the pair (their own category codes, their family's category codes) → (people,
#: Σ services): what every "by category" and "by group of categories" table is counted from.
CategorySets = dict[tuple[frozenset[str], frozenset[str]], tuple[int, int]]


def _codes(text: str | None) -> frozenset[str]:
    return frozenset(c for c in (text or "").split(",") if c)


def category_sets(recipients_qs: Any, *parts: Sequence[int]) -> list[CategorySets]:
    """For each set of departments (e.g. the home-care ones, the urgent ones): the distinct people served there (their
    services summed over them), counted by the pair (own category codes, the family's category codes; a family with
    children holds the family categories). One query for all the parts: the database groups the people by their
    codes — a few dozen rows come back however many people are served (a region's 130 000), not the people and their
    categories."""
    out: list[CategorySets] = [{} for _part in parts]
    if not any(parts):
        return out
    served = recipients_qs.filter(department_id__in=[d for ids in parts for d in ids]).annotate(part=Case(
        *(When(department_id__in=ids, then=Value(i)) for i, ids in enumerate(parts) if ids),
        output_field=IntegerField())).values("part", "recipient_id").annotate(q=Sum("quantity")).order_by()
    served_sql, params = served.query.sql_with_params()
    # a person's codes as one text, in any order (the Python side reads it as a set: the order only changes how many
    # rows come back, never a count). The codes are gathered once per person (own) and per family in their own
    # subqueries, joined to the people by id, and the people served joined to them: no join of the people served to
    # their categories to be sorted and grouped again per person (a region of 40 centres: 247 000 joined rows sorted
    # on disk). Joined through the registry's primary key, so that PostgreSQL estimates the rows right (joined to the
    # subqueries directly it guesses millions and compiles the query with JIT: docs/benchmarks.md, "region3").
    agg = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    category = Category._meta.db_table
    sql = (f"SELECT s.part, p.own, p.fam, COUNT(*), SUM(s.q) FROM ({served_sql}) s JOIN (SELECT r.id, o.own, f.fam "
           f"FROM {Recipient._meta.db_table} r "
           f"LEFT JOIN (SELECT rc.recipient_id AS person, {agg}(oc.code, ',') AS own "
           f"FROM {Recipient.categories.through._meta.db_table} rc JOIN {category} oc ON oc.id = rc.category_id "
           f"GROUP BY rc.recipient_id) o ON o.person = r.id "
           f"LEFT JOIN (SELECT fc.family_id, {agg}(fcc.code, ',') AS fam "
           f"FROM {Family.categories.through._meta.db_table} fc JOIN {category} fcc ON fcc.id = fc.category_id "
           f"GROUP BY fc.family_id) f ON f.family_id = r.family_id) p ON p.id = s.recipient_id "
           f"GROUP BY s.part, p.own, p.fam")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part, own, family, n, q in cursor.fetchall():
            sets = out[part]
            key = (_codes(own), _codes(family))
            before = sets.get(key, (0, 0))
            sets[key] = (before[0] + n, before[1] + int(q or 0))
    return out


def merged_sets(sets: CategorySets) -> dict[frozenset[str], tuple[int, int]]:
    """The people by the union of their own and their family's category codes → (people, services). Pure."""
    out: dict[frozenset[str], tuple[int, int]] = {}
    for (own, family), (n, q) in sets.items():
        key = own | family
        before = out.get(key, (0, 0))
        out[key] = (before[0] + n, before[1] + q)
    return out


def by_own_category(sets: CategorySets) -> dict[str, tuple[int, int]]:
    """Per own category code: the people holding it and their services (a person counts in each of their
    categories). Pure."""
    out: dict[str, tuple[int, int]] = {}
    for (own, _family), (n, q) in sets.items():
        for code in own:
            before = out.get(code, (0, 0))
            out[code] = (before[0] + n, before[1] + q)
    return out


def totals(sets: Mapping[Any, tuple[int, int]]) -> tuple[int, int]:
    """(people, services) over all the sets: every person once. Pure."""
    return sum(n for n, _q in sets.values()), sum(q for _n, q in sets.values())


def category_labels() -> dict[str, dict[str, Any]]:
    """Category code → {"name", "sort"} (one query)."""
    return {c["code"]: dict(c) for c in Category.objects.values("code", "name", "sort")}


# --- intake -------------------------------------------------------------------------------------------------------

def intake_by_form(org_ids: Sequence[int], start: datetime.date, end: datetime.date) -> dict[str, dict[str, int]]:
    """Per requested form: applications received, recognised and refused (decided) in the period; programmes drawn
    up and contracts concluded (signed) in the period, by the programme's form. Three queries."""
    received = Q(received_on__gte=start, received_on__lte=end)
    decided = Q(decided_on__gte=start, decided_on__lte=end)
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(
        ("applications", "recognised", "refused", "programmes", "contracts"), 0))
    for r in Application.objects.filter(organisation_id__in=org_ids).filter(received | decided).values(
            "requested_form").annotate(
            applications=Count("id", filter=received),
            recognised=Count("id", filter=decided & Q(status="recognised")),
            refused=Count("id", filter=decided & Q(status="refused"))).order_by():
        row = out[r["requested_form"]]
        for k in ("applications", "recognised", "refused"):
            row[k] += r[k]
    for r in Programme.objects.filter(organisation_id__in=org_ids, drawn_up_on__gte=start,
                                      drawn_up_on__lte=end).values("form").annotate(n=Count("id")).order_by():
        out[r["form"]]["programmes"] += r["n"]
    for r in Contract.objects.filter(organisation_id__in=org_ids, signed_on__gte=start,
                                     signed_on__lte=end).values("programme__form").annotate(n=Count("id")).order_by():
        out[r["programme__form"]]["contracts"] += r["n"]
    return dict(out)


def applications_by_channel(org_ids: Sequence[int], start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Applications received in the period, by channel (one query)."""
    return {r["channel"]: r["n"] for r in Application.objects.filter(
        organisation_id__in=org_ids, received_on__gte=start, received_on__lte=end).values("channel").annotate(
        n=Count("id")).order_by()}
