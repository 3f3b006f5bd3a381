"""Factories for finance tests."""

import datetime as dt

import factory

from finance.models import Account, AccountKind, FiscalYear
from tests.factories import OrganisationFactory


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear

    organisation = factory.SubFactory(OrganisationFactory)
    start = dt.date(2019, 1, 1)
    end = dt.date(2019, 12, 31)


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"{4000 + n}")
    name = factory.Sequence(lambda n: f"Konto {n}")
    kind = AccountKind.EXPENSE
