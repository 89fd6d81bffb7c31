"""Plans of a year (work plan, quality plan, roadmap, methodological plan), their items and execution marks.

An item has a number unique in its plan (``2.3``), a section, a text, a deadline (a date or a period code of the
plan's year, ``q2``), a responsible person or department, and optionally the execution mark's text (with
``{{ indicator key=value }}`` placeholders, filled for the reported period), an indicator with its parameters
and a target (roadmaps: the percentage achieved is value / target × 100). A mark written for one period
(``PlanMark``) replaces the item's mark for that period.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opora.plans.rules import PlanKind


class Plan(models.Model):
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="plans")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind of plan"), max_length=16, choices=PlanKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan")
        ordering = ["-year", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="plan_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class PlanItem(models.Model):
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("number"), max_length=20)
    sort_key = models.CharField(max_length=80, editable=False, default="")
    section = models.CharField(_("section"), max_length=500, blank=True, default="")
    text = models.TextField(_("text"))
    deadline = models.CharField(_("deadline"), max_length=20, blank=True, default="",
                                help_text=_("A date (YYYY-MM-DD) or a period code of the plan's year: q1…q4, "
                                            "h1, h2, 9m, m01…m12, year."))
    due_start = models.DateField(null=True, blank=True, editable=False)
    due_end = models.DateField(null=True, blank=True, editable=False)
    responsible = models.CharField(_("responsible"), max_length=300, blank=True, default="")
    responsible_employee = models.ForeignKey("org.Employee", verbose_name=_("responsible employee"), null=True,
                                             blank=True, on_delete=models.SET_NULL, related_name="+")
    responsible_department = models.ForeignKey("org.Department", verbose_name=_("responsible department"),
                                               null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    mark = models.TextField(_("execution mark"), blank=True, default="")
    indicator = models.CharField(_("indicator"), max_length=60, blank=True, default="")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("plan item")
        ordering = ["plan", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_item_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class PlanMark(models.Model):
    """The execution mark of an item for one reported period."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="marks")
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    text = models.TextField(_("execution mark"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("execution mark")
        ordering = ["item", "start"]
        constraints = [models.UniqueConstraint(fields=["item", "start", "end"], name="plan_mark_one_per_period")]

    def __str__(self) -> str:
        return self.text[:80]
