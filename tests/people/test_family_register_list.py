"""The families' social register at any date (issue 14): the list page and the API filter the families on the
register on a day, by the same rule as the report (people.rules.on_family_register), boundary days included."""

from __future__ import annotations

import datetime

import pytest

from opora.people import queries, rules
from opora.people.models import Family
from tests import factories as f

D = datetime.date


@pytest.fixture
def families(world):
    make = lambda name, registered, removed=None: f.FamilyFactory(  # noqa: E731
        organisation=world.org, name=name, registered_on=registered, deregistered_on=removed,
        deregistration_reason="own_request" if removed else "")
    return {
        "never": make("Никогда", None),
        "since_2019": make("Давние", D(2019, 5, 1)),
        "removed_31_12": make("Снятые 31.12", D(2019, 5, 1), D(2020, 12, 31)),
        "registered_31_12": make("Поставленные 31.12", D(2020, 12, 31)),
        "removed_1_1": make("Снятые 01.01", D(2019, 5, 1), D(2020, 1, 1)),
    }


@pytest.mark.parametrize("day", [D(2019, 4, 30), D(2019, 5, 1), D(2019, 12, 31), D(2020, 1, 1), D(2020, 12, 30),
                                 D(2020, 12, 31)])
def test_the_filter_and_the_rule_agree_on_every_boundary_day(families, day):
    by_rule = {k for k, fam in families.items() if rules.on_family_register(fam.registered_on, fam.deregistered_on,
                                                                            day)}
    by_query = set(queries.on_family_register(Family.objects.all(), day).values_list("name", flat=True))
    assert by_query == {families[k].name for k in by_rule}


def test_on_the_last_day_of_the_year_the_removed_are_off_and_the_registered_on(families):
    names = set(queries.on_family_register(Family.objects.all(), D(2020, 12, 31)).values_list("name", flat=True))
    assert names == {"Давние", "Поставленные 31.12"}


def test_the_list_page_shows_the_register_on_a_date(world, families):
    client = world.client("director")
    page = client.get("/families/", {"on_register": "31.12.2020"}).content.decode()
    assert "Давние" in page and "Поставленные 31.12" in page
    assert "Снятые 31.12" not in page and "Никогда" not in page and "Снятые 01.01" not in page
    assert 'value="2020-12-31"' in page
    page = client.get("/families/", {"on_register": "2019-12-31"}).content.decode()
    assert "Снятые 01.01" in page and "Снятые 31.12" in page and "Поставленные 31.12" not in page
    # no date, or an unreadable one: every family, as before
    assert "Никогда" in client.get("/families/").content.decode()
    assert "Никогда" in client.get("/families/", {"on_register": "31.02.2020"}).content.decode()


def test_the_api_filters_the_register_on_a_date(world, families):
    client = world.client("director")
    answer = client.get("/api/v1/families", {"on_register": "2020-12-31"})
    assert answer.status_code == 200
    assert {r["name"] for r in answer.json()["results"]} == {"Давние", "Поставленные 31.12"}
    assert answer.json()["count"] == 2
    assert client.get("/api/v1/families", {"on_register": "31.12.2020x"}).status_code == 422
