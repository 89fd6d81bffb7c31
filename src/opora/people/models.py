from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opora.core.reference import DEFAULT_CATEGORIES, DisabilityGroup, DischargeReason, Form, Sector, Sex
from opora.jurisdictions import jurisdiction_for
from opora.lib import snils as snils_lib
from opora.lib.errors import DomainError
from opora.lib.text import search_key
from opora.org.models import related_or_none
from opora.people.rules import RecipientStatus, family_register_errors
from opora.people.validators import validate_birth_date, validate_not_future, validate_snils


class Category(models.Model):
    """A recipient or family category (reference list; administrators may add entries)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True, default="",
                            help_text=_("Leave empty to use the standard translated name."))
    for_families = models.BooleanField(_("applies to families"), default=False)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        default = DEFAULT_CATEGORIES.get(self.code)
        return str(default[0]) if default else self.code




class Family(models.Model):
    """A household: the people living together, whose income is counted together."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="families")
    name = models.CharField(_("family name"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, default="")  # lib.text.search_key of the name
    settlement = models.ForeignKey("org.Settlement", verbose_name=_("settlement"), null=True, blank=True,
                                   on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    categories = models.ManyToManyField(Category, verbose_name=_("family categories"), blank=True,
                                        related_name="families")
    registered_department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # the social register (issue 14): on it on a day when registered_on <= day < deregistered_on
    external_id = models.CharField(_("external id"), max_length=40, null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, blank=True, default="")
    children = models.PositiveIntegerField(_("number of children"), default=0)
    registered_on = models.DateField(_("registered on the social register"), null=True, blank=True)
    deregistered_on = models.DateField(_("removed from the social register"), null=True, blank=True)
    deregistration_reason = models.CharField(_("reason for removal"), max_length=32, blank=True, default="",
                                             choices=DischargeReason.choices)

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "external_id"], name="family_external_id_unique",
                                    condition=models.Q(external_id__isnull=False)),
            models.CheckConstraint(
                condition=models.Q(deregistered_on__isnull=True)
                | models.Q(registered_on__isnull=False, deregistered_on__gte=models.F("registered_on")),
                name="family_deregistered_after_registered"),
            models.CheckConstraint(
                condition=models.Q(deregistered_on__isnull=True, deregistration_reason="")
                | (models.Q(deregistered_on__isnull=False) & ~models.Q(deregistration_reason="")),
                name="family_deregistration_reason_iff_date"),
        ]

    def clean(self) -> None:
        errors = family_register_errors(self.registered_on, self.deregistered_on, self.deregistration_reason)
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name


class Recipient(models.Model):
    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="recipients")
    external_id = models.CharField(_("external id"), max_length=40, null=True, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True, default="")
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), validators=[validate_birth_date])
    snils = models.CharField(_("SNILS"), max_length=11, blank=True, default="", validators=[validate_snils])
    # Ukraine: the taxpayer number (РНОКПП), the identity number of a person of a `ua` organisation
    rntrc = models.CharField(_("RNOKPP"), max_length=10, blank=True, default="",
                             help_text=_("The taxpayer number (Ukraine): 10 digits."))
    settlement = models.ForeignKey("org.Settlement", verbose_name=_("settlement"), null=True, blank=True,
                                   on_delete=models.PROTECT)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, blank=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    phone_extra = models.CharField(_("additional phone"), max_length=40, blank=True, default="")
    disability_group = models.CharField(_("disability group"), max_length=8, choices=DisabilityGroup.choices,
                                        blank=True, default="")
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True,
                                        related_name="recipients")
    family = models.ForeignKey(Family, verbose_name=_("family"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="recipients")
    registered_department = models.ForeignKey(
        "org.Department", verbose_name=_("registering department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="registered_recipients",
    )
    status = models.CharField(_("status"), max_length=16, choices=RecipientStatus.choices,
                              default=RecipientStatus.INACTIVE)
    search_name = models.CharField(max_length=320, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["last_name", "first_name", "patronymic", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "snils"], condition=~Q(snils=""),
                                    name="recipient_snils_unique"),
            models.UniqueConstraint(fields=["organisation", "external_id"], name="recipient_external_id_unique"),
            models.UniqueConstraint(fields=["organisation", "rntrc"], condition=~Q(rntrc=""),
                                    name="recipient_rntrc_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "search_name"], name="recipient_org_search"),
            # the lists' order (Meta.ordering): a page of the register is read in order, not sorted whole (issue 18)
            models.Index(fields=["organisation", "last_name", "first_name", "patronymic", "id"],
                         name="recipient_org_name"),
            models.Index(fields=["organisation", "birth_date"], name="recipient_org_birth"),
            models.Index(fields=["organisation", "snils"], name="recipient_org_snils"),
            models.Index(fields=["organisation", "status"], name="recipient_org_status"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def snils_display(self) -> str:
        return snils_lib.format_snils(self.snils) if self.snils else ""

    def clean(self) -> None:
        if self.snils:
            self.snils = snils_lib.compact(self.snils)
            clash = Recipient.objects.filter(organisation_id=self.organisation_id, snils=self.snils)
            other = clash.exclude(pk=self.pk).first() if self.pk else clash.first()
            if other is not None:
                # The clash is named without the other person's name: they may be outside the user's scope.
                raise ValidationError({"snils": _("A person with this SNILS is already registered in the "
                                                  "organisation.")})
        for field in ("settlement", "registered_department", "family"):
            related = related_or_none(self, field)
            if related is not None and related.organisation_id != self.organisation_id:
                raise ValidationError({field: _("This record belongs to another organisation.")})
        self._clean_identity()

    def _clean_identity(self) -> None:
        """The identity number of the organisation's jurisdiction: a SNILS in Russia, an RNOKPP in Ukraine."""
        organisation = related_or_none(self, "organisation")
        law = jurisdiction_for(organisation)
        if law.identity_field != "rntrc":
            if self.rntrc:
                raise ValidationError({"rntrc": _("An RNOKPP is the number of a person of a Ukrainian organisation: "
                                                  "a person here has a SNILS.")})
            return
        if self.snils:
            raise ValidationError({"snils": _("A SNILS is a Russian number: a person of a Ukrainian organisation has "
                                              "an RNOKPP instead.")})
        if not self.rntrc:
            return
        try:
            self.rntrc = law.validate_identity(self.rntrc)
        except DomainError as exc:
            raise ValidationError({"rntrc": exc.message}) from exc
        clash = Recipient.objects.filter(organisation_id=self.organisation_id, rntrc=self.rntrc)
        if (clash.exclude(pk=self.pk) if self.pk else clash).exists():
            raise ValidationError({"rntrc": _("A person with this RNOKPP is already registered in the "
                                              "organisation.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.snils:
            self.snils = snils_lib.compact(self.snils)
        if self.rntrc:
            self.rntrc = re.sub(r"[\s\-]", "", self.rntrc)
        self.search_name = search_key(self.last_name, self.first_name, self.patronymic)
        super().save(*args, **kwargs)


class FamilyMember(models.Model):
    """A member of a household; a member who is also a recipient links to their record."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=300)
    birth_date = models.DateField(_("birth date"), null=True, blank=True, validators=[validate_birth_date])
    relation = models.CharField(_("relation"), max_length=100, blank=True, default="")
    recipient = models.ForeignKey(Recipient, verbose_name=_("recipient"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("family member")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name


class RepresentativeKind(models.TextChoices):
    GUARDIAN = "guardian", _("Guardian")
    TRUSTEE = "trustee", _("Trustee")
    PARENT = "parent", _("Parent")
    BY_PROXY = "by_proxy", _("Representative by power of attorney")
    RELATIVE = "relative", _("Relative")


class Representative(models.Model):
    """The legal representative of a recipient (guardian, trustee, parent, by proxy)."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="representatives")
    full_name = models.CharField(_("full name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=RepresentativeKind.choices)
    document = models.CharField(_("document"), max_length=300, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")

    class Meta:
        verbose_name = _("legal representative")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name


class ConsentScope(models.TextChoices):
    PROCESSING = "processing", _("Processing of personal data")
    PROCESSING_TRANSFER = "processing_transfer", _("Processing and transfer to other bodies")
    PROCESSING_PUBLICATION = "processing_publication", _("Processing, transfer and publication")


class Consent(models.Model):
    """Consent to the processing of personal data (152-FZ art. 9)."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="consents")
    given_on = models.DateField(_("given on"), validators=[validate_not_future])
    scope = models.CharField(_("scope"), max_length=32, choices=ConsentScope.choices)
    document = models.CharField(_("document"), max_length=300, blank=True, default="")
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True, validators=[validate_not_future])

    class Meta:
        verbose_name = _("consent to personal data processing")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.given_on}"

    def clean(self) -> None:
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            raise ValidationError({"withdrawn_on": _("Consent cannot be withdrawn before it was given.")})


class Enrolment(models.Model):
    """A period of service of a recipient in a department, in a form."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="enrolments")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="enrolments")
    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="enrolments")
    form = models.CharField(_("form of service"), max_length=16, choices=Form.choices)
    admitted_on = models.DateField(_("admitted on"), validators=[validate_not_future])
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True, validators=[validate_not_future])
    discharge_reason = models.CharField(_("discharge reason"), max_length=32, choices=DischargeReason.choices,
                                        blank=True, default="")
    worker = models.ForeignKey("org.Employee", verbose_name=_("social worker"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="caseload")

    class Meta:
        verbose_name = _("enrolment")
        ordering = ["-admitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("admitted_on")),
                name="enrolment_discharged_after_admitted",
            ),
            models.CheckConstraint(
                condition=(Q(discharged_on__isnull=True) & Q(discharge_reason=""))
                | (Q(discharged_on__isnull=False) & ~Q(discharge_reason="")),
                name="enrolment_discharge_reason_iff_discharged",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "discharged_on"], name="enrolment_dept_open"),
            models.Index(fields=["worker", "discharged_on"], name="enrolment_worker_open"),
            models.Index(fields=["organisation", "admitted_on"], name="enrolment_org_admitted"),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.admitted_on}–{self.discharged_on or ''}"

    def clean(self) -> None:
        errors = {}
        if self.discharged_on and self.admitted_on and self.discharged_on < self.admitted_on:
            errors["discharged_on"] = _("The discharge date cannot be before the admission date.")
        if self.discharged_on and not self.discharge_reason:
            errors["discharge_reason"] = _("Choose the reason for discharge.")
        if self.discharge_reason and not self.discharged_on:
            errors["discharged_on"] = _("Enter the discharge date.")
        department, worker = related_or_none(self, "department"), related_or_none(self, "worker")
        if department is not None and department.organisation_id != self.organisation_id:
            errors["department"] = _("The department belongs to another organisation.")
        if worker is not None and worker.organisation_id != self.organisation_id:
            errors["worker"] = _("The employee belongs to another organisation.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.discharged_on is None


# The standard groups of the "by category" tables (seed 000's urgent service: pensioners, of them disabled; others;
# families with children): code → (translated name, parent code, category codes, the rest).
DEFAULT_CATEGORY_GROUPS: dict[str, tuple[Any, str, tuple[str, ...], bool]] = {
    "pensioners": (_("Pensioners"), "", ("pensioner",), False),
    "pensioners_disabled": (_("of them disabled"), "pensioners",
                            ("disabled_1", "disabled_2", "disabled_3", "disabled_since_childhood", "wwii_invalid"),
                            False),
    "others": (_("Others"), "", (), True),
    "families_with_children": (_("Families with children"), "",
                               ("family_large", "family_single_parent", "family_low_income", "family_sop",
                                "family_tzhs", "family_foster", "family_student", "disabled_child"), False),
}


class CategoryGroup(models.Model):
    """A line of the "by category" tables of the reports: the people holding any of its categories, theirs or their
    family's (reference data an administrator edits). A group with a parent counts only people of the parent ("of
    them"); the rest group counts the people in none of the other top-level groups."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True, default="",
                            help_text=_("Leave empty to use the standard translated name."))
    parent = models.ForeignKey("self", verbose_name=_("of them, within the group"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True, related_name="groups")
    rest = models.BooleanField(_("everyone else"), default=False,
                               help_text=_("The people in none of the other top-level groups."))
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("group of categories")
        verbose_name_plural = _("groups of categories")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        default = DEFAULT_CATEGORY_GROUPS.get(self.code)
        return str(default[0]) if default else self.code
