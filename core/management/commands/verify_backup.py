"""Compare every stored SHA-256 with the file it belongs to: after a restore, or any time on a running site.

Every model with a FileField and a SHA-256 beside it is checked (`output` ↔ `output_sha256`, `file` ↔ `sha256`),
so a new kind of stored file is covered as soon as it stores its checksum the same way. Exit status 1 when a
file is missing or differs; each such file is named.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models


def checked_fields(model) -> list[tuple[str, str]]:
    """(file field, SHA-256 field) pairs of a model."""
    names = {field.name for field in model._meta.get_fields()}
    pairs = []
    for field in model._meta.get_fields():
        if isinstance(field, models.FileField):
            for candidate in (f"{field.name}_sha256", "sha256"):
                if candidate in names:
                    pairs.append((field.name, candidate))
                    break
    return pairs


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Jämför varje lagrad SHA-256 med filen den hör till (efter en återläsning av en säkerhetskopia)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--media-root", help="Mappen med filerna (t.ex. ögonblicksbildens media/); standard: MEDIA_ROOT."
        )

    def handle(self, *args, media_root=None, **options):
        root = Path(media_root or settings.MEDIA_ROOT)
        if not root.is_dir():
            raise CommandError(f"Mappen {root} finns inte.")
        checked, problems = 0, []
        for model in apps.get_models():
            for file_field, sha_field in checked_fields(model):
                rows = model._base_manager.exclude(**{file_field: ""}).values_list("pk", file_field, sha_field)
                for pk, name, expected in rows.iterator():
                    label = f"{model._meta.label} {pk} ({name})"
                    if not expected:
                        problems.append(f"{label}: ingen SHA-256 lagrad")
                        continue
                    path = root / name
                    checked += 1
                    if not path.is_file():
                        problems.append(f"{label}: filen saknas")
                    elif sha256_of(path) != expected:
                        problems.append(f"{label}: SHA-256 stämmer inte (filen har ändrats)")
        for problem in problems:
            self.stderr.write(f"FEL: {problem}")
        if problems:
            raise CommandError(f"{len(problems)} av {checked} filer stämmer inte med databasen.")
        self.stdout.write(f"{checked} filer kontrollerade mot sin SHA-256 i {root}: alla stämmer.")
