"""Diarieserier, ärenden and the tjänsteskrivelse: services, forms' Swedish messages, views and query counts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from meetings import case_services
from meetings.case_forms import CaseCreateForm, OfficerReportForm, SeriesForm
from meetings.models import CONFIDENTIAL_PUBLIC_TEXT, Case, CaseNumberCounter, CaseNumberSeries, OfficerReport
from tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, user_with_role

from .factories import AgendaItemFactory, CaseNumberSeriesFactory, MinutesFactory


@pytest.fixture
def secretary(organisation):
    return user_with_role(organisation, Role.SECRETARY)


@pytest.fixture
def committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")


@pytest.fixture
def series(committee):
    return CaseNumberSeriesFactory(committee=committee, name="Socialnämndens diarium")


def register(series, actor, title="Extra månadsuppföljning maj", **kwargs):
    kwargs.setdefault("registered_on", dt.date(2022, 6, 1))
    return case_services.case_register(
        organisation=series.organisation, actor=actor, series=series, title=title, **kwargs
    )


# Diarieserier -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_series_create_audits_the_actor_and_refuses_a_taken_name(organisation, secretary, committee):
    series = case_services.series_create(
        organisation=organisation,
        actor=secretary,
        name="SN-diariet",
        pattern="{committee} {year}/{seq}",
        committee=committee,
    )
    assert series.history.get().history_user == secretary
    with pytest.raises(ValidationError) as info:
        case_services.series_create(
            organisation=organisation,
            actor=secretary,
            name="sn-diariet",
            pattern="{committee} {seq4}/{year}",
            committee=committee,
        )
    assert info.value.message_dict["name"] == ["Det finns redan en diarieserie som heter sn-diariet."]


@pytest.mark.django_db
def test_series_giving_the_same_numbers_as_another_is_refused(organisation, secretary, committee, series):
    with pytest.raises(ValidationError) as info:
        case_services.series_create(
            organisation=organisation, actor=secretary, name="Dubblett", pattern=series.pattern, committee=committee
        )
    assert "samma diarienummer som serien Socialnämndens diarium" in info.value.message_dict["pattern"][0]
    # A different organ's abbreviation gives different numbers and is fine.
    other = CommitteeFactory(organisation=organisation, short_name="KS")
    case_services.series_create(
        organisation=organisation, actor=secretary, name="KS", pattern=series.pattern, committee=other
    )


@pytest.mark.django_db
def test_register_refuses_a_number_another_series_already_gave(organisation, secretary, committee, series):
    register(series, secretary)  # SN 2022/1
    clash = CaseNumberSeries.objects.create(
        organisation=organisation, name="Gammal", pattern="SN {year}/{seq}", committee=None
    )
    with pytest.raises(ValidationError) as info:
        register(clash, secretary)
    assert "Diarienumret SN 2022/1 finns redan" in info.value.message_dict["series"][0]
    # The refused registration took no number: the counter is back where it was.
    assert not CaseNumberCounter.objects.filter(series=clash).exclude(last_value=0).exists()


@pytest.mark.django_db
def test_series_update_keeps_given_numbers(organisation, secretary, series):
    case = register(series, secretary)
    case_services.series_update(
        series=series,
        actor=secretary,
        name=series.name,
        pattern="{committee} {seq4}/{year}",
        committee=series.committee,
        is_active=True,
    )
    case.refresh_from_db()
    assert case.case_number == "SN 2022/1"
    assert register(series, secretary).case_number == "SN 0002/2022"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{committee} {year}", "Mönstret måste innehålla löpnumret {seq} eller {seq4}."),
        ("{committee}/{seq}", "Mönstret måste innehålla årtalet {year}."),
        ("{nämnd} {year}/{seq}", "Mönstret innehåller okända fält: {nämnd}."),
    ],
)
@pytest.mark.django_db
def test_series_form_shows_the_pattern_messages(organisation, pattern, message):
    form = SeriesForm({"name": "X", "pattern": pattern, "is_active": "on"}, organisation=organisation)
    assert not form.is_valid()
    assert message in form.errors["pattern"][0]


@pytest.mark.django_db
def test_series_preview_shows_the_next_number(client_for, organisation, secretary, series):
    register(series, secretary, registered_on=timezone.localdate())
    client = client_for(organisation, Role.SECRETARY)
    page = client.get(reverse("cases:series_edit", args=[series.pk]))
    year = timezone.localdate().year
    assert f"SN {year}/2" in page.content.decode()
    fragment = client.get(
        reverse("cases:series_preview"), {"pattern": "{committee}-{seq4}-{year}", "committee": series.committee_id}
    )
    assert f"SN-0001-{year}" in fragment.content.decode()  # a new series starts at 1
    fragment = client.get(
        reverse("cases:series_preview"),
        {"pattern": "{committee}-{seq4}-{year}", "committee": series.committee_id, "series": series.pk},
    )
    assert f"SN-0002-{year}" in fragment.content.decode()
    bad = client.get(reverse("cases:series_preview"), {"pattern": "{committee}"}).content.decode()
    assert "löpnumret" in bad


@pytest.mark.django_db
def test_series_preview_of_another_organisations_series_is_404(client_for, organisation, other_organisation):
    foreign = CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=other_organisation))
    client = client_for(organisation, Role.SECRETARY)
    response = client.get(reverse("cases:series_preview"), {"pattern": "{year}/{seq}", "series": foreign.pk})
    assert response.status_code == 404


@pytest.mark.django_db
def test_series_create_view_keeps_input_when_refused(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(reverse("cases:series_create"), {"name": "Mitt diarium", "pattern": "{seq}"})
    assert response.status_code == 400  # refused, like every refused form
    text = response.content.decode()
    assert "Mönstret måste innehålla årtalet {year}." in text
    assert 'value="Mitt diarium"' in text
    assert not CaseNumberSeries.objects.exists()


# Ärenden ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_form_requires_a_legal_basis_for_confidential(organisation, series):
    data = {"series": series.pk, "title": "Placering", "registered_on": "2022-06-01", "confidential": "on"}
    form = CaseCreateForm(data, organisation=organisation)
    assert not form.is_valid()
    assert form.errors["legal_basis"] == [
        "Ange sekretessgrund (t.ex. ”OSL 26 kap. 1 §”) när något markeras som sekretess."
    ]


@pytest.mark.django_db
def test_case_form_offers_only_the_organisations_people_and_active_series(organisation, other_organisation, series):
    foreign_person = PersonFactory(organisation=other_organisation)
    inactive = CaseNumberSeriesFactory(committee=series.committee, is_active=False)
    form = CaseCreateForm(
        {"series": inactive.pk, "title": "X", "registered_on": "2022-06-01", "handler": foreign_person.pk},
        organisation=organisation,
    )
    assert not form.is_valid()
    assert form.errors["series"] == ["Välj en diarieserie i listan."]
    assert form.errors["handler"] == ["Välj en person i listan."]


@pytest.mark.django_db
def test_case_create_view_registers_and_redirects(client_for, organisation, series):
    client = client_for(organisation, Role.SECRETARY)
    handler = PersonFactory(organisation=organisation)
    response = client.post(
        reverse("cases:case_create"),
        {
            "series": series.pk,
            "title": "Extra månadsuppföljning maj",
            "handler": handler.pk,
            "registered_on": "2022-06-16",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert (case.case_number, case.handler, case.committee, case.created_by) == (
        "SN 2022/1",
        handler,
        series.committee,
        client.user,
    )
    assert case.officer_report.handler == handler


@pytest.mark.django_db
def test_case_create_view_keeps_input_and_saves_nothing_when_refused(client_for, organisation, series):
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(
        reverse("cases:case_create"),
        {"series": series.pk, "title": "Placering enligt LVU", "registered_on": "2022-06-16", "confidential": "on"},
    )
    assert response.status_code == 400  # refused, like every refused form
    text = response.content.decode()
    assert "Ange sekretessgrund" in text
    assert 'value="Placering enligt LVU"' in text
    assert not Case.objects.exists()
    assert not CaseNumberCounter.objects.exclude(last_value=0).exists()


@pytest.mark.django_db
def test_case_edit_changes_title_status_and_confidentiality_but_never_the_number(
    client_for, organisation, secretary, series
):
    case = register(series, secretary)
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("cases:case_edit", args=[case.pk])
    refused = client.post(url, {"title": "Nytt namn", "status": "decided", "confidential": "on", "version": 1})
    assert refused.status_code == 400
    assert "Ange sekretessgrund" in refused.content.decode()
    case.refresh_from_db()
    assert (case.title, case.status, case.confidential) == ("Extra månadsuppföljning maj", "open", False)

    client.post(
        url, {"title": "Nytt namn", "status": "decided", "confidential": "on", "legal_basis": "OSL 26:1", "version": 1}
    )
    case.refresh_from_db()
    assert (case.title, case.status, case.confidential, case.legal_basis, case.case_number) == (
        "Nytt namn",
        "decided",
        True,
        "OSL 26:1",
        "SN 2022/1",
    )
    assert case.history.first().history_user == client.user


@pytest.mark.django_db
def test_case_detail_shows_report_agenda_and_paragraphs(client_for, organisation, secretary, series):
    case = register(series, secretary)
    case_services.officer_report_update(
        report=case.officer_report,
        actor=secretary,
        data={"proposed_clauses": ["att godkänna uppföljningen"], "summary": "Avvikelsen är stor."},
    )
    item = AgendaItemFactory(meeting__committee=series.committee, case=case, title="Uppföljning maj", position=7)
    minutes = MinutesFactory(meeting=item.meeting)
    minutes.paragraphs.create(committee=series.committee, year=2019, number=74, title="Uppföljning maj", case=case)
    secret = AgendaItemFactory(
        meeting__committee=series.committee, case=case, title="Hemlig punkt", confidential=True, legal_basis="OSL"
    )
    assert secret.confidential
    text = client_for(organisation, Role.SECRETARY).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Att godkänna uppföljningen" in text
    assert "Avvikelsen är stor." in text
    assert "§\xa074" in text
    assert reverse("agenda:meeting_detail", args=[item.meeting.pk]) in text
    assert reverse("minutes:minutes_detail", args=[minutes.pk]) in text
    assert "Hemlig punkt" in text  # the secretary may see confidential items

    economist = client_for(organisation, Role.ECONOMIST).get(reverse("cases:case_detail", args=[case.pk]))
    assert "Hemlig punkt" not in economist.content.decode()
    assert CONFIDENTIAL_PUBLIC_TEXT in economist.content.decode()


@pytest.mark.django_db
def test_confidential_case_is_hidden_from_those_without_view_confidential(client_for, organisation, secretary, series):
    case = register(series, secretary, title="Placering av barn", confidential=True, legal_basis="OSL 26 kap. 1 §")
    economist = client_for(organisation, Role.ECONOMIST)
    assert economist.get(reverse("cases:case_detail", args=[case.pk])).status_code == 403
    listing = economist.get(reverse("cases:case_list")).content.decode()
    assert case.case_number in listing
    assert "Placering av barn" not in listing
    # Filtering on the title must not reveal it either.
    assert "SN 2022/1" not in economist.get(reverse("cases:case_list"), {"q": "Placering"}).content.decode()
    # A ledamot reads sekretess only of a committee where they hold a seat (docs/decisions/0006).
    member = client_for(organisation, Role.MEMBER)
    assert "Placering av barn" not in member.get(reverse("cases:case_list")).content.decode()
    MembershipFactory(committee=series.committee, person__user=member.user)
    assert "Placering av barn" in member.get(reverse("cases:case_list")).content.decode()


@pytest.mark.django_db
def test_case_list_filters(client_for, organisation, secretary, series):
    register(series, secretary, title="Uppföljning maj")
    register(series, secretary, title="Intern kontroll", registered_on=dt.date(2021, 3, 1))
    other = CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=organisation, short_name="KS"))
    register(other, secretary, title="Budget")
    client = client_for(organisation, Role.AUDITOR)
    url = reverse("cases:case_list")

    def numbers(**params):
        page = client.get(url, params)
        return [case.case_number for case in page.context["page"].object_list]

    assert numbers() == ["KS 2022/1", "SN 2022/1", "SN 2021/1"]
    assert numbers(organ=series.committee_id) == ["SN 2022/1", "SN 2021/1"]
    assert numbers(ar=2021) == ["SN 2021/1"]
    assert numbers(q="kontroll") == ["SN 2021/1"]
    assert numbers(q="KS 2022") == ["KS 2022/1"]
    assert numbers(status="closed") == []
    assert numbers(ar="inte ett år") != []  # a bad filter is ignored, never an error page


@pytest.mark.django_db
def test_case_list_queries_do_not_grow_with_rows(
    client_for, organisation, secretary, series, django_assert_max_num_queries
):
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("cases:case_list")
    handler = PersonFactory(organisation=organisation)
    register(series, secretary, handler=handler)
    client.get(url)  # warm the session and the permission caches
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for index in range(15):
        register(series, secretary, title=f"Ärende {index}", handler=handler)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 16


# Tjänsteskrivelse ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_report_form_names_the_line_that_is_not_an_att_clause(organisation):
    report = OfficerReport()
    form = OfficerReportForm(
        {"proposed_clauses": "\n".join(["att godkänna", "", "godkänna budgeten", "Att lägga informationen"])},
        organisation=organisation,
        report=report,
    )
    assert not form.is_valid()
    assert form.errors["proposed_clauses"] == [
        "Rad 3 börjar inte med ”att ”: ”godkänna budgeten”. Skriv en att-sats per rad, "
        "t.ex. ”att godkänna dagordningen”."
    ]


@pytest.mark.django_db
def test_officer_report_service_refuses_a_clause_without_att(secretary, series):
    case = register(series, secretary)
    with pytest.raises(ValidationError) as info:
        case_services.officer_report_update(
            report=case.officer_report, actor=secretary, data={"proposed_clauses": ["att a", "besluta b"]}
        )
    assert info.value.message_dict["proposed_clauses"][0].startswith("Rad 2 börjar inte med ”att ”")


@pytest.mark.django_db
def test_officer_report_edit_saves_and_previews_without_saving(client_for, organisation, secretary, series):
    case = register(series, secretary)
    chief = PersonFactory(organisation=organisation, first_name="Karin", last_name="Lund", title="Förvaltningschef")
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("cases:officer_report_edit", args=[case.pk])
    data = {
        "proposed_clauses": "att godkänna uppföljningen\natt överlämna den till kommunstyrelsen",
        "summary": "Kort sammanfattning.",
        "description": "Bakgrund.",
        "financial_impact": "Inga.",
        "distribution": "Förvaltningschef\n\nKommunstyrelsen för kännedom\n",
        "signed_by": chief.pk,
        "dated_on": "2022-06-08",
        "version": case.officer_report.version,
    }
    preview = client.post(url, {**data, "action": "preview"})
    text = preview.content.decode()
    assert "Inget är sparat ännu." in text
    assert "Att överlämna den till kommunstyrelsen" in text
    assert "Karin Lund" in text
    case.officer_report.refresh_from_db()
    assert case.officer_report.proposed_clauses == []

    saved = client.post(url, {**data, "action": "save"})
    assert saved.status_code == 302
    report = OfficerReport.objects.get(case=case)
    assert report.proposed_clauses == ["att godkänna uppföljningen", "att överlämna den till kommunstyrelsen"]
    assert report.distribution == "Förvaltningschef\nKommunstyrelsen för kännedom"
    assert (report.signed_by, report.dated_on) == (chief, dt.date(2022, 6, 8))
    detail = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    for heading in (
        "Förslag till beslut",
        "Sammanfattning",
        "Ärendebeskrivning",
        "Ekonomiska konsekvenser",
        "Beslutet skickas till",
    ):
        assert heading in detail


@pytest.mark.django_db
def test_officer_report_edit_refused_keeps_input_and_saves_nothing(client_for, organisation, secretary, series):
    case = register(series, secretary)
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(
        reverse("cases:officer_report_edit", args=[case.pk]),
        {"proposed_clauses": "att godkänna\nbevilja medel", "summary": "Min text", "action": "save", "version": 1},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Rad 2 börjar inte med" in text
    assert "Min text" in text
    case.officer_report.refresh_from_db()
    assert (case.officer_report.summary, case.officer_report.proposed_clauses) == ("", [])


@pytest.mark.django_db
def test_officer_report_offers_only_the_organisations_people(
    client_for, organisation, other_organisation, secretary, series
):
    case = register(series, secretary)
    foreign = PersonFactory(organisation=other_organisation)
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(
        reverse("cases:officer_report_edit", args=[case.pk]), {"signed_by": foreign.pk, "action": "save"}
    )
    assert "Välj en person i listan." in response.content.decode()
    case.officer_report.refresh_from_db()
    assert case.officer_report.signed_by is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER, Role.ECONOMIST])
def test_roles_without_manage_cases_cannot_write(client_for, organisation, secretary, series, role):
    case = register(series, secretary)
    client = client_for(organisation, role)
    for url in (
        reverse("cases:case_create"),
        reverse("cases:case_edit", args=[case.pk]),
        reverse("cases:officer_report_edit", args=[case.pk]),
        reverse("cases:series_create"),
        reverse("cases:series_edit", args=[series.pk]),
    ):
        assert client.post(url, {"title": "Ändrat", "name": "Ändrat", "pattern": "{year}/{seq}"}).status_code == 403
    case.refresh_from_db()
    assert case.title == "Extra månadsuppföljning maj"
