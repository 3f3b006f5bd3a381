"""Each organisation's own anslagstavla, the public protokoll (page and PDF) and "Så överklagar du"."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as global_apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.forms import OrganisationForm
from core.models import Organisation, unique_organisation_slug
from meetings import dates
from reporting.models import RenderJob
from tests.factories import OrganisationFactory
from tests.platform.builders_noticeboard import posted_minutes

pytestmark = pytest.mark.django_db

SECRET = "Hemlig Persons bistånd"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def anonymous():
    return Client()


def _secret_posting(organisation, today):
    return posted_minutes(
        organisation,
        posted_on=today,
        paragraphs=[
            {"title": "Delårsrapport", "decision_clauses": ["att godkänna delårsrapporten"], "body": "Ekonomin."},
            {"title": SECRET, "confidential": True, "decision_clauses": [f"att bevilja {SECRET}"]},
        ],
    )


def test_every_organisation_gets_a_readable_unique_slug():
    first = OrganisationFactory(name="Samordningsförbundet Skellefteå-Norsjö")
    second = OrganisationFactory(name="Samordningsförbundet Skellefteå-Norsjö")
    assert first.slug == "samordningsforbundet-skelleftea-norsjo"
    assert second.slug == "samordningsforbundet-skelleftea-norsjo-2"
    assert unique_organisation_slug("Arkiv") == "arkiv-organisation"  # never a path of the anslagstavla itself


def test_migration_fills_the_slug_of_existing_organisations():
    migration = importlib.import_module("core.migrations.0003_organisation_slug_deliverable_email")
    a = OrganisationFactory(name="Norsjö kommun")
    b = OrganisationFactory(name="Norsjö kommun")
    Organisation.objects.filter(pk=a.pk).update(slug="")
    migration.fill_slugs(global_apps, None)
    assert sorted(Organisation.objects.filter(pk__in=[a.pk, b.pk]).values_list("slug", flat=True)) == [
        "norsjo-kommun",
        "norsjo-kommun-2",
    ]


def test_administrator_form_refuses_a_reserved_slug():
    organisation = OrganisationFactory()
    data = {
        "name": organisation.name,
        "slug": "arkiv",
        "kind": organisation.kind,
        "org_number": organisation.org_number,
    }
    form = OrganisationForm(data, instance=organisation)
    assert not form.is_valid()
    assert "används redan av anslagstavlan" in form.errors["slug"][0]
    form = OrganisationForm({**data, "slug": "ljusnarsberg"}, instance=organisation)
    assert form.is_valid(), form.errors


def test_organisation_board_shows_only_its_own_anslag(organisation, other_organisation, anonymous, today):
    own = posted_minutes(organisation, posted_on=today)
    foreign = posted_minutes(other_organisation, posted_on=today)
    gone = posted_minutes(organisation, posted_on=today - dt.timedelta(days=40), taken_down_on=today - dt.timedelta(1))

    response = anonymous.get(reverse("noticeboard:organisation", args=[organisation.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{organisation.name} – anslagstavla" in html
    assert f"/anslag/{own.pk}/" in html
    assert f"/anslag/{foreign.pk}/" not in html and other_organisation.name not in html
    assert f"/anslag/{gone.pk}/" not in html
    # The dates are on the card, and the joint board links each organisation's own.
    assert own.posted_on.isoformat() in html and own.taken_down_on.isoformat() in html
    joint = anonymous.get(reverse("noticeboard:index")).content.decode()
    assert reverse("noticeboard:organisation", args=[organisation.slug]) in joint


def test_unknown_slug_is_404(anonymous):
    assert anonymous.get(reverse("noticeboard:organisation", args=["finns-inte"])).status_code == 404


def test_organisation_board_never_shows_confidential(organisation, anonymous, today):
    _secret_posting(organisation, today)
    html = anonymous.get(reverse("noticeboard:organisation", args=[organisation.slug])).content.decode()
    assert SECRET not in html


def test_anslag_says_how_to_appeal(organisation, anonymous, today):
    posting = posted_minutes(organisation, posted_on=today)
    last_day = dates.appeal_last_day(posting.posted_on)
    for url in (
        reverse("noticeboard:posting_detail", args=[posting.pk]),
        reverse("noticeboard:minutes_page", args=[posting.pk]),
    ):
        html = anonymous.get(url).content.decode()
        assert "Så överklagar du" in html, url
        assert "laglighetsprövning" in html and "förvaltningsrätten" in html
        assert f"senast {last_day.isoformat()}" in html


def test_federation_says_who_may_appeal_there(anonymous, today):
    federation = OrganisationFactory(name="Samordningsförbundet", kind=Organisation.Kind.FEDERATION)
    posting = posted_minutes(federation, posted_on=today)
    html = anonymous.get(reverse("noticeboard:posting_detail", args=[posting.pk])).content.decode()
    assert "förbundets medlemmar" in html


def test_public_protokoll_page_masks_confidential(organisation, anonymous, today):
    posting = _secret_posting(organisation, today)
    response = anonymous.get(reverse("noticeboard:minutes_page", args=[posting.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "§\xa01 Delårsrapport" in html and "Ekonomin." in html and "att godkänna delårsrapporten" in html
    assert "Paragrafen omfattas av sekretess" in html
    assert SECRET not in html
    assert reverse("noticeboard:minutes_pdf", args=[posting.pk]) in html


def test_protokoll_page_of_a_future_anslag_is_404(organisation, anonymous, today):
    posting = posted_minutes(organisation, posted_on=today + dt.timedelta(days=1))
    assert anonymous.get(reverse("noticeboard:minutes_page", args=[posting.pk])).status_code == 404
    assert anonymous.get(reverse("noticeboard:minutes_pdf", args=[posting.pk])).status_code == 404


def test_protokoll_page_queries_do_not_grow(organisation, anonymous, today, django_assert_max_num_queries):
    small = posted_minutes(organisation, posted_on=today, paragraphs=[{}])
    large = posted_minutes(organisation, posted_on=today, paragraphs=[{} for _ in range(15)])
    with django_assert_max_num_queries(30) as few:
        anonymous.get(reverse("noticeboard:minutes_page", args=[small.pk]))
    with django_assert_max_num_queries(len(few)):
        anonymous.get(reverse("noticeboard:minutes_page", args=[large.pk]))


def test_public_pdf_is_made_once_and_served_without_sekretess(
    organisation, anonymous, today, django_capture_on_commit_callbacks
):
    posting = _secret_posting(organisation, today)
    url = reverse("noticeboard:minutes_pdf", args=[posting.pk])
    # The first visitor asks for it (in production the request is sent at once; here when the test commits).
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymous.get(url).status_code == 202
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    jobs = RenderJob.objects.filter(kind="meetings.minutes_public", params__minutes=posting.minutes_id)
    assert jobs.count() == 1 and jobs.get().status == RenderJob.Status.DONE
    # The next visitor gets the same file; nothing is made again.
    assert anonymous.get(url).status_code == 200
    assert jobs.count() == 1


def test_public_pdf_while_it_is_being_made(organisation, anonymous, today):
    posting = posted_minutes(organisation, posted_on=today)
    # Inside the test's transaction the request is not sent: the visitor is asked to come back.
    response = anonymous.get(reverse("noticeboard:minutes_pdf", args=[posting.pk]))
    assert response.status_code == 202
    assert response["Retry-After"] == "30"
    assert "håller på att skapas" in response.content.decode()


def test_a_failed_public_pdf_is_not_asked_for_on_every_visit(
    organisation, anonymous, today, django_capture_on_commit_callbacks
):
    posting = posted_minutes(organisation, posted_on=today)
    RenderJob.objects.create(
        organisation=organisation,
        kind="meetings.minutes_public",
        title="Protokoll (offentlig version)",
        filename="protokoll.pdf",
        params={"minutes": posting.minutes_id},
        status=RenderJob.Status.FAILED,
        error="Något gick fel",
    )
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert anonymous.get(reverse("noticeboard:minutes_pdf", args=[posting.pk])).status_code == 202
    assert RenderJob.objects.filter(params__minutes=posting.minutes_id).count() == 1


def test_a_rattelse_makes_the_public_pdf_again_with_the_rattelse(
    organisation, anonymous, today, django_capture_on_commit_callbacks
):
    import io

    from pypdf import PdfReader

    from meetings import minutes_services

    posting = _secret_posting(organisation, today)
    url = reverse("noticeboard:minutes_pdf", args=[posting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.get(url)
    first = RenderJob.objects.get(kind="meetings.minutes_public", params__minutes=posting.minutes_id)

    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.correction_add(
            minutes=posting.minutes, actor=posting.posted_by, reason="Fel belopp", text="Beloppet ska vara 12 000 kr."
        )
    response = anonymous.get(url)
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "Beloppet ska vara 12 000 kr." in " ".join(text.split())
    assert SECRET not in text
    newest = RenderJob.objects.filter(kind="meetings.minutes_public", params__minutes=posting.minutes_id).latest("pk")
    assert newest.pk != first.pk
