from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opora.core.reference import DepartmentKind, Position, Sector
from opora.jurisdictions import jurisdiction_for
from opora.lib.text import search_key


def related_or_none(instance: models.Model, field: str) -> Any:
    """The related object of a foreign key, or None when it is unset or does not exist."""
    if getattr(instance, f"{field}_id", None) is None:
        return None
    try:
        return getattr(instance, field)
    except ObjectDoesNotExist:
        return None


class Jurisdiction(models.TextChoices):
    RU = "ru", _("Russia (442-FZ)")
    UA = "ua", _("Ukraine (2671-VIII)")


class Organisation(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True, default="")
    region = models.CharField(_("region"), max_length=200, blank=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    founder = models.CharField(_("founder"), max_length=300, blank=True, default="")
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=2, choices=Jurisdiction.choices, default=Jurisdiction.RU
    )

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Department(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="departments")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=DepartmentKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        ordering = ["organisation_id", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="department_code_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The kind must be one the organisation's law knows (a Ukrainian centre has no `family_children`)."""
        organisation = related_or_none(self, "organisation")
        if organisation is not None and self.kind and self.kind not in jurisdiction_for(organisation).department_kinds:
            raise ValidationError({"kind": _("This kind of department is not used under the organisation's law.")})


class Settlement(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="settlements")
    name = models.CharField(_("name"), max_length=200)
    default_sector = models.CharField(
        _("default sector"), max_length=16, choices=Sector.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("settlement")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="settlement_name_unique")]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="employees")
    tab_no = models.CharField(_("personnel number"), max_length=20)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True, default="")
    position = models.CharField(_("position"), max_length=32, choices=Position.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="employees"
    )
    hired_on = models.DateField(_("hired on"))
    dismissed_on = models.DateField(_("dismissed on"), null=True, blank=True)
    search_name = models.CharField(max_length=320, editable=False, default="")

    class Meta:
        verbose_name = _("employee")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "tab_no"], name="employee_tab_no_unique"),
            models.CheckConstraint(
                condition=Q(dismissed_on__isnull=True) | Q(dismissed_on__gte=F("hired_on")),
                name="employee_dismissed_after_hired",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "dismissed_on"], name="employee_org_active")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def clean(self) -> None:
        if self.dismissed_on and self.hired_on and self.dismissed_on < self.hired_on:
            raise ValidationError({"dismissed_on": _("The dismissal date cannot be before the hiring date.")})
        department = related_or_none(self, "department")
        if department is not None and department.organisation_id != self.organisation_id:
            raise ValidationError({"department": _("The department belongs to another organisation.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = search_key(self.last_name, self.first_name, self.patronymic)
        super().save(*args, **kwargs)


class CalendarDay(models.Model):
    """An administrator's override of the production calendar: a day made a day off or a working day.

    The calendar itself comes from the `holidays` package for the organisation's jurisdiction
    (`org.calendar.calendar_for`); these rows change single days of it. Deadlines in working days (a decision
    within 5, a programme within 10) count on the result. An empty region applies to every organisation of the
    jurisdiction; a region's own row for the same date wins.
    """

    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=2, choices=Jurisdiction.choices, default=Jurisdiction.RU
    )
    region = models.CharField(_("region"), max_length=200, blank=True, default="")
    date = models.DateField(_("date"))
    is_working = models.BooleanField(_("working day"), default=False)
    name = models.CharField(_("name"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("calendar day")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "region", "date"], name="calendar_day_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class AssignmentPlan(models.Model):
    """A department's state (municipal) assignment for a year: services and recipients planned."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assignment_plans")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="assignment_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    services_plan = models.PositiveIntegerField(_("services planned"))
    recipients_plan = models.PositiveIntegerField(_("recipients planned"))

    class Meta:
        verbose_name = _("state assignment plan")
        ordering = ["organisation_id", "-year", "department__code"]
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="assignment_plan_unique")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.year}: {self.services_plan}/{self.recipients_plan}"
