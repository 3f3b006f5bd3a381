"""Månadsuppföljning (PDF) in the shape of seed 004: a cover with month and nämnd, the innehållsförteckning with
page numbers, 1 Verksamhetsuppföljning (the prognos comments per verksamhet), 2 Ekonomisk uppföljning i Mnkr with
the table (nettokostnad, budget for the period, avvikelse, prognos helår, budget helår, avvikelse helår), the
summary sentence and one line per verksamhet. Every figure comes from finance.followup_selectors, so the PDF and
the uppföljning page cannot disagree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse

from reporting.documents import DocumentInputError, DocumentParamsForm, PdfDocument, register_document

from . import followup_selectors
from .followup_forms import MONTH_CHOICES
from .models import FiscalYear

MNKR = Decimal(1_000_000)


class MonthlyFollowupParamsForm(DocumentParamsForm):
    fiscal_year = forms.ModelChoiceField(label="Räkenskapsår", queryset=FiscalYear.objects.none())
    month = forms.TypedChoiceField(label="Månad", choices=MONTH_CHOICES, coerce=int)

    def set_organisation(self, organisation) -> None:
        self.fields["fiscal_year"].queryset = FiscalYear.objects.for_organisation(organisation).order_by("-start")

    def clean_fiscal_year(self):
        return self.cleaned_data["fiscal_year"].pk


def mnkr(amount: Decimal) -> Decimal:
    """Kronor to mnkr with one decimal, as the seed prints them (the filter formats; this is for sums in text)."""
    return (amount / MNKR).quantize(Decimal("0.1"))


@register_document
class MonthlyFollowupDocument(PdfDocument):
    kind = "finance.monthly_followup"
    title = "Månadsuppföljning"
    template_name = "finance/pdf/monthly_followup.html"
    params_form = MonthlyFollowupParamsForm
    required_perm = "finance.followup"

    def fiscal_year(self) -> FiscalYear:
        if not hasattr(self, "_fiscal_year"):
            try:
                self._fiscal_year = FiscalYear.objects.for_organisation(self.organisation).get(
                    pk=int(self.params.get("fiscal_year") or 0)
                )
            except (FiscalYear.DoesNotExist, ValueError, TypeError) as exc:
                raise DocumentInputError("Räkenskapsåret finns inte i organisationen.") from exc
        return self._fiscal_year

    def month(self) -> int:
        try:
            month = int(self.params.get("month") or 0)
        except (TypeError, ValueError) as exc:
            raise DocumentInputError("Månaden ska vara 1–12.") from exc
        if not 1 <= month <= 12:
            raise DocumentInputError("Månaden ska vara 1–12.")
        return month

    def check_inputs(self) -> None:
        self.fiscal_year()
        self.month()

    def get_context(self) -> dict[str, Any]:
        fiscal_year, month = self.fiscal_year(), self.month()
        report = followup_selectors.followup(
            organisation=self.organisation, fiscal_year=fiscal_year, first=1, last=month
        )
        heading = followup_selectors.report_heading(organisation=self.organisation)
        rows = report.units or report.groups

        def cells(figures) -> list[Decimal]:
            return [
                mnkr(figures.actual),
                mnkr(figures.budget),
                mnkr(figures.deviation),
                mnkr(figures.forecast),
                mnkr(figures.annual_budget),
                mnkr(figures.forecast_deviation),
            ]

        return {
            "table": [(row, cells(row.figures)) for row in rows],
            "total_cells": cells(report.total.figures),
            "report": report,
            "rows": rows,
            "heading": heading,
            "month_title": followup_selectors.month_label(fiscal_year, month).capitalize(),
            "period": followup_selectors.period_label(fiscal_year, 1, month),
            "period_end": followup_selectors.month_end(fiscal_year, month),
            "commented": [row for row in rows if row.entry is not None],
            "total": report.total.figures,
        }

    def subject(self) -> tuple[str, str]:
        fiscal_year, month = self.fiscal_year(), self.month()
        label = f"Uppföljning {followup_selectors.month_label(fiscal_year, month)}"
        return label, reverse("finance:followup") + f"?ar={fiscal_year.pk}&fran=1&till={month}"

    def filename(self) -> str:
        start = followup_selectors.month_start(self.fiscal_year(), self.month())
        return f"manadsuppfoljning-{start:%Y-%m}.pdf"
