import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from core.models import FederationMember, Organisation, Person, Role, RoleAssignment, User
from meetings.models import AgendaTemplateItem, Committee, Membership
from tests.factories import (
    CommitteeFactory,
    FederationMemberFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    user_with_role,
)

MODELS = [User, Organisation, FederationMember, RoleAssignment, Person, Committee, Membership, AgendaTemplateItem]


def test_every_model_is_registered_with_history():
    for model in MODELS:
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, model
        assert hasattr(model_admin, "history_view"), model  # SimpleHistoryAdmin


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_admin_pages_load(superuser_client, organisation):
    seat = MembershipFactory(committee=CommitteeFactory(organisation=organisation))
    AgendaTemplateItem.objects.create(committee=seat.committee, position=1, title="Mötets öppnande")
    FederationMemberFactory()
    PersonFactory(organisation=organisation)
    user_with_role(organisation, Role.ADMIN)
    for model in MODELS:
        info = (model._meta.app_label, model._meta.model_name)
        obj = model._default_manager.first()
        urls = [
            reverse("admin:{}_{}_changelist".format(*info)),
            reverse("admin:{}_{}_add".format(*info)),
            reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
            reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
        ]
        for url in urls:
            assert superuser_client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_admin_is_for_staff_only(admin_client_org):
    # An administrator of an organisation is not staff: the Django admin is for the technical administrator.
    response = admin_client_org.get(reverse("admin:core_user_changelist"))
    assert response.status_code == 302
