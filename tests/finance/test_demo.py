"""The demo ledger carries seed 003's 2019 figures and imports through the service."""

from decimal import Decimal
from io import StringIO

import pytest

from core.demo import FEDERATION
from core.models import Organisation, Role
from finance import demo, sie
from finance.models import AccountBalance, LedgerImport
from finance.selectors import fiscal_year_summary
from tests.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory


def test_the_demo_file_is_a_valid_sie_file_with_the_seeds_figures():
    parsed = sie.parse(demo.sie_file("222000-2642"))
    assert parsed.errors == [] and parsed.encoding == "cp437"
    result = parsed.balances("RES")
    income = sum(v for k, v in result.items() if k[0] == "3")
    costs = sum(v for k, v in result.items() if k[0] in "45678")
    assert (income, costs) == (Decimal("-5840200"), Decimal("5925479"))
    assert -(income + costs) == Decimal("-85279")
    closing = parsed.balances("UB")
    assert closing["1930"] == Decimal("2007133")
    assert closing["1510"] + closing["1650"] == Decimal("1022483")
    # Eget kapital at the end: opening plus the year's result.
    assert -(closing["2010"]) + (-(income + costs)) == Decimal("1665738")


@pytest.mark.django_db
def test_seed_finance_imports_once():
    federation = OrganisationFactory(name=FEDERATION, kind=Organisation.Kind.FEDERATION)
    RoleAssignmentFactory(user=UserFactory(username="ekonom"), organisation=federation, role=Role.ECONOMIST)
    demo.seed_finance(stdout=StringIO())
    demo.seed_finance(stdout=StringIO())
    job = LedgerImport.objects.get()
    assert job.status == LedgerImport.Status.DONE
    summary = fiscal_year_summary(organisation=federation, fiscal_year=job.fiscal_year)
    assert summary.result == Decimal("-85279")
    assert AccountBalance.objects.get(account__code="1930", kind="closing").amount == Decimal("2007133")


@pytest.mark.django_db
def test_seed_finance_reproduces_seed_003s_medlemsbidrag_and_eget_kapital():
    from finance.contribution_selectors import allocation_for, split
    from finance.equity_selectors import current_equity

    federation = OrganisationFactory(name=FEDERATION, kind=Organisation.Kind.FEDERATION)
    RoleAssignmentFactory(user=UserFactory(username="ekonom"), organisation=federation, role=Role.ECONOMIST)
    demo.seed_finance(stdout=StringIO())
    demo.seed_finance(stdout=StringIO())
    year = LedgerImport.objects.get().fiscal_year
    parts = split(allocation_for(fiscal_year=year))
    assert [p.amount for p in parts] == [Decimal("2907000"), Decimal("1454000"), Decimal("1383000"), Decimal("70000")]
    assert sum(p.amount for p in parts) == Decimal("5814000")
    row = current_equity(organisation=federation)
    assert (row.opening, row.result, row.closing) == (Decimal("1751017"), Decimal("-85279"), Decimal("1665738"))
