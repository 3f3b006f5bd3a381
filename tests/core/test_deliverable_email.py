"""E-mail addresses must be deliverable: å, ä, ö before the @ are refused with a Swedish message."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from core.demo import demo_email
from core.forms import OrganisationForm, UserCreateForm
from core.models import Organisation, Person
from core.validators import DELIVERABLE_EMAIL_MESSAGE, validate_deliverable_email
from meetings.models import NoticeRecipient
from tests.factories import OrganisationFactory, PersonFactory


@pytest.mark.parametrize("address", ["johan.ängelsberg@example.se", "åsa lund@kommun.se", "örjan@kommun.se"])
def test_non_ascii_or_spaced_local_part_is_refused(address):
    with pytest.raises(ValidationError) as excinfo:
        validate_deliverable_email(address)
    assert excinfo.value.messages == [DELIVERABLE_EMAIL_MESSAGE]
    assert "å, ä, ö" in DELIVERABLE_EMAIL_MESSAGE


def test_plain_address_passes():
    validate_deliverable_email("johan.angelsberg@example.se")


@pytest.mark.django_db
def test_person_and_organisation_refuse_it_on_full_clean():
    person = PersonFactory(email="göran.bergslagh@example.se")
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert excinfo.value.message_dict["email"] == [DELIVERABLE_EMAIL_MESSAGE]
    organisation = OrganisationFactory(email="kansliet@example.se")
    organisation.email = "kansli@kommunförbund.se"
    organisation.full_clean()  # only the part before @ matters
    organisation.email = "förvaltning@example.se"
    with pytest.raises(ValidationError):
        organisation.full_clean()


@pytest.mark.django_db
def test_user_and_organisation_forms_name_the_field_and_keep_the_input():
    form = UserCreateForm(
        {"username": "asa", "first_name": "Åsa", "last_name": "Lund", "email": "åsa@kommun.se", "roles": ["member"]}
    )
    assert not form.is_valid()
    assert form.errors["email"] == [DELIVERABLE_EMAIL_MESSAGE]
    assert form["email"].value() == "åsa@kommun.se"
    organisation = OrganisationFactory()
    data = {"name": organisation.name, "kind": organisation.kind, "org_number": organisation.org_number}
    form = OrganisationForm({**data, "email": "kansli@kommun.se", "slug": ""}, instance=organisation)
    assert form.is_valid(), form.errors
    form = OrganisationForm({**data, "email": "förvaltning@kommun.se"}, instance=organisation)
    assert form.errors["email"] == [DELIVERABLE_EMAIL_MESSAGE]


def test_demo_addresses_write_swedish_letters_plainly():
    assert demo_email("Johan", "Ängelsberg") == "johan.angelsberg@example.se"
    assert demo_email("Göran", "Bergslagh") == "goran.bergslagh@example.se"


@pytest.mark.django_db
def test_seed_demo_gives_only_deliverable_addresses_and_repairs_old_ones():
    call_command("seed_demo", verbosity=0)
    person = Person.objects.get(first_name="Johan", last_name="Ängelsberg")
    Person.objects.filter(pk=person.pk).update(email="johan.ängelsberg@example.se")  # seeded by an older version
    call_command("seed_demo", verbosity=0)
    for address in [
        *Person.objects.values_list("email", flat=True),
        *NoticeRecipient.objects.values_list("email", flat=True),
        *Organisation.objects.values_list("email", flat=True),
    ]:
        if address:
            validate_deliverable_email(address)
    assert Person.objects.get(pk=person.pk).email == "johan.angelsberg@example.se"
