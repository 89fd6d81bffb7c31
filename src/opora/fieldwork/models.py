"""Field work (issue 14): visits to families and people, and the penal system's release notices."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opora.fieldwork.rules import NoticeOutcome, VisitKind
from opora.people.validators import validate_not_future


class Visit(models.Model):
    """One visit: to a family, to a person, or (a raid, a field reception) only to a settlement."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"), validators=[validate_not_future])
    kind = models.CharField(_("kind of visit"), max_length=20, choices=VisitKind.choices)
    family = models.ForeignKey("people.Family", verbose_name=_("family"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="visits")
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("recipient"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="visits")
    settlement = models.ForeignKey("org.Settlement", verbose_name=_("settlement"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("org.Employee", verbose_name=_("worker"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    people = models.PositiveIntegerField(_("people met"), default=1, validators=[MinValueValidator(1)])
    outcome = models.CharField(_("outcome"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organisation", "date"], name="visit_org_date")]
        constraints = [
            models.CheckConstraint(condition=Q(people__gte=1), name="visit_people_at_least_one"),
            models.CheckConstraint(
                condition=Q(family__isnull=False) | Q(recipient__isnull=False) | Q(settlement__isnull=False),
                name="visit_has_a_place"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}"


class ReleaseNotice(models.Model):
    """A notice from an institution of the penal system about a person to be released, and its check."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"), validators=[validate_not_future])
    full_name = models.CharField(_("full name"), max_length=300)
    birth_date = models.DateField(_("birth date"))
    release_date = models.DateField(_("release date"))
    settlement = models.ForeignKey("org.Settlement", verbose_name=_("settlement"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    institution = models.CharField(_("institution"), max_length=300, blank=True, default="")
    outcome = models.CharField(_("outcome of the check"), max_length=16, choices=NoticeOutcome.choices,
                               default=NoticeOutcome.PENDING)
    checked_on = models.DateField(_("checked on"), null=True, blank=True, validators=[validate_not_future])
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("recipient"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("release notice")
        verbose_name_plural = _("release notices")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "full_name", "birth_date", "release_date"],
                                    name="release_notice_unique"),
            # a check has a date, and only a check has one
            models.CheckConstraint(
                condition=(Q(outcome=NoticeOutcome.PENDING) & Q(checked_on__isnull=True))
                | (~Q(outcome=NoticeOutcome.PENDING) & Q(checked_on__isnull=False)),
                name="release_notice_checked_on_iff_checked"),
        ]

    def __str__(self) -> str:
        return self.full_name
