"""The exchange file `applications`: imported through intake's bulk entry point, matched on re-import by
(recipient_id, received_on, form), every bad row named, exported back."""

from __future__ import annotations

import datetime

from opora.intake.models import Application
from opora.org.models import Organisation
from tests.exchange.test_export import export
from tests.exchange.test_import import build, categories, run  # noqa: F401

D = datetime.date
HEADER = ["recipient_id", "received_on", "form", "channel", "department_code", "decision", "decided_on"]
APPLICATIONS = [HEADER,
                ["R1", "2020-01-09", "home", "in_person", "home", "recognised", "2020-01-10"],
                ["R2", "2020-01-09", "home", "phone", "home", "", ""],
                ["R3", "15.03.2020", "urgent", "", "urg", "refused", "2020-03-16"]]


def stored():
    return sorted(Application.objects.filter(organisation__code="imp").values_list(
        "recipient__external_id", "received_on", "requested_form", "channel", "department__code", "status",
        "decided_on", "decided_form", "number", "decision_due"))


def test_it_imports_an_application_journal(tmp_path, categories):  # noqa: F811
    status, _out, err = run(build(tmp_path / "x", applications=APPLICATIONS))
    assert status == 0, err
    rows = stored()
    assert [r[:8] for r in rows] == [
        ("R1", D(2020, 1, 9), "home", "in_person", "home", "recognised", D(2020, 1, 10), "home"),
        ("R2", D(2020, 1, 9), "home", "phone", "home", "registered", None, ""),
        ("R3", D(2020, 3, 15), "urgent", "in_person", "urg", "refused", D(2020, 3, 16), "")]
    # numbered per year like the form; the decision due 5 working days later (09.01.2020 → 16.01.2020)
    assert sorted(r[8] for r in rows) == ["2020-0001", "2020-0002", "2020-0003"]
    assert rows[0][9] == D(2020, 1, 16)
    refused = Application.objects.get(recipient__external_id="R3")
    assert refused.refusal_reason  # the form's rule: a refusal has a reason


def test_a_reimport_changes_nothing_and_then_records_a_decision(tmp_path, categories):  # noqa: F811
    directory = build(tmp_path / "x", applications=APPLICATIONS)
    assert run(directory)[0] == 0
    before = stored()
    assert run(directory)[0] == 0
    assert stored() == before
    later = [*APPLICATIONS[:2], ["R2", "2020-01-09", "home", "phone", "home", "withdrawn", "2020-01-20"],
             APPLICATIONS[3]]
    assert run(build(tmp_path / "x", applications=later))[0] == 0
    after = {r[0]: r for r in stored()}
    assert (after["R2"][5], after["R2"][6], after["R2"][8]) == ("withdrawn", D(2020, 1, 20), before[1][8])
    assert Application.objects.count() == 3


def test_it_names_every_bad_row_and_writes_nothing(tmp_path, categories):  # noqa: F811
    bad = [HEADER,
           ["R9", "2020-01-09", "home", "", "home", "", ""],                      # unknown person
           ["R1", "2020-01-09", "home", "pigeon", "home", "", ""],                # unknown channel
           ["R1", "2020-02-09", "home", "", "home", "recognised", ""],            # decision without a date
           ["R1", "2020-03-09", "home", "", "home", "", "2020-03-10"],            # a date without a decision
           ["R1", "2020-04-09", "home", "", "home", "refused", "2020-04-01"],     # decided before received
           ["R1", "2020-05-09", "home", "", "home", "maybe", "2020-05-10"],       # unknown decision
           ["R2", "2020-01-09", "home", "", "", "", ""],                          # no department
           ["R1", "2020-01-09", "home", "", "home", "", ""]]                      # repeats line 2
    status, _out, err = run(build(tmp_path / "x", applications=bad))
    assert status != 0
    for expected in ("applications.csv:2: recipient_id:", "applications.csv:3: channel:",
                     "applications.csv:4: decided_on:", "applications.csv:5: decision:",
                     "applications.csv:6: decided_on:", "applications.csv:7: decision:",
                     "applications.csv:8: department_code:", "applications.csv:9: received_on:"):
        assert expected in err, expected
    assert not Organisation.objects.filter(code="imp").exists() and not Application.objects.exists()


def test_a_decision_taken_cannot_be_changed_by_a_reimport(tmp_path, categories):  # noqa: F811
    assert run(build(tmp_path / "x", applications=APPLICATIONS))[0] == 0
    changed = [APPLICATIONS[0], ["R1", "2020-01-09", "home", "in_person", "home", "refused", "2020-01-10"]]
    status, _out, err = run(build(tmp_path / "x", applications=changed))
    assert status != 0 and "applications.csv:2: decision:" in err
    assert Application.objects.get(recipient__external_id="R1").status == "recognised"


def test_it_exports_the_journal_and_round_trips(tmp_path, categories):  # noqa: F811
    assert run(build(tmp_path / "in", applications=APPLICATIONS))[0] == 0
    out = export(tmp_path / "out", "--organisation", "imp")
    assert "applications.csv: 3 rows" in out
    assert run(tmp_path / "out", "--organisation", "copy")[0] == 0
    copy = sorted(Application.objects.filter(organisation__code="copy").values_list(
        "recipient__external_id", "received_on", "requested_form", "channel", "department__code", "status",
        "decided_on"))
    assert copy == [r[:7] for r in stored()]
