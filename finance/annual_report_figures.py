"""Figures inside the förvaltningsberättelse: named placeholders the text carries ({{ årets_resultat }}), filled
from the data each time the page or the PDF is made, so the text never holds a typed copy of a computed figure.

The set is small and fixed (FIGURES): the editor offers them to insert, the form refuses an unknown name, and
`render_text` turns the stored text into HTML (paragraphs, "## " subheadings, "- " lists) with the figures in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.formatting import format_kr, format_number

from .models import AccountBalance, AccountKind, AnnualReport, Budget, LedgerEntry

PLACEHOLDER = re.compile(r"\{\{\s*([\w]+)\s*\}\}")

# name -> what the editor calls it. Names are Swedish: the ekonom types them.
FIGURES: dict[str, str] = {
    "årets_resultat": "Årets resultat",
    "eget_kapital_ingående": "Eget kapital vid årets ingång",
    "eget_kapital_utgående": "Eget kapital vid årets slut",
    "rekommenderat_eget_kapital": "Rekommenderat högsta eget kapital",
    "tilldelade_medel": "Tilldelade medel (medlemsbidrag)",
    "verksamhetens_intäkter": "Verksamhetens intäkter",
    "verksamhetens_kostnader": "Verksamhetens kostnader",
    "likvida_medel": "Likvida medel vid årets slut",
    "budgeterat_resultat": "Budgeterat resultat",
    "antal_deltagare": "Antal deltagare i individinriktade insatser",
    "antal_avslutade": "Antal avslutade deltagare",
    "antal_insatser": "Antal insatser med inlämnad rapport",
}
MISSING = "[uppgift saknas]"


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    value: Decimal | int | None
    is_count: bool = False

    @property
    def display(self) -> str:
        if self.value is None:
            return MISSING
        if self.is_count:
            return format_number(self.value)
        return format_kr(self.value)

    @property
    def placeholder(self) -> str:
        return "{{ " + self.name + " }}"


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text or "") if name not in FIGURES})


def _sum(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def figures_for(*, report: AnnualReport, statistics=None) -> dict[str, Figure]:
    """Every named figure of the report's year, from the ledger, eget kapital, medlemsbidrag, budget and the
    submitted participant reports. None where the data is not there (shown as "[uppgift saknas]")."""
    from projects.annual_report_selectors import submitted_year_statistics

    from .equity_selectors import equity_rows

    year = report.fiscal_year
    organisation = report.organisation
    equity = next((row for row in equity_rows(organisation=organisation) if row.fiscal_year.pk == year.pk), None)
    entries = LedgerEntry.objects.filter(organisation=organisation, fiscal_year=year)
    has_ledger = entries.exists()
    income = -_sum(entries.filter(account__kind=AccountKind.INCOME)) if has_ledger else None
    expense = _sum(entries.filter(account__kind=AccountKind.EXPENSE)) if has_ledger else None
    cash = None
    if has_ledger:
        opening = AccountBalance.objects.filter(
            fiscal_year=year, kind=AccountBalance.Kind.OPENING, account__code__startswith="19"
        )
        cash = _sum(opening) + _sum(entries.filter(account__code__startswith="19"))
    budget = Budget.objects.filter(fiscal_year=year, status=Budget.Status.ADOPTED).order_by("-number").first()
    budget_result = -_sum(budget.lines.all()) if budget is not None else None
    if statistics is None:
        statistics = submitted_year_statistics(organisation=organisation, year=year.end.year)
    values: dict[str, tuple[Decimal | int | None, bool]] = {
        "årets_resultat": (equity.result if equity else None, False),
        "eget_kapital_ingående": (equity.opening if equity else None, False),
        "eget_kapital_utgående": (equity.closing if equity else None, False),
        "rekommenderat_eget_kapital": (equity.maximum if equity else None, False),
        "tilldelade_medel": (equity.allocated if equity else None, False),
        "verksamhetens_intäkter": (income, False),
        "verksamhetens_kostnader": (expense, False),
        "likvida_medel": (cash, False),
        "budgeterat_resultat": (budget_result, False),
        "antal_deltagare": (statistics.participants_total if statistics.insatser else None, True),
        "antal_avslutade": (statistics.exited_total if statistics.insatser else None, True),
        "antal_insatser": (len(statistics.insatser) if statistics.insatser else None, True),
    }
    return {
        name: Figure(name=name, label=label, value=values[name][0], is_count=values[name][1])
        for name, label in FIGURES.items()
    }


def fill(text: str, figures: dict[str, Figure]) -> str:
    """The text with each placeholder replaced by its figure (plain text; unknown names left visible)."""

    def replace(match: re.Match) -> str:
        figure = figures.get(match.group(1))
        return figure.display if figure is not None else match.group(0)

    return PLACEHOLDER.sub(replace, text or "")


def render_text(text: str, figures: dict[str, Figure]) -> SafeString:
    """Stored text → HTML: blank lines part paragraphs, "## " starts a subheading, "- " a list item."""
    parts: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush(paragraph: list[str], items: list[str]) -> None:
        if paragraph:
            parts.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").strip().split("\n"):
        line = raw.strip()
        if not line:
            flush(paragraph, items)
        elif line.startswith("## "):
            flush(paragraph, items)
            parts.append(f'<h4 class="subsection">{escape(fill(line[3:].strip(), figures))}</h4>')
        elif line.startswith("- "):
            flush(paragraph, [])
            items.append(escape(fill(line[2:].strip(), figures)))
        else:
            flush([], items)
            paragraph.append(escape(fill(line, figures)))
    flush(paragraph, items)
    return mark_safe("\n".join(parts))  # noqa: S308  every piece of text above is escaped
