"""Day-stay shifts: the rules (a shift ending before it starts, an enrolment of another department or whose dates
do not meet the shift's, the capacity — an error), the audited actions, the report's table `day_stay_shifts` with
figures worked out by hand, the exchange (file `shifts`, column `enrolments.shift_code`, errors naming file and
line with nothing changed), the pages and the API."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from opora.activities import actions, outreach, rules
from opora.activities.models import Shift, ShiftEnrolment
from opora.audit.models import AuditEvent
from opora.lib.errors import DomainError
from opora.lib.periods import Period
from opora.people.models import Category, Enrolment
from opora.reports.registry import build_report, system_actor
from opora.reports.render.json import to_data
from tests import factories as f
from tests.exchange.test_import import DEPARTMENTS, ENROLMENTS, build, run, write_csv

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    """The messages are matched in English (the installation's default is Russian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def categories(db):
    for code in ("pensioner", "lonely", "labour_veteran"):
        Category.objects.get_or_create(code=code)


@pytest.fixture
def ds(world):
    """A day-stay department with three people enrolled in it (two in January, one in March)."""
    dept = f.DepartmentFactory(organisation=world.org, code="ds", kind="day_stay", name="ОДП")
    e = [f.EnrolmentFactory(recipient=r, department=dept, form="semi_stationary", admitted_on=a,
                            discharged_on=d, discharge_reason="term_expired" if d else "")
         for r, a, d in ((world.in_caseload, D(2020, 1, 13), D(2020, 1, 26)),
                         (world.in_home2, D(2020, 1, 13), D(2020, 1, 26)),
                         (world.in_home1_other_worker, D(2020, 3, 2), None))]
    return dept, e


def test_the_rules_of_a_shift():
    rules.check_shift(D(2020, 2, 21), D(2020, 2, 21), None)  # a one-day shift
    with pytest.raises(DomainError) as exc:
        rules.check_shift(D(2020, 2, 21), D(2020, 2, 20), None)
    assert exc.value.field == "end" and "20.02.2020" in exc.value.message
    with pytest.raises(DomainError) as exc:
        rules.check_shift(D(2020, 2, 1), D(2020, 2, 14), 0)
    assert exc.value.field == "capacity"
    meet = {"shift_code": "s1", "shift_department_id": 1, "start": D(2020, 2, 1), "end": D(2020, 2, 14)}
    rules.check_shift_enrolment(**meet, department_id=1, admitted_on=D(2020, 2, 14), discharged_on=None)
    rules.check_shift_enrolment(**meet, department_id=1, admitted_on=D(2020, 1, 1), discharged_on=D(2020, 2, 1))
    with pytest.raises(DomainError, match="another department"):
        rules.check_shift_enrolment(**meet, department_id=2, admitted_on=D(2020, 2, 1), discharged_on=None)
    with pytest.raises(DomainError, match="do not meet"):
        rules.check_shift_enrolment(**meet, department_id=1, admitted_on=D(2020, 2, 15), discharged_on=None)
    with pytest.raises(DomainError, match="do not meet"):
        rules.check_shift_enrolment(**meet, department_id=1, admitted_on=D(2020, 1, 1), discharged_on=D(2020, 1, 31))
    rules.check_capacity("s1", 2, 2)
    rules.check_capacity("s1", None, 500)
    with pytest.raises(DomainError, match="2 places"):
        rules.check_capacity("s1", 2, 3)


def test_shifts_are_created_enrolled_within_capacity_and_audited(world, ds):
    dept, (e1, e2, e3) = ds
    director = world.actor("director")
    with pytest.raises(DomainError) as exc:  # a home-care department has no shifts
        actions.do_create_shift(world.org, {"code": "x", "department": world.home1, "start": D(2020, 1, 13),
                                            "end": D(2020, 1, 26)}, actor=director)
    assert exc.value.field == "department"
    with pytest.raises(DomainError):
        actions.do_create_shift(world.org, {"code": "x", "department": dept, "start": D(2020, 1, 26),
                                            "end": D(2020, 1, 13)}, actor=director)
    shift = actions.do_create_shift(world.org, {"code": "s1", "department": dept, "start": D(2020, 1, 13),
                                                "end": D(2020, 1, 26), "capacity": 1}, actor=director)
    actions.do_enrol_for_shift(shift, e1, actor=director)
    with pytest.raises(DomainError, match="1 places"):
        actions.do_enrol_for_shift(shift, e2, actor=director)
    with pytest.raises(DomainError, match="do not meet"):
        actions.do_enrol_for_shift(shift, e3, actor=director)
    with pytest.raises(DomainError, match="already on a shift"):
        actions.do_enrol_for_shift(shift, e1, actor=director)
    with pytest.raises(DomainError):  # the enrolled person's dates no longer meet the moved shift: nothing changes
        actions.do_update_shift(shift, {"start": D(2020, 3, 1), "end": D(2020, 3, 1)}, actor=director)
    shift.refresh_from_db()
    assert shift.start == D(2020, 1, 13) and ShiftEnrolment.objects.count() == 1
    assert AuditEvent.objects.filter(organisation=world.org, changes__has_key="enrolment").count() == 1
    with pytest.raises(Exception):  # noqa: B017  the head of a home-care department records no day-stay shift
        actions.do_create_shift(world.org, {"code": "s9", "department": dept, "start": D(2020, 1, 13),
                                            "end": D(2020, 1, 13)}, actor=world.actor("department_head"))


def test_the_report_counts_shifts_starting_in_the_period_one_day_ones_and_people_once(world, ds):
    dept, (e1, e2, e3) = ds
    e1b = f.EnrolmentFactory(recipient=world.in_caseload, department=dept, form="semi_stationary",
                             admitted_on=D(2020, 3, 2), discharged_on=D(2020, 3, 15), discharge_reason="term_expired")
    batch = outreach.OutreachBatch(
        shifts={"jan": {"department_id": dept.pk, "start": D(2020, 1, 13), "end": D(2020, 1, 26), "capacity": 25},
                "mar": {"department_id": dept.pk, "start": D(2020, 3, 2), "end": D(2020, 3, 15), "capacity": None},
                "day": {"department_id": dept.pk, "start": D(2020, 3, 6), "end": D(2020, 3, 6), "capacity": None},
                "dec19": {"department_id": dept.pk, "start": D(2019, 12, 30), "end": D(2020, 1, 10),
                          "capacity": None}},
        places={e1.pk: "jan", e2.pk: "jan", e3.pk: "day", e1b.pk: "mar"})
    assert outreach.write(world.org.pk, batch)["shifts"] == (4, 0)
    doc = to_data(build_report("activities", [world.org], Period.year_of(2020), actor=system_actor([world.org])))
    # 2020: jan, mar, day (dec19 started in 2019); people: Фёдорова (twice), Петров, Иванов → 3
    assert doc["tables"]["day_stay_shifts"]["rows"] == [{"key": "all", "shifts": 3, "one_day": 1, "people": 3}]
    q1 = to_data(build_report("activities", [world.org], Period.month_of(2020, 3),
                              actor=system_actor([world.org])))
    assert q1["tables"]["day_stay_shifts"]["rows"] == [{"key": "all", "shifts": 2, "one_day": 1, "people": 2}]
    empty = to_data(build_report("activities", [world.org], Period.year_of(2018), actor=system_actor([world.org])))
    assert empty["tables"]["day_stay_shifts"]["rows"] == [{"key": "all", "shifts": 0, "one_day": 0, "people": 0}]
    assert "day_stay_shifts" in build_report("annual", [world.org], Period.year_of(2020),
                                             actor=system_actor([world.org])).tables()
    assert "day_stay_shifts" not in build_report("annual", [world.org], Period.year_of(2018),
                                                 actor=system_actor([world.org])).tables()
    with pytest.raises(DomainError, match="25 places|do not meet"):  # the bulk path checks the same rules
        outreach.write(world.org.pk, outreach.OutreachBatch(places={e1b.pk: "jan"}))


# ---- the exchange -------------------------------------------------------------------------------------------------
DS_DEPARTMENTS = [*DEPARTMENTS, ["day_stay", "ds", "Отделение дневного пребывания"]]
DS_ENROLMENTS = [[*ENROLMENTS[0], "shift_code"], *[[*r, ""] for r in ENROLMENTS[1:]],
                 ["R3", "ds", "semi_stationary", "2020-02-10", "2020-02-23", "term_expired", "", "z1"],
                 ["R1", "ds", "semi_stationary", "2020-02-21", "2020-02-21", "term_expired", "", "d1"]]
SHIFTS = [["code", "department_code", "start", "end", "capacity"],
          ["z1", "ds", "2020-02-10", "2020-02-23", "20"],
          ["d1", "ds", "21.02.2020", "21.02.2020", ""]]


def _directory(tmp_path, shifts=SHIFTS, enrolments=DS_ENROLMENTS):
    d = build(tmp_path / "x", departments=DS_DEPARTMENTS, enrolments=enrolments)
    write_csv(d / "shifts.csv", shifts, encoding="utf-8", delimiter=";")
    return d


def test_it_imports_shifts_and_the_shift_of_enrolments_and_exports_them_back(tmp_path, categories):
    status, _out, err = run(_directory(tmp_path))
    assert status == 0, err
    assert sorted(Shift.objects.values_list("code", "capacity")) == [("d1", None), ("z1", 20)]
    assert sorted(ShiftEnrolment.objects.values_list("shift__code", "enrolment__recipient__external_id")) == [
        ("d1", "R1"), ("z1", "R3")]
    status, _out, err = run(_directory(tmp_path))  # again: nothing changes
    assert status == 0 and ShiftEnrolment.objects.count() == 2
    from opora.exchange.export import export_directory
    from opora.org.models import Organisation

    out = tmp_path / "out"
    counts = export_directory(Organisation.objects.get(code="imp"), out)
    assert counts["shifts"] == 2
    assert "z1" in (out / "enrolments.csv").read_text(encoding="utf-8-sig")
    assert (out / "shifts.csv").read_text(encoding="utf-8-sig").splitlines()[0] == \
        "code;department_code;start;end;capacity"


@pytest.mark.parametrize(("shifts", "enrolments", "expected"), [
    (SHIFTS, [*DS_ENROLMENTS[:-1], ["R1", "ds", "semi_stationary", "2020-02-21", "", "", "", "nope"]],
     "enrolments.csv:5: shift_code: Unknown shift «nope»."),
    (SHIFTS, [*DS_ENROLMENTS[:-1], ["R1", "ds", "semi_stationary", "2020-03-01", "", "", "", "d1"]],
     "enrolments.csv:5: shift_code:"),
    (SHIFTS, [*DS_ENROLMENTS[:-1], ["R1", "home", "home", "2020-02-21", "", "", "", "d1"]],
     "enrolments.csv:5: shift_code: The enrolment is of another department"),
    ([*SHIFTS, ["bad", "ds", "2020-05-10", "2020-05-01", ""]], DS_ENROLMENTS, "shifts.csv:4: end:"),
    ([*SHIFTS, ["h", "home", "2020-05-01", "2020-05-01", ""]], DS_ENROLMENTS,
     "shifts.csv:4: department_code: A shift belongs to a day-stay department."),
    ([SHIFTS[0], ["z1", "ds", "2020-02-10", "2020-02-23", "1"], SHIFTS[2]],
     [*DS_ENROLMENTS, ["R2", "ds", "semi_stationary", "2020-02-10", "2020-02-23", "term_expired", "", "z1"]],
     "has 1 places; 2 enrolments would exceed them."),
])
def test_bad_shift_input_names_file_and_line_and_changes_nothing(tmp_path, categories, shifts, enrolments, expected):
    status, _out, err = run(_directory(tmp_path, shifts, enrolments))
    assert status != 0 and expected in err, err
    assert Shift.objects.count() == 0 and Enrolment.objects.count() == 0


# ---- pages and API ------------------------------------------------------------------------------------------------
def test_the_pages_list_a_shift_enrol_and_remove(world, ds):
    dept, (e1, _e2, _e3) = ds
    shift = actions.do_create_shift(world.org, {"code": "s1", "department": dept, "start": D(2020, 1, 13),
                                                "end": D(2020, 1, 26)}, actor=world.actor("director"))
    c = world.client("director")
    assert "s1" in c.get("/activities/shifts/").content.decode()
    page = c.get(f"/activities/shifts/{shift.pk}/").content.decode()
    assert "Фёдорова" in page  # a candidate enrolment
    c.post(f"/activities/shifts/{shift.pk}/enrolments/add/", {"enrolment": e1.pk})
    place = ShiftEnrolment.objects.get()
    assert place.enrolment == e1
    c.post(f"/activities/shifts/{shift.pk}/enrolments/{place.pk}/remove/")
    assert not ShiftEnrolment.objects.exists()
    assert c.post("/activities/shifts/new/", {"code": "bad", "department": dept.pk, "start": "2020-02-02",
                                              "end": "2020-02-01"}).status_code == 200
    assert not Shift.objects.filter(code="bad").exists()


def test_the_api_creates_a_shift_and_enrols_with_errors_on_fields(world, ds):
    dept, (e1, e2, e3) = ds
    c = world.client("director")
    r = c.post("/api/v1/shifts", {"code": "s1", "department_id": dept.pk, "start": "2020-01-13",
                                  "end": "2020-01-26", "capacity": 1}, content_type="application/json")
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert r.json()["one_day"] is False and r.json()["people"] == 0
    bad = c.post("/api/v1/shifts", {"code": "s2", "department_id": dept.pk, "start": "2020-01-26",
                                    "end": "2020-01-13"}, content_type="application/json")
    assert bad.status_code == 422
    ok = c.post(f"/api/v1/shifts/{sid}/enrolments", {"enrolment_id": e1.pk}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["recipient_id"] == world.in_caseload.pk
    full = c.post(f"/api/v1/shifts/{sid}/enrolments", {"enrolment_id": e2.pk}, content_type="application/json")
    assert full.status_code == 422
    listed = c.get(f"/api/v1/shifts/{sid}/enrolments").json()
    assert [p["enrolment_id"] for p in listed] == [e1.pk]
    assert c.get("/api/v1/shifts?start=2020-01-01&end=2020-12-31").json()["count"] == 1
    place_id = listed[0]["id"]
    assert c.delete(f"/api/v1/shifts/{sid}/enrolments/{place_id + 1000}").status_code == 404
    assert c.delete(f"/api/v1/shifts/{sid}/enrolments/{place_id}").status_code == 204
    assert not ShiftEnrolment.objects.exists()
    assert world.client("hr").get(f"/api/v1/shifts/{sid}").status_code in (403, 404)


def test_the_indicators_give_the_figures_of_the_report(world, ds):
    from opora.indicators.registry import get_indicator

    dept, (e1, e2, _e3) = ds
    outreach.write(world.org.pk, outreach.OutreachBatch(
        shifts={"jan": {"department_id": dept.pk, "start": D(2020, 1, 13), "end": D(2020, 1, 26), "capacity": None},
                "day": {"department_id": dept.pk, "start": D(2020, 1, 20), "end": D(2020, 1, 20), "capacity": None}},
        places={e1.pk: "jan", e2.pk: "day"}))
    figures = [get_indicator(n).compute([world.org.pk], D(2020, 1, 1), D(2020, 12, 31), {})
               for n in ("day_stay_shifts", "day_stay_people")]
    assert figures == [2, 2]
