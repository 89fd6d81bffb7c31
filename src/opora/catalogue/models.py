from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opora.core.reference import ServiceList, ServiceType
from opora.jurisdictions import jurisdiction_for
from opora.lib.errors import DomainError
from opora.org.models import related_or_none


class Service(models.Model):
    """A social service of the centre's catalogue (the regional list it works under)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="services")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    type = models.CharField(_("type of service"), max_length=16, choices=ServiceType.choices)
    list = models.CharField(_("list"), max_length=16, choices=ServiceList.choices)
    unit = models.CharField(_("unit"), max_length=50)
    time_norm_min = models.PositiveIntegerField(_("time norm, minutes"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # issue 17: an innovative service (the Ukrainian half-year note counts them against the year before)
    innovative = models.BooleanField(_("innovative"), default=False, db_default=False)

    class Meta:
        verbose_name = _("service")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="service_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def tariff_on(self, day: datetime.date) -> Decimal | None:
        """The price in force on a day: the tariff with the latest start not after it."""
        tariffs = [t for t in self.tariffs.all() if t.valid_from <= day]
        return max(tariffs, key=lambda t: t.valid_from).price if tariffs else None

    def clean(self) -> None:
        """A service is coded as the organisation's law codes services (Ukraine: the classifier, 015.1)."""
        organisation = related_or_none(self, "organisation")
        try:
            jurisdiction_for(organisation).check_service_code(self.code)
        except DomainError as exc:
            raise ValidationError({"code": exc.message}) from exc


class Tariff(models.Model):
    """The price of a service from a date on; a new tariff replaces the old from its start."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="tariffs")
    valid_from = models.DateField(_("valid from"))
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("tariff")
        ordering = ["service_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["service", "valid_from"], name="tariff_one_per_date"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="tariff_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.price}"
