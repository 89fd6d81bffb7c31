"""The stable reference codes of domain/REFERENCE.md. Codes never change; labels are translated."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    HOME_CARE = "home_care", _("Home social care department")
    URGENT = "urgent", _("Urgent social service department")
    DAY_STAY = "day_stay", _("Day stay department")
    SOCIAL_ADAPTATION = "social_adaptation", _("Social adaptation department")
    FAMILY_CHILDREN = "family_children", _("Department of social assistance to families and children")
    REHABILITATION = "rehabilitation", _("Social rehabilitation department")
    HOMELESS = "homeless", _("Department for homeless citizens")
    ADMINISTRATION = "administration", _("Administration")


class Form(models.TextChoices):
    HOME = "home", _("At home")
    SEMI_STATIONARY = "semi_stationary", _("Semi-stationary")
    STATIONARY = "stationary", _("Stationary")
    URGENT = "urgent", _("Urgent")


class ServiceType(models.TextChoices):
    HOUSEHOLD = "household", _("Social and household")
    MEDICAL = "medical", _("Social and medical")
    PSYCHOLOGICAL = "psychological", _("Social and psychological")
    PEDAGOGICAL = "pedagogical", _("Social and pedagogical")
    LABOUR = "labour", _("Social and labour")
    LEGAL = "legal", _("Social and legal")
    COMMUNICATIVE = "communicative", _("Raising communicative potential")
    URGENT = "urgent", _("Urgent")


class ServiceList(models.TextChoices):
    BASIC = "basic", _("Basic (guaranteed list)")
    ADDITIONAL = "additional", _("Additional (paid at tariff)")


class Sector(models.TextChoices):
    CITY = "city", _("City sector")
    PRIVATE = "private", _("Private sector")
    RURAL = "rural", _("Rural area")


class DischargeReason(models.TextChoices):
    OWN_REQUEST = "own_request", _("Own request")
    TERM_EXPIRED = "term_expired", _("Term of the programme or contract expired")
    CONTRACT_BREACH = "contract_breach", _("Breach of the contract")
    MEDICAL = "medical_contraindications", _("Medical contraindications")
    DEATH = "death", _("Death")
    PROVIDER_LIQUIDATED = "provider_liquidated", _("Liquidation of the provider")
    COURT_RULING = "court_ruling", _("Court ruling (missing or dead)")
    CUSTODIAL_SENTENCE = "custodial_sentence", _("Custodial sentence")
    MOVED_AWAY = "moved_away", _("Moved away")
    RESIDENTIAL_CARE = "residential_care", _("Placed in a residential home")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    ONLINE = "online", _("Online")
    POST = "post", _("Post")
    REFERRAL = "referral", _("Referral")
    FIELD_RECEPTION = "field_reception", _("Field reception")
    HOTLINE = "hotline", _("Hotline")


class Position(models.TextChoices):
    DIRECTOR = "director", _("Director")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    DEPARTMENT_HEAD = "department_head", _("Head of department")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SOCIAL_WORK_SPECIALIST = "social_work_specialist", _("Social work specialist")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    LAWYER = "lawyer", _("Lawyer")
    MEDICAL_NURSE = "medical_nurse", _("Nurse")
    CULTURAL_ORGANISER = "cultural_organiser", _("Cultural organiser")
    ACCOUNTANT = "accountant", _("Accountant")
    HR_SPECIALIST = "hr_specialist", _("HR specialist")
    DRIVER = "driver", _("Driver")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class DisabilityGroup(models.TextChoices):
    NONE = "", _("None")
    GROUP_1 = "1", _("Group I")
    GROUP_2 = "2", _("Group II")
    GROUP_3 = "3", _("Group III")
    CHILD = "child", _("Disabled child")


# Default recipient categories: code → (label, applies to families).
DEFAULT_CATEGORIES: dict[str, tuple[Any, bool]] = {
    "pensioner": (_("Pensioner"), False),
    "disabled_1": (_("Disabled, group I"), False),
    "disabled_2": (_("Disabled, group II"), False),
    "disabled_3": (_("Disabled, group III"), False),
    "disabled_child": (_("Disabled child"), False),
    "disabled_since_childhood": (_("Disabled since childhood"), False),
    "wwii_invalid": (_("Invalid of the Great Patriotic War"), False),
    "wwii_participant": (_("Participant of the Great Patriotic War"), False),
    "home_front_worker": (_("Home front worker"), False),
    "wwii_widow": (_("Widow of a war participant"), False),
    "blockade_resident": (_("Resident of besieged Leningrad"), False),
    "labour_veteran": (_("Labour veteran"), False),
    "combat_veteran": (_("Combat veteran"), False),
    "lonely": (_("Single (lonely)"), False),
    "lonely_living": (_("Living alone"), False),
    "lonely_couple": (_("Lonely couple"), False),
    "family_large": (_("Large family"), True),
    "family_single_parent": (_("Single-parent family"), True),
    "family_low_income": (_("Low-income family"), True),
    "family_sop": (_("Family in a socially dangerous situation"), True),
    "family_tzhs": (_("Family in a difficult life situation"), True),
    "family_foster": (_("Foster family"), True),
    "family_student": (_("Student family"), True),
    "released_prisoner": (_("Released from prison"), False),
    "prisoner": (_("Serving a sentence"), False),
    "homeless": (_("Homeless"), False),
    "other": (_("Other"), False),
}
