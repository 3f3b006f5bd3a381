"""Distinct bilaga positions per punkt and per ärende: renumber any duplicates, then add the constraints."""

from django.db import migrations, models


def renumber_duplicates(apps, schema_editor):
    """Give every punkt or ärende that has two bilagor at one position the positions 1..n (old order kept)."""
    Attachment = apps.get_model("meetings", "Attachment")
    groups = [
        ("agenda_item", Attachment.objects.filter(agenda_item__isnull=False)),
        ("case", Attachment.objects.filter(agenda_item__isnull=True, case__isnull=False)),
    ]
    for owner, rows in groups:
        clashing = (
            rows.values(owner, "position").annotate(n=models.Count("pk")).filter(n__gt=1).values_list(owner, flat=True)
        )
        for owner_id in set(clashing):
            siblings = rows.filter(**{owner: owner_id}).order_by("position", "pk")
            for position, attachment in enumerate(siblings, start=1):
                if attachment.position != position:
                    Attachment.objects.filter(pk=attachment.pk).update(position=position)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_editor_versions"),
    ]

    operations = [
        # Backwards the new positions simply stay: they are valid without the constraints too.
        migrations.RunPython(renumber_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("agenda_item__isnull", False)),
                fields=("agenda_item", "position"),
                name="attachment_position_unique_per_item",
            ),
        ),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("agenda_item__isnull", True), ("case__isnull", False)),
                fields=("case", "position"),
                name="attachment_position_unique_per_case",
            ),
        ),
    ]
