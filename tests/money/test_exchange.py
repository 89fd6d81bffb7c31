"""The money files: bad rows named as file:line: column, nothing written; re-import changes nothing; export."""

from __future__ import annotations

import pytest
from django.utils import translation

from opora.exchange.actions import do_import
from opora.exchange.export import export_directory
from opora.money.models import Aid, BudgetLine, Fund, FundReceipt, Spending
from tests.money.conftest import ref, write


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def test_reimport_changes_nothing(money):
    counts = (Fund.objects.count(), FundReceipt.objects.count(), Aid.objects.count(), BudgetLine.objects.count(),
              Spending.objects.count())
    assert counts == (2, 6, 9, 19, 5)
    again = do_import(money.dir, organisation_code="kcson")
    assert again.ok and again.created == 0 and again.updated == 0
    assert counts == (Fund.objects.count(), FundReceipt.objects.count(), Aid.objects.count(),
                      BudgetLine.objects.count(), Spending.objects.count())


def test_export_then_import_into_a_fresh_organisation(money, tmp_path):
    out = tmp_path / "out"
    counts = export_directory(money.world.org, out)
    assert counts["aid"] == 9 and counts["budget"] == 19 and counts["funds"] == 2
    # the aid of families travels only where families do: here into the same organisation, matched again
    result = do_import(out, organisation_code="kcson")
    assert result.ok, result.problems.lines()
    assert Aid.objects.count() == 9


def test_bad_rows_are_named_and_nothing_is_written(money, tmp_path, en):
    w = money.world
    d = tmp_path / "bad"
    d.mkdir()
    write(d, "aid", [
        ["fund_code", "kind", "date", "amount", "recipient_id", "family_id", "quantity", "campaign_code", "note"],
        ["reg", "cash", "2020-03-01", "10", ref(w.in_caseload), f"opora-{money.family_f.pk}", "", "", ""],
        ["reg", "cash", "2020-03-01", "10", "", "", "", "", ""],
        ["reg", "cash", "2020-03-01", "-5", ref(w.in_caseload), "", "", "", ""],
        ["nofund", "cash", "2020-03-01", "5", ref(w.in_caseload), "", "", "", ""],
        ["reg", "caviar", "2020-03-01", "5", ref(w.in_caseload), "", "", "", ""],
        ["reg", "cash", "2020-03-01", "5", ref(w.in_caseload), "", "", "nocamp", ""],
        ["reg", "cash", "2999-01-01", "5", ref(w.in_caseload), "", "", "", ""],
        ["reg", "cash", "2020-03-01", "5", "nobody", "", "", "", ""],
        ["reg", "cash", "2020-03-01", "5", ref(w.in_caseload), "", "0", "", ""],
        ["reg", "cash", "2020-03-01", "5", ref(w.other_org_person), "", "", "", ""],
    ])
    write(d, "budget", [["year", "month", "fund", "code", "approved"], ["2020", "13", "general", "2210", "1"],
                        ["2020", "1", "reserve", "2210", "1"]])
    before = Aid.objects.count()
    result = do_import(d, organisation_code="kcson")
    assert not result.ok
    lines = result.problems.lines()
    expected = [
        "aid.csv:2: family_id: Aid goes to a person or to a family, not to both.",
        "aid.csv:3: recipient_id: Either recipient_id or family_id is required.",
        "aid.csv:4: amount: The amount cannot be negative.",
        "aid.csv:5: fund_code: Unknown fund «nofund».",
        "aid.csv:6: kind: Unknown kind of aid «caviar».",
        "aid.csv:7: campaign_code: Unknown campaign «nocamp».",
        "aid.csv:8: date: ",
        "aid.csv:9: recipient_id: Unknown recipient «nobody».",
        "aid.csv:10: quantity: The number must be at least 1.",
        f"aid.csv:11: recipient_id: Unknown recipient «{ref(w.other_org_person)}».",
        "budget.csv:2: month: The month must be from 1 to 12.",
        "budget.csv:3: fund: Unknown budget fund «reserve» (general or special).",
    ]
    for text in expected:
        assert any(line.startswith(text) for line in lines), (text, lines)
    assert Aid.objects.count() == before


def test_an_unknown_money_column_is_an_error(world, tmp_path, en):
    d = tmp_path / "x"
    d.mkdir()
    write(d, "funds", [["code", "name", "source", "colour"], ["a", "A", "charity", "red"]])
    result = do_import(d, organisation_code="kcson")
    assert "funds.csv:1: colour: Unknown column." in result.problems.lines()
    assert not Fund.objects.exists()


def test_the_messages_are_in_russian_by_default(money, tmp_path):
    d = tmp_path / "ru"
    d.mkdir()
    write(d, "aid", [["fund_code", "kind", "date", "amount", "recipient_id"], ["nofund", "cash", "2020-03-01", "5",
                                                                             ref(money.world.in_caseload)]])
    lines = do_import(d, organisation_code="kcson").problems.lines()
    assert lines == ["aid.csv:2: fund_code: Неизвестный фонд «nofund»."]
