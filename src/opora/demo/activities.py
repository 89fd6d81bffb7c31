"""The demo's services beyond casework: seed 000's clubs and events of 2020 at the demo's scale.

Seed 000 (the centre): 5 clubs («Досуг», «Дружба» …) with 64 members, 15 events; the social taxi for 70 people,
25 of them outside the district, income 77 900 ₽. `plan` draws them without
the database (deterministic for a seed); `build` writes them through the domain's bulk entry point
(activities.bulk.write) with one audit event, as the import does. The small demo has 2 clubs, 8 members and
3 events.

The rental point and volunteers (issue 13). Seed 000: the rental point issued technical aids to 17 people, 20
issues in 2020 (no fees, no inventory given): the demo holds 16 items (wheelchairs, walkers, crutches, canes, beds,
toilet chairs — a plausible point), 20 issues to 17 people, a fee of 200 ₽ an issue (chosen: seed 000 names none),
an expected return 30 or 60 days after the issue; 3 items are still out at the end of 2020, one of them overdue
(the other two have no expected return).
Volunteers: 29 (students, and a few silver volunteers, chosen), 8 services to 8 people (snow cleaning in January
and February) and 10 students at the September campaign of vegetable sets (no one person helped: no
recipient); hours are chosen (2–4 a piece). The small demo: 5 items, 4 issues to 3 people, 4 volunteers, 3 pieces
of work.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from opora.activities import actions, bulk, rules
from opora.activities.models import (  # issue 13
    Event,
    Group,
    GroupMember,
    Rental,
    RentalItem,
    Session,
    TaxiTariff,
    TaxiTrip,
    Volunteer,
    VolunteerWork,
)
from opora.demo import names
from opora.demo.years import later_years, moved
from opora.org.models import Department, Organisation

YEAR = 2020


@dataclass(frozen=True)
class Scale:
    clubs: tuple[tuple[str, str, int], ...]  # (code, name, members)
    events: int
    taxi_people: int = 70
    taxi_out: int = 25  # of them taken outside the district
    taxi_income: Decimal = Decimal("77900.00")


CLUBS = (("dosug", "Клуб «Досуг»", 16), ("druzhba", "Клуб «Дружба»", 14), ("zdorovie", "Клуб «Здоровье»", 12),
         ("rukodelnitsa", "Клуб «Рукодельница»", 12), ("vdohnovenie", "Клуб «Вдохновение»", 10))
SCALES = {"centre": Scale(CLUBS, 15),
          "small": Scale((("dosug", "Клуб «Досуг»", 5), ("druzhba", "Клуб «Дружба»", 3)), 3, 7, 3, Decimal("7790.00"))}
# The taxi's tariff of the demo: 250 ₽ a trip, 10 ₽ a kilometre outside the district.
TAXI_TARIFF = rules.TaxiTariff(datetime.date(2019, 1, 1), Decimal("250.00"), Decimal("10.00"))
TAXI_DESTINATIONS = ((rules.Destination.MEDICAL, 6), (rules.Destination.SOCIAL, 1),
                     (rules.Destination.PENSION_FUND, 1), (rules.Destination.SHOPPING, 1),
                     (rules.Destination.STATION, 1))

EVENTS = (  # (month, day, name, kind, participants from–to)
    (1, 7, "Рождественские встречи", rules.EventKind.HOLIDAY, 30, 60),
    (2, 22, "Концерт ко Дню защитника Отечества", rules.EventKind.HOLIDAY, 25, 50),
    (3, 6, "Праздник «Весенняя капель» к 8 Марта", rules.EventKind.HOLIDAY, 35, 70),
    (3, 12, "Выставка работ клуба «Рукодельница»", rules.EventKind.EXHIBITION, 40, 90),
    (5, 9, "Поздравление ветеранов с Днём Победы", rules.EventKind.CAMPAIGN, 50, 120),
    (6, 1, "Акция «Дети — детям»", rules.EventKind.CAMPAIGN, 20, 40),
    (6, 22, "День памяти и скорби", rules.EventKind.OTHER, 15, 30),
    (7, 8, "День семьи, любви и верности", rules.EventKind.HOLIDAY, 20, 45),
    (8, 20, "Экскурсия по родному краю", rules.EventKind.EXCURSION, 15, 25),
    (9, 15, "Спортивный праздник «Бодрость»", rules.EventKind.SPORT, 20, 40),
    (10, 1, "День пожилого человека", rules.EventKind.HOLIDAY, 60, 150),
    (10, 14, "Семинар «Финансовая грамотность»", rules.EventKind.SEMINAR, 12, 25),
    (11, 18, "День консультаций юриста и специалиста ПФР", rules.EventKind.CONSULTATION, 15, 35),
    (12, 3, "Декада инвалидов", rules.EventKind.CAMPAIGN, 30, 60),
    (12, 28, "Новогодний вечер", rules.EventKind.HOLIDAY, 40, 80),
)
# the months with club sessions (2020: none from April to August)
SESSION_MONTHS = (1, 2, 3, 9, 10, 11, 12)


def plan(size: str, seed: int, people: Sequence[int], department_id: int | None) -> bulk.Batch:
    """The clubs, their members (distinct people, drawn from `people`), sessions and events of 2020."""
    scale = SCALES[size]
    rng = random.Random(f"activities-{seed}")
    wanted = sum(n for _c, _n, n in scale.clubs)
    chosen = rng.sample(list(people), min(wanted, len(people)))
    batch = bulk.Batch()
    taken = 0
    for code, name, n in scale.clubs:
        batch.groups[code] = {"name": name, "kind": rules.GroupKind.CLUB, "department_id": department_id,
                              "start": datetime.date(2015, 9, 1), "end": None}
        members = chosen[taken:taken + n]
        taken += n
        spans = []
        for pk in members:
            joined = datetime.date(rng.choice((2017, 2018, 2019)), rng.randint(1, 12), 1)
            batch.members[(code, pk)] = {"joined_on": joined, "left_on": None}
            spans.append(rules.Span(joined, None))
        for month in SESSION_MONTHS:
            for day in (8, 22):
                date = datetime.date(YEAR, month, day)
                present = rules.members_on(spans, date)
                batch.sessions[(code, date)] = {"attendance": rng.randint(present // 2, present),
                                                "topic": rng.choice(("Чаепитие и беседа", "Песни под баян",
                                                                     "Мастер-класс", "Викторина", "Чтения"))}
    events = EVENTS if scale.events >= len(EVENTS) else tuple(rng.sample(EVENTS, scale.events))
    for i, (month, day, name, kind, low, high) in enumerate(sorted(events), start=1):
        batch.events[f"ev{YEAR}-{i:02d}"] = {"date": datetime.date(YEAR, month, day), "name": name, "kind": kind,
                                             "department_id": department_id, "participants": rng.randint(low, high)}
    _taxi(batch, scale, rng, people)
    _rental_and_volunteers(batch, size, seed, people)  # issue 13 (its own random stream)
    return batch


def _taxi(batch: bulk.Batch, scale: Scale, rng: random.Random, people: Sequence[int]) -> None:
    """Trips of 2020 for `taxi_people` people, `taxi_out` of them outside the district, whose fees by the tariff
    add up to `taxi_income`: the kilometres outside the district are what makes the sum."""
    riders = rng.sample(list(people), min(scale.taxi_people, len(people)))
    outside = set(riders[:scale.taxi_out])
    kinds = [d for d, w in TAXI_DESTINATIONS for _ in range(w)]
    trips: list[tuple[int, datetime.date, str, bool]] = []
    for pk in riders:
        for _ in range(rng.randint(1, 3) if pk not in outside else rng.randint(1, 2)):
            day = datetime.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
            trips.append((pk, day, rng.choice(kinds), pk in outside))
    out_trips = [i for i, t in enumerate(trips) if t[3]]
    # Σ fee = per_trip × trips + per_km × Σ km outside: the kilometres (in tenths) that make the income
    tenths = int((scale.taxi_income - TAXI_TARIFF.per_trip * len(trips)) / TAXI_TARIFF.per_km * 10)
    weights = [rng.randint(5, 15) for _ in out_trips]
    shares = [tenths * w // sum(weights) for w in weights]
    shares[-1] += tenths - sum(shares)
    km = dict(zip(out_trips, (Decimal(s) / 10 for s in shares), strict=True))
    seq: dict[tuple[int, datetime.date, str], int] = {}
    for i, (pk, day, dest, out) in enumerate(trips):
        key = (pk, day, str(dest))
        n = seq.get(key, 0)
        seq[key] = n + 1
        distance = km.get(i) if out else Decimal(rng.randint(2, 15))
        batch.taxi_trips[(pk, day, str(dest), n)] = {
            "out_of_district": out, "km": distance, "driver_id": None,
            "amount": rules.taxi_fee(TAXI_TARIFF, day, distance, out)}


def build(org: Organisation, departments: dict[str, Department], people: Sequence[int], size: str,
          seed: int, today: datetime.date | None = None) -> dict[str, int]:
    """Write the demo's clubs and events (2020's, and the same in every later year up to `today`); answers their
    counts for the demo's summary."""
    day_stay = departments.get("day_stay")
    batch = plan(size, seed, people, day_stay.pk if day_stay else None)
    if today is not None:
        later(batch, today)
    TaxiTariff.objects.create(organisation=org, valid_from=TAXI_TARIFF.valid_from, per_trip=TAXI_TARIFF.per_trip,
                              per_km=TAXI_TARIFF.per_km)
    counts = bulk.write(org.pk, batch)
    actions.log_bulk(org, counts, actor=None, source="demo")
    return {"groups": len(batch.groups), "group_members": len(batch.members), "sessions": len(batch.sessions),
            "events": len(batch.events), "taxi_trips": len(batch.taxi_trips),
            # issue 13
            "rental_items": len(batch.rental_items), "rentals": len(batch.rentals),
            "volunteers": len(batch.volunteers), "volunteer_work": len(batch.volunteer_work)}


def later(batch: bulk.Batch, today: datetime.date) -> None:
    """Every year after 2020 up to `today` (issue 11): 2020's club sessions, events, taxi trips (their fee by the
    tariff) and volunteers' work moved by whole years, none after `today`. The clubs, members, rental items and
    volunteers stay those of 2020 (the members have not left); the rental point's issues are 2020's only."""
    sessions, events = list(batch.sessions.items()), list(batch.events.items())
    trips, work = list(batch.taxi_trips.items()), list(batch.volunteer_work.items())
    for year in later_years(today):
        for (code, day), row in sessions:
            if moved(day, year) <= today:
                batch.sessions[(code, moved(day, year))] = dict(row)
        for code, row in events:
            if moved(row["date"], year) <= today:
                batch.events[code.replace(str(YEAR), str(year), 1)] = {**row, "date": moved(row["date"], year)}
        for (pk, day, dest, n), row in trips:
            new = moved(day, year)
            if new <= today:
                batch.taxi_trips[(pk, new, dest, n)] = {
                    **row, "amount": rules.taxi_fee(TAXI_TARIFF, new, row["km"], row["out_of_district"])}
        for (vol, day, n), row in work:
            if moved(day, year) <= today:
                batch.volunteer_work[(vol, moved(day, year), n)] = dict(row)


def delete(org: Organisation) -> None:
    VolunteerWork.objects.filter(organisation=org).delete()  # issue 13
    Volunteer.objects.filter(organisation=org).delete()
    Rental.objects.filter(organisation=org).delete()
    RentalItem.objects.filter(organisation=org).delete()
    TaxiTrip.objects.filter(organisation=org).delete()
    TaxiTariff.objects.filter(organisation=org).delete()
    Session.objects.filter(organisation=org).delete()
    GroupMember.objects.filter(organisation=org).delete()
    Group.objects.filter(organisation=org).delete()
    Event.objects.filter(organisation=org).delete()


# ---- the rental point and volunteers (issue 13) -------------------------------------------------------------------
RENTAL_ITEMS = (  # (code, name, kind, how many)
    ("kolyaska", "Кресло-коляска", rules.AidKind.WHEELCHAIR, 4),
    ("hodunki", "Ходунки", rules.AidKind.WALKER, 3),
    ("kostyli", "Костыли (пара)", rules.AidKind.CRUTCHES, 3),
    ("trost", "Трость опорная", rules.AidKind.CANE, 2),
    ("krovat", "Кровать функциональная", rules.AidKind.BED, 2),
    ("kreslo-tualet", "Кресло-туалет", rules.AidKind.TOILET_CHAIR, 2),
)
RENTAL_FEE = Decimal("200.00")
# (items, issues, people, still out at the year's end, volunteers, silver among them, snow helps, campaign pieces)
RENTAL_SCALES = {"centre": (16, 20, 17, 3, 29, 4, 8, 10), "small": (5, 4, 3, 1, 4, 1, 2, 1)}


def _volunteer_name(rng: random.Random, young: bool) -> str:
    surname = rng.choice(names.SURNAMES[:120])
    father = rng.choice(names.MALE_MIDDLE if young else names.MALE_OLD)
    if rng.random() < 0.5:
        first = rng.choice(names.MALE_YOUNG if young else names.MALE_MIDDLE)[0]
        return f"{surname} {first} {father[1]}"

    first = rng.choice(names.FEMALE_YOUNG if young else names.FEMALE_MIDDLE)
    return f"{names.female_surname(surname)} {first} {father[2]}"


def _rental_and_volunteers(batch: bulk.Batch, size: str, seed: int, people: Sequence[int]) -> None:
    """Seed 000's rental point and volunteers of 2020 (see the module's notes for what is chosen)."""
    n_items, n_issues, n_people, n_out, n_volunteers, n_silver, n_snow, n_campaign = RENTAL_SCALES[size]
    rng = random.Random(f"rental-volunteers-{seed}")
    codes: list[str] = []
    for code, name, kind, count in RENTAL_ITEMS:
        for i in range(1, count + 1):
            if len(codes) < n_items:
                codes.append(f"{code}-{i}")
                batch.rental_items[codes[-1]] = {"name": name, "kind": kind,
                                                 "inventory_no": f"ТСР-{len(codes):04d}"}
    persons = rng.sample(list(people), min(n_people, len(people)))
    renters = persons + rng.sample(persons, n_issues - len(persons))  # some people rent twice
    free_from = {code: datetime.date(YEAR, 1, 9) for code in codes}
    for i, pk in enumerate(renters):
        code = min(codes, key=lambda c: (free_from[c], c))  # the item free the longest
        spread = datetime.date(YEAR, 1, 9) + datetime.timedelta(days=i * 330 // len(renters) + rng.randint(0, 6))
        issued = max(free_from[code], spread)
        days = rng.choice((30, 60))
        due: datetime.date | None = issued + datetime.timedelta(days=days)
        returned: datetime.date | None = issued + datetime.timedelta(days=rng.randint(days - 10, days + 10))
        if i >= len(renters) - n_out:  # still out at the year's end: the first of them overdue, the others open-ended
            returned = None
            due = issued + datetime.timedelta(days=30) if i == len(renters) - n_out else None
        elif returned is not None and returned.year > YEAR:
            returned = datetime.date(YEAR, 12, 30)
        free_from[code] = returned or datetime.date(YEAR + 1, 12, 31)
        batch.rentals[(code, issued)] = {"recipient_id": pk, "due_on": due, "returned_on": returned,
                                         "amount": RENTAL_FEE, "worker_id": None}
    volunteers = [f"vol-{i:02d}" for i in range(1, n_volunteers + 1)]
    for i, code in enumerate(volunteers):
        silver = i >= n_volunteers - n_silver
        batch.volunteers[code] = {"full_name": _volunteer_name(rng, not silver),
                                  "kind": rules.VolunteerKind.SILVER if silver else rules.VolunteerKind.STUDENT,
                                  "joined_on": datetime.date(2019 if silver else YEAR, rng.randint(1, 12), 1)
                                  if silver else datetime.date(YEAR, 1, 10)}
    helped = rng.sample(list(people), min(n_snow, len(people)))
    for i, pk in enumerate(helped):
        day = datetime.date(YEAR, 1 + i % 2, 15 + i)
        batch.volunteer_work[(volunteers[i], day, 0)] = {
            "hours": Decimal(rng.randint(2, 4)), "recipient_id": pk,
            "activity": "Уборка снега с придомовой территории"}
    for i in range(n_campaign):
        batch.volunteer_work[(volunteers[-(n_silver + 1 + i)], datetime.date(YEAR, 9, 18), 0)] = {
            "hours": Decimal("3"), "recipient_id": None,
            "activity": "Акция: доставка овощных наборов маломобильным гражданам"}
