"""The registreringsunderlag for Uppföljning Finsam and the statistics on the demo data: seed 003's figures
(participants by kön, medlemsbidrag, eget kapital, budget and utfall), "saknas" where finance has none, the demo
goals with their 2019 assessments, and an organisation without finance."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from core.demo import FEDERATION
from core.models import Organisation, Role
from projects import finsam_selectors
from projects.demo_goals import DEMO_GOALS
from projects.models import Goal, GoalAssessment, Project

from .factories import make_project

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)  # idempotent
    return Organisation.objects.get(name=FEDERATION)


def test_registreringsunderlag_2019_holds_seed_003s_figures(demo, client_for):
    underlag = finsam_selectors.underlag(organisation=demo, year=2019)
    individual = {row.project.name: row for row in underlag.individual}
    structural = {row.project.name: row for row in underlag.structural}
    assert len(individual) == 7 and len(structural) == 2
    assert underlag.individual_totals == {"woman": 159, "man": 187, "other": 3}  # seed 003: 349 deltagare
    amt = individual["Arbetsmarknadstorget"]
    assert amt.participants == {"woman": 44, "man": 68, "other": 2}
    assert amt.project.specified_orientation == "Samlokaliserat myndighetsgemensamt team för unga vuxna 16–29 år"
    assert amt.target_groups == [
        "Unga som riskerar att hamna i långvarigt utanförskap",
        "Personer med fysisk och psykisk ohälsa",
    ]
    assert individual["MySam"].participants_total == 105
    assert structural["NAFS Skellefteå-Norsjö"].participants == {"woman": 66, "man": 42, "other": 0}
    assert structural["Psykisk hälsa Arbetsliv"].participants_total == 122
    assert {name: row.project.budgeted_participants for name, row in {**individual, **structural}.items()} == {
        "Arbetsmarknadstorget": 70,
        "MySam": None,
        "Framsteg Norsjömodellen": None,
        "ProAktiv": None,
        "Nästa steg": 40,
        "Vägen Vidare": None,
        "Praktiksteget/Påfart gymnasiet": None,
        "NAFS Skellefteå-Norsjö": None,
        "Psykisk hälsa Arbetsliv": 185,
    }

    finance = underlag.finance
    assert finance.allocated == D("5814000")
    assert [part.amount for part in finance.contributions] == [D("2907000"), D("1454000"), D("1383000"), D("70000")]
    assert finance.equity_closing == D("1665738") and finance.equity_result == D("-85279")
    assert finance.admin_budget == D("1401000") and finance.admin_outcome == D("1268583")
    assert finance.insatser_budget == D("5234840") and finance.insatser_outcome == D("4656896")
    assert amt.money.outcome == D("1600000") and amt.money.budget is None  # the budget has no projekt lines
    assert individual["MySam"].money.outcome == D("1500000")
    assert structural["NAFS Skellefteå-Norsjö"].money.outcome == D("620988")
    assert individual["Vägen Vidare"].money.outcome is None

    client = client_for(demo, Role.ECONOMIST)
    page = client.get(reverse("projects:finsam"), {"ar": 2019}).content.decode()
    assert "5\xa0814\xa0000\xa0kr" in page and "1\xa0665\xa0738\xa0kr" in page and "saknas" in page
    # The Summa row carries the participants in all, computed: 159 + 187 + 3.
    assert '<td class="num fw-semibold">349</td>' in page
    book = load_workbook(io.BytesIO(client.get(reverse("projects:finsam_export"), {"ar": 2019}).content))
    assert book.sheetnames == ["Insatser", "Strukturövergripande", "Ekonomi"]
    rows = {row[0]: row for row in book["Insatser"].iter_rows(min_row=4, values_only=True)}
    assert rows["Arbetsmarknadstorget"][4:11] == (70, 44, 68, 2, 114, "saknas", 1600000)
    economy = {row[0]: row[1] for row in book["Ekonomi"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert economy["Tilldelade medel (medlemsbidrag)"] == 5814000
    assert economy["Utfall för administration"] == 1268583


def test_demo_statistics_and_goals(demo, client_for):
    client = client_for(demo, Role.DIRECTOR)
    response = client.get(reverse("projects:statistics"), {"fran": 2019, "till": 2019})
    stats = response.context["stats"]
    (year,) = stats.year_rows
    assert year.active_total == 349 and year.exited_total == 150
    assert [(reason.label, count) for reason, count, _share in year.outcome.reason_rows] == [
        ("Arbete", 27),
        ("Studier", 10),
    ]
    projects = {row.name: row for row in Project.objects.filter(organisation=demo)}
    assert len(projects) == 9
    for name, goals in DEMO_GOALS.items():
        stored = list(Goal.objects.filter(project=projects[name]).order_by("position", "pk"))
        assert [goal.title for goal in stored] == [title for title, _o, _c in goals]
        assessments = {row.goal_id: row for row in GoalAssessment.objects.filter(goal__in=stored, year=2019)}
        assert [(assessments[g.pk].outcome, assessments[g.pk].comment) for g in stored] == [
            (outcome, comment) for _t, outcome, comment in goals
        ]
    assert Goal.objects.filter(project=projects["Arbetsmarknadstorget"]).count() == 3
    # Vägen Vidare mål 8 has two boxes ticked in seed 003; the demo holds the first.
    eight = Goal.objects.get(project=projects["Vägen Vidare"], title__startswith="Öka medvetenheten kring jämställdhet")
    assert eight.assessments.get(year=2019).outcome == GoalAssessment.Outcome.MET


def test_without_finance_every_figure_is_missing(organisation, client_for):
    make_project(organisation, name="Arbetsmarknadstorget", status=Project.Status.ONGOING)
    underlag = finsam_selectors.underlag(organisation=organisation, year=2019)
    assert underlag.finance.fiscal_year is None and underlag.finance.allocated is None
    (row,) = underlag.individual
    assert not row.reported and row.money.budget is None
    page = client_for(organisation, Role.DIRECTOR).get(reverse("projects:finsam"), {"ar": 2019}).content.decode()
    assert "Ingen inlämnad rapport" in page and "saknas" in page
