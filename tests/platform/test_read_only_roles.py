"""Revisor and ledamot read only: no URL of the project lets them change domain data."""

import pytest
from django.apps import apps
from django.urls import reverse

from core.models import Role

from .url_catalogue import OBJECT_BUILDERS, OTHER_PARAMS, walk

# What a read-only user may still post: their own session and password, and documents (reads, not changes).
ALLOWED_POSTS = {
    "login",
    "logout",
    "password_change",
    "password_reset",
    "password_reset_confirm",
    "totp_settings",  # their own second factor
    "invitation_accept",  # accepting an invitation to their own login
    "core:switch_organisation",
    "core:session",  # "Fortsätt vara inloggad": their own session
    "reporting:job_request",
}
ROUTES = sorted((route for route in walk() if route.name not in ALLOWED_POSTS), key=lambda route: route.name)


def domain_row_counts() -> dict[str, int]:
    """Rows of every audited model and of every history table: a change anywhere shows up here."""
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {"core", "meetings", "projects", "finance"}:
            counts[model._meta.label] = model._base_manager.count()
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
def test_read_only_roles_cannot_change_anything(role, client_for, organisation):
    client = client_for(organisation, role)
    targets = []
    for route in ROUTES:
        if route.name in OBJECT_BUILDERS:
            kwargs = OBJECT_BUILDERS[route.name](organisation)
        else:
            kwargs = OTHER_PARAMS.get(route.name, {})
        targets.append((route.name, reverse(route.name, kwargs=kwargs)))
    before = domain_row_counts()
    user_state = (client.user.is_active, client.user.email, client.user.password)

    refused = []
    for name, url in targets:
        status = client.post(url, {"name": "Ändrat", "roles": [Role.ADMIN], "org_number": "212000-1967"}).status_code
        if status not in {403, 405}:
            refused.append(f"{name} ({url}) svarade {status}")
    assert not refused, "Skrivskyddad roll fick posta till:\n" + "\n".join(refused)
    assert domain_row_counts() == before
    client.user.refresh_from_db()
    assert (client.user.is_active, client.user.email, client.user.password) == user_state


@pytest.mark.django_db
def test_allowed_posts_are_only_session_password_and_documents():
    names = {route.name for route in walk()}
    assert names >= ALLOWED_POSTS, ALLOWED_POSTS - names
