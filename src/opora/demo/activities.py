"""The demo's services beyond casework: seed 000's clubs and events of 2020 at the demo's scale.

Seed 000 (the centre): 5 clubs («Досуг», «Дружба» …) with 64 members, 15 events; the social taxi for 70 people,
25 of them outside the district, income 77 900 ₽. `plan` draws them without
the database (deterministic for a seed); `build` writes them through the domain's bulk entry point
(activities.bulk.write) with one audit event, as the import does. The small demo has 2 clubs, 8 members and
3 events.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from opora.activities import actions, bulk, rules
from opora.activities.models import Event, Group, GroupMember, Session, TaxiTariff, TaxiTrip
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
          seed: int) -> dict[str, int]:
    """Write the demo's clubs and events; answers their counts for the demo's summary."""
    day_stay = departments.get("day_stay")
    batch = plan(size, seed, people, day_stay.pk if day_stay else None)
    TaxiTariff.objects.create(organisation=org, valid_from=TAXI_TARIFF.valid_from, per_trip=TAXI_TARIFF.per_trip,
                              per_km=TAXI_TARIFF.per_km)
    counts = bulk.write(org.pk, batch)
    actions.log_bulk(org, counts, actor=None, source="demo")
    return {"groups": len(batch.groups), "group_members": len(batch.members), "sessions": len(batch.sessions),
            "events": len(batch.events), "taxi_trips": len(batch.taxi_trips)}


def delete(org: Organisation) -> None:
    TaxiTrip.objects.filter(organisation=org).delete()
    TaxiTariff.objects.filter(organisation=org).delete()
    Session.objects.filter(organisation=org).delete()
    GroupMember.objects.filter(organisation=org).delete()
    Group.objects.filter(organisation=org).delete()
    Event.objects.filter(organisation=org).delete()
