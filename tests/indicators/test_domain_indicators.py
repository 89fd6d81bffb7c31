"""The indicators of money and quality give the same figures as the reports `funds` and `quality` of the same
record (the registry's promise: the same question, the same answer everywhere)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from opora.indicators.registry import get_indicator
from opora.lib.errors import DomainError
from opora.org.models import Organisation
from tests.activities.test_groups_events import _known_centre
from tests.exchange.test_import import categories, run  # noqa: F401 (categories: a fixture)
from tests.fieldwork.test_reports import centre  # noqa: F401 (a fixture: a centre's field work with known figures)
from tests.money.conftest import money  # noqa: F401 (a fixture: a centre's money with known figures)
from tests.quality.test_exchange_and_report import EXPECTED, build_quality

Y2020 = (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))


def value(name: str, org_id: int, params: dict[str, str] | None = None, period=Y2020):
    return get_indicator(name).compute([org_id], *period, params or {})


def test_aid_indicators_agree_with_the_funds_report(money):  # noqa: F811
    org = money.world.org.pk
    # 2020: persons 300 + 200 + 150 + 0 + 100 = 750, families 1 800 + 250 = 2 050 (the funds table's used_*)
    assert value("aid_amount", org) == Decimal("2800")
    assert value("aid_recipients", org) == 5  # three persons and two families, each counted once
    assert value("aid_amount", org, {"kind": "fuel"}) == Decimal("1800")
    assert value("aid_recipients", org, {"kind": "fuel"}) == 1
    assert value("aid_amount", org, {"campaign": "ny"}) == Decimal("350")
    assert value("aid_recipients", org, {"fund": "char"}) == 3
    assert value("aid_amount", org, period=(datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))) == 400
    with pytest.raises(DomainError):
        value("aid_amount", org, {"kind": "gold"})


def test_quality_indicators_agree_with_the_quality_report(tmp_path, categories):  # noqa: F811
    status, _out, err = run(build_quality(tmp_path / "q"))
    assert status == 0, err
    org = Organisation.objects.get(code="imp").pk
    complaints = EXPECTED["complaints"]["all"]
    assert value("complaints", org) == complaints["complaints"] == 2
    surveys = EXPECTED["surveys"]
    assert value("respondents", org) == sum(s["respondents"] for s in surveys.values()) == 723
    assert value("respondents", org, {"survey": "sat2020"}) == 4
    for code, figures in surveys.items():
        pct = value("satisfied_pct", org, {"survey": code})
        assert pct.quantize(Decimal("0.01")) == Decimal(str(figures["satisfied_pct"]))
    assert value("publications", org) == 3
    assert value("publications", org, {"kind": "site"}) == EXPECTED["publications"]["site"]["count"]
    assert value("trained", org) == EXPECTED["staff_training"]["all"]["trained"] == 1
    assert value("complaints", org, period=(datetime.date(2017, 1, 1), datetime.date(2017, 12, 31))) == 0


def test_activity_indicators_agree_with_the_activities_report(world):
    _known_centre(world)  # tests/activities: the figures of the report's groups and events tables
    org = world.org.pk
    assert value("events", org) == 3 and value("events", org, {"kind": "holiday"}) == 2
    assert value("participants", org) == 115
    assert value("sessions", org) == 2 and value("sessions", org, {"group": "pc"}) == 0
    assert value("attendance", org, {"group": "dosug"}) == 3
    assert value("participants", org, period=(datetime.date(2020, 4, 1), datetime.date(2020, 6, 30))) == 60
    with pytest.raises(DomainError):
        value("events", org, {"kind": "picnic"})


def test_the_visits_indicator_agrees_with_the_field_work_report(centre):  # noqa: F811
    org = centre.org.pk  # tests/fieldwork: three fire-safety visits, two patronage visits and a raid in 2020
    assert value("visits", org) == 6
    assert value("visits", org, {"kind": "fire_safety"}) == 3
    assert value("visits", org, {"kind": "patronage"}) == 2
    assert value("visits", org, {"kind": "raid"}) == 1
    assert value("visits", org, period=(datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))) == 1
