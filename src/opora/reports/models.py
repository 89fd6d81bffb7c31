"""Monthly aggregates of the journal of services, kept by the journal's actions (see reports/aggregates.py).

They are derived data: every row can be recounted from delivery.Delivery at any time
(`opora aggregates --check` compares, `--rebuild` recounts). Reports read them instead of the journal so
that their time depends on the number of departments, services and people, not on years of history.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from opora.core.reference import ServiceList


class ServiceMonth(models.Model):
    """Services delivered in a department, of one service and list, in one month (its first day)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    list = models.CharField(_("list"), max_length=16, choices=ServiceList.choices)
    quantity = models.BigIntegerField(_("quantity"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=Decimal("0"))
    lines = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("services in a month")
        constraints = [models.UniqueConstraint(fields=["department", "service", "month", "list"],
                                               name="service_month_unique")]
        indexes = [models.Index(fields=["organisation", "month"], name="service_month_org_month")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.service_id} {self.month:%m.%Y} {self.list}: {self.quantity}"


class RecipientMonth(models.Model):
    """Services delivered to one person in a department in one month: who was served where and when."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey("people.Recipient", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    quantity = models.BigIntegerField(_("quantity"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("services to a person in a month")
        constraints = [models.UniqueConstraint(fields=["department", "recipient", "month"],
                                               name="recipient_month_unique")]
        indexes = [models.Index(fields=["organisation", "month"], name="recipient_month_org_month")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.recipient_id} {self.month:%m.%Y}: {self.quantity}"
