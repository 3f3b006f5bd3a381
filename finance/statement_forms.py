"""Forms for the year-end statements: a line of the mapping, and the figures typed in for a year without ledger."""

from __future__ import annotations

from django import forms

from .contribution_forms import AmountField
from .models import StatementLine


class StatementLineForm(forms.ModelForm):
    class Meta:
        model = StatementLine
        fields = [
            "statement",
            "label",
            "key",
            "position",
            "source",
            "accounts",
            "refs",
            "sign",
            "note_number",
            "explains",
            "role",
            "emphasis",
            "hide_if_zero",
        ]
        widgets = {"accounts": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service checks everything the model cannot (ranges, keys, circles) and names the field.
        self.fields["key"].help_text = "Små bokstäver, siffror och understreck, t.ex. rr_intakter."


class FiguresForm(forms.Form):
    """One amount per line of the mapping; an empty field is computed from the lines it sums (or left empty)."""

    def __init__(self, *args, lines, initial_values, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.source != StatementLine.Source.HEADING]
        for line in self.lines:
            name = f"line_{line.pk}"
            label = (
                line.label
                if line.statement != StatementLine.Statement.NOTE
                else f"Not {line.note_number}: {line.label}"
            )
            self.fields[name] = AmountField(label=label, required=False)
            value = initial_values.get(line.pk)
            if value is not None:
                self.initial[name] = _plain(value)

    def groups(self):
        """(title, [bound field, …]) per statement and note, in the order they are printed."""
        titles = dict(StatementLine.Statement.choices)
        groups: dict[str, list] = {}
        for line in self.lines:
            title = titles[line.statement]
            if line.statement == StatementLine.Statement.NOTE:
                title = f"Not {line.note_number}"
            groups.setdefault(title, []).append((line, self[f"line_{line.pk}"]))
        return list(groups.items())

    def values(self) -> dict:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") for line in self.lines}


def _plain(value) -> str:
    """1665738.00 → "1665738" and -0.5 → "-0,5": what the ekonom would type."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    return text.replace(".", ",")
