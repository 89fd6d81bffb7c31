"""The exchange files families, family_members, visits and release_notices: import, refusals, re-import, export."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from opora.fieldwork.models import ReleaseNotice, Visit
from opora.lib.periods import Period
from opora.org.models import Organisation
from opora.people.models import Category, Family, FamilyMember, Recipient
from opora.reports.registry import build_report, system_actor
from opora.reports.render import json as render_json
from tests.exchange.test_import import build, run, write_csv

FAMILIES = [["external_id", "name", "settlement", "sector", "categories", "children", "registered_on",
             "deregistered_on", "deregistration_reason"],
            ["F1", "Семья Фёдоровых", "Тверь", "city", "family_large", "3", "2019-05-01", "", ""],
            ["F2", "Семья Ивановых", "Михайловка", "rural", "family_low_income|family_large", "2", "01.01.2020",
             "31.12.2020", "moved_away"],
            ["F3", "Семья Петровых", "", "", "", "", "", "", ""]]
MEMBERS = [["family_id", "recipient_id", "relation"], ["F1", "R1", "head"], ["F2", "R2", "head"]]
VISITS = [["date", "kind", "family_id", "recipient_id", "settlement", "worker_tab_no", "people", "outcome"],
          ["2020-02-01", "fire_safety", "F1", "", "", "001", "3", "Извещатель установлен"],
          ["2020-02-02", "fire_safety", "", "R1", "", "001", "", ""],          # the same household as F1
          ["2020-02-03", "fire_safety", "F2", "R2", "", "", "2", ""],
          ["2020-03-01", "raid", "", "", "Михайловка", "", "4", ""],
          ["2020-03-02", "patronage", "", "R3", "", "002", "1", ""]]
NOTICES = [["received_on", "full_name", "birth_date", "release_date", "settlement", "institution", "outcome",
            "checked_on", "recipient_id"],
           ["2020-01-10", "Петров Пётр Петрович", "1950-12-31", "2020-02-01", "", "ИК-1", "arrived", "2020-02-05",
            "R3"],
           ["2020-01-11", "Сидоров Сидор", "1980-01-01", "2020-02-01", "Михайловка", "ИК-4", "not_arrived",
            "2020-02-10", ""],
           ["2020-03-01", "Кузнецов Иван", "1979-05-05", "2020-03-20", "", "", "moved", "2020-03-25", ""]]


def directory(tmp_path: Path, **override) -> Path:
    files = {"families": FAMILIES, "family_members": MEMBERS, "visits": VISITS, "release_notices": NOTICES}
    files.update(override)
    d = build(tmp_path / "in")
    for name, rows in files.items():
        for old in d.glob(f"{name}.*"):
            old.unlink()
        write_csv(d / f"{name}.csv", [[str(c) for c in r] for r in rows], encoding="utf-8", delimiter=";")
    return d


@pytest.fixture
def categories(db):
    for code in ("pensioner", "lonely", "labour_veteran", "family_large", "family_low_income"):
        Category.objects.get_or_create(code=code)


def tables(org: Organisation, report: str) -> dict:
    doc = build_report(report, [org], Period.year_of(2020), actor=system_actor([org]))
    return {t: {r["key"]: {k: v for k, v in r.items() if k != "key" and v is not None} for r in data["rows"]}
            for t, data in render_json.to_data(doc)["tables"].items()}


def test_it_imports_the_families_and_the_field_work_and_reports_them(tmp_path, categories):
    status, _out, err = run(directory(tmp_path))
    assert status == 0, err
    org = Organisation.objects.get(code="imp")
    f1 = Family.objects.get(organisation=org, external_id="F1")
    assert (f1.children, f1.sector, f1.registered_on, f1.settlement.name) == (3, "city", datetime.date(2019, 5, 1),
                                                                                "Тверь")
    assert set(Family.objects.get(external_id="F2").categories.values_list("code", flat=True)) == {
        "family_large", "family_low_income"}
    r1 = Recipient.objects.get(organisation=org, external_id="R1")
    assert r1.family_id == f1.pk and FamilyMember.objects.get(family=f1).relation == "head"
    assert Visit.objects.count() == 5 and ReleaseNotice.objects.count() == 3
    reg = tables(org, "family_register")["family_register"]
    assert reg["all"] == {"start": 1, "registered": 1, "deregistered": 1, "end": 1, "children_end": 3}
    assert reg["family_large"] == {"families_end": 1, "children_end": 3}
    fw = tables(org, "field_work")
    assert fw["visits"] == {"fire_safety": {"visits": 3, "households": 2, "people": 6},
                            "raid": {"visits": 1, "households": 0, "people": 4},
                            "patronage": {"visits": 1, "households": 1, "people": 1}}
    assert fw["fire_safety"]["all"]["households_visited"] == 2
    assert fw["release_notices"]["all"] == {"notices": 3, "arrived": 1, "not_arrived": 1, "moved": 1, "pending": 0,
                                            "registered": 1}


def test_it_changes_nothing_when_the_same_files_are_imported_again(tmp_path, categories):
    d = directory(tmp_path)
    assert run(d)[0] == 0
    before = (list(Family.objects.values()), list(FamilyMember.objects.values()), list(Visit.objects.values()),
              list(ReleaseNotice.objects.values()))
    status, out, err = run(d)
    assert status == 0, err
    assert (list(Family.objects.values()), list(FamilyMember.objects.values()), list(Visit.objects.values()),
            list(ReleaseNotice.objects.values())) == before


def test_export_then_import_after_removing_them_gives_the_same_figures(tmp_path, categories):
    from opora.exchange.export import export_directory

    assert run(directory(tmp_path))[0] == 0
    org = Organisation.objects.get(code="imp")
    expected = (tables(org, "family_register"), tables(org, "field_work"))
    counts = export_directory(org, tmp_path / "out")
    assert (counts["families"], counts["family_members"], counts["visits"], counts["release_notices"]) == (3, 2, 5, 3)
    for model in (Visit, ReleaseNotice, FamilyMember):
        model.objects.all().delete()
    Recipient.objects.update(family=None)
    Family.objects.all().delete()
    status, _out, err = run(tmp_path / "out")
    assert status == 0, err
    assert (tables(org, "family_register"), tables(org, "field_work")) == expected


def _spoil(rows: list[list[str]], line: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in rows]
    rows[line - 1][rows[0].index(column)] = value
    return rows


BAD = [
    ("families", 3, "deregistered_on", "2019-12-31",
     "families.csv:3: deregistered_on: The removal from the register cannot be earlier than the registration."),
    ("visits", 4, "recipient_id", "R1",
     "visits.csv:4: recipient_id: This person does not belong to the family visited."),
    ("visits", 5, "settlement", "Атлантида", "visits.csv:5: settlement: Unknown settlement «Атлантида»."),
    ("release_notices", 2, "outcome", "pending",
     "release_notices.csv:2: outcome: The release date has passed: record the outcome of the check (arrived, did "
     "not arrive, moved elsewhere) and its date."),
    ("family_members", 2, "family_id", "F9", "family_members.csv:2: family_id: Unknown family «F9»."),
]


@pytest.mark.parametrize(("name", "line", "column", "value", "expected"), BAD, ids=[b[0] for b in BAD])
def test_it_names_each_problem_and_applies_nothing(tmp_path, categories, name, line, column, value, expected):
    originals = {"families": FAMILIES, "visits": VISITS, "release_notices": NOTICES, "family_members": MEMBERS}
    rows = _spoil(originals[name], line, column, value)
    if name == "release_notices":
        rows = _spoil(rows, line, "checked_on", "")
    status, _out, err = run(directory(tmp_path, **{name: rows}))
    assert status == 1
    assert expected in err.splitlines(), err
    assert not Family.objects.exists() and not Visit.objects.exists() and not Recipient.objects.exists()
