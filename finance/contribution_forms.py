"""Forms for medlemsbidrag and eget kapital. Amounts are typed the Swedish way: "5 814 000", "-85 279", "41 500,5"."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from .models import ContributionAllocation
from .tabular import parse_number

MUNICIPALITY_ROWS = 8
STEP_ROWS = 5


class AmountField(forms.CharField):
    def __init__(self, *args, label: str, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, label=label, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def clean(self, value) -> Decimal | None:
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            number = parse_number(text)
        except ValueError as exc:
            raise forms.ValidationError(f"{self.label}: {exc}.") from exc
        if abs(number) >= Decimal("1e13"):
            raise forms.ValidationError(f"{self.label}: beloppet är för stort.")
        return number


class AllocationForm(forms.Form):
    total = AmountField(label="Tilldelade medel totalt (kr)", error_messages={"required": "Ange tilldelade medel."})
    rounding_unit = forms.TypedChoiceField(
        label="Avrunda till", choices=ContributionAllocation.Unit.choices, coerce=int
    )
    state_name = forms.CharField(label="Statens del (hälften) betalas av", max_length=200)
    region_name = forms.CharField(label="Regionen (en fjärdedel)", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(MUNICIPALITY_ROWS):
            self.fields[f"kommun_{i}_name"] = forms.CharField(label=f"Kommun {i + 1}", max_length=200, required=False)
            self.fields[f"kommun_{i}_share"] = AmountField(label=f"Andel för kommun {i + 1}", required=False)

    def municipality_rows(self):
        return [(self[f"kommun_{i}_name"], self[f"kommun_{i}_share"]) for i in range(MUNICIPALITY_ROWS)]

    def clean(self):
        data = super().clean()
        rows = []
        for i in range(MUNICIPALITY_ROWS):
            name = (data.get(f"kommun_{i}_name") or "").strip()
            share = data.get(f"kommun_{i}_share")
            if name and share is None and f"kommun_{i}_share" not in self.errors:
                self.add_error(f"kommun_{i}_share", f"Andel för kommun {i + 1}: ange {name}s andel.")
            elif share is not None and not name:
                self.add_error(f"kommun_{i}_name", f"Kommun {i + 1}: ange kommunens namn.")
            elif name and share is not None:
                if share < 0:
                    self.add_error(f"kommun_{i}_share", f"Andel för kommun {i + 1}: kan inte vara negativ.")
                rows.append((name, share))
        data["municipalities"] = rows
        return data

    @staticmethod
    def initial_for(allocation) -> dict:
        initial = {
            "total": format(allocation.total.normalize(), "f"),
            "rounding_unit": allocation.rounding_unit,
            "state_name": allocation.state_name,
            "region_name": allocation.region_name,
        }
        for i, row in enumerate(allocation.municipalities.all()):
            initial[f"kommun_{i}_name"] = row.name
            initial[f"kommun_{i}_share"] = format(row.share.normalize(), "f")
        return initial


def _plain(value):
    return None if value is None else format(value.normalize(), "f")


class EquityYearForm(forms.Form):
    opening = AmountField(label="Eget kapital vid årets ingång (kr)", required=False)
    result = AmountField(label="Årets resultat (kr)", required=False)
    forecast_result = AmountField(label="Prognos för årets resultat vid årets slut (kr)", required=False)
    allocated = AmountField(label="Tilldelade medel (kr)", required=False)

    @staticmethod
    def initial_for(row) -> dict:
        if row is None:
            return {}
        return {name: _plain(getattr(row, name)) for name in ("opening", "result", "forecast_result", "allocated")}


class LimitStepsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(STEP_ROWS):
            self.fields[f"step_{i}_upper"] = AmountField(
                label=f"Steg {i + 1}: tilldelade medel upp till (kr)", required=False
            )
            self.fields[f"step_{i}_share"] = AmountField(label=f"Steg {i + 1}: högst andel (%)", required=False)

    def step_rows(self):
        return [(self[f"step_{i}_upper"], self[f"step_{i}_share"]) for i in range(STEP_ROWS)]

    def clean(self):
        data = super().clean()
        steps = []
        for i in range(STEP_ROWS):
            upper, share = data.get(f"step_{i}_upper"), data.get(f"step_{i}_share")
            if share is None:
                if upper is not None and f"step_{i}_share" not in self.errors:
                    self.add_error(f"step_{i}_share", f"Steg {i + 1}: ange högsta andel i procent.")
                continue
            steps.append((upper, share))
        data["steps"] = steps
        return data

    @staticmethod
    def initial_for(steps) -> dict:
        initial = {}
        for i, (upper, share) in enumerate(steps):
            initial[f"step_{i}_upper"] = _plain(upper)
            initial[f"step_{i}_share"] = _plain(share)
        return initial
