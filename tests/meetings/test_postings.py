"""Anslag, överklagande, begäran om lagakraftbevis and the court's answer, and the intyg om anslag /
begäran om lagakraftbevis / protokollsutdrag / anslagsbevis PDFs."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.models import Role
from meetings import posting_selectors, posting_services
from meetings.models import Appeal, FinalityRequest, FinalityRequestItem, Minutes, Posting
from meetings.noticeboard_documents import (
    ExtractDocument,
    FinalityRequestDocument,
    PostingCertificateDocument,
    PostingStatementDocument,
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


DECIDED = {"decision_clauses": ["att godkänna förslaget"]}


def decided(title: str = "Ärende", **extra) -> dict:
    return {"title": title, **DECIDED, **extra}


def request_for(minutes, actor, paragraphs, **overrides) -> FinalityRequest:
    values = {
        "court": "Förvaltningsrätten i Karlstad",
        "requested_on": D(2020, 1, 13),
        "signed_name": "Anders Andersson",
    }
    values.update(overrides)
    return posting_services.finality_request_create(minutes=minutes, actor=actor, paragraphs=paragraphs, **values)


def answer(request, actor, appealed=(), **overrides):
    values = {"answered_on": D(2020, 1, 20), "court_reference": "Mål nr 123-20"}
    values.update(overrides)
    return posting_services.finality_answer_register(
        request=request, actor=actor, appealed={p.pk for p in appealed}, **values
    )


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
    # The period has run out, but only the court knows whether an appeal came in: no laga kraft yet.
    ended = status(posting=posting, appealed_on=None, today=D(2020, 1, 11))
    assert ended.state == "period_ended"
    assert ended.label == "Överklagandetiden gick ut 2020-01-10, lagakraftbevis inte begärt"
    assert status(posting=posting, appealed_on=D(2020, 1, 3), today=D(2020, 2, 1)).label == "Överklagad 2020-01-03"
    assert status(posting=None, appealed_on=None, today=D(2020, 2, 1)).state == "not_posted"
    assert status(posting=posting, appealed_on=None, today=D(2019, 12, 19)).state == "not_posted"


def test_finality_status_follows_the_courts_answer():
    posting = Posting(posted_on=D(2019, 12, 20), taken_down_on=D(2020, 1, 13))
    request = FinalityRequest(requested_on=D(2020, 1, 13), court="FR")
    pending = FinalityRequestItem(pk=1, request=request)
    status = posting_selectors.finality_status
    asked = status(posting=posting, appealed_on=None, today=D(2020, 1, 15), items=[pending])
    assert asked.label == "Lagakraftbevis begärt 2020-01-13, väntar på förvaltningsrättens svar"
    no_appeal = FinalityRequestItem(
        pk=2, request=request, answered_on=D(2020, 1, 20), court_reference="1-20", appeal_received=False
    )
    final = status(posting=posting, appealed_on=None, today=D(2020, 2, 1), items=[pending, no_appeal])
    assert final.state == "final" and final.label == "Vunnit laga kraft 2020-01-11"
    appealed = FinalityRequestItem(
        pk=3, request=request, answered_on=D(2020, 1, 27), court_reference="1-20", appeal_received=True
    )
    latest = status(posting=posting, appealed_on=None, today=D(2020, 2, 1), items=[no_appeal, appealed])
    assert latest.label == "Överklagad enligt förvaltningsrättens svar 2020-01-27"
    # A registered appeal wins over the court's "no appeal so far".
    registered = status(posting=posting, appealed_on=D(2020, 1, 9), today=D(2020, 2, 1), items=[no_appeal])
    assert registered.state == "appealed"


def test_minutes_page_shows_each_paragraphs_status(organisation, client_for, secretary):
    posting = posted_minutes(
        organisation, posted_on=D(2019, 12, 20), paragraphs=[decided("A"), decided("B"), {"title": "Upprop"}]
    )
    first, second, third = posting.minutes.paragraphs.order_by("number")
    Appeal.objects.create(paragraph=second, received_on=D(2020, 1, 3), court="Förvaltningsrätten i Umeå")
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("noticeboard:minutes_finality", args=[posting.minutes.pk])
    html = client.get(url).content.decode()
    ended = "Överklagandetiden gick ut 2020-01-10, lagakraftbevis inte begärt"
    assert f'data-testid="status-{first.number}">{ended}<' in html
    assert f'data-testid="status-{second.number}">Överklagad 2020-01-03<' in html
    assert f'data-testid="status-{third.number}">Inget beslut att överklaga<' in html
    assert "Vunnit laga kraft" not in html and "Vann laga kraft" not in html
    assert reverse("noticeboard:finality_request_create", args=[posting.minutes.pk]) in html

    answer(request_for(posting.minutes, secretary, [first]), secretary)
    html = client.get(url).content.decode()
    assert f'data-testid="status-{first.number}">Vunnit laga kraft 2020-01-11<' in html
    assert "inget överklagande, svar 2020-01-20, Mål nr 123-20" in html


def test_minutes_page_when_the_appeal_period_runs(organisation, client_for):
    today = timezone.localdate()
    posting = posted_minutes(organisation, posted_on=today, paragraphs=[decided()])
    response = client_for(organisation, Role.AUDITOR).get(
        reverse("noticeboard:minutes_finality", args=[posting.minutes.pk])
    )
    from meetings import dates

    assert f"Överklagandetiden löper till {dates.appeal_last_day(today).isoformat()}" in response.content.decode()
    assert "Registrera överklagande" not in response.content.decode()  # revisor reads only
    assert "Begär lagakraftbevis" not in response.content.decode()


def test_minutes_page_query_count_does_not_grow_with_paragraphs(
    organisation, client_for, django_assert_max_num_queries, secretary
):
    client = client_for(organisation, Role.SECRETARY)
    small = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[decided()])
    large = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[decided() for _ in range(15)])
    paragraphs = list(large.minutes.paragraphs.order_by("number"))
    for paragraph in paragraphs[:5]:
        Appeal.objects.create(paragraph=paragraph, received_on=D(2020, 1, 3))
    for chosen in (paragraphs[5:10], paragraphs[10:]):
        answer(request_for(large.minutes, secretary, chosen), secretary)
    request_for(small.minutes, secretary, list(small.minutes.paragraphs.all()))
    client.get(reverse("noticeboard:minutes_finality", args=[small.minutes.pk]))  # warm the session
    with django_assert_max_num_queries(14) as small_queries:
        client.get(reverse("noticeboard:minutes_finality", args=[small.minutes.pk]))
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(reverse("noticeboard:minutes_finality", args=[large.minutes.pk]))
    assert response.content.decode().count("Vunnit laga kraft") == 10


# -- Begäran om lagakraftbevis and the court's answer ------------------------------------------------------


def test_request_only_for_paragraphs_with_a_beslut_after_the_appeal_period(organisation, secretary):
    posting = posted_minutes(
        organisation, posted_on=D(2019, 12, 20), paragraphs=[decided("Budget"), {"title": "Mötets öppnande"}]
    )
    budget, opening = posting.minutes.paragraphs.order_by("number")
    with pytest.raises(ValidationError) as exc:
        request_for(posting.minutes, secretary, [budget, opening], requested_on=D(2020, 1, 10), court=" ")
    errors = messages_of(exc.value)
    assert errors["paragraphs"] == ["§ 2 har inget beslut. Lagakraftbevis kan bara begäras för paragrafer med beslut."]
    assert errors["requested_on"] == [
        "Överklagandetiden går ut 2020-01-10. Lagakraftbevis kan begäras först dagen efter."
    ]
    assert "court" in errors
    assert not FinalityRequest.objects.exists()

    request = request_for(posting.minutes, secretary, [budget])
    assert [item.paragraph for item in request.items.all()] == [budget]
    assert request.history.get().history_user == secretary
    assert request.items.get().history.get().history_user == secretary


def test_request_refused_for_an_unposted_or_appealed_paragraph(organisation, secretary):
    unposted = verified_minutes(organisation, meeting_date=D(2019, 11, 28), verified_on=JUSTERAD, paragraphs=[DECIDED])
    with pytest.raises(ValidationError, match="Protokollet är inte anslaget"):
        request_for(unposted, secretary, list(unposted.paragraphs.all()))
    draft = MinutesFactory(meeting__committee__organisation=organisation)
    with pytest.raises(ValidationError, match="inte justerat"):
        request_for(draft, secretary, [])
    posting = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[decided()])
    paragraph = posting.minutes.paragraphs.get()
    Appeal.objects.create(paragraph=paragraph, received_on=D(2020, 1, 3))
    with pytest.raises(ValidationError, match="§ 1 är överklagad"):
        request_for(posting.minutes, secretary, [paragraph])


def test_answer_registers_per_paragraph_and_only_once(organisation, secretary):
    posting = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[decided("A"), decided("B")])
    first, second = posting.minutes.paragraphs.order_by("number")
    request = request_for(posting.minutes, secretary, [first, second])
    with pytest.raises(ValidationError) as exc:
        answer(request, secretary, answered_on=D(2020, 1, 12), court_reference="")
    assert messages_of(exc.value) == {
        "answered_on": ["Svaret kan inte vara daterat före begäran (2020-01-13)."],
        "court_reference": ["Ange förvaltningsrättens målnummer eller referens, som det står på svaret."],
    }
    items = answer(request, secretary, appealed=[second])
    assert [(i.paragraph, i.appeal_received, i.answered_by) for i in items] == [
        (first, False, secretary),
        (second, True, secretary),
    ]
    today = D(2020, 2, 1)
    assert posting_selectors.paragraph_finality(paragraph=first, today=today).label == "Vunnit laga kraft 2020-01-11"
    assert posting_selectors.paragraph_finality(paragraph=second, today=today).state == "appealed"
    with pytest.raises(ValidationError, match="redan registrerat"):
        answer(request, secretary)
    # Already final: no new request for it.
    with pytest.raises(ValidationError, match="§ 1 har redan vunnit laga kraft"):
        request_for(posting.minutes, secretary, [first], requested_on=D(2020, 2, 1))


def test_request_view_offers_only_paragraphs_with_a_beslut_and_keeps_input(organisation, client_for):
    posting = posted_minutes(
        organisation, posted_on=D(2019, 12, 20), paragraphs=[decided("Budget"), {"title": "Mötets öppnande"}]
    )
    budget, opening = posting.minutes.paragraphs.order_by("number")
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("noticeboard:finality_request_create", args=[posting.minutes.pk])
    html = client.get(url).content.decode()
    assert f'value="{budget.pk}"' in html and f'value="{opening.pk}"' not in html
    assert "§ 2 Mötets öppnande: inget beslut" in html

    data = {
        "paragraphs": [str(budget.pk)],
        "court": "Förvaltningsrätten i Karlstad",
        "court_address": "Box 568\n651 12 KARLSTAD",
        "requested_on": "2020-01-09",
        "signed_name": "Anders Andersson",
        "signed_title": "Kanslichef",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Lagakraftbevis kan begäras först dagen efter" in response.content.decode()
    assert 'value="Anders Andersson"' in response.content.decode()
    data["paragraphs"].append(str(opening.pk))
    assert client.post(url, data).status_code == 400  # not offered, not accepted
    data["paragraphs"], data["requested_on"] = [str(budget.pk)], "2020-01-13"
    response = client.post(url, data)
    assert response.status_code == 302
    request = FinalityRequest.objects.get()
    assert request.court_address == "Box 568\n651 12 KARLSTAD" and request.signed_title == "Kanslichef"

    answer_url = reverse("noticeboard:finality_answer_create", args=[request.pk])
    response = client.post(answer_url, {"answered_on": "2020-01-20", "court_reference": ""})
    assert response.status_code == 400
    assert "målnummer" in response.content.decode()
    response = client.post(answer_url, {"answered_on": "2020-01-20", "court_reference": "Mål 1-20"}, follow=True)
    assert "Vunnit laga kraft 2020-01-11" in response.content.decode()
    # Nothing left to ask for; the next letter goes to the same court, so the form would start with it.
    assert 'data-testid="no-candidates"' in client.get(url).content.decode()
    defaults = posting_selectors.finality_request_defaults(organisation=organisation)
    assert defaults["court"] == "Förvaltningsrätten i Karlstad" and defaults["signed_title"] == "Kanslichef"


def test_request_and_answer_views_are_scoped_and_for_the_secretary(organisation, other_organisation, client_for):
    posting = posted_minutes(other_organisation, posted_on=D(2019, 12, 20), paragraphs=[decided()])
    request = FinalityRequest.objects.create(
        minutes=posting.minutes, court="FR", signed_name="X", requested_on=D(2020, 1, 13)
    )
    client = client_for(organisation, Role.SECRETARY)
    assert client.get(reverse("noticeboard:finality_request_create", args=[posting.minutes.pk])).status_code == 404
    assert client.get(reverse("noticeboard:finality_answer_create", args=[request.pk])).status_code == 404
    own = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[decided()])
    auditor = client_for(organisation, Role.AUDITOR)
    assert auditor.get(reverse("noticeboard:finality_request_create", args=[own.minutes.pk])).status_code == 403


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


def test_posting_form_starts_from_where_the_last_protokoll_is_kept(minutes, client_for, organisation):
    posted_minutes(organisation, posted_on=D(2019, 10, 10), paragraphs=[decided()])
    Posting.objects.update(storage_place="Förbundets kansli, Skellefteå")
    page = client_for(organisation, Role.SECRETARY).get(reverse("noticeboard:posting_create", args=[minutes.pk]))
    assert 'value="Förbundets kansli, Skellefteå"' in page.content.decode()


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


def test_posting_statement_certifies_the_anslag_not_laga_kraft(organisation, secretary):
    posting = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[decided("Ny inriktning")])
    paragraph = posting.minutes.paragraphs.get()
    document = PostingStatementDocument(organisation=organisation, params={"paragraph": paragraph.pk})
    document.check_inputs()
    text = pdf_text(document)
    assert "Intyg om anslag" in text
    assert "§ 1 Ny inriktning" in text
    assert "2019-12-20" in text and "2020-01-10" in text and "2020-01-13" in text
    assert "laga kraft 20" not in text and "förvaltningsrättens lagakraftbevis" in text

    answer(request_for(posting.minutes, secretary, [paragraph]), secretary)
    text = pdf_text(PostingStatementDocument(organisation=organisation, params={"paragraph": paragraph.pk}))
    assert "Mål nr 123-20" in text and "Beslutet vann laga kraft 2020-01-11" in text


def test_posting_statement_refused_without_anslag_or_beslut(organisation, other_organisation):
    not_posted = verified_minutes(
        organisation, meeting_date=D(2019, 11, 28), verified_on=JUSTERAD, paragraphs=[DECIDED]
    )
    with pytest.raises(DocumentInputError, match="protokollet är inte anslaget"):
        PostingStatementDocument(
            organisation=organisation, params={"paragraph": not_posted.paragraphs.get().pk}
        ).check_inputs()
    no_decision = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[{"title": "Upprop"}])
    with pytest.raises(DocumentInputError, match="inget beslut"):
        PostingStatementDocument(
            organisation=organisation, params={"paragraph": no_decision.minutes.paragraphs.get().pk}
        ).check_inputs()
    foreign = posted_minutes(other_organisation, posted_on=D(2019, 12, 20)).minutes.paragraphs.get()
    with pytest.raises(DocumentInputError, match="Paragrafen finns inte"):
        PostingStatementDocument(organisation=organisation, params={"paragraph": foreign.pk}).check_inputs()


def test_finality_request_letter(organisation, other_organisation, secretary):
    posting = posted_minutes(organisation, posted_on=D(2019, 12, 20), paragraphs=[decided("Budget"), decided("Taxor")])
    request = request_for(
        posting.minutes,
        secretary,
        list(posting.minutes.paragraphs.all()),
        court_address="Box 568\n651 12 KARLSTAD",
        case_number="ks 0071/2018-4",
        return_address="Ljusnarsbergs kommun\n714 80 KOPPARBERG",
        signed_title="Kanslichef",
        contact="Tfn: 0580-805 01",
    )
    document = FinalityRequestDocument(organisation=organisation, params={"request": request.pk})
    text = pdf_text(document)
    meeting = posting.minutes.meeting
    assert "Begäran om lagakraftbevis" in text and "Förvaltningsrätten i Karlstad Box 568" in text
    assert f"beslut den {meeting.date.day} " in text and "§§ 1 och 2" in text
    assert "ks 0071/2018-4" in text and "714 80 KOPPARBERG" in text and "Anders Andersson Kanslichef" in text
    assert document.filename().startswith("begaran-om-lagakraftbevis-")
    with pytest.raises(DocumentInputError, match="finns inte"):
        FinalityRequestDocument(organisation=other_organisation, params={"request": request.pk}).check_inputs()


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
