import pytest
from django.urls import reverse

from core.models import Organisation, Role

URL = "core:organisation_edit"


def _post_data(organisation, **changes):
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "org_number": organisation.org_number,
        "street_address": organisation.street_address,
        "postal_code": organisation.postal_code,
        "city": organisation.city,
        "email": organisation.email,
        "website": organisation.website,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_edit_page_renders_with_labels_and_autocomplete(admin_client_org):
    content = admin_client_org.get(reverse(URL)).content.decode()
    assert content.count("<h1") == 1
    assert 'for="id_org_number"' in content
    assert 'autocomplete="postal-code"' in content


@pytest.mark.django_db
def test_bad_org_number_keeps_input_and_saves_nothing(admin_client_org, organisation):
    before = Organisation.objects.get(pk=organisation.pk)
    history_rows = organisation.history.count()
    response = admin_client_org.post(
        reverse(URL), _post_data(organisation, name="Nytt namn på kommunen", org_number="212000-1968")
    )
    assert response.status_code == 200
    content = response.content.decode()
    message = "Organisationsnumret ”212000-1968” har fel kontrollsiffra (sista siffran ska vara 7)."
    assert message in content
    assert 'aria-describedby="id_org_number_helptext id_org_number_error"' in content
    # What was typed is still in the form ...
    assert 'value="212000-1968"' in content
    assert 'value="Nytt namn på kommunen"' in content
    # ... while the page header still shows the saved name, and nothing changed in the database.
    assert f'data-testid="current-organisation">{before.name}<' in content
    after = Organisation.objects.get(pk=organisation.pk)
    assert (after.name, after.org_number) == (before.name, before.org_number)
    assert organisation.history.count() == history_rows


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "fragment"),
    [("2120-001967", "har fel form"), ("191212-1212", "den tredje siffran ska vara 2 eller högre")],
)
def test_other_org_number_errors_are_swedish(admin_client_org, organisation, value, fragment):
    response = admin_client_org.post(reverse(URL), _post_data(organisation, org_number=value))
    assert fragment in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.org_number != value


@pytest.mark.django_db
def test_valid_edit_is_saved_with_the_actor_in_the_history(admin_client_org, organisation):
    response = admin_client_org.post(
        reverse(URL), _post_data(organisation, name="Ljusnarsbergs kommun (ny)", org_number="2120001967")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Ljusnarsbergs kommun (ny)"
    assert organisation.org_number == "212000-1967"
    latest = organisation.history.first()
    assert latest.history_user == admin_client_org.user


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER, Role.SECRETARY, Role.ECONOMIST, Role.DIRECTOR])
def test_only_admins_may_edit(client_for, organisation, role):
    client = client_for(organisation, role)
    assert client.get(reverse(URL)).status_code == 403
    response = client.post(reverse(URL), _post_data(organisation, name="Kapad"))
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name != "Kapad"
