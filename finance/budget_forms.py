"""Forms for budgets. Amounts are typed the Swedish way ("1 234,50", "-0,8") and parsed by finance.tabular."""

from __future__ import annotations

from django import forms

from core.models import Organisation
from meetings.case_forms import date_field

from .budget_services import MONTH_NAMES, amount_problem
from .locks import locked_year_ids
from .models import Account, Budget, BudgetLine, DimensionObject, FiscalYear
from .tabular import parse_number


def _typed(amount) -> str:
    """An amount as the ekonom types it: 1131000 or 1200,50 (no thousands separators, so it reads back as is)."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return f"{amount:f}".replace(".", ",")


class SwedishAmountField(forms.Field):
    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "maxlength": "30"})

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 30:
            raise forms.ValidationError("Beloppet är för långt.")
        try:
            amount = parse_number(text)
        except ValueError as exc:
            raise forms.ValidationError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from exc
        problem = amount_problem(amount)
        if problem:
            raise forms.ValidationError(f"{problem[:1].upper()}{problem[1:]}.")
        return amount


class BudgetCreateForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(
        label="Räkenskapsår",
        queryset=FiscalYear.objects.none(),
        empty_label="Välj räkenskapsår",
        error_messages={"required": "Välj räkenskapsår."},
    )
    copy_from = forms.ModelChoiceField(
        label="Utgå från",
        queryset=Budget.objects.none(),
        required=False,
        empty_label="En tom budget",
        help_text="Raderna och månadsfördelningen kopieras; ändra dem sedan i den nya budgeten.",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # A locked year (its årsredovisning or the next year's is fastställd) cannot get a budget: not offered.
        self.fields["fiscal_year"].queryset = (
            FiscalYear.objects.for_organisation(organisation)
            .filter(budgets__isnull=True)
            .exclude(pk__in=locked_year_ids(organisation))
        )
        self.fields["copy_from"].queryset = (
            Budget.objects.for_organisation(organisation)
            .select_related("fiscal_year")
            .order_by("-fiscal_year__start", "-number")
        )


class BudgetLineForm(forms.Form):
    account = forms.ModelChoiceField(
        label="Konto", queryset=Account.objects.none(), error_messages={"required": "Välj konto."}
    )
    dimension_object = forms.ModelChoiceField(
        label="Objekt (valfritt)", queryset=DimensionObject.objects.none(), required=False, empty_label="(inget)"
    )
    amount = SwedishAmountField(
        label="Årsbelopp (kr)",
        required=False,
        help_text="Kostnader positiva, intäkter negativa, som i bokföringen. Vid egen fördelning blir årsbeloppet "
        "summan av månaderna.",
    )
    distribution = forms.ChoiceField(label="Fördelning över månaderna", choices=BudgetLine.Distribution.choices)

    def __init__(self, *args, organisation: Organisation, line: BudgetLine | None = None, with_months=False, **kwargs):
        bound = bool(args and args[0] is not None)
        if line is not None and not bound and "initial" not in kwargs:
            kwargs["initial"] = {
                "account": line.account_id,
                "dimension_object": line.dimension_object_id,
                "amount": _typed(line.amount),
                "distribution": line.distribution,
                **{f"month_{m.month}": _typed(m.amount) for m in line.months.all()},
            }
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.for_organisation(organisation).order_by("code")
        self.fields["dimension_object"].queryset = (
            DimensionObject.objects.for_organisation(organisation)
            .select_related("dimension")
            .order_by("dimension__sie_number", "code")
        )
        self.with_months = with_months
        if with_months:
            for number, name in enumerate(MONTH_NAMES, start=1):
                self.fields[f"month_{number}"] = SwedishAmountField(label=name, required=False)

    def clean(self):
        data = super().clean()
        distribution = data.get("distribution")
        if distribution == BudgetLine.Distribution.CUSTOM:
            if not self.with_months:
                self.add_error("distribution", "Egen fördelning anges på radens sida, månad för månad.")
            data["months"] = [data.get(f"month_{n}") or 0 for n in range(1, 13)]
        elif data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Ange årsbeloppet.")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "account": data["account"],
            "dimension_object": data.get("dimension_object"),
            "amount": data.get("amount") or 0,
            "distribution": data["distribution"],
        }
        if data["distribution"] == BudgetLine.Distribution.CUSTOM:
            kwargs["months"] = data["months"]
        return kwargs


class DistributeForm(forms.Form):
    distribution = forms.ChoiceField(
        label="Fördela alla rader",
        choices=[c for c in BudgetLine.Distribution.choices if c[0] != BudgetLine.Distribution.CUSTOM],
    )


class AdoptForm(forms.Form):
    adopted_on = date_field("Fastställd den (datum för styrelsens beslut)")
    confirm = forms.BooleanField(
        label="Jag förstår att en fastställd budget inte kan ändras",
        error_messages={"required": "Bekräfta att budgeten ska fastställas."},
    )


class BudgetImportForm(forms.Form):
    file = forms.FileField(
        label="Excelfil (.xlsx)",
        help_text="Samma mall som exporten: Konto, Kontonamn, Objekt, Årsbelopp och en kolumn per månad.",
        error_messages={"required": "Välj en fil."},
    )
