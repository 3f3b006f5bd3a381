"""Organisation scoping over every URL that takes an id: another organisation's object is always a 404."""

import pytest
from django.urls import reverse

from core.models import Role

from .url_catalogue import OBJECT_BUILDERS, PUBLIC_ROUTES, walk

ID_ROUTES = sorted(
    (route for route in walk() if route.takes_id and route.name not in PUBLIC_ROUTES), key=lambda route: route.name
)


def test_every_url_with_an_id_has_a_scoping_case():
    missing = [route.name for route in ID_ROUTES if route.name not in OBJECT_BUILDERS]
    assert not missing, f"Lägg till en byggare i tests/platform/url_catalogue.py för: {', '.join(missing)}"
    assert len(ID_ROUTES) >= 10


@pytest.mark.django_db
@pytest.mark.parametrize("route", ID_ROUTES, ids=lambda route: route.name)
def test_object_of_another_organisation_is_404(route, client_for, organisation, other_organisation):
    kwargs = OBJECT_BUILDERS[route.name](other_organisation)
    url = reverse(route.name, kwargs=kwargs)

    # The owner's administrator reaches it, so the 404 below is the scoping and not a broken URL.
    owner_get = client_for(other_organisation, Role.ADMIN).get(url).status_code
    assert owner_get in {200, 405}, url

    # An administrator elsewhere holds every permission, so only the scoping stands between them and the object.
    outsider = client_for(organisation, Role.ADMIN)
    assert outsider.get(url).status_code == (405 if owner_get == 405 else 404), f"GET {url}"
    assert outsider.post(url, {}).status_code in {404, 405}, f"POST {url}"

    # Other roles are stopped by their permissions first (403) or by the scoping (404); never answered.
    for role in sorted(set(Role.values) - {Role.ADMIN}):
        client = client_for(organisation, role)
        assert client.get(url).status_code in {403, 404, 405}, f"GET {url} som {role}"
        assert client.post(url, {}).status_code in {403, 404, 405}, f"POST {url} som {role}"
