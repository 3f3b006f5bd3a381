"""Model and form fields shared by the apps."""

from django import forms
from django.db import models

from .validators import validate_deliverable_email


class DeliverableEmailFormField(forms.EmailField):
    """An e-mail address that mail servers deliver to; one Swedish message saying what is wrong (å/ä/ö before @)."""

    default_validators = [validate_deliverable_email]  # includes Django's syntax check


class DeliverableEmailField(models.EmailField):
    default_validators = [validate_deliverable_email]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DeliverableEmailFormField, **kwargs})
