"""Forms for document requests. They check the shape of the request; the document class and
services.render_job_request check its content (params, bilagor) and give the Swedish messages."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat

from .appendices import max_appendix_bytes

# POST fields of a request that are not document params.
RESERVED_FIELDS = frozenset({"csrfmiddlewaretoken", "kind", "appendices"})
MAX_APPENDICES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); returns a list, possibly empty."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super().clean(data, initial)]


class RenderRequestForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, max_length=100)
    appendices = MultipleFileField(
        label="Bilagor",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appendices"].help_text = (
            f"Valfritt. PDF, PNG eller JPEG, högst {filesizeformat(max_appendix_bytes())} per fil "
            f"och {MAX_APPENDICES} filer."
        )

    def clean_appendices(self):
        files = self.cleaned_data["appendices"]
        if len(files) > MAX_APPENDICES:
            raise forms.ValidationError(f"Högst {MAX_APPENDICES} bilagor får laddas upp med ett dokument.")
        return files


def params_from_post(data) -> dict[str, str]:
    """The document params in a POST: every field that is not part of the request itself."""
    return {key: data.get(key) for key in data if key not in RESERVED_FIELDS}
