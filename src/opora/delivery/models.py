"""The journal of services delivered, acts of urgent services and monthly acts of services delivered."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opora.core.reference import ServiceList
from opora.people.validators import validate_not_future


class UrgentAct(models.Model):
    """The act of urgent social services: urgent help is given without a programme or a contract."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="urgent_acts")
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("recipient"), on_delete=models.PROTECT,
                                  related_name="urgent_acts")
    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="urgent_acts")
    number = models.CharField(_("number"), max_length=40)
    date = models.DateField(_("date"), validators=[validate_not_future])
    worker = models.ForeignKey("org.Employee", verbose_name=_("employee"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    situation = models.TextField(_("situation (why urgent help is needed)"), blank=True, default="")

    class Meta:
        verbose_name = _("act of urgent services")
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "number"], name="urgent_act_number_unique")]

    def __str__(self) -> str:
        return f"№ {self.number} {self.date:%d.%m.%Y}"


class Delivery(models.Model):
    """One line of the journal: a service delivered to a person on a date, in some quantity.

    `list` and `tariff` are copied from the catalogue when the line is recorded, so a later change of
    the catalogue does not rewrite history. `amount` is what is charged for the line: quantity × tariff
    for additional services, 0 for basic ones (those are paid, if at all, by the monthly fee).
    `seq` tells apart identical lines (same person, department, service, date and worker) so that an
    import can match them by their position.
    """

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="deliveries",
                                     db_index=False)  # delivery_org_date leads with it
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("recipient"), on_delete=models.PROTECT,
                                  related_name="deliveries", db_index=False)  # the unique index leads with it
    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="deliveries", db_index=False)  # delivery_dept_date leads with it
    service = models.ForeignKey("catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="deliveries")
    worker = models.ForeignKey("org.Employee", verbose_name=_("social worker"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="deliveries")
    date = models.DateField(_("date"), validators=[validate_not_future])
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    list = models.CharField(_("list"), max_length=16, choices=ServiceList.choices)
    tariff = models.DecimalField(_("tariff"), max_digits=10, decimal_places=2, default=Decimal("0"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, default=Decimal("0"))
    over_volume_reason = models.CharField(_("reason for exceeding the programme"), max_length=300, blank=True,
                                          default="")
    urgent_act = models.ForeignKey(UrgentAct, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="deliveries")
    seq = models.PositiveSmallIntegerField(default=0)
    # issue 17: delivered remotely (online); the database's default lets the bulk writers leave it out
    online = models.BooleanField(_("delivered online"), default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivered service")
        verbose_name_plural = _("journal of services")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "department", "service", "date", "worker", "seq"],
                                    name="delivery_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="delivery_quantity_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="delivery_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["organisation", "date"], name="delivery_org_date"),
            models.Index(fields=["department", "date"], name="delivery_dept_date"),
            # issue 18: a line written recounts its (department, service, month) from the journal
            # (aggregates.refresh_keys): that service's lines of the month, not the department's month of lines
            models.Index(fields=["department", "service", "date"], name="delivery_dept_service_date"),
            # issue 17: the few online lines of a period, without reading the rest of the journal
            models.Index(fields=["organisation", "date"], condition=Q(online=True), name="delivery_online_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.service_id} × {self.quantity}"


class MonthlyAct(models.Model):
    """The monthly act of services delivered to a person, to be signed by them.

    Its lines and totals are always computed from the journal; the row records the number and signing.
    """

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="monthly_acts")
    recipient = models.ForeignKey("people.Recipient", on_delete=models.PROTECT, related_name="monthly_acts")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="monthly_acts")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    number = models.CharField(_("number"), max_length=40)
    signed_on = models.DateField(_("signed by the recipient on"), null=True, blank=True,
                                 validators=[validate_not_future])

    class Meta:
        verbose_name = _("monthly act of services")
        ordering = ["-month", "recipient_id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "department", "month"], name="monthly_act_unique"),
            models.UniqueConstraint(fields=["organisation", "number"], name="monthly_act_number_unique"),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} {self.month:%m.%Y}"


# --- the journal's monthly aggregates ----------------------------------------------------------------------------
# Derived data, kept equal to a recount of the journal by every write path (delivery/aggregates.py):
# `opora aggregates --check` compares, `--rebuild` recounts. Reports read them instead of the journal so that their
# time depends on the number of departments, services and people, not on years of history.
# Their organisation and department keys have no index of their own: the (organisation, month or year) index and
# the unique constraint's index lead with them (fewer indexes to keep up to date on every write of the journal).

class ServiceMonth(models.Model):
    """Services delivered in a department, of one service and list, in one month (its first day)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+", db_index=False)
    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    list = models.CharField(_("list"), max_length=16, choices=ServiceList.choices)
    quantity = models.BigIntegerField(_("quantity"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=Decimal("0"))
    lines = models.IntegerField(default=0)

    class Meta:
        db_table = "reports_servicemonth"  # the table kept from when the model lived in reports
        verbose_name = _("services in a month")
        constraints = [models.UniqueConstraint(fields=["department", "service", "month", "list"],
                                               name="service_month_unique")]
        indexes = [models.Index(fields=["organisation", "month"], name="service_month_org_month")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.service_id} {self.month:%m.%Y} {self.list}: {self.quantity}"


class RecipientMonth(models.Model):
    """Services delivered to one person in a department in one month: who was served where and when."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+", db_index=False)
    recipient = models.ForeignKey("people.Recipient", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    quantity = models.BigIntegerField(_("quantity"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=Decimal("0"))

    class Meta:
        db_table = "reports_recipientmonth"
        verbose_name = _("services to a person in a month")
        constraints = [models.UniqueConstraint(fields=["department", "recipient", "month"],
                                               name="recipient_month_unique")]
        indexes = [models.Index(fields=["organisation", "month"], name="recipient_month_org_month")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.recipient_id} {self.month:%m.%Y}: {self.quantity}"


class RecipientServiceMonth(models.Model):
    """One service delivered to one person in a department in one month: the distinct people of a service (or of a
    type of service) in a period, without reading the journal (issue 10). Recounted with RecipientMonth: same key
    (department, recipient, month), one row per service."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+", db_index=False)
    recipient = models.ForeignKey("people.Recipient", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    quantity = models.BigIntegerField(_("quantity"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("a service to a person in a month")
        constraints = [models.UniqueConstraint(fields=["department", "recipient", "month", "service"],
                                               name="recipient_service_month_unique")]
        indexes = [models.Index(fields=["organisation", "month"], name="recipient_service_org_month")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.recipient_id}/{self.service_id} {self.month:%m.%Y}: {self.quantity}"


class RecipientYear(models.Model):
    """Services delivered to one person in a department in one calendar year: the year's distinct people of a
    department (or kind, or organisation) in one row per person and department instead of up to twelve months (issue
    18). The sum of the person's RecipientMonth rows of the year; recounted with them (delivery/aggregates.py)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+", db_index=False)
    recipient = models.ForeignKey("people.Recipient", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quantity = models.BigIntegerField(_("quantity"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("services to a person in a year")
        constraints = [models.UniqueConstraint(fields=["department", "recipient", "year"],
                                               name="recipient_year_unique")]
        indexes = [models.Index(fields=["organisation", "year"], name="recipient_year_org_year")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.recipient_id} {self.year}: {self.quantity}"


class RecipientServiceYear(models.Model):
    """One service delivered to one person in a department in one calendar year: the distinct (department, service,
    person) of a whole year in one row each, so that a year's report does not hash twelve person-service-months per
    person and service (issue 18: a region's consolidated annual report). The sum of the person's RecipientServiceMonth
    rows of the year; recounted with them under the same recipient key (delivery/aggregates.py)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+", db_index=False)
    recipient = models.ForeignKey("people.Recipient", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quantity = models.BigIntegerField(_("quantity"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("a service to a person in a year")
        constraints = [models.UniqueConstraint(fields=["department", "recipient", "year", "service"],
                                               name="recipient_service_year_unique")]
        indexes = [models.Index(fields=["organisation", "year"], name="recipient_service_org_year")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.recipient_id}/{self.service_id} {self.year}: {self.quantity}"
