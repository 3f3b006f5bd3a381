"""Medlemsbidrag: the split sums exactly to the total for any total and shares, and seed 003's figures."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.models import Role
from finance import contribution_services
from finance.contributions import split_contributions, split_largest_remainder
from finance.models import ContributionAllocation, ContributionMunicipality
from tests.factories import OrganisationFactory, UserFactory

from .factories import FiscalYearFactory

D = Decimal
SEED_SHARES = [("Skellefteå kommun", D("41500")), ("Norsjö kommun", D("2100"))]


def test_seed_003_split_in_whole_thousands():
    parts = split_contributions(D("5814000"), SEED_SHARES, unit=D(1000), region_name="Region Västerbotten")
    assert [(p.name, p.amount) for p in parts] == [
        ("Staten genom Försäkringskassan", D("2907000")),
        ("Region Västerbotten", D("1454000")),
        ("Skellefteå kommun", D("1383000")),
        ("Norsjö kommun", D("70000")),
    ]
    assert sum(p.amount for p in parts) == D("5814000")


def test_whole_kronor_split_and_ties_go_to_the_first_listed():
    assert split_largest_remainder(D(10), [D(1), D(1), D(1)]) == [D(4), D(3), D(3)]
    parts = split_contributions(D("5814000"), SEED_SHARES)
    assert [p.amount for p in parts][:2] == [D("2907000"), D("1453500")]
    assert sum(p.amount for p in parts) == D("5814000")


def test_no_kommun_keeps_the_quarter_as_one_line():
    parts = split_contributions(D(101), [])
    assert [(p.name, p.amount) for p in parts] == [
        ("Staten genom Försäkringskassan", D(51)),
        ("Regionen", D(25)),
        ("Kommunerna", D(25)),
    ]


@pytest.mark.parametrize(
    "total,weights,unit",
    [
        (D(-1), [D(1)], D(1)),
        (D(10), [], D(1)),
        (D(10), [D(0)], D(1)),
        (D(10), [D(-1), D(2)], D(1)),
        (D(1500), [D(1)], D(1000)),
    ],
)
def test_invalid_input_is_refused(total, weights, unit):
    with pytest.raises(ValueError):
        split_largest_remainder(total, weights, unit)


shares = st.decimals(min_value=0, max_value=10**7, places=4, allow_nan=False, allow_infinity=False)


@given(
    total_units=st.integers(min_value=0, max_value=10**10),
    unit=st.sampled_from([D(1), D(1000)]),
    weights=st.lists(shares, min_size=0, max_size=12),
)
def test_parts_always_sum_exactly_to_the_total(total_units, unit, weights):
    total = D(total_units) * unit
    parts = split_contributions(total, [(f"Kommun {i}", w) for i, w in enumerate(weights)], unit=unit)
    amounts = [p.amount for p in parts]
    assert sum(amounts, D(0)) == total
    assert all(isinstance(a, Decimal) and a >= 0 and a % unit == 0 for a in amounts)
    # The state's half and the region's quarter are within one unit of the exact figure.
    assert abs(amounts[0] - total / 2) < unit and abs(amounts[1] - total / 4) < unit


@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(shares, min_size=1, max_size=20).filter(lambda ws: sum(ws) > 0),
)
def test_largest_remainder_is_within_one_krona_of_the_exact_share(total, weights):
    parts = split_largest_remainder(D(total), weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - D(total) * weight / weight_sum) < 1


# Service and page ------------------------------------------------------------------------------------------


@pytest.fixture
def federation(db):
    return OrganisationFactory(name="Samordningsförbundet Skellefteå-Norsjö")


@pytest.fixture
def year(federation):
    return FiscalYearFactory(organisation=federation)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).replace("\xa0", " ")


def _post(total="5 814 000", unit=1000, **extra):
    data = {
        "total": total,
        "rounding_unit": unit,
        "state_name": "Staten genom Försäkringskassan",
        "region_name": "Region Västerbotten",
        "kommun_0_name": "Skellefteå kommun",
        "kommun_0_share": "41 500",
        "kommun_1_name": "Norsjö kommun",
        "kommun_1_share": "2 100",
    }
    data.update(extra)
    return data


def test_service_replaces_the_shares_with_history(federation, year):
    actor = UserFactory()
    contribution_services.allocation_save(
        organisation=federation,
        actor=actor,
        fiscal_year=year,
        total=D("5814000"),
        rounding_unit=1000,
        municipalities=SEED_SHARES,
    )
    allocation = contribution_services.allocation_save(
        organisation=federation,
        actor=actor,
        fiscal_year=year,
        total=D("6000000"),
        rounding_unit=1,
        municipalities=SEED_SHARES[:1],
    )
    assert ContributionAllocation.objects.get().total == D("6000000")
    assert list(allocation.municipalities.values_list("name", flat=True)) == ["Skellefteå kommun"]
    assert allocation.history.latest().history_user == actor
    assert ContributionMunicipality.history.filter(history_type="-").count() == 2


def test_service_refuses_another_organisations_year_and_uneven_total(federation, year):
    other_year = FiscalYearFactory()
    with pytest.raises(Exception, match="hör inte till"):
        contribution_services.allocation_save(
            organisation=federation,
            actor=UserFactory(),
            fiscal_year=other_year,
            total=D(100),
            rounding_unit=1,
            municipalities=[],
        )
    with pytest.raises(Exception, match="delbara"):
        contribution_services.allocation_save(
            organisation=federation,
            actor=UserFactory(),
            fiscal_year=year,
            total=D(1500),
            rounding_unit=1000,
            municipalities=[],
        )


def test_ekonom_enters_the_allocation_and_sees_the_split(client_for, federation, year):
    client = client_for(federation, Role.ECONOMIST)
    page = client.get(reverse("finance:contribution_list"))
    assert reverse("finance:contribution_detail", args=[year.pk]) in page.content.decode()
    response = client.post(reverse("finance:contribution_detail", args=[year.pk]), _post(), follow=True)
    text = text_of(response)
    assert "Medlemsbidragen för 2019 är sparade" in text
    for figure in ("2 907 000 kr", "1 454 000 kr", "1 383 000 kr", "70 000 kr"):
        assert figure in text
    assert re.search(r'data-testid="contribution-total">5 814 000 kr<', text)
    export = client.get(reverse("finance:contribution_export", args=[year.pk]))
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "Summa" and D(str(rows[-1][2])) == D("5814000")


def test_errors_keep_typed_input_and_name_the_field(client_for, federation, year):
    client = client_for(federation, Role.ECONOMIST)
    response = client.post(
        reverse("finance:contribution_detail", args=[year.pk]), _post(total="fem miljoner", kommun_1_share="")
    )
    text = text_of(response)
    assert "Tilldelade medel totalt (kr): ”fem miljoner” är inget tal" in text
    assert "Andel för kommun 2: ange Norsjö kommuns andel" in text
    assert 'value="fem miljoner"' in text
    assert not ContributionAllocation.objects.exists()


def test_revisor_reads_but_cannot_change(client_for, federation, year):
    contribution_services.allocation_save(
        organisation=federation,
        actor=UserFactory(),
        fiscal_year=year,
        total=D("5814000"),
        rounding_unit=1000,
        municipalities=SEED_SHARES,
    )
    client = client_for(federation, Role.AUDITOR)
    page = client.get(reverse("finance:contribution_detail", args=[year.pk]))
    assert page.status_code == 200 and "1 383 000" in text_of(page) and "Spara och räkna" not in text_of(page)
    assert client.post(reverse("finance:contribution_detail", args=[year.pk]), _post(total="1")).status_code == 403
    assert ContributionAllocation.objects.get().total == D("5814000")


def test_another_organisations_year_is_404(client_for, federation):
    other = FiscalYearFactory()
    client = client_for(federation, Role.ECONOMIST)
    assert client.get(reverse("finance:contribution_detail", args=[other.pk])).status_code == 404


def test_percentage_shares_show_as_typed(client_for, federation, year):
    client = client_for(federation, Role.ECONOMIST)
    data = _post(total="100 000", unit=1, kommun_0_share="95,18", kommun_1_share="4,82")
    text = text_of(client.post(reverse("finance:contribution_detail", args=[year.pk]), data, follow=True))
    assert "Andel 95,18 av kommunernas fjärdedel" in text and "Andel 4,82 av" in text
    assert "23 795 kr" in text and "1 205 kr" in text  # 25 000 × 95,18 % = 23 795, 25 000 × 4,82 % = 1 205
