"""Seed fee data: the default fee rules (coefficient 1.5, the federal free categories) for every region, and
subsistence minimums of Кемеровская область (the demo region) for 2019–2021.

SEED VALUES, TO BE CHECKED BY THE ADMINISTRATOR: the subsistence minimums below are plausible figures of
the right size, not copied from the regional acts; the administrator must replace them with the numbers of
the regional government's resolutions (Billing → Subsistence minimums) before fee decisions are relied on.
"""

from decimal import Decimal

from django.db import migrations

REGION = "Кемеровская область"
# year: (per capita, working-age, pensioners, children), roubles a month. Seed values — check them.
MINIMUMS = {
    2019: ("10015.00", "10811.00", "8302.00", "10541.00"),
    2020: ("10563.00", "11394.00", "8735.00", "11162.00"),
    2021: ("11291.00", "12307.00", "9711.00", "11896.00"),
}
GROUPS = ("per_capita", "working_age", "pensioner", "child")
FREE = ("wwii_invalid", "wwii_participant", "blockade_resident", "disabled_child", "combat_veteran")


def seed(apps, schema_editor):
    SubsistenceMinimum = apps.get_model("billing", "SubsistenceMinimum")
    FeeRules = apps.get_model("billing", "FeeRules")
    Category = apps.get_model("people", "Category")
    for year, amounts in MINIMUMS.items():
        for group, amount in zip(GROUPS, amounts, strict=True):
            SubsistenceMinimum.objects.get_or_create(region=REGION, year=year, group=group,
                                                     defaults={"amount": Decimal(amount)})
    # 442-ФЗ is in force since 01.01.2015; the empty region makes these the default everywhere.
    rules, created = FeeRules.objects.get_or_create(region="", valid_from="2015-01-01",
                                                    defaults={"coefficient": Decimal("1.50")})
    if created:
        rules.free_categories.set(Category.objects.filter(code__in=FREE))


def unseed(apps, schema_editor):
    apps.get_model("billing", "SubsistenceMinimum").objects.filter(region=REGION, year__in=MINIMUMS).delete()
    apps.get_model("billing", "FeeRules").objects.filter(region="", valid_from="2015-01-01").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_region_default_and_urgent_branch"),
        ("people", "0002_default_categories"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
