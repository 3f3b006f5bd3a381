import re

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Role, RoleAssignment, User
from core.tenancy import SESSION_KEY
from core.user_services import LAST_ADMIN, SHARED_ACCOUNT, USERNAME_TAKEN
from tests.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory, user_with_role

ID_URLS = [
    "core:user_detail",
    "core:user_edit",
    "core:user_remove",
    "core:user_deactivate",
    "core:user_activate",
    "core:user_invitation_resend",
]


def _roles(user, organisation):
    return set(RoleAssignment.objects.filter(user=user, organisation=organisation).values_list("role", flat=True))


def _checked(content: str, role: str) -> bool:
    return re.search(rf'value="{role!s}"\s+id="id_roles_\d"[^>]*\schecked', content) is not None


def _work_in(client, organisation) -> None:
    session = client.session
    session[SESSION_KEY] = organisation.pk
    session.save()


def _create_data(**changes):
    data = {
        "username": "nyanvandare",
        "first_name": "Nora",
        "last_name": "Nyström",
        "email": "nora@example.se",
        "roles": [Role.SECRETARY, Role.ECONOMIST],
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_list_shows_the_organisations_users_with_roles_and_status(admin_client_org, organisation, other_organisation):
    secretary = user_with_role(organisation, Role.SECRETARY, first_name="Sara", last_name="Skrivare")
    RoleAssignmentFactory(user=secretary, organisation=organisation, role=Role.MEMBER)
    stranger = user_with_role(other_organisation, Role.ADMIN, first_name="Olle", last_name="Främling")
    inactive = user_with_role(organisation, Role.AUDITOR, first_name="Rune", last_name="Vilande", is_active=False)

    response = admin_client_org.get(reverse("core:user_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Sara Skrivare" in content
    assert "Nämndsekreterare, Ledamot" in content  # role order, not alphabetical
    assert "Rune Vilande" in content and "Inaktiverad" in content
    assert str(stranger) not in content
    assert {u.pk for u in response.context["users"]} == {admin_client_org.user.pk, secretary.pk, inactive.pk}


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_users(admin_client_org, organisation, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            user = user_with_role(organisation, Role.SECRETARY)
            RoleAssignmentFactory(user=user, organisation=organisation, role=Role.MEMBER)
            RoleAssignmentFactory(user=user, organisation=OrganisationFactory(), role=Role.MEMBER)

    add(2)
    with django_assert_max_num_queries(20) as small:
        admin_client_org.get(reverse("core:user_list"))
    add(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client_org.get(reverse("core:user_list"))


@pytest.mark.django_db
def test_admin_creates_user_who_gets_an_invitation(admin_client_org, organisation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_org.post(reverse("core:user_create"), _create_data())
    user = User.objects.get(username="nyanvandare")
    assert response.status_code == 302
    assert response.url == reverse("core:user_detail", args=[user.pk])
    assert (user.first_name, user.last_name, user.email) == ("Nora", "Nyström", "nora@example.se")
    assert not user.has_usable_password()
    assert _roles(user, organisation) == {Role.SECRETARY, Role.ECONOMIST}

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nora@example.se"]
    assert organisation.name in message.subject
    assert "Ditt användarnamn är: nyanvandare" in message.body
    assert "/konto/nytt-losenord/" in message.body

    detail = admin_client_org.get(response.url).content.decode()
    assert "Inbjuden, har inte valt lösenord" in detail
    assert "Skicka inbjudan igen" in detail


@pytest.mark.django_db
def test_create_form_is_accessible(admin_client_org):
    content = admin_client_org.get(reverse("core:user_create")).content.decode()
    assert content.count("<h1") == 1
    assert 'name="roles" value="admin"' in content
    assert "<legend" in content  # the role checkboxes are a labelled group
    assert 'for="id_username"' in content


@pytest.mark.django_db
def test_taken_username_is_refused_and_input_kept(admin_client_org, organisation, other_organisation):
    user_with_role(other_organisation, Role.MEMBER, username="upptagen")
    response = admin_client_org.post(reverse("core:user_create"), _create_data(username="upptagen", first_name="Ulla"))
    assert response.status_code == 200
    content = response.content.decode()
    assert USERNAME_TAKEN in content
    assert 'aria-describedby="id_username_helptext id_username_error"' in content
    assert 'value="upptagen"' in content and 'value="Ulla"' in content
    assert _checked(content, Role.SECRETARY)
    assert mail.outbox == []
    assert not User.objects.filter(first_name="Ulla").exists()


@pytest.mark.django_db
def test_create_needs_a_role(admin_client_org):
    response = admin_client_org.post(reverse("core:user_create"), _create_data(roles=[]))
    assert response.status_code == 200
    assert "Välj minst en roll." in response.content.decode()
    assert not User.objects.filter(username="nyanvandare").exists()


@pytest.mark.django_db
def test_admin_adds_an_account_they_administer_elsewhere(admin_client_org, organisation, other_organisation):
    admin = admin_client_org.user
    RoleAssignmentFactory(user=admin, organisation=other_organisation, role=Role.ADMIN)
    _work_in(admin_client_org, organisation)
    colleague = user_with_role(other_organisation, Role.ECONOMIST, first_name="Elin")
    unrelated = user_with_role(OrganisationFactory(), Role.ECONOMIST, first_name="Okänd")

    page = admin_client_org.get(reverse("core:user_add_existing"))
    choices = {u.pk for u in page.context["form"].fields["user"].queryset}
    assert choices == {colleague.pk}

    refused = admin_client_org.post(
        reverse("core:user_add_existing"), {"user": unrelated.pk, "roles": [Role.ECONOMIST]}
    )
    assert "Välj en användare i listan." in refused.content.decode()
    assert _roles(unrelated, organisation) == set()

    response = admin_client_org.post(
        reverse("core:user_add_existing"), {"user": colleague.pk, "roles": [Role.ECONOMIST]}
    )
    assert response.status_code == 302
    assert _roles(colleague, organisation) == {Role.ECONOMIST}


@pytest.mark.django_db
def test_edit_roles_and_name(admin_client_org, organisation):
    user = user_with_role(organisation, Role.SECRETARY, first_name="Sara")
    response = admin_client_org.post(
        reverse("core:user_edit", args=[user.pk]),
        {"first_name": "Sanna", "last_name": user.last_name, "email": "sanna@example.se", "roles": [Role.AUDITOR]},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.email) == ("Sanna", "sanna@example.se")
    assert _roles(user, organisation) == {Role.AUDITOR}
    assert user.history.first().history_user == admin_client_org.user


@pytest.mark.django_db
def test_shared_account_name_is_not_editable(admin_client_org, organisation, other_organisation):
    shared = user_with_role(organisation, Role.SECRETARY, first_name="Delad", last_name="Person")
    RoleAssignmentFactory(user=shared, organisation=other_organisation, role=Role.ADMIN)
    url = reverse("core:user_edit", args=[shared.pk])

    page = admin_client_org.get(url).content.decode()
    assert "Namn och e-post kan inte ändras här." in page
    assert SHARED_ACCOUNT in page
    for name in ("first_name", "last_name", "email"):
        assert re.search(rf'<input type="\w+" name="{name}" [^>]* disabled id="id_{name}">', page), name
    assert 'value="Delad"' in page
    assert _checked(page, Role.SECRETARY)

    response = admin_client_org.post(
        url, {"first_name": "Kapad", "last_name": "Kapad", "email": "kapad@example.se", "roles": [Role.MEMBER]}
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert (shared.first_name, shared.last_name) == ("Delad", "Person")
    assert shared.email != "kapad@example.se"
    assert _roles(shared, organisation) == {Role.MEMBER}
    assert _roles(shared, other_organisation) == {Role.ADMIN}


@pytest.mark.django_db
def test_shared_account_cannot_be_deactivated_here(admin_client_org, organisation, other_organisation):
    shared = user_with_role(organisation, Role.SECRETARY)
    RoleAssignmentFactory(user=shared, organisation=other_organisation, role=Role.MEMBER)
    url = reverse("core:user_deactivate", args=[shared.pk])
    assert SHARED_ACCOUNT in admin_client_org.get(url).content.decode()
    response = admin_client_org.post(url)
    assert SHARED_ACCOUNT in response.content.decode()
    shared.refresh_from_db()
    assert shared.is_active


@pytest.mark.django_db
def test_last_admin_cannot_be_removed(admin_client_org, organisation):
    admin = admin_client_org.user
    url = reverse("core:user_remove", args=[admin.pk])
    page = admin_client_org.get(url).content.decode()
    assert "Det här är ditt eget konto." in page
    response = admin_client_org.post(url)
    assert response.status_code == 200
    assert LAST_ADMIN in response.content.decode()
    assert _roles(admin, organisation) == {Role.ADMIN}


@pytest.mark.django_db
def test_last_admin_cannot_be_demoted_and_the_form_keeps_input(admin_client_org, organisation):
    admin = admin_client_org.user
    response = admin_client_org.post(
        reverse("core:user_edit", args=[admin.pk]),
        {"first_name": "Nytt", "last_name": admin.last_name, "email": admin.email, "roles": [Role.SECRETARY]},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert LAST_ADMIN in content
    assert 'value="Nytt"' in content
    assert _checked(content, Role.SECRETARY)
    admin.refresh_from_db()
    assert ">Ändra Nytt" not in content  # the heading shows the saved name
    assert 'href="#div_id_roles"' in content
    assert 'aria-describedby="id_roles_helptext id_roles_error"' in content
    admin.refresh_from_db()
    assert admin.first_name != "Nytt"  # the whole change is rolled back
    assert _roles(admin, organisation) == {Role.ADMIN}


@pytest.mark.django_db
def test_admin_who_hands_over_can_step_down(admin_client_org, organisation):
    admin = admin_client_org.user
    user_with_role(organisation, Role.ADMIN)
    response = admin_client_org.post(
        reverse("core:user_edit", args=[admin.pk]),
        {"first_name": admin.first_name, "last_name": admin.last_name, "email": admin.email, "roles": [Role.MEMBER]},
    )
    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")  # no longer allowed on the user pages
    assert _roles(admin, organisation) == {Role.MEMBER}


@pytest.mark.django_db
def test_remove_from_organisation(admin_client_org, organisation, other_organisation):
    user = user_with_role(organisation, Role.SECRETARY)
    RoleAssignmentFactory(user=user, organisation=other_organisation, role=Role.MEMBER)
    url = reverse("core:user_remove", args=[user.pk])
    assert "Ja, ta bort från organisationen" in admin_client_org.get(url).content.decode()
    assert _roles(user, organisation) == {Role.SECRETARY}  # GET changes nothing
    response = admin_client_org.post(url)
    assert response.status_code == 302
    assert response.url == reverse("core:user_list")
    assert _roles(user, organisation) == set()
    assert _roles(user, other_organisation) == {Role.MEMBER}
    # Now the user is no longer in the organisation: 404.
    assert admin_client_org.get(reverse("core:user_detail", args=[user.pk])).status_code == 404


@pytest.mark.django_db
def test_deactivate_and_activate(admin_client_org, organisation):
    user = user_with_role(organisation, Role.SECRETARY)
    deactivate = reverse("core:user_deactivate", args=[user.pk])
    assert "Ja, inaktivera kontot" in admin_client_org.get(deactivate).content.decode()
    user.refresh_from_db()
    assert user.is_active
    assert admin_client_org.post(deactivate).status_code == 302
    user.refresh_from_db()
    assert not user.is_active

    activate = reverse("core:user_activate", args=[user.pk])
    assert admin_client_org.get(activate).status_code == 405  # state changes are POST only
    assert admin_client_org.post(activate).status_code == 302
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.django_db
def test_admin_cannot_deactivate_themselves(admin_client_org):
    admin = admin_client_org.user
    response = admin_client_org.post(reverse("core:user_deactivate", args=[admin.pk]))
    assert "Du kan inte inaktivera ditt eget konto." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


@pytest.mark.django_db
def test_resend_invitation(admin_client_org, organisation):
    invited = user_with_role(organisation, Role.MEMBER, email="ina@example.se")
    invited.set_unusable_password()
    invited.save()
    url = reverse("core:user_invitation_resend", args=[invited.pk])
    assert admin_client_org.get(url).status_code == 405
    response = admin_client_org.post(url, follow=True)
    assert "En ny inbjudan har skickats till ina@example.se." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["ina@example.se"]]


@pytest.mark.django_db
def test_resend_invitation_refused_when_a_password_is_set(admin_client_org, organisation):
    user = user_with_role(organisation, Role.MEMBER)
    response = admin_client_org.post(reverse("core:user_invitation_resend", args=[user.pk]), follow=True)
    assert "Användaren har redan valt ett lösenord." in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ID_URLS)
def test_another_organisations_user_is_404_on_every_user_url(admin_client_org, other_organisation, name):
    stranger = user_with_role(other_organisation, Role.SECRETARY, first_name="Främling")
    stranger.set_unusable_password()
    stranger.save()
    url = reverse(name, args=[stranger.pk])
    get = admin_client_org.get(url)
    assert get.status_code in {404, 405}
    response = admin_client_org.post(
        url, {"first_name": "X", "last_name": "Y", "email": "x@example.se", "roles": [Role.ADMIN]}
    )
    assert response.status_code in {404, 405}  # 405: a read-only page refuses POST before any lookup
    stranger.refresh_from_db()
    assert stranger.first_name == "Främling"
    assert stranger.is_active
    assert _roles(stranger, other_organisation) == {Role.SECRETARY}
    assert mail.outbox == []


@pytest.mark.django_db
def test_unknown_user_id_is_404(admin_client_org):
    assert admin_client_org.get(reverse("core:user_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SECRETARY, Role.DIRECTOR, Role.ECONOMIST, Role.AUDITOR, Role.MEMBER])
def test_non_admin_roles_get_403_on_user_admin(client_for, organisation, role):
    client = client_for(organisation, role)
    target = user_with_role(organisation, Role.SECRETARY)
    for name in ["core:user_list", "core:user_create", "core:user_add_existing"]:
        assert client.get(reverse(name)).status_code == 403, name
    for name in ID_URLS:
        assert client.post(reverse(name, args=[target.pk])).status_code == 403, name
    assert client.post(reverse("core:user_create"), _create_data()).status_code == 403
    assert not User.objects.filter(username="nyanvandare").exists()
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:user_list"))
    assert response.status_code == 302
    assert "next=/anvandare/" in response.url


@pytest.mark.django_db
def test_admin_in_one_organisation_is_not_admin_in_another(client_for, organisation, other_organisation):
    client = client_for(organisation, Role.ADMIN)
    RoleAssignmentFactory(user=client.user, organisation=other_organisation, role=Role.MEMBER)
    _work_in(client, other_organisation)
    assert client.get(reverse("core:user_list")).status_code == 403


@pytest.mark.django_db
def test_user_detail_links_to_its_history(admin_client_org, organisation):
    user = UserFactory()
    RoleAssignmentFactory(user=user, organisation=organisation, role=Role.MEMBER)
    content = admin_client_org.get(reverse("core:user_detail", args=[user.pk])).content.decode()
    assert reverse("core:audit_object", args=["core", "user", user.pk]) in content
    assert "Visa ändringshistorik" in content
