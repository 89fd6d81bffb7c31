"""Money no casework touches: funds and their receipts, aid given to people and families, campaigns,
the budget's approved lines and its cash spending. Amounts are Decimal with two places, never negative."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opora.money.reference import AssistanceKind, BudgetFund, FundingSource, ReceiptKind

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Fund(models.Model):
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="funds")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    source = models.CharField(_("source"), max_length=20, choices=FundingSource.choices)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="money_fund_code_unique")]

    def __str__(self) -> str:
        return self.name


class FundReceipt(models.Model):
    """Money received by a fund (an allocation), or the balance it held when its record began."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="receipts")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)  # type: ignore[arg-type]
    kind = models.CharField(_("kind"), max_length=20, choices=ReceiptKind.choices, default=ReceiptKind.ALLOCATION)
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("fund receipt")
        verbose_name_plural = _("fund receipts")
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="money_receipt_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.fund_id}: {self.date} {self.amount}"



class Campaign(models.Model):
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="campaigns")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="money_campaign_code_unique")]

    def __str__(self) -> str:
        return self.name


class Aid(models.Model):
    """Help given to exactly one of a person or a family, from a fund, of a kind. Donated goods have amount 0
    and a quantity."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="aid")
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="aid")
    kind = models.CharField(_("kind of aid"), max_length=20, choices=AssistanceKind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)  # type: ignore[arg-type]
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("person"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="aid")
    family = models.ForeignKey("people.Family", verbose_name=_("family"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="aid")
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="aid")
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    seq = models.PositiveIntegerField(default=0, editable=False)  # identical imported lines, by file position

    class Meta:
        verbose_name = _("aid")
        verbose_name_plural = _("aid")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organisation", "date"], name="money_aid_org_date")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient__isnull=False, family__isnull=True)
                           | Q(recipient__isnull=True, family__isnull=False)),
                name="money_aid_person_xor_family"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="money_aid_amount_not_negative"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="money_aid_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.date} {self.amount}"



class BudgetLine(models.Model):
    """The amount approved for a month, a fund (general or special) and an economic code (КОСГУ / КЕКВ)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="budget_lines")
    year = models.PositiveIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    fund = models.CharField(_("fund"), max_length=10, choices=BudgetFund.choices)
    code = models.CharField(_("economic code"), max_length=20)
    name = models.CharField(_("name"), max_length=300, blank=True, default="")
    approved = models.DecimalField(_("approved"), **MONEY)  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "month", "fund", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "month", "fund", "code"],
                                    name="money_budget_line_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="money_budget_month_range"),
            models.CheckConstraint(condition=Q(approved__gte=0), name="money_budget_approved_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.fund}:{self.code}"



class Spending(models.Model):
    """Cash spent from the budget on a date, by fund and economic code."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="spending")
    date = models.DateField(_("date"))
    fund = models.CharField(_("fund"), max_length=10, choices=BudgetFund.choices)
    code = models.CharField(_("economic code"), max_length=20)
    amount = models.DecimalField(_("amount"), **MONEY)  # type: ignore[arg-type]
    seq = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="money_spending_not_negative")]

    def __str__(self) -> str:
        return f"{self.date} {self.fund}:{self.code} {self.amount}"



class MoneySettings(models.Model):
    """The accountant's settings: whether aid beyond a fund's balance is refused (otherwise it is a warning)."""

    organisation = models.OneToOneField("org.Organisation", on_delete=models.CASCADE, related_name="money_settings")
    forbid_overspending = models.BooleanField(_("refuse aid beyond a fund's balance"), default=False)

    def __str__(self) -> str:
        return f"money settings of {self.organisation_id}"
