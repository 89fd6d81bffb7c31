"""Quality: surveys and the independent assessment (344н), complaints and appeals, staff development,
publications. The invariants live in the database (constraints); cross-row checks in the actions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opora.core.reference import Channel
from opora.lib.errors import DomainError
from opora.quality.rules import ANSWER_DAYS, answer_due, check_answer_date, check_term

StrOrPromise = Any


class SurveyKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction survey")
    NOK = "nok", _("Independent quality assessment (344н)")


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    APPEAL = "appeal", _("Appeal")
    REVIEW = "review", _("Review")
    GRATITUDE = "gratitude", _("Gratitude")


class TrainingKind(models.TextChoices):
    COURSE = "course", _("Qualification course")
    RETRAINING = "retraining", _("Retraining")
    HIGHER_EDUCATION = "higher_education", _("Higher education")
    SEMINAR = "seminar", _("Seminar")
    ATTESTATION = "attestation", _("Attestation")
    AWARD = "award", _("Award")


class PublicationKind(models.TextChoices):
    SITE = "site", _("Website")
    SOCIAL = "social", _("Social networks")
    PRESS = "press", _("Press")
    TV = "tv", _("Television")
    RADIO = "radio", _("Radio")
    STAND = "stand", _("Stand")
    BOOKLET = "booklet", _("Booklet")


def _field_errors(check: Any, *args: Any) -> None:
    """A rule's DomainError as the model's ValidationError on its field (forms show it next to the field)."""
    try:
        check(*args)
    except DomainError as exc:
        raise ValidationError({exc.field or "__all__": exc.message}) from None


class Survey(models.Model):
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="surveys")
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=SurveyKind.choices)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    is_public = models.BooleanField(_("answered on the public page"), default=False)

    class Meta:
        verbose_name = _("survey")
        ordering = ["-start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="survey_code_unique"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                                   name="survey_end_not_before_start"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.start is not None:
            _field_errors(check_term, self.start, self.end)


def _answer(label: StrOrPromise) -> models.BooleanField:
    return models.BooleanField(label, null=True, blank=True)


class SurveyResponse(models.Model):
    """One questionnaire: entered by staff from paper, imported, or answered on the public page (then
    `device_key` is the hash of the device's token, and one device answers once a day)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    date = models.DateField(_("date"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    info_satisfied = _answer(_("Satisfied with the information on stands and the site"))
    comfort_satisfied = _answer(_("Satisfied with the comfort of the premises"))
    waiting_ok = _answer(_("Waited no longer than set"))
    access_satisfied = _answer(_("Satisfied with accessibility for disabled people"))
    courtesy_first_contact = _answer(_("Staff were courteous at the first contact"))
    courtesy_during = _answer(_("Staff were courteous during the service"))
    courtesy_remote = _answer(_("Staff were courteous by phone or online"))
    recommend = _answer(_("Would recommend the centre to relatives and friends"))
    schedule_satisfied = _answer(_("Satisfied with the schedule"))
    overall_satisfied = _answer(_("Satisfied with the services overall"))
    online = models.BooleanField(_("answered on the public page"), default=False)
    device_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("survey response")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["survey", "date"], name="survey_response_day")]
        constraints = [
            models.UniqueConstraint(fields=["survey", "device_key", "date"], condition=~Q(device_key=""),
                                    name="survey_response_one_per_device_day"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.date}"


def _points(label: StrOrPromise) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=2,
                               validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))])


class NokFacts(models.Model):
    """The institution-level points of 344н entered for an assessment (0–100 each)."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="facts")
    info_completeness = _points(_("Information on stands and the site, points"))
    remote_channels = _points(_("Remote channels, points"))
    comfort_conditions = _points(_("Comfort conditions, points"))
    facility_access = _points(_("Accessibility of the premises, points"))
    service_access = _points(_("Accessibility of the services, points"))

    class Meta:
        verbose_name = _("points of the independent assessment")
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 100}),
                                   name=f"nok_{name}_0_100")
            for name in ("info_completeness", "remote_channels", "comfort_conditions", "facility_access",
                         "service_access")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}"


class Complaint(models.Model):
    """A complaint, an appeal, a review or a gratitude (the register of 59-ФЗ: answered within 30 days)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    kind = models.CharField(_("kind"), max_length=16, choices=ComplaintKind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True, default="")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    recipient = models.ForeignKey("people.Recipient", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("recipient"))
    subject = models.CharField(_("subject"), max_length=500, blank=True, default="")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    justified = models.BooleanField(_("justified"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint or appeal")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "received_on"], name="complaint_org_received")]
        constraints = [
            models.CheckConstraint(condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                                   name="complaint_answer_not_before_receipt"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"

    def clean(self) -> None:
        if self.received_on is not None:
            _field_errors(check_answer_date, self.received_on, self.answered_on)

    @property
    def due(self) -> datetime.date:
        return answer_due(self.received_on)

    answer_days = ANSWER_DAYS


class Training(models.Model):
    """A record of staff development: a course, retraining, higher education, a seminar, an attestation, an award."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="trainings",
                                 verbose_name=_("employee"))
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(Decimal(0))])
    title = models.CharField(_("title"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("staff development record")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                                   name="training_end_not_before_start"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0),
                                   name="training_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"

    def clean(self) -> None:
        if self.start is not None:
            _field_errors(check_term, self.start, self.end)


class Publication(models.Model):
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=PublicationKind.choices)
    title = models.CharField(_("title"), max_length=500, blank=True, default="")
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(views__isnull=True) | Q(views__gte=0),
                                   name="publication_views_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class QualityCheck(models.Model):
    """An internal check of the quality of services: planned for a day, done on a day, by department, with its
    findings and the corrective measures taken."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    planned_on = models.DateField(_("planned on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True, default="")
    findings = models.TextField(_("findings"), blank=True, default="")
    measures = models.TextField(_("corrective measures"), blank=True, default="")

    class Meta:
        verbose_name = _("quality check")
        verbose_name_plural = _("quality checks")
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["organisation", "planned_on"], name="quality_check_org_planned")]

    def __str__(self) -> str:
        return f"{self.planned_on} {self.subject[:60]}"
