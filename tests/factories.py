"""Shared factories. App-specific factories live beside their tests (tests/<app>/factories.py)."""

import datetime as dt
import itertools

import factory

from core.models import FederationMember, Organisation, Person, Role, RoleAssignment, User
from core.validators import luhn_check_digit
from meetings.models import Committee, Membership

_org_numbers = itertools.count(1)


def next_org_number() -> str:
    """A fresh, valid organisationsnummer (third digit 2 or higher, correct check digit)."""
    nine = f"552{next(_org_numbers):06d}"
    return f"{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    kind = Organisation.Kind.MUNICIPALITY
    org_number = factory.LazyFunction(next_org_number)
    street_address = "Storgatan 1"
    postal_code = "711 80"
    city = "Lindesberg"


class FederationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FederationMember

    federation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.FEDERATION)
    member = factory.SubFactory(OrganisationFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.se")
    password = factory.django.Password("demo-lösenord-123")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ADMIN


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Sequence(lambda n: f"Förnamn{n}")
    last_name = factory.Sequence(lambda n: f"Efternamn{n}")


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Nämnd {n}")
    short_name = factory.Sequence(lambda n: f"N{n}")
    kind = Committee.Kind.COMMITTEE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    committee = factory.SubFactory(CommitteeFactory)
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..committee.organisation"))
    role = Membership.Role.MEMBER
    # Fixed, not random: a test that reads the seats on a given day must see them every time.
    starts_on = dt.date(2019, 1, 1)


def user_with_role(organisation: Organisation, role: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignmentFactory(user=user, organisation=organisation, role=role)
    return user
