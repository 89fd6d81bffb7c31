"""The demo's services beyond casework: seed 000's clubs and events of 2020 at the demo's scale.

Seed 000 (the centre): 5 clubs («Досуг», «Дружба» …) with 64 members, 15 events. `plan` draws them without
the database (deterministic for a seed); `build` writes them through the domain's bulk entry point
(activities.bulk.write) with one audit event, as the import does. The small demo has 2 clubs, 8 members and
3 events.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

from opora.activities import actions, bulk, rules
from opora.activities.models import Event, Group, GroupMember, Session
from opora.org.models import Department, Organisation

YEAR = 2020


@dataclass(frozen=True)
class Scale:
    clubs: tuple[tuple[str, str, int], ...]  # (code, name, members)
    events: int


CLUBS = (("dosug", "Клуб «Досуг»", 16), ("druzhba", "Клуб «Дружба»", 14), ("zdorovie", "Клуб «Здоровье»", 12),
         ("rukodelnitsa", "Клуб «Рукодельница»", 12), ("vdohnovenie", "Клуб «Вдохновение»", 10))
SCALES = {"centre": Scale(CLUBS, 15),
          "small": Scale((("dosug", "Клуб «Досуг»", 5), ("druzhba", "Клуб «Дружба»", 3)), 3)}

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
    return batch


def build(org: Organisation, departments: dict[str, Department], people: Sequence[int], size: str,
          seed: int) -> dict[str, int]:
    """Write the demo's clubs and events; answers their counts for the demo's summary."""
    day_stay = departments.get("day_stay")
    batch = plan(size, seed, people, day_stay.pk if day_stay else None)
    counts = bulk.write(org.pk, batch)
    actions.log_bulk(org, counts, actor=None, source="demo")
    return {"groups": len(batch.groups), "group_members": len(batch.members), "sessions": len(batch.sessions),
            "events": len(batch.events)}


def delete(org: Organisation) -> None:
    Session.objects.filter(organisation=org).delete()
    GroupMember.objects.filter(organisation=org).delete()
    Group.objects.filter(organisation=org).delete()
    Event.objects.filter(organisation=org).delete()
