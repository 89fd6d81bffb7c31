"""Money gaps: editing and deleting funds, campaigns and budget lines (screens and API, audited, refused when
something depends on the row), and the import's warning for aid beyond what a fund holds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from opora.audit.models import AuditEvent, EventType
from opora.exchange.actions import do_import
from opora.money.models import Aid, BudgetLine, Campaign, Fund, MoneySettings
from tests.money.conftest import ref, write


@pytest.fixture
def en():
    with translation.override("en"):
        yield


AID_HEADER = ["fund_code", "kind", "date", "amount", "recipient_id", "family_id", "quantity", "campaign_code", "note"]


def test_the_accountant_edits_a_fund_and_the_change_is_audited(money):
    c = money.world.client("accountant")
    fund = Fund.objects.get(code="reg")
    assert c.get(f"/money/funds/{fund.pk}/edit/").status_code == 200
    r = c.post(
        f"/money/funds/{fund.pk}/edit/", {"code": "reg", "name": "Областной бюджет 2", "source": "regional_budget"}
    )
    assert r.status_code == 302
    fund.refresh_from_db()
    assert fund.name == "Областной бюджет 2"
    ev = AuditEvent.objects.filter(event_type=EventType.UPDATED, object_id=str(fund.pk)).latest("id")
    assert "name" in ev.changes
    # a bad source keeps the row as it was
    r = c.post(f"/money/funds/{fund.pk}/edit/", {"code": "reg", "name": "X", "source": "gold"})
    assert r.status_code == 422
    fund.refresh_from_db()
    assert fund.name == "Областной бюджет 2"


def test_others_cannot_edit_or_delete_funds(money):
    fund = Fund.objects.get(code="reg")
    for role in ("specialist", "social_worker", "analyst"):
        c = money.world.client(role)
        assert c.get(f"/money/funds/{fund.pk}/edit/").status_code == 404
        assert c.post(f"/money/funds/{fund.pk}/delete/").status_code == 404
    assert Fund.objects.filter(pk=fund.pk).exists()


def test_a_fund_with_receipts_and_aid_is_not_deleted_and_the_refusal_names_them(money, en):
    c = money.world.client("accountant")
    fund = Fund.objects.get(code="reg")
    r = c.get(f"/money/funds/{fund.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and "«Областной бюджет»" in r.content.decode()
    r = c.post(f"/money/funds/{fund.pk}/delete/")
    assert r.status_code == 422
    body = r.content.decode()
    assert ": 4" in body and ": 6" in body
    assert Fund.objects.filter(pk=fund.pk).exists()


def test_an_unused_fund_and_campaign_are_deleted_after_the_confirmation(money):
    w = money.world
    c = w.client("director")
    fund = Fund.objects.create(organisation=w.org, code="spare", name="Запасной", source="charity")
    camp = Campaign.objects.create(organisation=w.org, code="seed", name="Семенной картофель")
    assert c.get(f"/money/campaigns/{camp.pk}/delete/").status_code == 200
    assert Campaign.objects.filter(pk=camp.pk).exists()  # asking deletes nothing
    assert c.post(f"/money/campaigns/{camp.pk}/delete/").status_code == 302
    assert c.post(f"/money/funds/{fund.pk}/delete/").status_code == 302
    assert not Fund.objects.filter(pk=fund.pk).exists() and not Campaign.objects.filter(pk=camp.pk).exists()
    assert AuditEvent.objects.filter(
        event_type=EventType.DELETED, object_id=str(fund.pk), object_type__icontains="fund"
    ).exists()
    # a campaign with aid is refused
    coal = Campaign.objects.get(code="coal")
    assert c.post(f"/money/campaigns/{coal.pk}/delete/").status_code == 422
    assert Campaign.objects.filter(pk=coal.pk).exists()


def test_campaign_edit_refuses_an_end_before_the_start(money, en):
    c = money.world.client("accountant")
    coal = Campaign.objects.get(code="coal")
    r = c.post(
        f"/money/campaigns/{coal.pk}/edit/",
        {"code": "coal", "name": "Уголь", "start": "2020-09-01", "end": "2020-08-01"},
    )
    assert r.status_code == 422
    coal.refresh_from_db()
    assert str(coal.end) == "2020-11-30"
    r = c.post(
        f"/money/campaigns/{coal.pk}/edit/",
        {"code": "coal", "name": "Уголь-2020", "start": "2020-09-01", "end": "2020-12-01"},
    )
    assert r.status_code == 302
    coal.refresh_from_db()
    assert coal.name == "Уголь-2020" and str(coal.end) == "2020-12-01"


def test_budget_lines_edit_and_delete_on_the_screen(money):
    c = money.world.client("accountant")
    line = BudgetLine.objects.get(year=2020, month=3, fund="special", code="2210")
    r = c.get("/money/budget/?year=2020")
    assert f"/money/budget/{line.pk}/edit/" in r.content.decode()
    r = c.post(
        f"/money/budget/{line.pk}/edit/",
        {"year": 2020, "month": 3, "fund": "special", "code": "2210", "name": "Материалы", "approved": "350"},
    )
    assert r.status_code == 302
    line.refresh_from_db()
    assert line.approved == Decimal("350.00")
    assert c.post(f"/money/budget/{line.pk}/delete/").status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    assert AuditEvent.objects.filter(event_type=EventType.DELETED, object_id=str(line.pk)).exists()
    # the social worker sees no budget line at all
    other = BudgetLine.objects.filter(year=2020).first()
    assert money.world.client("social_worker").post(f"/money/budget/{other.pk}/delete/").status_code == 404


def test_budget_lines_change_and_delete_through_the_api(money, en):
    w = money.world
    line = BudgetLine.objects.get(year=2020, month=1, fund="general", code="2210")
    acc = w.client("accountant")
    body = {"year": 2020, "month": 1, "fund": "general", "code": "2210", "name": "Предметы", "approved": "120.50"}
    r = acc.put(f"/api/v1/money/budget/{line.pk}", body, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["approved"] == 120.5
    r = acc.put(f"/api/v1/money/budget/{line.pk}", {**body, "month": 13}, content_type="application/json")
    assert r.status_code == 422
    r = acc.put(f"/api/v1/money/budget/{line.pk}", {**body, "fund": "reserve"}, content_type="application/json")
    assert r.status_code == 422 and "fund" in r.content.decode()
    assert w.client("specialist").delete(f"/api/v1/money/budget/{line.pk}").status_code == 404
    assert acc.delete(f"/api/v1/money/budget/{line.pk}").status_code == 204
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_funds_change_and_delete_through_the_api(money, en):
    w = money.world
    acc = w.client("accountant")
    fund = Fund.objects.get(code="char")
    r = acc.put(
        f"/api/v1/money/funds/{fund.pk}",
        {"code": "char", "name": "Пожертвования", "source": "charity"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["name"] == "Пожертвования"
    r = acc.delete(f"/api/v1/money/funds/{fund.pk}")
    assert r.status_code == 422 and "поступления: 2; оказанная помощь: 3" in r.content.decode()
    spare = Fund.objects.create(organisation=w.org, code="spare", name="Запасной", source="charity")
    assert acc.delete(f"/api/v1/money/funds/{spare.pk}").status_code == 204


def _overspent_dir(money, tmp_path):
    d = tmp_path / "over"
    d.mkdir()
    w = money.world
    # reg on 2019-12-31: 6 000 received − 400 given = 5 600; aid of 6 000 on that day exceeds it
    write(
        d,
        "aid",
        [
            AID_HEADER,
            ["reg", "cash", "2019-12-31", "100", ref(w.in_home2), "", "", "", ""],
            ["reg", "cash", "2019-12-31", "6000", ref(w.in_caseload), "", "", "", ""],
            ["char", "cash", "2020-01-02", "50", ref(w.in_caseload), "", "", "", ""],
        ],
    )
    return d


def test_aid_beyond_the_fund_is_imported_with_a_warning_naming_file_and_line(money, tmp_path, en):
    d = _overspent_dir(money, tmp_path)
    before = Aid.objects.count()
    result = do_import(d, organisation_code="kcson")
    assert result.ok, result.problems.lines()
    assert Aid.objects.count() == before + 3
    # both aid of 2019-12-31 are beyond what the fund holds at the end of that day (6 000 − 400 − 6 100 < 0)
    assert result.warnings == [
        "aid.csv:2: amount: The fund «Областной бюджет» holds -400.00; this aid of 100.00 exceeds it.",
        "aid.csv:3: amount: The fund «Областной бюджет» holds 5,500.00; this aid of 6,000.00 exceeds it.",
    ]
    # re-importing the same file warns the same, and writes nothing
    again = do_import(d, organisation_code="kcson")
    assert again.created == 0 and len(again.warnings) == 2


def test_the_setting_forbidding_overspending_makes_it_a_refusal(money, tmp_path, en):
    MoneySettings.objects.create(organisation=money.world.org, forbid_overspending=True)
    d = _overspent_dir(money, tmp_path)
    before = Aid.objects.count()
    result = do_import(d, organisation_code="kcson")
    assert not result.ok
    assert [line for line in result.problems.lines() if line.startswith("aid.csv:3: amount: The fund")]
    assert Aid.objects.count() == before


def test_a_covered_import_warns_nothing_and_the_command_prints_warnings(money, tmp_path, capsys):
    assert do_import(money.dir, organisation_code="kcson").warnings == []
    d = _overspent_dir(money, tmp_path)
    with translation.override("en"):
        call_command("import", str(d), "--organisation", "kcson", "--quiet")
    err = capsys.readouterr().err
    assert "aid.csv:3: amount:" in err
