"""Individual programmes (ИППСУ), their services, and contracts with their amendments and termination."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opora.core.reference import DischargeReason, Form
from opora.programmes.rules import Payment, VolumePeriod


class ProgrammeStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    SUPERSEDED = "superseded", _("Replaced by a new version")
    CLOSED = "closed", _("Closed")


class Programme(models.Model):
    """The individual programme of social services: forms, services with volume, term, provider."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="programmes")
    recipient = models.ForeignKey("people.Recipient", on_delete=models.PROTECT, related_name="programmes")
    application = models.ForeignKey("intake.Application", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="programmes")
    number = models.CharField(_("number"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="next_version")
    drawn_up_on = models.DateField(_("drawn up on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    form = models.CharField(_("form of service"), max_length=16, choices=Form.choices)
    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="programmes")
    provider = models.CharField(_("provider"), max_length=300, blank=True, default="")
    review_on = models.DateField(_("review date"), null=True, blank=True)
    care_level = models.PositiveSmallIntegerField(_("level of care need"), default=0)
    weekly_hours = models.PositiveSmallIntegerField(_("package, hours a week"), default=0)
    days_per_week = models.PositiveSmallIntegerField(_("days a week"), default=0)
    visits_per_day = models.PositiveSmallIntegerField(_("visits a day"), default=0)
    support_measures = models.TextField(_("social support measures"), blank=True, default="")
    status = models.CharField(_("status"), max_length=16, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True,
                                 help_text=_("The last day of service under the programme when it was closed early."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("individual programme")
        ordering = ["-valid_from", "-version", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number", "version"], name="programme_number_version"),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="programme_term_order"),
        ]
        indexes = [models.Index(fields=["recipient", "status"], name="programme_recipient_status")]

    def __str__(self) -> str:
        return f"№ {self.number}/{self.version}"

    def clean(self) -> None:
        errors = {}
        if self.valid_from and self.valid_to:
            if self.valid_to < self.valid_from:
                errors["valid_to"] = _("The programme cannot end before it starts.")
            elif (self.valid_to - self.valid_from).days > 3 * 366:
                errors["valid_to"] = _("A programme is drawn up for at most 3 years.")
        if self.form == Form.URGENT:
            errors["form"] = _("Urgent services are given without a programme.")
        if errors:
            raise ValidationError(errors)


class ProgrammeItem(models.Model):
    """A service of the programme with its volume per period and periodicity."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey("catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="+")
    volume = models.PositiveIntegerField(_("volume"), validators=[MinValueValidator(1)])
    period = models.CharField(_("per"), max_length=8, choices=VolumePeriod.choices, default=VolumePeriod.MONTH)
    periodicity = models.CharField(_("periodicity"), max_length=200, blank=True, default="")
    conditions = models.CharField(_("conditions"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("programme service")
        ordering = ["service__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "service"], name="programme_item_unique"),
            models.CheckConstraint(condition=Q(volume__gte=1), name="programme_item_volume_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} × {self.volume}/{self.period}"


class Contract(models.Model):
    """The contract on social services between the provider and the recipient."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="contracts")
    recipient = models.ForeignKey("people.Recipient", on_delete=models.PROTECT, related_name="contracts")
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="contracts")
    enrolment = models.OneToOneField("people.Enrolment", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="contract")
    number = models.CharField(_("number"), max_length=40)
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    payment = models.CharField(_("payment terms"), max_length=16, choices=Payment.choices)
    monthly_fee = models.DecimalField(_("monthly fee"), max_digits=10, decimal_places=2, default=Decimal("0"),
                                      validators=[MinValueValidator(Decimal("0"))])
    fee_decision = models.ForeignKey("billing.FeeDecision", verbose_name=_("fee decision"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="contracts")
    signatory = models.CharField(_("signed for the provider by"), max_length=300, blank=True, default="")
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("reason for termination"), max_length=32,
                                          choices=DischargeReason.choices, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contract")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="contract_number_unique"),
            models.CheckConstraint(condition=Q(monthly_fee__gte=0), name="contract_fee_not_negative"),
            models.CheckConstraint(
                condition=(Q(terminated_on__isnull=True) & Q(termination_reason=""))
                | (Q(terminated_on__isnull=False) & ~Q(termination_reason="")),
                name="contract_termination_reason_iff_terminated",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "terminated_on"], name="contract_recipient_open")]

    def __str__(self) -> str:
        return f"№ {self.number} {self.signed_on:%d.%m.%Y}"

    def clean(self) -> None:
        errors = {}
        if self.payment == Payment.FREE and self.monthly_fee:
            errors["monthly_fee"] = _("A free contract has no fee.")
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The contract cannot end before it starts.")
        if self.terminated_on and self.valid_from and self.terminated_on < self.valid_from:
            errors["terminated_on"] = _("The contract cannot be terminated before it starts.")
        if self.terminated_on and not self.termination_reason:
            errors["termination_reason"] = _("Choose the reason for termination.")
        if errors:
            raise ValidationError(errors)


class ContractAmendment(models.Model):
    """An additional agreement changing the contract (usually its fee after a new fee decision)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("number"))
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    description = models.TextField(_("what changes"))
    payment = models.CharField(_("payment terms"), max_length=16, choices=Payment.choices, blank=True, default="")
    monthly_fee = models.DecimalField(_("monthly fee"), max_digits=10, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(Decimal("0"))])
    fee_decision = models.ForeignKey("billing.FeeDecision", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="amendments")

    class Meta:
        verbose_name = _("contract amendment")
        ordering = ["contract_id", "number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="amendment_number_unique")]

    def __str__(self) -> str:
        return f"{self.contract_id}/{self.number}"


class Termination(models.Model):
    """A termination of a contract as it was done, with what it changed (the enrolments it discharged, the
    programme version it closed), so that a director can undo a termination made by mistake exactly."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="terminations")
    terminated_on = models.DateField(_("terminated on"))
    reason = models.CharField(_("reason for termination"), max_length=32, choices=DischargeReason.choices)
    done_at = models.DateTimeField(auto_now_add=True)
    done_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enrolment_ids = models.JSONField(default=list, blank=True,
                                     help_text="The enrolments this termination discharged.")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  help_text="The programme version this termination closed.")
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    undo_reason = models.TextField(_("why the termination is undone"), blank=True, default="")

    class Meta:
        verbose_name = _("termination of a contract")
        ordering = ["-done_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(undone_at__isnull=True) | ~Q(undo_reason=""),
                                   name="termination_undo_needs_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.terminated_on:%d.%m.%Y}"
