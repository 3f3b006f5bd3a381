"""Pieces shared by several meetings models: confidentiality and the locked-minutes message."""

from django.db import models

LEGAL_BASIS_HELP = "Bestämmelse i offentlighets- och sekretesslagen, t.ex. ”OSL 26 kap. 1 §”."
CONFIDENTIAL_PUBLIC_TEXT = "Denna punkt på agendan är sekretessbelagd"
MINUTES_LOCKED_MESSAGE = "Protokollet är justerat och kan inte ändras. Gör en rättelse i stället."
PARAGRAPH_LOCKED_MESSAGE = "Paragrafen är omedelbart justerad och kan inte ändras. Gör en rättelse i stället."


class Confidential(models.Model):
    """Adds `confidential` + `legal_basis`. Each concrete model adds `confidential_constraint(...)`."""

    confidential = models.BooleanField("sekretess", default=False)
    legal_basis = models.CharField("sekretessgrund", max_length=200, blank=True, help_text=LEGAL_BASIS_HELP)

    class Meta:
        abstract = True

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.confidential and not (self.legal_basis or "").strip():
            raise ValidationError(
                {"legal_basis": "Ange sekretessgrund (t.ex. ”OSL 26 kap. 1 §”) när något markeras som sekretess."}
            )


def version_field() -> models.PositiveIntegerField:
    """The edit version of an editor's object (core.versioning): raised by one on every save from its editor."""
    return models.PositiveIntegerField("version", default=1, editable=False)


def confidential_constraint(name: str) -> models.CheckConstraint:
    """Confidential implies a non-empty legal basis."""
    return models.CheckConstraint(condition=models.Q(confidential=False) | ~models.Q(legal_basis=""), name=name)
