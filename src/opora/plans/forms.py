"""Forms of plans: a plan, an item, a period's mark. Plain forms: the actions take the texts and check them."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.plans.rules import PlanKind


class PlanForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=40)
    title = forms.CharField(label=_("title"), max_length=500)
    kind = forms.ChoiceField(label=_("kind of plan"), choices=PlanKind.choices)
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100,
                              initial=lambda: timezone.localdate().year)


class CopyForm(forms.Form):
    code = forms.CharField(label=_("code of the new plan"), max_length=40)
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)


class ItemForm(forms.Form):
    number = forms.CharField(label=_("number"), max_length=20)
    section = forms.CharField(label=_("section"), max_length=500, required=False)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.CharField(label=_("deadline"), max_length=20, required=False,
                               help_text=_("A date (YYYY-MM-DD) or a period code of the plan's year: q1…q4, h1, h2, "
                                           "9m, m01…m12, year."))
    responsible = forms.CharField(label=_("responsible"), max_length=300, required=False,
                                  help_text=_("An employee's full name or personnel number, or a department's code "
                                              "or name."))
    mark = forms.CharField(label=_("execution mark"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4, "id": "id_mark"}),
                           help_text=_("Placeholders {{ indicator key=value }} are filled with the period's "
                                       "figures."))
    indicator = forms.CharField(label=_("indicator"), max_length=60, required=False)
    params = forms.CharField(label=_("parameters"), max_length=500, required=False,
                             help_text=_("KEY=VALUE pairs separated by |"))
    target = forms.DecimalField(label=_("target"), max_digits=16, decimal_places=2, required=False, min_value=0)


class MarkForm(forms.Form):
    text = forms.CharField(label=_("execution mark"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6, "id": "id_mark"}))
