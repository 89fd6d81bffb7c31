"""Intake: the journal of applications, needs assessments and the decision on need."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.core.reference import Channel, Form
from opora.intake import rules
from opora.intake.rules import ApplicationStatus
from opora.people.validators import validate_not_future


class Application(models.Model):
    """An application or appeal for social service, from the person or their representative."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="applications")
    number = models.CharField(_("number"), max_length=40)
    received_on = models.DateField(_("received on"), validators=[validate_not_future])
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("person concerned"), on_delete=models.PROTECT,
                                  related_name="applications")
    applicant_name = models.CharField(_("applicant (if not the person)"), max_length=300, blank=True, default="",
                                      help_text=_("Fill in when a representative or relative applies."))
    requested_form = models.CharField(_("requested form of service"), max_length=16, choices=Form.choices)
    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="applications")
    request = models.TextField(_("what is asked"), blank=True, default="")
    status = models.CharField(_("status"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.REGISTERED)
    decision_due = models.DateField(_("decision due"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True, validators=[validate_not_future])
    decided_form = models.CharField(_("form of service granted"), max_length=16, choices=Form.choices,
                                    blank=True, default="")
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, default="")
    no_assessment_reason = models.TextField(_("why decided without an assessment"), blank=True, default="",
                                            help_text=_("Only for urgent help granted without a needs assessment."))
    registered_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="application_number_unique"),
            models.CheckConstraint(condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("received_on")),
                                   name="application_decided_after_received"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "decision_due"], name="application_open_due"),
            models.Index(fields=["department", "status"], name="application_dept_status"),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} {self.received_on:%d.%m.%Y}"

    @property
    def is_open(self) -> bool:
        """Awaiting a decision."""
        return rules.is_open(self.status)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return rules.is_overdue(self.status, self.decision_due, today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def deadline_met(self) -> bool | None:
        """Whether the decision came by the deadline; None while there is no decision."""
        return rules.deadline_met(self.decided_on, self.decision_due)

    def clean(self) -> None:
        errors = {}
        if self.status == ApplicationStatus.REFUSED and not self.refusal_reason.strip():
            errors["refusal_reason"] = _("Give the reason for refusal.")
        if self.status == ApplicationStatus.RECOGNISED and not self.decided_form:
            errors["decided_form"] = _("Choose the form of service.")
        if self.decided_on and self.received_on and self.decided_on < self.received_on:
            errors["decided_on"] = _("The decision cannot be dated before the application.")
        if errors:
            raise ValidationError(errors)


class CareLevelScale(models.Model):
    """Cut-offs of the self-care questionnaire score and the weekly care package per level.

    Configurable: versioned by region and date, because the law leaves them to regions and we could not
    confirm the numbers (domain/RULES.md, long-term care). Level 0 means no need of long-term care.
    """

    region = models.CharField(_("region"), max_length=200, blank=True, default="")
    valid_from = models.DateField(_("valid from"))
    level = models.PositiveSmallIntegerField(_("level of care need"))
    min_score = models.PositiveSmallIntegerField(_("score from"))
    max_score = models.PositiveSmallIntegerField(_("score to"))
    weekly_hours = models.PositiveSmallIntegerField(_("package, hours a week"))

    class Meta:
        verbose_name = _("care level scale")
        ordering = ["region", "-valid_from", "level"]
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from", "level"], name="care_level_scale_unique"),
            models.CheckConstraint(condition=Q(min_score__lte=models.F("max_score")), name="care_level_scale_range"),
        ]

    def __str__(self) -> str:
        return f"{self.region or '*'} {self.valid_from} L{self.level}: {self.min_score}–{self.max_score}"


class Assessment(models.Model):
    """The act of examination of living conditions and the self-care questionnaire."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="assessments")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assessments")
    recipient = models.ForeignKey("people.Recipient", on_delete=models.CASCADE, related_name="assessments")
    examined_on = models.DateField(_("examined on"), validators=[validate_not_future])
    examiner = models.ForeignKey("org.Employee", verbose_name=_("examined by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    housing = models.TextField(_("housing and living conditions"), blank=True, default="")
    household = models.TextField(_("household and relatives"), blank=True, default="")
    conclusion = models.TextField(_("conclusion"), blank=True, default="")
    answers = models.JSONField(_("questionnaire answers"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    care_level = models.PositiveSmallIntegerField(_("level of care need"), default=0)
    weekly_hours = models.PositiveSmallIntegerField(_("package, hours a week"), default=0)
    scale = models.ForeignKey(CareLevelScale, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("needs assessment")
        ordering = ["-examined_on", "-id"]

    def __str__(self) -> str:
        return f"{self.examined_on:%d.%m.%Y} L{self.care_level}"
