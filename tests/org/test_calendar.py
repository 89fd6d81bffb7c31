"""The production calendar of an organisation: its jurisdiction's from the `holidays` package, the administrators'
overrides, the deadlines counted on it and the page that edits the overrides."""

from __future__ import annotations

import datetime
import importlib

import holidays
import pytest
from django.urls import reverse

from opora.intake import actions
from opora.intake.models import Application
from opora.org.calendar import calendar_for, package_calendar
from opora.org.models import CalendarDay
from opora.programmes.models import Programme
from opora.programmes.queries import drawing_up_deadline

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
# The one-off non-working days of 2020 (decrees No. 354 and No. 345): seeded, not in the package, kept as overrides.
KEPT_2020 = {D(2020, 6, 24), D(2020, 7, 1)}
DROP = importlib.import_module("opora.intake.migrations.0003_remove_calendar_rows_the_holidays_package_gives")


def every_day(first: D, last: D) -> list[D]:
    return [first + ONE_DAY * i for i in range((last - first).days + 1)]


def register(world, received_on: D) -> Application:
    values = {"received_on": received_on, "channel": "in_person", "requested_form": "home",
              "department": world.home1}
    return actions.do_register_application(world.org, values, actor=world.actor("department_head"),
                                           recipient=world.in_caseload)


@pytest.mark.parametrize(("jurisdiction", "country", "differences"), [("ru", "RU", KEPT_2020), ("ua", "UA", set())])
def test_it_matches_the_holidays_package_every_day_of_2019_to_2027(world, jurisdiction, country, differences):
    world.org.jurisdiction = jurisdiction
    world.org.save()
    reference = holidays.country_holidays(country, years=range(2019, 2028))
    cal = calendar_for(world.org)
    days = every_day(D(2019, 1, 1), D(2027, 12, 31))
    assert len(days) == 3287
    assert {d for d in days if cal.is_working_day(d) != reference.is_working_day(d)} == differences
    assert all(not cal.is_working_day(d) for d in differences)


@pytest.mark.django_db
def test_it_dropped_exactly_the_seeded_rows_the_package_repeats():
    reference = holidays.country_holidays("RU", years=range(2019, 2028))
    assert len(DROP.DROPPED) == 92
    for day, _name, working in DROP.DROPPED:
        assert reference.is_working_day(day) == working, day
    assert not CalendarDay.objects.filter(date__in=[d for d, _, _ in DROP.DROPPED]).exists()
    kept = CalendarDay.objects.filter(jurisdiction="ru", region="", date__in=KEPT_2020, is_working=False)
    assert kept.count() == 2


def test_it_counts_a_russian_decision_deadline_past_the_new_year_holidays(world):
    # 25.12.2024 + 5 working days: 26, 27, Saturday 28 (worked), then 29.12–08.01 off, 9 and 10 January.
    assert register(world, D(2024, 12, 25)).decision_due == D(2025, 1, 10)


def test_it_lets_a_decision_fall_due_on_a_working_saturday(world):
    # Monday 28.10.2024: 29, 30, 31 October, 1 November, Saturday 2 November (worked for Monday 4 November, off).
    application = register(world, D(2024, 10, 28))
    assert application.decision_due == D(2024, 11, 2) and application.decision_due.weekday() == 5


def test_it_gives_a_ukrainian_organisation_the_ukrainian_calendar(world):
    world.org.jurisdiction = "ua"
    world.org.save()
    # Under martial law (Law 2136-IX) 25 December and 1 January are working days; 29.12–08.01 is not a Russian
    # holiday break here.
    assert register(world, D(2024, 12, 25)).decision_due == D(2025, 1, 1)
    # The Russian overrides (region "", jurisdiction ru) do not apply in Ukraine.
    assert calendar_for(world.org).is_working_day(D(2020, 6, 24))
    assert not calendar_for(world.other_org).is_working_day(D(2020, 6, 24))
    # Programmes too: 10 working days after a decision of Friday 20.12.2024.
    programme = Programme(organisation=world.org, application=Application(decided_on=D(2024, 12, 20)))
    assert drawing_up_deadline(programme) == D(2025, 1, 3)
    programme.organisation = world.other_org
    assert drawing_up_deadline(programme) == D(2025, 1, 14)


def test_it_lets_an_override_in_the_database_win(world):
    world.org.region = "Кемеровская область"
    world.org.save()
    # A general Russian row: Monday 30 December 2024 (a day off moved from Sunday 7 January) worked after all.
    CalendarDay.objects.create(jurisdiction="ru", region="", date=D(2024, 12, 30), is_working=True)
    assert register(world, D(2024, 12, 25)).decision_due == D(2025, 1, 9)
    # The region's own row for the same date wins over the general one; another region's does not count.
    CalendarDay.objects.create(jurisdiction="ru", region="Кемеровская область", date=D(2024, 12, 30),
                               is_working=False, name="Региональный выходной")
    CalendarDay.objects.create(jurisdiction="ru", region="Томская область", date=D(2025, 1, 10), is_working=False)
    assert register(world, D(2024, 12, 25)).decision_due == D(2025, 1, 10)
    # A Ukrainian row of the same region name does not reach a Russian organisation.
    CalendarDay.objects.create(jurisdiction="ua", region="Кемеровская область", date=D(2025, 1, 10),
                               is_working=False)
    assert register(world, D(2024, 12, 25)).decision_due == D(2025, 1, 10)
    # A region's row making a working day a day off moves the deadline.
    CalendarDay.objects.create(jurisdiction="ru", region="Кемеровская область", date=D(2025, 1, 9),
                               is_working=False)
    assert register(world, D(2024, 12, 25)).decision_due == D(2025, 1, 13)


def test_it_computes_the_package_calendar_once_per_process():
    assert package_calendar("ru") is package_calendar("ru")
    assert package_calendar("ru") != package_calendar("ua")


def test_it_edits_the_overrides_on_the_calendar_page_at_its_old_address(world):
    world.org.jurisdiction = "ua"
    world.org.save()
    admin = world.client("admin")
    assert reverse("calendar_list") == "/intake/calendar/"
    form = admin.get(reverse("calendar_create")).context["form"]
    assert form.initial["jurisdiction"] == "ua"  # the organisation being worked in
    response = admin.post(reverse("calendar_create"), {"jurisdiction": "ua", "region": "", "date": "2025-01-07",
                                                       "is_working": "", "name": "Різдво"})
    assert response.status_code == 302
    # The next deadline counts it at once: 06.01.2025 + 1 skips Tuesday 7 January.
    assert calendar_for(world.org).add_working_days(D(2025, 1, 6), 1) == D(2025, 1, 8)
    day = CalendarDay.objects.get(jurisdiction="ua", date=D(2025, 1, 7))
    page = admin.get(reverse("calendar_list"))
    assert page.status_code == 200 and "Різдво" in page.content.decode()
    assert admin.post(reverse("calendar_edit", args=[day.pk]), {"jurisdiction": "ua", "region": "",
                                                               "date": "2025-01-07", "is_working": "on",
                                                               "name": "Різдво"}).status_code == 302
    assert calendar_for(world.org).add_working_days(D(2025, 1, 6), 1) == D(2025, 1, 7)
    # The same date twice in one jurisdiction and region is refused; in the other jurisdiction it is another row.
    again = admin.post(reverse("calendar_create"), {"jurisdiction": "ua", "region": "", "date": "2025-01-07",
                                                    "name": "x"})
    assert again.status_code == 200 and again.context["form"].errors
    assert admin.post(reverse("calendar_create"), {"jurisdiction": "ru", "region": "", "date": "2025-01-07",
                                                   "name": "x"}).status_code == 302
    assert world.client("department_head").post(reverse("calendar_create"), {
        "jurisdiction": "ua", "date": "2025-01-08"}).status_code == 403


def test_it_shows_the_organisations_year_with_working_days_per_month(world):
    admin = world.client("admin")
    page = admin.get(reverse("calendar_list"), {"year": "2024"})
    year = page.context["calendar"]
    # The Russian production calendar of 2024: 248 working days (17 in January, 21 in December).
    assert (year.year, year.total) == (2024, 248)
    assert [n for _first, n in year.months] == [17, 20, 20, 21, 20, 19, 23, 22, 21, 23, 21, 21]
    saturday = next(d for d in year.days if d.day == D(2024, 12, 28))
    assert saturday.is_working and saturday.override is None
    assert "Выходной (перенесено с 28.12.2024)" in page.content.decode()
    # An override shows as one, and the region's own row wins on the page too.
    world.org.region = "Кемеровская область"
    world.org.save()
    CalendarDay.objects.create(jurisdiction="ru", region="", date=D(2024, 12, 30), is_working=True, name="Общий")
    row = CalendarDay.objects.create(jurisdiction="ru", region="Кемеровская область", date=D(2024, 12, 30),
                                     is_working=False, name="Областной")
    day = next(d for d in admin.get(reverse("calendar_list"), {"year": "2024"}).context["calendar"].days
               if d.day == D(2024, 12, 30))
    assert (day.is_working, day.name, day.override) == (False, "Областной", row)
    # A Ukrainian organisation: every weekday of 2024 is worked (martial law); a bad year shows this year.
    world.org.jurisdiction = "ua"
    world.org.save()
    ukrainian = admin.get(reverse("calendar_list"), {"year": "2024"})
    assert ukrainian.context["calendar"].total == 262
    assert "праздничные дни не являются выходными" in ukrainian.content.decode()
    assert admin.get(reverse("calendar_list"), {"year": "1700"}).context["calendar"].year == D.today().year
