"""Issue 17: the optional 0/1 columns `services.innovative` and `deliveries.online` — read, checked, idempotent,
changed on re-import, kept when the column is absent, and written by the export."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from opora.catalogue.models import Service
from opora.delivery.models import Delivery
from tests.exchange.test_import import DELIVERIES, SERVICES, build, categories, run  # noqa: F401 — a fixture

pytestmark = pytest.mark.django_db

SERVICES_MARKED = [[*SERVICES[0], "innovative"], [*SERVICES[1], "1"], [*SERVICES[2], "0"], [*SERVICES[3], ""]]
DELIVERIES_MARKED = [[*DELIVERIES[0], "online"], [*DELIVERIES[1], "1"], [*DELIVERIES[2], ""], [*DELIVERIES[3], "0"],
                     [*DELIVERIES[4], "1"], [*DELIVERIES[5], "0"]]


def marks() -> tuple[dict[str, bool], list[tuple]]:
    services = dict(Service.objects.filter(organisation__code="imp").values_list("code", "innovative"))
    lines = list(Delivery.objects.order_by("date", "service__code", "seq").values_list(
        "date", "service__code", "seq", "online"))
    return services, lines


def test_it_reads_the_marks_and_a_second_import_changes_nothing(tmp_path: Path, categories):  # noqa: F811
    d = build(tmp_path / "in", services=SERVICES_MARKED, deliveries=DELIVERIES_MARKED)
    status, _out, err = run(d)
    assert status == 0, err
    services, lines = marks()
    assert services == {"1.1": True, "Д1.1": False, "8.1": False}
    assert [online for *_k, online in lines] == [True, False, False, True, False]
    assert Delivery.objects.filter(online=True).count() == 2
    status, out, err = run(d)
    assert status == 0, err
    assert marks() == (services, lines)


def test_a_reimport_changes_the_marks_and_without_the_columns_keeps_them(tmp_path: Path, categories):  # noqa: F811
    run(build(tmp_path / "in", services=SERVICES_MARKED, deliveries=DELIVERIES_MARKED))
    flipped = [DELIVERIES_MARKED[0]] + [[*r[:-1], "0" if r[-1] == "1" else "1"] for r in DELIVERIES_MARKED[1:]]
    services = [SERVICES_MARKED[0], [*SERVICES[1], "0"], *SERVICES_MARKED[2:]]
    status, _out, err = run(build(tmp_path / "again", services=services, deliveries=flipped))
    assert status == 0, err
    marked_services, lines = marks()
    assert marked_services["1.1"] is False
    assert [online for *_k, online in lines] == [False, True, True, False, True]
    assert Delivery.objects.count() == 5
    status, _out, err = run(build(tmp_path / "plain"))  # no columns: the marks stay
    assert status == 0, err
    assert marks() == (marked_services, lines)


def test_a_bad_mark_is_an_error_naming_file_line_and_column(tmp_path: Path, categories):  # noqa: F811
    services = [*SERVICES_MARKED[:2], [*SERVICES[2], "yes"], SERVICES_MARKED[3]]
    deliveries = [*DELIVERIES_MARKED[:3], [*DELIVERIES[3], "2"], *DELIVERIES_MARKED[4:]]
    status, _out, err = run(build(tmp_path / "in", services=services, deliveries=deliveries))
    assert status != 0
    assert "services.xlsx:3: innovative: Expected 0 or 1." in err
    assert "deliveries.csv:4: online: Expected 0 or 1." in err
    assert not Delivery.objects.exists()


def test_the_export_writes_the_marks_and_they_come_back(tmp_path: Path, categories):  # noqa: F811
    run(build(tmp_path / "in", services=SERVICES_MARKED, deliveries=DELIVERIES_MARKED))
    before = marks()
    call_command("export", str(tmp_path / "out"), "--organisation", "imp")
    deliveries = (tmp_path / "out" / "deliveries.csv").read_text(encoding="utf-8-sig").splitlines()
    header = deliveries[0].split(";")
    assert "online" in header
    at = header.index("online")
    assert sorted(line.split(";")[at] for line in deliveries[1:]) == ["0", "0", "0", "1", "1"]
    services = (tmp_path / "out" / "services.csv").read_text(encoding="utf-8-sig").splitlines()
    assert services[0].endswith(";innovative")
    status, _out, err = run(tmp_path / "out", "--organisation", "copy")
    assert status == 0, err
    copy_services = dict(Service.objects.filter(organisation__code="copy").values_list("code", "innovative"))
    assert copy_services == before[0]
    assert Delivery.objects.filter(organisation__code="copy", online=True).count() == 2
