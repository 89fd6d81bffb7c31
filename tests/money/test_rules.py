"""The pure rules of money/rules.py, without the database."""

from __future__ import annotations

import datetime
from decimal import Decimal

from opora.money import rules

D = datetime.date
R = rules.ReceiptRec
A = rules.AidRec


def test_balance_at_a_date_and_overspending():
    receipts = [R("f", D(2019, 12, 31), Decimal("100"), "opening_balance"), R("f", D(2020, 2, 1), Decimal("50"))]
    aid = [A("f", "cash", D(2020, 1, 15), Decimal("30"), person=1), A("f", "cash", D(2020, 3, 1), Decimal("200"),
                                                                      family=2)]
    assert rules.balance_at(receipts, aid, D(2020, 1, 31)) == Decimal("70")
    assert rules.balance_at(receipts, aid, D(2020, 3, 1)) == Decimal("-80")
    assert rules.overspending(Decimal("70"), Decimal("100")) == Decimal("30")
    assert rules.overspending(Decimal("70"), Decimal("70")) is None


def test_aid_problems():
    today = D(2020, 6, 1)
    assert [f for f, _m in rules.aid_problem(person=1, family=2, amount=Decimal("-1"), quantity=0,
                                             day=D(2020, 6, 2), today=today)] == [
        "family", "amount", "quantity", "date"]
    assert [f for f, _m in rules.aid_problem(person=None, family=None, amount=Decimal("0"), quantity=1,
                                             day=today, today=today)] == ["recipient"]
    assert rules.aid_problem(person=1, family=None, amount=Decimal("0"), quantity=1, day=today, today=today) == []


def test_a_month_counts_when_it_lies_wholly_inside_the_period():
    assert rules.month_inside(2020, 2, D(2020, 2, 1), D(2020, 2, 29))
    assert not rules.month_inside(2020, 2, D(2020, 2, 1), D(2020, 2, 28))
    assert rules.month_inside(2020, 12, D(2020, 1, 1), D(2020, 12, 31))
    assert not rules.month_inside(2020, 12, D(2020, 12, 2), D(2021, 1, 31))


def test_budget_pct_is_none_without_an_approved_amount():
    rows = rules.budget_rows([], [rules.SpendRec(D(2020, 5, 1), "special", "2240", Decimal("10"))],
                             D(2020, 1, 1), D(2020, 12, 31), ["general", "special"])
    assert rows["special:2240"] == {"approved": Decimal("0"), "spent": Decimal("10"), "savings": Decimal("-10"),
                                    "pct": None}
    assert list(rows) == ["special:2240", "special", "total"]
