"""Eget kapital: opening, årets resultat and closing per year, the stepped maximum and the dashboard panel."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Organisation, Role
from finance import contribution_services, equity_services
from finance.equity_selectors import current_equity, equity_rows, max_share_for
from finance.models import AccountBalance, AccountKind, EquityLimitStep, EquityYear, LedgerImport
from tests.factories import OrganisationFactory, UserFactory

from .factories import AccountFactory, FiscalYearFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def federation():
    return OrganisationFactory(name="Samordningsförbundet Skellefteå-Norsjö", kind=Organisation.Kind.FEDERATION)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).replace("\xa0", " ")


def _ledger_2019(federation):
    """2019 as the demo's SIE file leaves it: opening eget kapital 1 751 017 (credit), result −85 279."""
    year = FiscalYearFactory(organisation=federation)
    job = LedgerImport.objects.create(organisation=federation, fiscal_year=year, filename="x.se", sha256="0" * 64)
    equity = AccountFactory(organisation=federation, code="2010", kind=AccountKind.EQUITY)
    income = AccountFactory(organisation=federation, code="3010", kind=AccountKind.INCOME)
    cost = AccountFactory(organisation=federation, code="4010", kind=AccountKind.EXPENSE)
    for account, kind, amount in (
        (equity, "opening", "-1751017"),
        (income, "result", "-5840200"),
        (cost, "result", "5925479"),
    ):
        AccountBalance.objects.create(
            organisation=federation, fiscal_year=year, ledger_import=job, account=account, kind=kind, amount=D(amount)
        )
    return year


def test_seed_003_closing_and_distance_from_the_ledger(federation):
    year = _ledger_2019(federation)
    contribution_services.allocation_save(
        organisation=federation,
        actor=UserFactory(),
        fiscal_year=year,
        total=D("5814000"),
        rounding_unit=1000,
        municipalities=[],
    )
    (row,) = equity_rows(organisation=federation)
    assert (row.opening, row.result, row.closing) == (D("1751017"), D("-85279"), D("1665738"))
    assert (row.opening_source, row.result_source) == ("ingående balans", "bokföringen")
    assert row.allocated == D("5814000") and row.max_share == D("20")
    assert row.maximum == D("1162800") and row.distance == D("-502938") and row.above_maximum


def test_typed_years_chain_and_ledger_result_wins_over_typed(federation):
    actor = UserFactory()
    y2018 = FiscalYearFactory(organisation=federation, start=dt.date(2018, 1, 1), end=dt.date(2018, 12, 31))
    y2019 = FiscalYearFactory(organisation=federation)
    equity_services.equity_year_save(
        organisation=federation,
        actor=actor,
        fiscal_year=y2018,
        opening=D("1291000"),
        result=D("460017"),
        forecast_result=None,
        allocated=D("6158768"),
    )
    equity_services.equity_year_save(
        organisation=federation,
        actor=actor,
        fiscal_year=y2019,
        opening=None,
        result=D("-100000"),
        forecast_result=D("-360000"),
        allocated=D("5814000"),
    )
    rows = equity_rows(organisation=federation)
    assert [r.closing for r in rows] == [D("1751017"), D("1651017")]
    assert rows[1].opening_source == "föregående år"
    assert rows[1].forecast_closing == D("1391017") and rows[1].forecast_distance == D("1162800") - D("1391017")
    assert EquityYear.objects.get(fiscal_year=y2019).history.latest().history_user == actor


def test_stepped_table_is_configurable_and_validated(federation):
    actor = UserFactory()
    assert max_share_for(D("15000000"), [(D("15000000"), D(20)), (None, D(10))]) == D(20)
    assert max_share_for(D("15000001"), [(D("15000000"), D(20)), (None, D(10))]) == D(10)
    with pytest.raises(ValidationError):
        equity_services.limit_steps_save(organisation=federation, actor=actor, steps=[(None, D(10)), (D(5), D(20))])
    with pytest.raises(ValidationError):
        equity_services.limit_steps_save(organisation=federation, actor=actor, steps=[(D(10), D(101))])
    equity_services.limit_steps_save(organisation=federation, actor=actor, steps=[(None, D("25"))])
    year = _ledger_2019(federation)
    EquityYear.objects.create(organisation=federation, fiscal_year=year, allocated=D("5814000"))
    (row,) = equity_rows(organisation=federation)
    assert row.maximum == D("1453500")
    assert EquityLimitStep.objects.get().history.latest().history_user == actor


def test_pages_ekonom_edits_revisor_reads(client_for, federation):
    year = _ledger_2019(federation)
    ekonom = client_for(federation, Role.ECONOMIST)
    page = text_of(ekonom.get(reverse("finance:equity_overview")))
    assert "1 665 738 kr" in page and reverse("finance:equity_edit", args=[year.pk]) in page
    response = ekonom.post(
        reverse("finance:equity_edit", args=[year.pk]),
        {"opening": "", "result": "", "forecast_result": "-360 000", "allocated": "5 814 000"},
        follow=True,
    )
    assert "Eget kapital för 2019 är sparat" in text_of(response) and "-502 938 kr" in text_of(response)
    bad = ekonom.post(reverse("finance:equity_edit", args=[year.pk]), {"allocated": "mycket"})
    assert "Tilldelade medel (kr): ”mycket” är inget tal" in text_of(bad) and 'value="mycket"' in text_of(bad)
    steps = ekonom.post(
        reverse("finance:equity_limits"),
        {"step_0_upper": "10 000 000", "step_0_share": "20", "step_1_upper": "", "step_1_share": "10"},
        follow=True,
    )
    assert "Tabellen för rekommenderat eget kapital är sparad" in text_of(steps)
    assert EquityLimitStep.objects.filter(organisation=federation).count() == 2
    revisor = client_for(federation, Role.AUDITOR)
    assert revisor.get(reverse("finance:equity_overview")).status_code == 200
    assert revisor.get(reverse("finance:equity_edit", args=[year.pk])).status_code == 403
    assert revisor.post(reverse("finance:equity_limits"), {"step_0_share": "90"}).status_code == 403


def test_dashboard_panel_with_constant_queries(client_for, federation, django_assert_max_num_queries):
    year = _ledger_2019(federation)
    EquityYear.objects.create(organisation=federation, fiscal_year=year, allocated=D("5814000"))
    client = client_for(federation, Role.DIRECTOR)
    with django_assert_max_num_queries(60) as small:
        page = text_of(client.get(reverse("core:dashboard")))
    assert "Eget kapital" in page and "-502 938 kr" in page and "502 938 kr över rekommendationen" in page
    for start in (2015, 2016, 2017, 2018):
        FiscalYearFactory(organisation=federation, start=dt.date(start, 1, 1), end=dt.date(start, 12, 31))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("core:dashboard"))
    assert current_equity(organisation=federation).fiscal_year == year


def test_no_panel_outside_a_federation(client_for):
    kommun = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY)
    response = client_for(kommun, Role.ECONOMIST).get(reverse("core:dashboard"))
    assert "equity" not in {panel.key for panel in response.context["panels"]}


def test_list_pages_have_a_constant_query_count(client_for, federation, django_assert_max_num_queries):
    client = client_for(federation, Role.ECONOMIST)

    def add_year(start):
        year = FiscalYearFactory(organisation=federation, start=dt.date(start, 1, 1), end=dt.date(start, 12, 31))
        contribution_services.allocation_save(
            organisation=federation,
            actor=client.user,
            fiscal_year=year,
            total=D("5814000"),
            rounding_unit=1000,
            municipalities=[("Skellefteå kommun", D(41500)), ("Norsjö kommun", D(2100))],
        )
        EquityYear.objects.create(organisation=federation, fiscal_year=year, opening=D(1), result=D(2))

    add_year(2019)
    counts = {}
    for name in ("finance:contribution_list", "finance:equity_overview"):
        with django_assert_max_num_queries(40) as small:
            assert client.get(reverse(name)).status_code == 200
        counts[name] = len(small.captured_queries)
    for start in (2015, 2016, 2017, 2018):
        add_year(start)
    for name, count in counts.items():
        with django_assert_max_num_queries(count):
            assert "2015" in client.get(reverse(name)).content.decode()
