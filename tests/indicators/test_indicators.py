"""Every indicator on a small centre with known figures; parameters checked; the CLI and the API answer the same."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from opora.indicators.registry import all_indicators, get_indicator
from opora.lib.errors import DomainError
from opora.lib.periods import Period
from opora.reports.registry import build_report, system_actor
from tests.indicators.centre import small_centre

Y = (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))

CASES = [
    ("services", {}, 6),
    ("services", {"department": "home"}, 5),
    ("services", {"department": "urg"}, 1),
    ("services", {"list": "additional"}, 3),
    ("services", {"type": "urgent"}, 1),
    ("services", {"service": "1.1"}, 2),
    ("services", {"category": "pensioner"}, 4),
    ("services", {"kind": "home_care"}, 5),
    ("services", {"kind": "home_care", "category": "pensioner"}, 4),
    ("recipients", {}, 3),
    ("recipients", {"department": "home"}, 2),
    ("recipients", {"list": "additional"}, 2),
    ("recipients", {"category": "lonely"}, 1),
    ("recipients", {"kind": "urgent"}, 1),
    ("income", {}, Decimal("1091.00")),
    ("income", {"list": "additional"}, Decimal("341.00")),
    ("income", {"list": "basic"}, Decimal("750.00")),
    ("applications", {}, 3),
    ("applications", {"channel": "online"}, 2),
    ("applications", {"status": "refused"}, 1),
    ("admitted", {}, 2),  # R1, R2 (the move of R2 to home2 is a transfer)
    ("admitted", {"department": "home2"}, 1),
    ("discharged", {}, 1),  # R2 from home2 on 30.11 (the discharge from home on 30.06 is a transfer)
    ("discharged", {"department": "home"}, 1),
]


@pytest.fixture
def centre(tmp_path, db):
    return small_centre(tmp_path / "centre")


@pytest.mark.parametrize(("name", "params", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_it_computes_every_indicator_on_the_small_centre(centre, name, params, expected):
    value = get_indicator(name).compute([centre.pk], *Y, params)
    assert value == expected and type(value) is type(expected)


def test_it_counts_a_part_of_a_month_from_the_journal(centre):
    # February only, and the 3rd alone (not whole months: the journal itself is read, not the aggregates)
    assert get_indicator("services").compute([centre.pk], datetime.date(2020, 2, 1), datetime.date(2020, 2, 29)) == 4
    assert get_indicator("services").compute([centre.pk], datetime.date(2020, 2, 3), datetime.date(2020, 2, 3)) == 4
    assert get_indicator("services").compute([centre.pk], datetime.date(2020, 2, 4), datetime.date(2020, 3, 2)) == 0


def test_it_lists_the_least_set_with_their_parameters(db):
    names = {i.name: i for i in all_indicators()}
    assert {"services", "recipients", "income", "applications", "admitted", "discharged"} <= set(names)
    assert set(names["services"].params) == {"department", "kind", "type", "list", "service", "category"}
    assert set(names["applications"].params) >= {"channel", "status"}
    assert names["income"].unit == "money"


def test_it_names_an_unknown_parameter_and_a_bad_value(centre):
    with translation.override("en"), pytest.raises(DomainError) as exc:
        get_indicator("services").compute([centre.pk], *Y, {"colour": "red"})
    assert exc.value.field == "colour" and "colour" in exc.value.message
    with translation.override("ru"), pytest.raises(DomainError) as exc:
        get_indicator("services").compute([centre.pk], *Y, {"type": "cosmic"})
    assert "cosmic" in exc.value.message and exc.value.message != "Unknown value"
    with translation.override("en"), pytest.raises(DomainError) as exc:
        get_indicator("services").compute([centre.pk], *Y, {"department": "nowhere"})
    assert exc.value.field == "department" and "nowhere" in exc.value.message
    with pytest.raises(DomainError):
        get_indicator("nothing")


def test_the_commands_list_and_print(centre):
    out = io.StringIO()
    call_command("indicators", stdout=out)
    assert "services\tint" in out.getvalue() and "department=" in out.getvalue()
    out = io.StringIO()
    call_command("indicator", "income", "--organisation", "imp", "--year", "2020", stdout=out)
    assert out.getvalue().strip() == "1091.00"
    out = io.StringIO()
    call_command("indicator", "services", "--organisation", "imp", "--year", "2020", "--period", "q1",
                 "--param", "department=home", "--param", "list=additional", stdout=out)
    assert out.getvalue().strip() == "3"  # 2 windows of R1 in February, 1 of R2 in March
    out = io.StringIO()
    call_command("indicator", "services", "--organisation", "imp", "--start", "2020-04-01", "--end", "2020-04-30",
                 stdout=out)
    assert out.getvalue().strip() == "1"
    with translation.override("en"), pytest.raises(CommandError, match="--colour: .*colour"):
        call_command("indicator", "services", "--organisation", "imp", "--year", "2020", "--param", "colour=red")
    with pytest.raises(CommandError):
        call_command("indicator", "services", "--organisation", "nope", "--year", "2020")


@pytest.mark.parametrize(("name", "params", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_the_journal_and_its_monthly_aggregates_give_the_same_figure(centre, name, params, expected):
    # 31.12.2019 – 31.12.2020 holds the same records but is not whole months: the journal itself is read
    value = get_indicator(name).compute([centre.pk], datetime.date(2019, 12, 31), Y[1], params)
    assert value == expected


def test_the_income_indicator_agrees_with_the_reports_income_table(centre):
    """Income is billing's one rule (journal amounts + the monthly fees charged): the `income` indicator and the
    `income` table of the journal summary give the same total, basic and additional."""
    doc = build_report("journal_summary", [centre], Period.year_of(2020), actor=system_actor())
    tables = [b for s in doc.sections for b in s.blocks if getattr(b, "id", "") == "income"]
    assert len(tables) == 1
    total = next(r for r in tables[0].rows if r.key == "total").values
    for params, field in (({}, "total"), ({"list": "basic"}, "basic"), ({"list": "additional"}, "additional")):
        assert get_indicator("income").compute([centre.pk], *Y, params) == total[field] != 0


@pytest.mark.parametrize(("name", "params", "expected"), CASES[:15], ids=[f"{c[0]}-{c[1]}" for c in CASES[:15]])
def test_a_period_running_to_today_is_read_from_the_monthly_aggregates(centre, monkeypatch, name, params, expected):
    # A dashboard's year to date ends today, inside a month: no line can be dated after today (delivery/rules.py
    # check_date), so the month of today in the aggregates holds only days up to it — the same figure as the journal,
    # without reading the journal (a centre's year of lines by December)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opora.delivery import aggregates

    today = datetime.date(2020, 12, 30)
    assert not aggregates.covered_by_months(Y[0], today)  # the real today is later: not a month's end, not today
    journal = get_indicator(name).compute([centre.pk], Y[0], today, params)
    monkeypatch.setattr(aggregates.timezone, "localdate", lambda: today)
    assert aggregates.covered_by_months(Y[0], today) and not aggregates.covered_by_months(Y[0], today.replace(day=29))
    with CaptureQueriesContext(connection) as queries:
        value = get_indicator(name).compute([centre.pk], Y[0], today, params)
    assert value == journal == expected
    read_journal = [q["sql"] for q in queries.captured_queries if '"delivery_delivery"' in q["sql"]]
    # only what the aggregates do not keep goes to the journal: the people of a list, a type or a service
    assert bool(read_journal) == (name == "recipients" and bool({"list", "type", "service"} & set(params)))
