"""Reports `funds` and `budget_execution` with known figures (the data: tests/money/conftest.py)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from opora.lib.periods import Period
from opora.reports.registry import build_report, system_actor
from opora.reports.render import json as render_json

D = datetime.date
Y2020 = Period.year_of(2020)


def build(money, report, period=Y2020):
    org = money.world.org
    return build_report(report, [org], period, actor=system_actor([org]))


def table(doc, table_id):
    return {r.key: {k: v for k, v in r.values.items()} for r in doc.tables()[table_id].rows}


def dec(**kw):
    return {k: Decimal(v) if isinstance(v, str) else v for k, v in kw.items()}


def test_funds_balances_across_years(money):
    t = table(build(money, "funds"), "funds")
    assert list(t) == ["char", "reg", "total"]
    assert t["reg"] == dec(opening="5600", received="5000", used_adults="650", used_families="1800", closing="8150")
    # an opening balance dated inside the period is opening, not received
    assert t["char"] == dec(opening="500", received="700", used_adults="100", used_families="250", closing="850")
    assert t["total"] == dec(opening="6100", received="5700", used_adults="750", used_families="2050",
                             closing="9000")


def test_funds_of_periods_shorter_than_a_year(money):
    q1 = table(build(money, "funds", Period.quarter_of(2020, 1)), "funds")
    assert q1["reg"] == dec(opening="5600", received="3000", used_adults="500", used_families="0", closing="8100")
    q2 = table(build(money, "funds", Period.quarter_of(2020, 2)), "funds")
    assert q2["reg"] == dec(opening="8100", received="0", used_adults="150", used_families="0", closing="7950")
    # the closing of one quarter is the opening of the next
    assert q2["char"]["opening"] == q1["char"]["closing"] == Decimal("1200")


def test_aid_by_fund_and_kind_counts_people_once_per_fund(money):
    t = table(build(money, "funds"), "aid_by_fund_kind")
    assert list(t) == ["char", "char:clothing", "char:gifts", "reg", "reg:cash", "reg:food_set", "reg:fuel", "total"]
    assert t["reg"] == dec(adults_amount="650", adults_people=2, disabled_amount="500", disabled_people=1,
                           other_amount="0", other_people=0, families_amount="1800", families_count=1)
    assert t["reg:food_set"] == dec(adults_amount="350", adults_people=2, disabled_amount="200", disabled_people=1,
                                    other_amount="0", other_people=0, families_amount="0", families_count=0)
    assert t["reg:fuel"]["families_amount"] == Decimal("1800") and t["reg:fuel"]["families_count"] == 1
    # clothing donated (amount 0) to a labour veteran: neither disabled nor a pensioner → "other"
    assert t["char:clothing"] == dec(adults_amount="0", adults_people=1, disabled_amount="0", disabled_people=0,
                                     other_amount="0", other_people=1, families_amount="0", families_count=0)
    assert t["total"] == dec(adults_amount="750", adults_people=3, disabled_amount="500", disabled_people=1,
                             other_amount="0", other_people=1, families_amount="2050", families_count=2)


def test_aid_by_kind_category_and_campaign(money):
    doc = build(money, "funds")
    kinds = table(doc, "aid_by_kind")
    assert kinds == {
        "cash": dec(recipients=1, quantity=1, amount="300"),
        "food_set": dec(recipients=2, quantity=3, amount="350"),
        "fuel": dec(recipients=1, quantity=2, amount="1800"),
        "clothing": dec(recipients=1, quantity=3, amount="0"),
        "gifts": dec(recipients=2, quantity=3, amount="350"),
    }
    # a person in several categories (pensioner and disabled) counts in each
    assert table(doc, "aid_by_category") == {
        "disabled_2": dec(recipients=1, amount="500"), "family_large": dec(recipients=1, amount="1800"),
        "labour_veteran": dec(recipients=1, amount="0"), "pensioner": dec(recipients=2, amount="750")}
    assert table(doc, "campaigns") == {"coal": dec(recipients=1, quantity=2, amount="1800"),
                                       "ny": dec(recipients=2, quantity=3, amount="350")}
    chart = doc.charts()[0]
    assert chart.categories and chart.series[0].values == [Decimal("300"), Decimal("350"), Decimal("1800"),
                                                           Decimal("350")]


def test_budget_execution_by_fund_and_code(money):
    t = table(build(money, "budget_execution"), "budget")
    assert list(t) == ["general:2210", "general:2270", "general", "special:2210", "special", "total"]
    assert t["general:2210"]["approved"] == Decimal("1200") and t["general:2210"]["spent"] == Decimal("230")
    assert t["general:2210"]["savings"] == Decimal("970")
    assert round(t["general:2210"]["pct"], 2) == Decimal("19.17")
    assert t["general"] == {"approved": Decimal("1500"), "spent": Decimal("260"), "savings": Decimal("1240"),
                            "pct": Decimal("260") * 100 / Decimal("1500")}
    assert t["special"]["pct"] == Decimal("40")
    assert t["total"]["approved"] == Decimal("1800") and t["total"]["spent"] == Decimal("380")


def test_budget_of_a_quarter_and_of_any_range(money):
    q1 = table(build(money, "budget_execution", Period.quarter_of(2020, 1)), "budget")
    assert q1["general:2270"] == {"approved": Decimal("150"), "spent": Decimal("0"), "savings": Decimal("150"),
                                  "pct": Decimal("0")}
    assert q1["total"]["approved"] == Decimal("750") and q1["total"]["spent"] == Decimal("200")
    # a range: only the months lying wholly inside it count as approved
    rng = table(build(money, "budget_execution", Period("range", D(2020, 1, 15), D(2020, 3, 31))), "budget")
    assert rng["general:2210"]["approved"] == Decimal("200") and rng["general:2210"]["spent"] == Decimal("80")
    assert rng["total"]["approved"] == Decimal("600")


def test_json_shape_and_other_formats(money):
    data = json.loads(render_json.render(build(money, "funds")))
    assert data["report"] == "funds"
    assert data["tables"]["funds"]["rows"][-1] == {"key": "total", "opening": 6100.0, "received": 5700.0,
                                                   "used_adults": 750.0, "used_families": 2050.0, "closing": 9000.0}
    budget = json.loads(render_json.render(build(money, "budget_execution")))["tables"]["budget"]["rows"]
    assert budget[0] == {"key": "general:2210", "approved": 1200.0, "spent": 230.0, "savings": 970.0, "pct": 19.17}
    from opora.reports.render import docx, html, pdf, xlsx

    for module in (docx, html, pdf, xlsx):
        assert module.render(build(money, "funds"))


def test_annual_holds_the_money_tables_only_when_the_year_has_records(money):
    doc = build(money, "annual")
    assert {"funds", "aid_by_fund_kind", "aid_by_kind", "aid_by_category", "campaigns", "budget"} <= set(doc.tables())
    empty = build(money, "annual", Period.year_of(2018))
    assert not {"funds", "budget"} & set(empty.tables())
