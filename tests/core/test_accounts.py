import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from core import views
from core.models import Role
from core.user_services import invitation_url
from tests.factories import UserFactory, user_with_role

PASSWORD = "demo-lösenord-123"
LOGIN = "/konto/logga-in/"


@pytest.fixture
def member(organisation):
    return user_with_role(organisation, Role.SECRETARY, username="sara", email="sara@example.se")


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.django_db
def test_login_page_is_swedish_and_accessible(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert ">Logga in</h1>" in content
    assert 'for="id_username"' in content and "Användarnamn" in content
    assert 'for="id_password"' in content and "Lösenord" in content
    assert 'autocomplete="username"' in content
    assert 'autocomplete="current-password"' in content
    assert '<button type="submit" class="btn btn-primary w-100">Logga in</button>' in content
    assert f'href="{reverse("password_reset")}">Glömt lösenordet?</a>' in content
    assert 'style="' not in content  # CSP: no inline styles


@pytest.mark.django_db
def test_login_lands_on_the_dashboard(client, member):
    response = _login(client, "sara", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")
    assert client.get(response.url).status_code == 200
    assert client.session[SESSION_KEY] == str(member.pk)


@pytest.mark.django_db
def test_login_follows_next(client, member):
    response = client.post(LOGIN, {"username": "sara", "password": PASSWORD, "next": "/organisation/"})
    assert response.url == "/organisation/"


@pytest.mark.django_db
def test_login_form_posts_back_to_its_own_page(client):
    # The login form posts to the page it is on, so /konto/logga-in/ is always answered with our LoginForm.
    assert '<form method="post" novalidate>' in client.get(LOGIN).content.decode()


@pytest.mark.django_db
def test_wrong_password_is_explained_and_tied_to_the_fields(client, member):
    response = _login(client, "sara", "fel-lösenord")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Fel användarnamn eller lösenord." in content
    assert 'id="login-error"' in content
    assert content.count('aria-describedby="login-error"') == 2
    assert 'value="sara"' in content  # the username is kept
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_inactive_account_cannot_log_in(client, member):
    member.is_active = False
    member.save()
    response = _login(client, "sara", PASSWORD)
    assert SESSION_KEY not in client.session
    assert response.status_code == 200


@pytest.mark.django_db
def test_axes_locks_out_after_the_failure_limit(client, member):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _login(client, "sara", "fel").status_code == 200
    response = _login(client, "sara", "fel")
    assert response.status_code == 429
    content = response.content.decode()
    assert "För många inloggningsförsök" in content
    assert f"efter {limit} misslyckade försök" in content
    assert "Försök igen om 1 timme." in content
    # Even the right password is refused while locked out.
    response = _login(client, "sara", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_logout_is_post_only(client, member):
    client.force_login(member)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert SESSION_KEY not in client.session


def _link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/konto/nytt-losenord/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _choose_password(client, link, password):
    response = client.get(link)
    assert response.status_code == 302  # Django moves the token into the session
    form_url = response.url
    page = client.get(form_url).content.decode()
    assert ">Välj lösenord</h1>" in page
    assert 'autocomplete="new-password"' in page
    return client.post(form_url, {"new_password1": password, "new_password2": password})


@pytest.mark.django_db
def test_password_reset_mail_and_link(client, member):
    response = client.post(reverse("password_reset"), {"email": "sara@example.se"})
    assert response.status_code == 302
    assert "Kolla din e-post" in client.get(response.url).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sara@example.se"]
    assert message.subject == "Välj nytt lösenord i Paragraf"
    assert "Ditt användarnamn är: sara" in message.body

    response = _choose_password(client, _link_in(message), "Ett-nytt-lösenord-2024")
    assert response.status_code == 302
    assert "Lösenordet är sparat" in client.get(response.url).content.decode()
    member.refresh_from_db()
    assert member.check_password("Ett-nytt-lösenord-2024")
    # The link works once only.
    assert "Länken fungerar inte" in client.get(_link_in(message), follow=True).content.decode()


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, member):
    response = client.post(reverse("password_reset"), {"email": "okand@example.se"}, follow=True)
    assert "Kolla din e-post" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_weak_new_password_is_refused_in_swedish(client, member):
    client.post(reverse("password_reset"), {"email": "sara@example.se"})
    response = _choose_password(client, _link_in(mail.outbox[0]), "12345")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Lösenordet sparades inte." in content
    assert "aria-invalid" in content


@pytest.mark.django_db
def test_invitation_link_lets_a_new_user_choose_a_password(client, organisation):
    invited = user_with_role(organisation, Role.MEMBER, username="ny")
    invited.set_unusable_password()
    invited.save()
    path = invitation_url(invited).split("://", 1)[1].split("/", 1)[1]
    response = _choose_password(client, "/" + path, "Mitt-första-lösenord-1")
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password("Mitt-första-lösenord-1")


@pytest.mark.django_db
def test_password_change(client, member):
    client.force_login(member)
    page = client.get(reverse("password_change")).content.decode()
    assert ">Byt lösenord</h1>" in page
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Helt-annat-lösen-99", "new_password2": "Helt-annat-lösen-99"},
    )
    assert response.status_code == 302
    assert "Lösenordet är bytt" in client.get(response.url).content.decode()
    member.refresh_from_db()
    assert member.check_password("Helt-annat-lösen-99")


@pytest.mark.django_db
def test_password_change_needs_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Error pages --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_404_is_swedish(admin_client_org):
    response = admin_client_org.get("/finns-inte/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Sidan finns inte" in content
    assert content.count("<h1") == 1
    assert "Huvudmeny" in content  # extends base.html


@pytest.mark.django_db
def test_403_is_swedish(client_for, organisation):
    client = client_for(organisation, Role.MEMBER)
    response = client.get(reverse("core:user_list"))
    assert response.status_code == 403
    assert "Du har inte behörighet till sidan" in response.content.decode()


def test_500_needs_no_request_context_or_database():
    request = RequestFactory().get("/")  # no user, no session, no organisation
    response = views.error_500(request)
    assert response.status_code == 500
    content = response.content.decode()
    assert "Något gick fel" in content
    assert content.count("<h1") == 1


@pytest.mark.django_db
def test_500_handler_is_used_for_unhandled_errors(monkeypatch, member):
    def boom(request):
        raise RuntimeError("trasigt")

    monkeypatch.setattr("core.dashboards.dashboard_panels", boom)
    client = Client(raise_request_exception=False)
    client.force_login(member)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


@pytest.mark.django_db
def test_user_without_organisation_sees_explanation(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 403
