"""The uppföljning (issue 9, point 4): rollups, prognos, the demo's seed 004 figures, and Decimal throughout."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest

from core.demo import LINDESBERG
from core.models import Role
from finance import followup_demo, followup_selectors
from finance.followup_selectors import Figures
from finance.models import FiscalYear, ForecastEntry
from tests.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
MNKR = D(1_000_000)

# Seed 004, "2.1 Socialnämnd", mnkr: nettokostnad, budget jan–maj, avvikelse, prognos helår, budget helår,
# avvikelse helår.
SEED_004 = {
    "Administration": ("9.1", "10.0", "0.9", "23.0", "23.5", "0.5"),
    "Funktionsstöd": ("63.4", "58.8", "-4.6", "154.3", "146.3", "-8.0"),
    "Individ- och familj": ("40.9", "41.9", "1.0", "103.2", "100.4", "-2.8"),
    "Vård och omsorg": ("133.2", "121.9", "-11.3", "330.6", "306.4", "-24.2"),
    "Totalt": ("246.6", "232.6", "-14.0", "611.1", "576.6", "-34.5"),
}


@pytest.fixture
def lindesberg(db):
    organisation = OrganisationFactory(name=LINDESBERG, org_number="212000-1975")
    economist = UserFactory(username="ekonom")
    RoleAssignmentFactory(user=economist, organisation=organisation, role=Role.ECONOMIST)
    followup_demo.seed_followup(stdout=StringIO())
    return organisation


@pytest.fixture
def year_2022(lindesberg):
    return FiscalYear.objects.get(organisation=lindesberg, start=dt.date(2022, 1, 1))


def _mnkr(amount: Decimal) -> Decimal:
    return (amount / MNKR).quantize(D("0.1"))


def _seed_row(figures: Figures) -> tuple[str, ...]:
    values = (
        figures.actual,
        figures.budget,
        figures.deviation,
        figures.forecast,
        figures.annual_budget,
        figures.forecast_deviation,
    )
    return tuple(str(_mnkr(v)) for v in values)


def test_the_demo_reproduces_seed_004s_may_2022(lindesberg, year_2022):
    report = followup_selectors.followup(organisation=lindesberg, fiscal_year=year_2022, first=1, last=5)
    got = {row.name: _seed_row(row.figures) for row in report.units}
    got["Totalt"] = _seed_row(report.total.figures)
    assert got == SEED_004
    assert report.total.figures.forecast_deviation_percent == D("-6.0")  # "-34,5 Mnkr (6,0 %)"
    assert report.period_label == "jan–maj"


def test_seed_followup_is_idempotent(lindesberg, year_2022):
    followup_demo.seed_followup(stdout=StringIO())
    assert ForecastEntry.objects.filter(fiscal_year=year_2022).count() == 4
    assert year_2022.budgets.count() == 1
    assert lindesberg.ledger_imports.count() == 1
