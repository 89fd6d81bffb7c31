"""The money app's reference codes (domain/REFERENCE.md: funding sources, kinds of material assistance)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingSource(models.TextChoices):
    REGIONAL_BUDGET = "regional_budget", _("Regional budget")
    LOCAL_BUDGET = "local_budget", _("Local budget")
    OWN_INCOME = "own_income", _("Own income")
    CHARITY = "charity", _("Charity")
    OTHER = "other", _("Other source")


class AssistanceKind(models.TextChoices):
    CASH = "cash", _("Cash aid")
    FOOD_SET = "food_set", _("Food sets")
    VEGETABLE_SET = "vegetable_set", _("Vegetable sets")
    HOT_MEALS = "hot_meals", _("Hot meals")
    FUEL = "fuel", _("Fuel")
    CLOTHING = "clothing", _("Clothing")
    ESSENTIALS = "essentials", _("Essentials")
    HYGIENE = "hygiene", _("Hygiene products")
    HOUSING_REPAIR = "housing_repair", _("Housing repair")
    TREATMENT = "treatment", _("Treatment")
    INSURANCE = "insurance", _("Insurance")
    FIRE_DETECTOR = "fire_detector", _("Fire detectors")
    GIFTS = "gifts", _("Gifts")
    SCHOOL_KIT = "school_kit", _("School kits")
    SEED_POTATO = "seed_potato", _("Seed potatoes")
    OTHER = "other", _("Other aid")


class ReceiptKind(models.TextChoices):
    ALLOCATION = "allocation", _("Allocation")
    OPENING_BALANCE = "opening_balance", _("Opening balance")


class BudgetFund(models.TextChoices):
    GENERAL = "general", _("General fund")
    SPECIAL = "special", _("Special fund")


# Categories of a person counted as disabled in the report `funds` (EXCHANGE.md Part 2).
DISABILITY_CATEGORIES = frozenset({
    "disabled_1", "disabled_2", "disabled_3", "disabled_child", "disabled_since_childhood", "wwii_invalid",
})
PENSIONER = "pensioner"
