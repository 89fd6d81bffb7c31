from django.db import migrations

from opora.core.reference import DEFAULT_CATEGORIES


def add_default_categories(apps, schema_editor):
    Category = apps.get_model("people", "Category")
    existing = set(Category.objects.values_list("code", flat=True))
    Category.objects.bulk_create(
        Category(code=code, for_families=for_families, sort=i)
        for i, (code, (_label, for_families)) in enumerate(DEFAULT_CATEGORIES.items())
        if code not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_registry_of_people")]
    operations = [migrations.RunPython(add_default_categories, migrations.RunPython.noop)]
