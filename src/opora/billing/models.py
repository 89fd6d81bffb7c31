"""Billing: the data the fee depends on, fee decisions, monthly charges, payments."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opora.core.reference import Form


class SubsistenceGroup(models.TextChoices):
    PER_CAPITA = "per_capita", _("Per capita")
    WORKING_AGE = "working_age", _("Working-age population")
    PENSIONER = "pensioner", _("Pensioners")
    CHILD = "child", _("Children")


class SubsistenceMinimum(models.Model):
    """The regional subsistence minimum (ПМ) for a year and a population group. Configurable data.

    An empty region is a default for every region; a region's own row wins.
    """

    region = models.CharField(_("region"), max_length=200, blank=True, default="",
                              help_text=_("Empty: the default for every region."))
    year = models.PositiveSmallIntegerField(_("year"))
    group = models.CharField(_("group"), max_length=16, choices=SubsistenceGroup.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        verbose_name = _("subsistence minimum")
        ordering = ["region", "-year", "group"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "group"], name="subsistence_minimum_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.group}: {self.amount}"


class FeeRules(models.Model):
    """A region's fee parameters from a date on: the threshold coefficient and the free categories.

    Configurable (art. 31–32 leave them to regional law): the threshold is coefficient × ПМ (at least 1.5).
    An empty region is the default for every region that has no rules of its own in force.
    """

    region = models.CharField(_("region"), max_length=200, blank=True, default="",
                              help_text=_("Empty: the default for every region."))
    valid_from = models.DateField(_("valid from"))
    coefficient = models.DecimalField(_("threshold coefficient"), max_digits=4, decimal_places=2,
                                      default=Decimal("1.50"), validators=[MinValueValidator(Decimal("1.50"))])
    free_categories = models.ManyToManyField("people.Category", verbose_name=_("categories served free"),
                                             blank=True, related_name="+")

    class Meta:
        verbose_name = _("fee rules")
        verbose_name_plural = _("fee rules")
        ordering = ["region", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="fee_rules_unique"),
            models.CheckConstraint(condition=Q(coefficient__gte=Decimal("1.5")), name="fee_rules_coefficient_min"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.valid_from}: ×{self.coefficient}"


class DifferentiatedPayment(models.Model):
    """Ukraine (КМУ resolution 429): the percentage of the services' cost paid when the average monthly income is
    between two and four subsistence minimums, for a region from a date. **Unconfirmed** configurable data: we could
    not confirm the percentage; without a row the placeholder (I − 2ПМ) / 2ПМ applies.

    An empty region is the default for every region that has no row of its own in force.
    """

    region = models.CharField(_("region"), max_length=200, blank=True, default="",
                              help_text=_("Empty: the default for every region."))
    valid_from = models.DateField(_("valid from"))
    percentage = models.DecimalField(
        _("differentiated percentage (unconfirmed)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("From 0 to 100: the share of the cost paid between 2 and 4 subsistence minimums. Unconfirmed: "
                    "check it against the resolution in force."))

    class Meta:
        verbose_name = _("differentiated payment (Ukraine)")
        verbose_name_plural = _("differentiated payments (Ukraine)")
        ordering = ["region", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="differentiated_payment_unique"),
            models.CheckConstraint(condition=Q(percentage__gte=0, percentage__lte=100),
                                   name="differentiated_payment_pct_range"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.valid_from}: {self.percentage}%"


class IncomeRecord(models.Model):
    """An income of a household member for a month, as documented on application."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="income_records")
    recipient = models.ForeignKey("people.Recipient", on_delete=models.CASCADE, related_name="income_records")
    member_name = models.CharField(_("household member"), max_length=300, blank=True, default="",
                                   help_text=_("Empty for the recipient themselves."))
    source = models.CharField(_("source of income"), max_length=200)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("income record")
        ordering = ["recipient_id", "-month", "member_name"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="income_amount_not_negative")]
        indexes = [models.Index(fields=["recipient", "month"], name="income_recipient_month")]

    def __str__(self) -> str:
        return f"{self.month:%m.%Y} {self.source}: {self.amount}"


class FeeBranch(models.TextChoices):
    URGENT = "urgent", _("Free: urgent social services")
    FREE_CATEGORY = "free_category", _("Free: a category served free of charge")
    FREE_INCOME = "free_income", _("Free: income at or below the threshold")
    COST = "cost", _("The full cost of the programme's services")
    INCOME_SHARE = "income_share", _("A share of income")
    NO_COST = "no_cost", _("Nothing to pay: the programme has no cost")
    DIFFERENTIATED = "differentiated", _("Differentiated payment (between 2 and 4 subsistence minimums)")


class FeeDecision(models.Model):
    """The monthly fee for basic services, with everything that explains it (art. 31–32 of 442-ФЗ)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="fee_decisions")
    recipient = models.ForeignKey("people.Recipient", on_delete=models.PROTECT, related_name="fee_decisions")
    programme = models.ForeignKey("programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="fee_decisions")
    decided_on = models.DateField(_("decided on"))
    form = models.CharField(_("form of service"), max_length=16, choices=Form.choices)
    income_total = models.DecimalField(_("household income for 12 months"), max_digits=14, decimal_places=2)
    household_size = models.PositiveSmallIntegerField(_("household members"), validators=[MinValueValidator(1)])
    income_per_capita = models.DecimalField(_("average monthly income per capita"), max_digits=12, decimal_places=2)
    subsistence_minimum = models.DecimalField(_("subsistence minimum"), max_digits=10, decimal_places=2)
    coefficient = models.DecimalField(_("threshold coefficient"), max_digits=4, decimal_places=2)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2)
    programme_cost = models.DecimalField(_("monthly cost of the programme"), max_digits=12, decimal_places=2)
    free_category = models.CharField(_("free category"), max_length=40, blank=True, default="")
    fee = models.DecimalField(_("monthly fee"), max_digits=12, decimal_places=2)
    branch = models.CharField(_("rule applied"), max_length=16, choices=FeeBranch.choices)
    explanation = models.JSONField(_("explanation"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fee decision")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="fee_decision_fee_not_negative"),
            models.CheckConstraint(condition=Q(household_size__gte=1), name="fee_decision_household_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.decided_on:%d.%m.%Y}: {self.fee}"


class Charge(models.Model):
    """What a person is charged for a month: the fee for basic services and additional services at tariff."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="charges")
    recipient = models.ForeignKey("people.Recipient", on_delete=models.PROTECT, related_name="charges")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    basic_fee = models.DecimalField(_("fee for basic services"), max_digits=12, decimal_places=2,
                                    default=Decimal("0"))
    additional = models.DecimalField(_("additional services"), max_digits=12, decimal_places=2,
                                     default=Decimal("0"))
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=Decimal("0"))
    fee_decision = models.ForeignKey(FeeDecision, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="charges")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monthly charge")
        ordering = ["-month", "recipient_id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "month"], name="charge_one_per_month"),
            models.UniqueConstraint(fields=["organisation", "receipt_number"], name="charge_receipt_unique"),
            models.CheckConstraint(condition=Q(total__gte=0), name="charge_total_not_negative"),
        ]
        indexes = [models.Index(fields=["organisation", "month"], name="charge_org_month")]

    def __str__(self) -> str:
        return f"{self.month:%m.%Y}: {self.total}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash at the centre")
    BANK = "bank", _("Bank transfer")
    PENSION = "pension", _("Deduction from pension")


class PaymentReceived(models.Model):
    """Money received from a person (or on their behalf) for services."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="payments")
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("recipient"), on_delete=models.PROTECT,
                                  related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    document = models.CharField(_("payment document"), max_length=100, blank=True, default="")
    charge = models.ForeignKey(Charge, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment received")
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]
        indexes = [models.Index(fields=["recipient", "paid_on"], name="payment_recipient_date")]

    def __str__(self) -> str:
        return f"{self.paid_on:%d.%m.%Y}: {self.amount}"
