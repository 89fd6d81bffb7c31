"""The demo's money reproduces seed 000's funds table exactly (demo/money.py; its notes say where the seed's
own tables disagree)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opora.demo.builder import build_demo, delete_demo
from opora.demo.money import NOTES
from opora.lib.periods import Period
from opora.money.models import Aid
from opora.reports.registry import build_report, system_actor

pytestmark = pytest.mark.django_db


def test_the_demo_reproduces_the_seed_funds_table(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    summary = build_demo("small", 2020)
    org = summary.organisation
    doc = build_report("funds", [org], Period.year_of(2020), actor=system_actor([org]))
    funds = {r.key: r.values for r in doc.tables()["funds"].rows}
    assert funds["total"] == {"opening": Decimal("164897"), "received": Decimal("8193208"),
                              "used_adults": Decimal("5151993"), "used_families": Decimal("2945050"),
                              "closing": Decimal("261062")}
    assert funds["regional"]["used_adults"] == Decimal("2844912")
    assert funds["municipal"]["closing"] == Decimal("89959")
    assert funds["charity"]["closing"] == Decimal("171103")
    kinds = {r.key: r.values for r in doc.tables()["aid_by_fund_kind"].rows}
    assert kinds["regional"]["disabled_amount"] == Decimal("511100")
    assert kinds["municipal"]["disabled_amount"] == Decimal("119817")
    camp = {r.key: r.values for r in doc.tables()["campaigns"].rows}
    assert camp["new_year"]["amount"] == Decimal("75000") and camp["new_year"]["quantity"] == 500
    budget = {r.key: r.values for r in build_report("budget_execution", [org], Period.year_of(2020),
                                                    actor=system_actor([org])).tables()["budget"].rows}
    assert budget["total"]["approved"] == Decimal("1958400") * 12
    assert "538 202" in NOTES
    assert summary.counts["money_aid"] == Aid.objects.count() > 0
    assert delete_demo(org.code)
    assert not Aid.objects.exists()
