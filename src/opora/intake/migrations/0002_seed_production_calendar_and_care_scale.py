"""Seed data: the Russian production calendar and the care-level scale.

Both are CONFIGURABLE DATA, not law baked into code: an administrator edits them in the web UI
(Rules → Calendar, Rules → Care level scale; the right "manage rules"). Rows have region "" (everywhere);
a region adds its own rows, which win for that region.

The production calendar (Labour Code art. 112 and the Government's annual resolutions on moving days off):
- 2019: resolution No. 1163 of 01.10.2018: 5 Jan → 2 May, 6 Jan → 3 May, 23 Feb → 10 May.
- 2020: resolution No. 875 of 10.07.2019: 4 Jan → 4 May, 5 Jan → 5 May; by art. 112 the holidays falling on
  a weekend move to the next working day: 23 Feb → 24 Feb, 8 Mar → 9 Mar, 9 May → 11 May. Also the one-off
  public non-working days of 24 Jun (Victory parade, decree No. 354) and 1 Jul (constitutional vote, decree
  No. 345). NOT seeded: the "non-working days with pay" of the pandemic (30 Mar–30 Apr and 6–8 May 2020), from
  which social service organisations were exempt and kept working; an administrator may add them.
- 2021: resolution No. 1648 of 10.10.2020: 2 Jan → 5 Nov, 3 Jan → 31 Dec, and Saturday 20 Feb is a working day
  (its day off moved to 22 Feb); by art. 112: 1 May → 3 May, 9 May → 10 May, 12 Jun → 14 Jun. NOT seeded: the
  pandemic non-working days of 4–7 May and 30 Oct–7 Nov 2021 (decrees No. 242 and No. 595).
- 2026: the Government's resolution for 2026: 3 Jan → 9 Jan, 4 Jan → 31 Dec; by art. 112: 8 Mar → 9 Mar,
  9 May → 11 May.
- 2027: only the statutory holidays and the art. 112 moves (1 May → 3 May, 9 May → 10 May, 12 Jun → 14 Jun).
  The Government's move of the January weekend days (2–3 Jan 2027) was not known when this was written:
  an administrator adds it when the resolution is published.
Weekend days that are holidays anyway are stored too (name only, no effect on counting).

The care-level scale: a plausible placeholder (see intake/questionnaire.py), 12 items scored 0..3, max 36.
"""

import datetime

from django.db import migrations

NEW_YEAR = "Новогодние каникулы"
CHRISTMAS = "Рождество Христово"
DEFENDER = "День защитника Отечества"
WOMEN = "Международный женский день"
SPRING = "Праздник Весны и Труда"
VICTORY = "День Победы"
RUSSIA = "День России"
UNITY = "День народного единства"
MOVED = "Перенос выходного дня"
WORKING_SATURDAY = "Рабочий день (перенос)"


def _new_year(year):
    days = [(datetime.date(year, 1, d), NEW_YEAR) for d in range(1, 9) if d != 7]
    days.append((datetime.date(year, 1, 7), CHRISTMAS))
    return days


def _d(year, month, day, name):
    return (datetime.date(year, month, day), name)


HOLIDAYS = [
    # 2019
    *_new_year(2019),
    _d(2019, 2, 23, DEFENDER), _d(2019, 3, 8, WOMEN),
    _d(2019, 5, 1, SPRING), _d(2019, 5, 2, MOVED), _d(2019, 5, 3, MOVED),
    _d(2019, 5, 9, VICTORY), _d(2019, 5, 10, MOVED),
    _d(2019, 6, 12, RUSSIA), _d(2019, 11, 4, UNITY),
    # 2020
    *_new_year(2020),
    _d(2020, 2, 23, DEFENDER), _d(2020, 2, 24, MOVED),
    _d(2020, 3, 8, WOMEN), _d(2020, 3, 9, MOVED),
    _d(2020, 5, 1, SPRING), _d(2020, 5, 4, MOVED), _d(2020, 5, 5, MOVED),
    _d(2020, 5, 9, VICTORY), _d(2020, 5, 11, MOVED),
    _d(2020, 6, 12, RUSSIA),
    _d(2020, 6, 24, "Парад Победы (нерабочий день)"), _d(2020, 7, 1, "Голосование по Конституции (нерабочий день)"),
    _d(2020, 11, 4, UNITY),
    # 2021
    *_new_year(2021),
    _d(2021, 2, 22, MOVED), _d(2021, 2, 23, DEFENDER), _d(2021, 3, 8, WOMEN),
    _d(2021, 5, 1, SPRING), _d(2021, 5, 3, MOVED),
    _d(2021, 5, 9, VICTORY), _d(2021, 5, 10, MOVED),
    _d(2021, 6, 12, RUSSIA), _d(2021, 6, 14, MOVED),
    _d(2021, 11, 4, UNITY), _d(2021, 11, 5, MOVED), _d(2021, 12, 31, MOVED),
    # 2026
    *_new_year(2026), _d(2026, 1, 9, MOVED),
    _d(2026, 2, 23, DEFENDER), _d(2026, 3, 8, WOMEN), _d(2026, 3, 9, MOVED),
    _d(2026, 5, 1, SPRING), _d(2026, 5, 9, VICTORY), _d(2026, 5, 11, MOVED),
    _d(2026, 6, 12, RUSSIA), _d(2026, 11, 4, UNITY), _d(2026, 12, 31, MOVED),
    # 2027 (statutory only, see above)
    *_new_year(2027),
    _d(2027, 2, 23, DEFENDER), _d(2027, 3, 8, WOMEN),
    _d(2027, 5, 1, SPRING), _d(2027, 5, 3, MOVED),
    _d(2027, 5, 9, VICTORY), _d(2027, 5, 10, MOVED),
    _d(2027, 6, 12, RUSSIA), _d(2027, 6, 14, MOVED), _d(2027, 11, 4, UNITY),
]

WORKING_WEEKENDS = [_d(2021, 2, 20, WORKING_SATURDAY)]

# level, score from, score to, hours a week
CARE_SCALE = [(0, 0, 9, 0), (1, 10, 17, 7), (2, 18, 25, 14), (3, 26, 36, 28)]
CARE_SCALE_FROM = datetime.date(2019, 1, 1)


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("org", "CalendarDay")
    CareLevelScale = apps.get_model("intake", "CareLevelScale")
    for rows, working in ((HOLIDAYS, False), (WORKING_WEEKENDS, True)):
        for day, name in rows:
            CalendarDay.objects.get_or_create(region="", date=day, defaults={"is_working": working, "name": name})
    for level, low, high, hours in CARE_SCALE:
        CareLevelScale.objects.get_or_create(
            region="", valid_from=CARE_SCALE_FROM, level=level,
            defaults={"min_score": low, "max_score": high, "weekly_hours": hours})


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("org", "CalendarDay")
    CareLevelScale = apps.get_model("intake", "CareLevelScale")
    CalendarDay.objects.filter(region="", date__in=[d for d, _ in HOLIDAYS + WORKING_WEEKENDS]).delete()
    CareLevelScale.objects.filter(region="", valid_from=CARE_SCALE_FROM).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0001_applications_assessments"),
        ("org", "0002_calendar_days"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
