"""A centre's money with known figures, brought in through the exchange files (EXCHANGE.md Part 2)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from opora.exchange.actions import do_import
from opora.people.models import Category
from tests import factories as f


def write(directory: Path, name: str, rows: list[list[object]]) -> None:
    with open(directory / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([[str(c) for c in r] for r in rows])


@dataclass
class Money:
    world: object
    dir: Path
    family_f: object
    family_g: object


def ref(person) -> str:
    return f"opora-{person.pk}"


@pytest.fixture
def money(world, tmp_path) -> Money:
    w = world
    cat = {c: Category.objects.get_or_create(code=c)[0] for c in
           ("pensioner", "disabled_2", "labour_veteran", "family_large")}
    w.in_caseload.categories.set([cat["pensioner"], cat["disabled_2"]])
    w.in_home2.categories.set([cat["pensioner"]])
    w.in_home1_other_worker.categories.set([cat["labour_veteran"]])
    fam_f = f.FamilyFactory(organisation=w.org, name="Семья Ф")
    fam_f.categories.set([cat["family_large"]])
    fam_g = f.FamilyFactory(organisation=w.org, name="Семья Г")
    d = tmp_path / "money"
    d.mkdir()
    write(d, "funds", [["code", "name", "source"], ["reg", "Областной бюджет", "regional_budget"],
                       ["char", "Благотворительность", "charity"]])
    write(d, "fund_receipts", [
        ["fund_code", "date", "amount", "kind", "note"],
        ["reg", "2019-01-01", "1000", "opening_balance", ""],
        ["reg", "01.06.2019", "5000,00", "", ""],
        ["reg", "2020-02-01", "3000", "allocation", ""],
        ["reg", "2020-07-01", "2000", "", ""],
        ["char", "2020-01-01", "500", "opening_balance", ""],
        ["char", "2020-03-10", "700", "", ""]])
    write(d, "campaigns", [["code", "name", "start", "end"], ["coal", "Уголь", "2020-09-01", "2020-11-30"],
                           ["ny", "Новогодние подарки", "", ""]])
    write(d, "aid", [
        ["fund_code", "kind", "date", "amount", "recipient_id", "family_id", "quantity", "campaign_code", "note"],
        ["reg", "cash", "2019-12-20", "400", ref(w.in_caseload), "", "", "", ""],
        ["reg", "cash", "2020-03-01", "300", ref(w.in_caseload), "", "", "", ""],
        ["reg", "food_set", "2020-03-05", "200", ref(w.in_caseload), "", "2", "", ""],
        ["reg", "food_set", "2020-04-01", "150", ref(w.in_home2), "", "", "", ""],
        ["reg", "fuel", "2020-09-01", "1000", "", f"opora-{fam_f.pk}", "1", "coal", ""],
        ["reg", "fuel", "2020-10-01", "800", "", f"opora-{fam_f.pk}", "", "coal", ""],
        ["char", "clothing", "2020-05-01", "0", ref(w.in_home1_other_worker), "", "3", "", "б/у одежда"],
        ["char", "gifts", "2020-12-20", "250", "", f"opora-{fam_g.pk}", "2", "ny", ""],
        ["char", "gifts", "2020-12-21", "100", ref(w.in_home2), "", "", "ny", ""]])
    rows: list[list[object]] = [["year", "month", "fund", "code", "name", "approved"]]
    rows += [[2020, m, "general", "2210", "Предметы, материалы", "100"] for m in range(1, 13)]
    rows += [[2020, m, "general", "2270", "Коммунальные услуги", "50"] for m in range(1, 7)]
    rows += [[2020, 3, "special", "2210", "", "300"]]
    write(d, "budget", rows)
    write(d, "spending", [["date", "fund", "code", "amount"], ["2020-02-10", "general", "2210", "80"],
                          ["2020-05-05", "general", "2210", "150"], ["2020-03-15", "special", "2210", "120"],
                          ["2020-12-01", "general", "2270", "30"], ["2019-12-31", "general", "2210", "999"]])
    result = do_import(d, organisation_code="kcson")
    assert result.ok, result.problems.lines()
    return Money(w, d, fam_f, fam_g)
