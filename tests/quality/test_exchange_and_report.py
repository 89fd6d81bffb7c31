"""The quality files imported (EXCHANGE.md Part 2), the report `quality` with known figures in JSON, re-import
changes nothing, export → import reproduces the report, bad rows are named and nothing is written; `annual`
carries the sections when the year has records."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from opora.lib.periods import parse_period
from opora.org.models import Organisation
from opora.quality.models import Complaint, Publication, SurveyResponse, Training
from opora.reports import registry
from opora.reports.render import render
from tests.exchange.test_export import export
from tests.exchange.test_import import build, categories, run, write_csv  # noqa: F401 (categories: a fixture)

Q = ["info_satisfied", "comfort_satisfied", "waiting_ok", "access_satisfied", "courtesy_first_contact",
     "courtesy_during", "courtesy_remote", "recommend", "schedule_satisfied", "overall_satisfied"]


def nok_rows() -> list[list[str]]:
    rows = []
    for i in range(719):  # seed 003: 719 asked, 716 would recommend; 717 satisfied; nobody asked about waiting
        answers = {q: "1" for q in Q}
        answers["waiting_ok"] = ""
        answers["recommend"] = "0" if i < 3 else "1"
        answers["overall_satisfied"] = "0" if i < 2 else "1"
        rows.append(["nok2020", "2020-10-01", "", *(answers[q] for q in Q)])
    return rows


QUALITY = {
    "surveys": [["code", "name", "kind", "start", "end"],
                ["sat2020", "Удовлетворённость 2020", "satisfaction", "2020-06-01", "2020-06-30"],
                ["nok2020", "НОК 2020", "nok", "2020-10-01", "2020-10-31"]],
    "survey_responses": [["survey_code", "date", "department_code", *Q],
                         ["sat2020", "2020-06-05", "home", "", "", "", "", "", "", "", "1", "", "1"],
                         ["sat2020", "2020-06-05", "home", "", "", "", "", "", "", "", "1", "", "1"],
                         ["sat2020", "05.06.2020", "urg", "", "", "", "", "", "", "", "", "", "1"],
                         ["sat2020", "2020-06-06", "", "", "", "", "", "", "", "", "1", "", "0"],
                         *nok_rows()],
    "nok_facts": [["survey_code", "info_completeness", "remote_channels", "comfort_conditions", "facility_access",
                   "service_access"],
                  ["nok2020", "100", "90", "100", "80", "60"]],
    "complaints": [["received_on", "kind", "channel", "department_code", "recipient_id", "subject", "answered_on",
                    "justified"],
                   ["2020-03-01", "complaint", "in_person", "home", "R1", "Опоздание", "2020-03-31", "1"],
                   ["2020-12-01", "complaint", "phone", "home", "", "Грубость", "", ""],
                   ["2020-11-15", "appeal", "post", "", "R2", "Перерасчёт", "2020-12-20", ""],
                   ["2020-05-01", "review", "", "", "", "Книга отзывов", "", ""],
                   ["2020-05-02", "gratitude", "", "urg", "", "Спасибо", "", ""]],
    "trainings": [["tab_no", "kind", "start", "end", "hours", "title"],
                  ["001", "course", "2020-02-01", "2020-02-20", "72", "Курсы"],
                  ["001", "retraining", "2020-03-01", "2020-06-01", "250", "Переподготовка"],
                  ["002", "higher_education", "2018-09-01", "2023-06-30", "", "Университет"],
                  ["002", "seminar", "2020-04-02", "", "4", "Семинар"],
                  ["002", "attestation", "2020-05-05", "2020-05-05", "", "Аттестация"]],
    "publications": [["date", "kind", "title", "views"],
                     ["2020-01-15", "site", "Новость 1", "696"],
                     ["2020-03-01", "site", "Новость 2", "2 823"],
                     ["2020-05-01", "stand", "Стенд", ""]],
}


def build_quality(directory, **override):
    build(directory)
    for name, rows in {**QUALITY, **override}.items():
        write_csv(directory / f"{name}.csv", [[str(c) for c in r] for r in rows], encoding="utf-8", delimiter=";")
    return directory


def report(code: str, report_id: str = "quality", year: int = 2020) -> dict:
    org = Organisation.objects.get(code=code)
    with translation.override("en"):
        doc = registry.build_report(report_id, [org], parse_period({"year": str(year)}),
                                    actor=registry.system_actor([org]))
        return json.loads(render(doc, "json"))


def rows(data: dict, table: str) -> dict:
    return {r["key"]: {k: v for k, v in r.items() if k != "key"} for r in data["tables"][table]["rows"]}


EXPECTED = {
    "surveys": {
        "nok2020": {"respondents": 719, "satisfied_pct": 99.72, "recommend_pct": 99.58, "k1": 97.0, "k2": 100.0,
                    "k3": 78.0, "k4": 100.0, "k5": 99.74, "s": 94.95},
        "sat2020": {"respondents": 4, "satisfied_pct": 75.0, "recommend_pct": 100.0, "k1": None, "k2": None,
                    "k3": None, "k4": None, "k5": None, "s": None},
    },
    "complaints": {"all": {"complaints": 2, "justified": 1, "appeals": 1, "reviews": 1, "gratitudes": 1,
                           "recipients": 3, "per_100": 66.67, "late": 1}},
    "staff_training": {"all": {"trained": 1, "in_higher_education": 1, "attested": 1, "awarded": 0, "hours": 326}},
    "publications": {"site": {"count": 2, "views": 3519}, "stand": {"count": 1, "views": 0}},
}


def test_it_imports_the_quality_files_and_reports_known_figures(tmp_path, categories):  # noqa: F811
    status, _out, err = run(build_quality(tmp_path / "q"))
    assert status == 0, err
    assert SurveyResponse.objects.count() == 723
    data = report("imp")
    for table, expected in EXPECTED.items():
        assert rows(data, table) == expected, table
    # idempotent: the same files again change nothing
    before = (SurveyResponse.objects.count(), Complaint.objects.count(), Training.objects.count(),
              Publication.objects.count())
    status, out, err = run(tmp_path / "q")
    assert status == 0, err
    assert (SurveyResponse.objects.count(), Complaint.objects.count(), Training.objects.count(),
            Publication.objects.count()) == before
    # the annual analysis carries the same tables for the year; another year has none of them
    annual = report("imp", "annual")
    for table, expected in EXPECTED.items():
        assert rows(annual, table) == expected, table
    # 2019: only the university studies (2018–2023) span the year's end; 2017: no record at all
    quality_tables = {"surveys", "complaints", "staff_training", "publications"}
    assert quality_tables & set(report("imp", "annual", 2019)["tables"]) == {"staff_training"}
    assert rows(report("imp", "annual", 2019), "staff_training")["all"]["in_higher_education"] == 1
    assert not quality_tables & set(report("imp", "annual", 2017)["tables"])


def test_it_round_trips_the_quality_files(tmp_path, categories):  # noqa: F811
    assert run(build_quality(tmp_path / "q"))[0] == 0
    out = export(tmp_path / "out", "--organisation", "imp")
    assert "survey_responses.csv: 723 rows" in out
    status, _out, err = run(tmp_path / "out", "--organisation", "copy")
    assert status == 0, err
    copy = report("copy")
    for table, expected in EXPECTED.items():
        assert rows(copy, table) == expected, table
    # consolidated over both: one row per organisation and survey, the figures added up
    orgs = list(Organisation.objects.filter(code__in=["imp", "copy"]).order_by("code"))
    with translation.override("en"):
        both = json.loads(render(registry.build_report("quality", orgs, parse_period({"year": "2020"}),
                                                       actor=registry.system_actor(orgs)), "json"))
    assert set(rows(both, "surveys")) == {"imp:nok2020", "imp:sat2020", "copy:nok2020", "copy:sat2020"}
    assert rows(both, "surveys")["copy:nok2020"] == EXPECTED["surveys"]["nok2020"]
    assert rows(both, "complaints")["all"]["complaints"] == 4


@pytest.mark.parametrize(("file", "row", "where"), [
    ("survey_responses", ["sat2020", "2020-06-05", "home", "2", "", "", "", "", "", "", "1", "", "1"],
     "survey_responses.csv:2: info_satisfied: An answer is 1, 0 or empty, not «2»."),
    ("nok_facts", ["nok2020", "100", "90", "101", "80", "60"],
     "nok_facts.csv:2: comfort_conditions: The points must be from 0 to 100."),
    ("complaints", ["2020-03-01", "complaint", "", "", "", "", "2020-02-28", ""],
     "complaints.csv:2: answered_on: The answer cannot be dated before the receipt."),
    ("trainings", ["001", "course", "2020-02-01", "2020-01-20", "", ""],
     "trainings.csv:2: end: The end cannot be before the start."),
    ("survey_responses", ["nosuch", "2020-06-05", "", "", "", "", "", "", "", "", "1", "", "1"],
     "survey_responses.csv:2: survey_code: Unknown survey «nosuch»."),
])
def test_it_names_a_bad_row_and_writes_nothing(tmp_path, categories, file, row, where):  # noqa: F811
    header = QUALITY[file][0]
    status, _out, err = run(build_quality(tmp_path / "bad", **{file: [header, row]}))
    assert status != 0
    assert where in err
    assert not Organisation.objects.filter(code="imp").exists()
    assert SurveyResponse.objects.count() == Complaint.objects.count() == Training.objects.count() == 0


def test_it_renders_the_report_in_every_format(tmp_path, categories):  # noqa: F811
    import io

    from openpyxl import load_workbook

    assert run(build_quality(tmp_path / "q"))[0] == 0
    org = Organisation.objects.get(code="imp")
    with translation.override("ru"):
        doc = registry.build_report("quality", [org], parse_period({"year": "2020"}),
                                    actor=registry.system_actor([org]))
        html = render(doc, "html").decode()
        assert "99,58" in html and "94,95" in html and "66,67" in html
        book = load_workbook(io.BytesIO(render(doc, "xlsx")))
        cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert 719 in cells and 3519 in cells
        assert render(doc, "docx")[:2] == b"PK"
        assert render(doc, "pdf")[:4] == b"%PDF"
