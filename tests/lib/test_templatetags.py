"""{% load opora %}: the template filters show figures and dates through lib.formats; the one month field."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from opora.lib.formats import NBSP


def render(source: str, **context: object) -> str:
    return Template("{% load opora %}" + source).render(Context(context))


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", f"1{NBSP}234,50|530{NBSP}487|116,93{NBSP}%|+14,18{NBSP}%|31.12.2020|декабрь 2020"),
    ("uk", f"1{NBSP}234,50|530{NBSP}487|116,93{NBSP}%|+14,18{NBSP}%|31.12.2020|грудень 2020"),
    ("en", "1,234.50|530,487|116.93%|+14.18%|31.12.2020|December 2020"),
])
def test_the_filters_follow_the_active_language(lang, expected):
    source = "{{ m|money }}|{{ n|integer }}|{{ p|percent }}|{{ c|change }}|{{ d|day }}|{{ d|month_year }}"
    with translation.override(lang):
        assert render(source, m=Decimal("1234.5"), n=530487, p=Decimal("116.925"), c=Decimal("14.18"),
                      d=datetime.date(2020, 12, 31)) == expected


def test_none_is_empty_and_text_passes_through():
    with translation.override("ru"):
        assert render("[{{ x|money }}][{{ x|integer }}][{{ x|day }}][{{ x|percent }}]", x=None) == "[][][][]"
        assert render("{{ x|money }}", x="—") == "—"
        assert render("{{ x|money }}", x="1500") == f"1{NBSP}500,00"
        assert render("{{ x|integer }}", x=Decimal("12.5")) == "12.5"  # not a count: left alone


def test_a_date_time_is_shown_as_its_local_day(settings):
    settings.TIME_ZONE = "Europe/Moscow"
    moment = datetime.datetime(2020, 12, 31, 22, 30, tzinfo=datetime.UTC)  # 01:30 on 1 January in Moscow
    assert render("{{ t|day }}", t=moment) == "01.01.2021"


def test_the_one_month_field_cleans_to_the_first_day_and_says_what_it_wants():
    from django import forms

    from opora.core.fields import MonthField

    class F(forms.Form):
        month = MonthField(required=False)

    for text in ("2020-03", "2020-03-15", "03.2020"):
        form = F({"month": text})
        assert form.is_valid() and form.cleaned_data["month"] == datetime.date(2020, 3, 1)
    empty = F({"month": ""})
    assert empty.is_valid() and empty.cleaned_data["month"] is None
    with translation.override("en"):
        bad = F({"month": "2020-13"})
        assert not bad.is_valid() and bad.errors["month"] == ["Enter a month as YYYY-MM."]
    assert 'type="month"' in str(F(initial={"month": datetime.date(2020, 3, 1)})["month"])
    assert 'value="2020-03"' in str(F(initial={"month": datetime.date(2020, 3, 1)})["month"])
