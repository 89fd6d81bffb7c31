"""The demo's families register and field work (issue 14), at seed 000's scale.

Seed 000 (2020): 311 families on the social register with 831 children; 964 households visited for fire safety;
210 households surveyed before the flood and 80 against forest fires; notices of release: 81 people arrived (52 in
the town, 29 in villages) and 3 did not; 5 examinations on another agency's request, 10 raids. Seed 001 and 003 add
patronage (357 visits) and field receptions (10, 38 people). The "centre" size reproduces these figures exactly
(tests/demo/test_demo_fieldwork.py); the "small" size scales them by its number of registered families.

Its own random stream (seed + 14), so the rest of the demo is unchanged. Families get their register fields with one
bulk update; visits and notices are written by fieldwork.actions.write_visits / write_notices, the bulk entry points
the exchange import uses, so the rules of fieldwork/rules.py check every row. Fire detectors are aid (the money app):
not made here.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from typing import Any

from opora.core.reference import DischargeReason, Position
from opora.demo.years import later_years, moved
from opora.fieldwork import actions
from opora.fieldwork.actions import NoticeRow, VisitRow
from opora.fieldwork.models import ReleaseNotice, Visit
from opora.fieldwork.rules import NoticeOutcome, VisitKind
from opora.org.models import Employee, Organisation
from opora.people.models import Family

D = datetime.date
YEAR_START, YEAR_END = D(2020, 1, 1), D(2020, 12, 31)

# seed 000 at the "centre" size
REGISTERED = 311
CHILDREN = 831
DEREGISTERED_2020 = 41  # removed during 2020 (among the families helped once)
FIRE_SAFETY_HOUSEHOLDS = 964
PATRONAGE_VISITS = 357
PATRONAGE_FAMILIES = 68
HOME_INSPECTIONS = 187  # joint visits with the emergency service
FLOOD_SURVEYS = 210  # seed 000: «Обследовано 210 домовладений» (February)
WILDFIRE_SURVEYS = 80  # seed 000: «Обследовано – 80 домовладений»
RAIDS = 10
RECEPTIONS, RECEPTION_PEOPLE = 10, 38
AGENCY_REQUESTS = 5
# seed 000: «прибыли и проживают по указанному адресу – 81 человек» (52 in the town, 29 in villages), «не прибыли –
# 3 человека»: 84 notices checked
NOTICES, NOT_ARRIVED, MOVED, ARRIVED_IN_TOWN = 84, 3, 0, 52


def build(org: Organisation, gen: Any, seed: int, today: datetime.date | None = None) -> dict[str, int]:
    """Give the generated families their register, then write the year's visits and release notices (2020's, and
    the same visits moved to every later year up to `today`, none after it: issue 11)."""
    rng = random.Random(seed + 14)
    registered_n = gen.size.families_registered
    scale = registered_n / REGISTERED

    def scaled(n: int) -> int:
        return max(1, round(n * scale))

    families: list[Family] = gen.families
    on_register = families[:registered_n]
    others = families[registered_n:]
    children = _children(rng, len(on_register), scaled(CHILDREN))
    for fam, n in zip(on_register, children, strict=True):
        fam.registered_on = D(2014, 1, 9) + datetime.timedelta(days=rng.randint(0, 2545))
        fam.children = n
    for fam in others[:scaled(DEREGISTERED_2020)]:
        fam.registered_on = D(2019, 1, 9) + datetime.timedelta(days=rng.randint(0, 540))
        fam.deregistered_on = min(YEAR_END, max(fam.registered_on, YEAR_START) + datetime.timedelta(
            days=rng.randint(0, 200)))
        fam.deregistration_reason = rng.choice((DischargeReason.OWN_REQUEST, DischargeReason.MOVED_AWAY,
                                                DischargeReason.OTHER))
        fam.children = rng.randint(1, 3)
    Family.objects.bulk_update(families, ["registered_on", "deregistered_on", "deregistration_reason", "children"],
                               batch_size=1000)

    workers: list[int | None] = list(Employee.objects.filter(
        organisation=org, position=Position.SOCIAL_WORKER, dismissed_on__isnull=True).order_by("tab_no").values_list(
        "pk", flat=True)) or [None]
    village_ids = [s.pk for s in gen.settlements[1:]] or [gen.settlements[0].pk]

    def day() -> datetime.date:
        return YEAR_START + datetime.timedelta(days=rng.randint(0, 364))

    rows: list[VisitRow] = []
    # fire safety: distinct households (families, and people without a family), a few visited twice
    people_alone = [p.rec.pk for p in gen.people if p.rec.family is None and "pensioner" in p.categories]
    homes: list[tuple[str, int]] = [("family", f.pk) for f in families] + [("person", pk) for pk in people_alone]
    rng.shuffle(homes)
    visited = homes[:min(len(homes), scaled(FIRE_SAFETY_HOUSEHOLDS))]
    for kind, pk in visited:
        for _ in range(2 if rng.random() < 0.1 else 1):
            rows.append(VisitRow(day(), VisitKind.FIRE_SAFETY, family_id=pk if kind == "family" else None,
                                 recipient_id=pk if kind == "person" else None, worker_id=rng.choice(workers),
                                 people=rng.randint(1, 4)))
    patronage = rng.sample(on_register, min(len(on_register), scaled(PATRONAGE_FAMILIES)))
    for i in range(scaled(PATRONAGE_VISITS)):
        fam = patronage[i % len(patronage)]
        rows.append(VisitRow(day(), VisitKind.PATRONAGE, family_id=fam.pk, worker_id=rng.choice(workers),
                             people=rng.randint(1, 5)))
    for kind, n in ((VisitKind.HOME_INSPECTION, HOME_INSPECTIONS), (VisitKind.AGENCY_REQUEST, AGENCY_REQUESTS)):
        for _ in range(scaled(n)):
            fam = rng.choice(families)
            rows.append(VisitRow(day(), kind, family_id=fam.pk, worker_id=rng.choice(workers),
                                 people=rng.randint(1, 4)))
    # the surveys count households (seed 000: «Обследовано 210 домовладений»): distinct families, one visit each
    for kind, n in ((VisitKind.FLOOD_SURVEY, FLOOD_SURVEYS), (VisitKind.WILDFIRE_SURVEY, WILDFIRE_SURVEYS)):
        for fam in rng.sample(families, min(len(families), scaled(n))):
            rows.append(VisitRow(day(), kind, family_id=fam.pk, worker_id=rng.choice(workers),
                                 people=rng.randint(1, 4)))
    for _ in range(scaled(RAIDS)):
        rows.append(VisitRow(day(), VisitKind.RAID, settlement_id=gen.settlements[0].pk,
                             worker_id=rng.choice(workers), people=rng.randint(1, 3)))
    reception_people = _children(rng, scaled(RECEPTIONS), scaled(RECEPTION_PEOPLE), low=1)
    for n in reception_people:
        rows.append(VisitRow(day(), VisitKind.FIELD_RECEPTION, settlement_id=rng.choice(village_ids),
                             worker_id=rng.choice(workers), people=n))
    if today is not None:
        rows += [dataclasses.replace(row, date=moved(row.date, year)) for year in later_years(today) for row in rows
                 if moved(row.date, year) <= today]
    created, _updated = actions.write_visits(org.pk, rows)

    notices: list[NoticeRow] = []
    n_notices = scaled(NOTICES)
    outcomes = [NoticeOutcome.NOT_ARRIVED] * min(scaled(NOT_ARRIVED), n_notices) + [NoticeOutcome.MOVED] * (
        scaled(MOVED) if MOVED else 0)
    outcomes += [NoticeOutcome.ARRIVED] * (n_notices - len(outcomes))
    arrived = 0
    for outcome in outcomes[:n_notices]:
        received = YEAR_START + datetime.timedelta(days=rng.randint(0, 330))
        # the town holds the first 52 of every 81 arrivals (seed 000), the rest went to villages
        in_town = outcome != NoticeOutcome.ARRIVED or arrived % (NOTICES - NOT_ARRIVED) < ARRIVED_IN_TOWN
        arrived += outcome == NoticeOutcome.ARRIVED
        release = received + datetime.timedelta(days=rng.randint(10, 30))
        year = rng.randint(1965, 2000)
        last, first, patronymic, _m = gen.name("M" if rng.random() < 0.9 else "F", year)
        notices.append(NoticeRow(
            received_on=received, full_name=f"{last} {first} {patronymic}",
            birth_date=D(year, rng.randint(1, 12), rng.randint(1, 28)), release_date=release, outcome=outcome,
            settlement_id=gen.settlements[0].pk if in_town else rng.choice(village_ids),
            institution=rng.choice(("ФКУ ИК-1", "ФКУ ИК-5", "ФКУ ИК-40", "ФКУ КП-14")),
            checked_on=min(release + datetime.timedelta(days=rng.randint(1, 14)), YEAR_END)))
    n_created, _ = actions.write_notices(org.pk, notices, today=YEAR_END)
    return {"visits": created, "release_notices": n_created}


def delete(org: Organisation) -> None:
    """Remove the demo's visits and notices (before the families, people and settlements they name)."""
    Visit.objects.filter(organisation=org).delete()
    ReleaseNotice.objects.filter(organisation=org).delete()


def _children(rng: random.Random, families: int, total: int, *, low: int = 1) -> list[int]:
    """`families` whole numbers of at least `low` adding up to `total` exactly (most 1–3, a few larger)."""
    if families == 0:
        return []
    counts = [low] * families
    for _ in range(max(0, total - low * families)):
        counts[min(int(rng.triangular(0, families, 0)), families - 1)] += 1
    rng.shuffle(counts)
    return counts
