"""The production calendar now comes from the `holidays` package (org/calendar.py); the rows seeded by 0002 for
2019, 2020, 2021, 2026 and 2027 only repeated it. Delete exactly those rows: region "" (and, since org 0004,
jurisdiction "ru"), the seeded date, day kind and name; a row an administrator changed stays.

Kept as overrides, because the package does not have them: the one-off non-working days of 2020, 24 June (Victory
parade, decree No. 354) and 1 July (constitutional vote, decree No. 345).

tests/lib/test_calendar.py checks that every deleted row agrees with the package. Reversible: the rows come back.
"""

import datetime
import importlib

from django.db import migrations

SEED = importlib.import_module("opora.intake.migrations.0002_seed_production_calendar_and_care_scale")
KEPT = {datetime.date(2020, 6, 24), datetime.date(2020, 7, 1)}
DROPPED = [(day, name, working)
           for rows, working in ((SEED.HOLIDAYS, False), (SEED.WORKING_WEEKENDS, True))
           for day, name in rows if day not in KEPT]


def drop(apps, schema_editor):
    CalendarDay = apps.get_model("org", "CalendarDay")
    for day, name, working in DROPPED:
        CalendarDay.objects.filter(jurisdiction="ru", region="", date=day, is_working=working, name=name).delete()


def restore(apps, schema_editor):
    CalendarDay = apps.get_model("org", "CalendarDay")
    for day, name, working in DROPPED:
        CalendarDay.objects.get_or_create(jurisdiction="ru", region="", date=day,
                                          defaults={"is_working": working, "name": name})


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0002_seed_production_calendar_and_care_scale"),
        ("org", "0004_calendar_day_jurisdiction"),
    ]

    operations = [migrations.RunPython(drop, restore)]
