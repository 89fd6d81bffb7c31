"""The charts we draw (Pillow PNG): every label inside the picture, no two labels overlapping, nothing cut."""

from __future__ import annotations

from itertools import combinations

import pytest
from django.utils import translation

from opora.reports import charts
from opora.reports.model import Chart, Series

DEPARTMENTS = [
    "Отделение социальной адаптации",
    "Отделение дневного пребывания",
    *[f"Отделение социального обслуживания на дому № {n}" for n in range(1, 6)],
    "Отделение срочного социального обслуживания",
]
CATEGORIES = [
    "Пенсионер",
    "Инвалид I группы",
    "Инвалид II группы",
    "Инвалид III группы",
    "Участник Великой Отечественной войны",
    "Труженик тыла",
    "Вдова участника войны",
    "Ветеран труда",
    "Одинокий гражданин",
    "Одиноко проживающий гражданин",
]


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check(canvas: charts.Canvas) -> list[str]:
    width, height = canvas.image.size
    texts = [t for t, _box in canvas.labels]
    assert not [t for t in texts if "…" in t], "a label was cut"
    outside = [t for t, (x0, y0, x1, y1) in canvas.labels if x0 < 0 or y0 < 0 or x1 > width or y1 > height]
    assert not outside, f"labels outside the picture: {outside}"
    clashes = [(a, b) for (a, ba), (b, bb) in combinations(canvas.labels, 2) if overlaps(ba, bb)]
    assert not clashes, f"labels overlap: {clashes[:3]}"
    return texts


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


def test_department_bars_get_short_names_with_a_key_and_no_label_overlaps():
    chart = Chart(
        id="plan_fact",
        title="Государственное задание: услуги, план и факт по отделениям",
        kind="bar",
        categories=DEPARTMENTS,
        series=[
            Series("План", [500, 39254, *[89200] * 5, 2990]),
            Series("Факт", [457, 5382, 160704, 133003, 84733, 68569, 74482, 3157]),
        ],
    )
    texts = check(charts.draw(chart))
    assert "ОСОД № 1" in texts and "ОСОД № 5" in texts
    assert any(t.startswith("ОСОД — Отделение социального обслуживания на дому") for t in texts)
    assert not any("Отделение социального обслуживания на дому № 1" in t for t in texts)


def test_the_measure_sees_overlapping_labels():
    canvas = charts.Canvas(charts.Image.new("RGB", (200, 100)))
    font = charts._font(20)
    canvas.text((10, 10), "Отделение", font, "lt")
    canvas.text((40, 15), "дневного", font, "lt")
    with pytest.raises(AssertionError, match="overlap"):
        check(canvas)


def test_overlapping_categories_are_horizontal_bars_with_the_note():
    chart = Chart(
        id="recipients_by_category",
        title="Получатели социальных услуг на дому по категориям",
        kind="bar",
        categories=CATEGORIES,
        series=[Series("Получатели", [738, 53, 128, 71, 2, 60, 19, 243, 144, 386])],
        note="Гражданин, относящийся к нескольким категориям, учитывается в каждой из них.",
    )
    texts = check(charts.draw(chart))
    assert "Участник Великой Отечественной войны" in " ".join(texts)
    assert any("учитывается в каждой из них" in t for t in texts)


def test_a_pie_legend_wraps_long_names_instead_of_cutting_them():
    chart = Chart(
        id="services_by_type",
        title="Услуги по видам",
        kind="pie",
        categories=[
            "Социально-бытовые",
            "Социально-медицинские",
            "Услуги в целях повышения коммуникативного потенциала получателей социальных услуг",
            "Срочные социальные услуги",
        ],
        series=[Series("2020", [450529, 73042, 824, 3157])],
    )
    texts = check(charts.draw(chart))
    assert any("(0,16" in t for t in texts)  # the share of the long name is there, not cut off


def test_the_png_is_the_drawn_picture():
    chart = Chart(id="c", title="Т", kind="bar", categories=DEPARTMENTS[:2], series=[Series("План", [1, 2])])
    assert charts.png(chart).startswith(b"\x89PNG")
