"""Anslag, överklagande, laga kraft, and the lagakraftbevis / protokollsutdrag / anslagsbevis PDFs."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.models import Role
from meetings import posting_selectors, posting_services
from meetings.models import Appeal, Minutes, Posting
from meetings.noticeboard_documents import (
    ExtractDocument,
    FinalityCertificateDocument,
    PostingCertificateDocument,
)
from reporting import rendering
from reporting.documents import DocumentInputError
from reporting.models import RenderJob
from tests.factories import user_with_role
from tests.meetings.factories import MinutesFactory
from tests.platform.builders_noticeboard import posted_minutes, verified_minutes

pytestmark = pytest.mark.django_db

D = dt.date
JUSTERAD = D(2019, 12, 18)


@pytest.fixture
def secretary(organisation):
    return user_with_role(organisation, Role.SECRETARY)


@pytest.fixture
def minutes(organisation):
    return verified_minutes(
        organisation, meeting_date=D(2019, 11, 28), verified_on=JUSTERAD, paragraphs=[{"title": "Budget 2020"}]
    )


def create(minutes, actor, **overrides):
    values = {
        "posted_on": D(2019, 12, 20),
        "taken_down_on": D(2020, 1, 13),
        "storage_place": "Kommunledningskontoret, stadshuset",
    }
    values.update(overrides)
    return posting_services.posting_create(minutes=minutes, actor=actor, **values)


def messages_of(exc: ValidationError) -> dict:
    return {field: [str(m) for m in errors] for field, errors in exc.message_dict.items()}


# -- posting_create -----------------------------------------------------------------------------------------


def test_posting_create_within_the_rules(minutes, secretary):
    posting = create(minutes, secretary)
    assert posting.posted_on == D(2019, 12, 20)
    assert posting.posted_by == secretary
    assert posting.history.get().history_user == secretary


def test_posting_refuses_an_unverified_protokoll(organisation, secretary):
    draft = MinutesFactory(meeting__committee__organisation=organisation)
    with pytest.raises(ValidationError) as exc:
        create(draft, secretary)
    assert "Protokollet är inte justerat" in exc.value.messages[0]
    assert not Posting.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"posted_on": D(2019, 12, 17)}, "posted_on", "Anslaget kan inte sättas upp före justeringen (2019-12-18)."),
        (
            {"posted_on": D(2019, 12, 21), "taken_down_on": D(2020, 1, 20)},
            "posted_on",
            "Anslaget ska sättas upp senast andra dagen efter justeringen, alltså senast 2019-12-20.",
        ),
        (
            {"taken_down_on": D(2020, 1, 9)},
            "taken_down_on",
            "Anslaget ska sitta uppe minst tre veckor och kan tas ned tidigast 2020-01-10.",
        ),
        ({"storage_place": "  "}, "storage_place", "Ange var protokollet förvaras, t.ex. ”Kommunkansliet”."),
    ],
)
def test_posting_outside_the_rules_changes_nothing(minutes, secretary, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        create(minutes, secretary, **overrides)
    assert messages_of(exc.value) == {field: [message]}
    assert not Posting.objects.exists()


def test_posting_on_the_deadline_and_taken_down_after_exactly_three_weeks_is_allowed(minutes, secretary):
    posting = create(minutes, secretary, posted_on=D(2019, 12, 20), taken_down_on=D(2020, 1, 10))
    assert posting.taken_down_on == D(2020, 1, 10)


def test_a_protokoll_is_posted_once(minutes, secretary):
    create(minutes, secretary)
    with pytest.raises(ValidationError, match="redan anslaget"):
        create(minutes, secretary)
    assert Posting.objects.count() == 1


# -- appeal_register and laga kraft -------------------------------------------------------------------------


def test_appeal_needs_a_posted_protokoll(minutes, secretary):
    paragraph = minutes.paragraphs.get()
    with pytest.raises(ValidationError, match="Protokollet är inte anslaget"):
        posting_services.appeal_register(
            paragraph=paragraph, actor=secretary, received_on=D(2020, 1, 2), appellant="", court="Förvaltningsrätten"
        )
    assert not Appeal.objects.exists()


def test_appeal_in_time_and_late(minutes, secretary):
    create(minutes, secretary)
    paragraph = minutes.paragraphs.get()
    appeal, warnings = posting_services.appeal_register(
        paragraph=paragraph, actor=secretary, received_on=D(2020, 1, 10), appellant="Kim Exempel", court="FR"
    )
    assert warnings == []
    assert appeal.history.get().history_user == secretary
    _late, warnings = posting_services.appeal_register(
        paragraph=paragraph, actor=secretary, received_on=D(2020, 1, 13), appellant="", court="FR"
    )
    assert warnings == ["Överklagandet inkom efter överklagandetiden, som gick ut 2020-01-10."]
    assert Appeal.objects.count() == 2


def test_appeal_in_the_future_is_refused(minutes, secretary):
    create(minutes, secretary)
    with pytest.raises(ValidationError) as exc:
        posting_services.appeal_register(
            paragraph=minutes.paragraphs.get(),
            actor=secretary,
            received_on=timezone.localdate() + dt.timedelta(days=1),
            appellant="",
            court="FR",
        )
    assert messages_of(exc.value) == {"received_on": ["Dagen då överklagandet inkom kan inte ligga i framtiden."]}


def test_finality_status_without_and_with_appeal():
    posting = Posting(posted_on=D(2019, 12, 20), taken_down_on=D(2020, 1, 13))
    status = posting_selectors.finality_status
    assert status(posting=posting, appealed_on=None, today=D(2020, 1, 10)).label == (
        "Överklagandetiden löper till 2020-01-10"
    )
    assert status(posting=posting, appealed_on=None, today=D(2020, 1, 11)).label == "Vann laga kraft 2020-01-11"
    assert status(posting=posting, appealed_on=D(2020, 1, 3), today=D(2020, 2, 1)).label == "Överklagad 2020-01-03"
    assert status(posting=None, appealed_on=None, today=D(2020, 2, 1)).state == "not_posted"
    assert status(posting=posting, appealed_on=None, today=D(2019, 12, 19)).state == "not_posted"


def test_minutes_page_shows_each_paragraphs_status(organisation, client_for):
    posting = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[{"title": "A"}, {"title": "B"}])
    first, second = posting.minutes.paragraphs.order_by("number")
    Appeal.objects.create(paragraph=second, received_on=D(2020, 1, 3), court="Förvaltningsrätten i Umeå")
    response = client_for(organisation, Role.SECRETARY).get(
        reverse("noticeboard:minutes_finality", args=[posting.minutes.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="status-{first.number}">Vann laga kraft 2020-01-11<' in html
    assert f'data-testid="status-{second.number}">Överklagad 2020-01-03<' in html


def test_minutes_page_when_the_appeal_period_runs(organisation, client_for):
    today = timezone.localdate()
    posting = posted_minutes(organisation, posted_on=today)
    response = client_for(organisation, Role.AUDITOR).get(
        reverse("noticeboard:minutes_finality", args=[posting.minutes.pk])
    )
    from meetings import dates

    assert f"Överklagandetiden löper till {dates.appeal_last_day(today).isoformat()}" in response.content.decode()
    assert "Registrera överklagande" not in response.content.decode()  # revisor reads only


def test_minutes_page_query_count_does_not_grow_with_paragraphs(
    organisation, client_for, django_assert_max_num_queries
):
    client = client_for(organisation, Role.SECRETARY)
    small = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[{}])
    large = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[{} for _ in range(15)])
    for paragraph in large.minutes.paragraphs.all()[:5]:
        Appeal.objects.create(paragraph=paragraph, received_on=D(2020, 1, 3))
    client.get(reverse("noticeboard:minutes_finality", args=[small.minutes.pk]))  # warm the session
    with django_assert_max_num_queries(12) as small_queries:
        client.get(reverse("noticeboard:minutes_finality", args=[small.minutes.pk]))
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(reverse("noticeboard:minutes_finality", args=[large.minutes.pk]))
    assert response.content.decode().count("Vann laga kraft") == 10


# -- Internal views -----------------------------------------------------------------------------------------


def test_posting_form_shows_the_rule_and_keeps_what_was_typed(minutes, client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("noticeboard:posting_create", args=[minutes.pk])
    data = {"posted_on": "2019-12-23", "taken_down_on": "2020-01-20", "storage_place": "Kansliet"}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "alltså senast 2019-12-20" in html
    assert 'value="Kansliet"' in html and 'value="2019-12-23"' in html
    assert not Posting.objects.exists()

    data["posted_on"] = "2019-12-20"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Posting.objects.get().storage_place == "Kansliet"


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
def test_read_only_roles_cannot_post_or_appeal(minutes, client_for, organisation, role):
    client = client_for(organisation, role)
    data = {"posted_on": "2019-12-20", "taken_down_on": "2020-01-13", "storage_place": "Kansliet"}
    assert client.post(reverse("noticeboard:posting_create", args=[minutes.pk]), data).status_code == 403
    paragraph = minutes.paragraphs.get()
    appeal = {"received_on": "2020-01-02", "court": "FR"}
    assert client.post(reverse("noticeboard:appeal_create", args=[paragraph.pk]), appeal).status_code == 403
    assert not Posting.objects.exists() and not Appeal.objects.exists()


def test_appeal_view_warns_when_late(organisation, client_for):
    posting = posted_minutes(organisation, posted_on=D(2019, 12, 20))
    paragraph = posting.minutes.paragraphs.get()
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(
        reverse("noticeboard:appeal_create", args=[paragraph.pk]),
        {"received_on": "2020-01-14", "court": "Förvaltningsrätten", "appellant": ""},
        follow=True,
    )
    html = response.content.decode()
    assert "inkom efter överklagandetiden" in html
    assert Appeal.objects.get().received_on == D(2020, 1, 14)


def test_extract_view_lists_distribution_and_requests_the_pdf(organisation, client_for):
    posting = posted_minutes(
        organisation,
        posted_on=D(2019, 12, 20),
        paragraphs=[{"title": "Budget", "distribution": "Ekonomichefen\nRevisorerna"}, {"title": "Övrigt"}],
    )
    minutes = posting.minutes
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("noticeboard:extract_create", args=[minutes.pk])
    html = client.get(url).content.decode()
    assert "<div>Ekonomichefen</div><div>Revisorerna</div>" in html
    assert "inga e-postadresser" in html

    response = client.post(url, {})
    assert response.status_code == 400
    assert "Välj minst en paragraf till utdraget." in response.content.decode()

    response = client.post(url, {"paragraphs": ["1"]})
    job = RenderJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reporting:job_detail", args=[job.pk])
    assert job.kind == "meetings.extract"
    assert job.params == {"minutes": minutes.pk, "paragraphs": "1"}


# -- PDFs ---------------------------------------------------------------------------------------------------


def pdf_text(document) -> str:
    data = rendering.write_pdf(rendering.layout_html(rendering.build_html(document)))
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_finality_certificate(organisation):
    posting = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[{"title": "Ny inriktning"}])
    paragraph = posting.minutes.paragraphs.get()
    document = FinalityCertificateDocument(organisation=organisation, params={"paragraph": paragraph.pk})
    document.check_inputs()
    text = pdf_text(document)
    assert "Beslutet har vunnit laga kraft 2020-01-11" in text
    assert "§ 1 Ny inriktning" in text
    assert "2019-12-20" in text and "2020-01-10" in text


def test_finality_certificate_refused_before_laga_kraft_or_when_appealed(organisation, other_organisation):
    running = posted_minutes(organisation, posted_on=timezone.localdate()).minutes.paragraphs.get()
    with pytest.raises(DocumentInputError, match="överklagandetiden löper till"):
        FinalityCertificateDocument(organisation=organisation, params={"paragraph": running.pk}).check_inputs()

    appealed = posted_minutes(organisation, posted_on=D(2019, 12, 20)).minutes.paragraphs.get()
    Appeal.objects.create(paragraph=appealed, received_on=D(2020, 1, 2))
    with pytest.raises(DocumentInputError, match="beslutet överklagades 2020-01-02"):
        FinalityCertificateDocument(organisation=organisation, params={"paragraph": appealed.pk}).check_inputs()

    not_posted = verified_minutes(organisation, meeting_date=D(2019, 11, 28), verified_on=JUSTERAD, paragraphs=[{}])
    with pytest.raises(DocumentInputError, match="protokollet är inte anslaget"):
        FinalityCertificateDocument(
            organisation=organisation, params={"paragraph": not_posted.paragraphs.get().pk}
        ).check_inputs()

    foreign = posted_minutes(other_organisation, posted_on=D(2019, 12, 20)).minutes.paragraphs.get()
    with pytest.raises(DocumentInputError, match="Paragrafen finns inte"):
        FinalityCertificateDocument(organisation=organisation, params={"paragraph": foreign.pk}).check_inputs()


def test_extract_has_only_the_chosen_paragraphs_and_marks_confidential(organisation):
    posting = posted_minutes(
        organisation,
        posted_on=D(2019, 12, 20),
        paragraphs=[
            {"title": "Valt ärende", "decision_clauses": ["att godkänna planen"]},
            {"title": "Utelämnat ärende"},
            {"title": "Enskild persons bistånd", "confidential": True},
        ],
    )
    minutes = posting.minutes
    public = ExtractDocument(organisation=organisation, params={"minutes": minutes.pk, "paragraphs": "1"})
    public.check_inputs()
    text = pdf_text(public)
    assert "§ 1 Valt ärende" in text and "att godkänna planen" in text
    assert "Utelämnat ärende" not in text
    assert "Utdragsbestyrkande" in text
    assert "Innehåller sekretessbelagda uppgifter" not in text

    with_secret = ExtractDocument(organisation=organisation, params={"minutes": minutes.pk, "paragraphs": "1,3"})
    text = pdf_text(with_secret)
    assert "Enskild persons bistånd" in text
    assert "Innehåller sekretessbelagda uppgifter" in text


def test_extract_refuses_missing_paragraphs_and_unverified_minutes(organisation):
    posting = posted_minutes(organisation, posted_on=D(2019, 12, 20))
    with pytest.raises(DocumentInputError, match="Protokollet har inte § 7"):
        ExtractDocument(
            organisation=organisation, params={"minutes": posting.minutes.pk, "paragraphs": "1,7"}
        ).check_inputs()
    draft = MinutesFactory(meeting__committee__organisation=organisation)
    assert draft.status == Minutes.Status.DRAFT
    with pytest.raises(DocumentInputError, match="inte justerat"):
        ExtractDocument(organisation=organisation, params={"minutes": draft.pk, "paragraphs": "1"}).check_inputs()


def test_extract_params_are_cleaned(organisation, other_organisation):
    minutes = MinutesFactory(meeting__committee__organisation=organisation)
    cleaned = ExtractDocument.clean_params(
        {"minutes": str(minutes.pk), "paragraphs": "73, 71,73"}, organisation=organisation
    )
    assert cleaned == {"minutes": minutes.pk, "paragraphs": "71,73"}
    with pytest.raises(DocumentInputError, match="åtskilda med kommatecken"):
        ExtractDocument.clean_params({"minutes": str(minutes.pk), "paragraphs": "71;73"}, organisation=organisation)
    # The protokoll is chosen from the organisation's own: another organisation's is not in the list.
    with pytest.raises(DocumentInputError, match="Välj ett protokoll i listan"):
        ExtractDocument.clean_params({"minutes": str(minutes.pk), "paragraphs": "1"}, organisation=other_organisation)


def test_posting_certificate(organisation):
    posting = posted_minutes(
        organisation, posted_on=D(2019, 12, 20), taken_down_on=D(2020, 1, 13), storage_place="Stadshuset"
    )
    text = pdf_text(PostingCertificateDocument(organisation=organisation, params={"posting": posting.pk}))
    assert "BEVIS OM ANSLAG" in text
    for expected in ("2019-12-13", "2019-12-20", "2020-01-13", "2020-01-10", "Stadshuset"):
        assert expected in text
