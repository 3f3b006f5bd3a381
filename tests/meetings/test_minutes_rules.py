"""Text rules and decision rules of a §: the one att-sats check, the kinds of beslut, majority, quorum, jäv with
an ersättare, and a reservation by someone who voted for the beslut (issue 7, points 6 and 7)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Role
from meetings import agenda_services, case_services, clauses, voting
from meetings import minutes_services as services
from meetings import services as committee_services
from meetings.case_forms import OfficerReportForm
from meetings.minutes_documents import MinutesDocument
from meetings.minutes_forms import ParagraphForm
from meetings.models import AgendaItemKind, Attendance, Committee, OfficerReport
from meetings.posting_selectors import public_paragraphs
from reporting import rendering

from .factories import AgendaItemFactory
from .test_minutes import add_paragraph, board, fill, secretary  # noqa: F401

pytestmark = pytest.mark.django_db

WRONG = (
    "Rad 2 börjar inte med ”att ”: ”godkänna budgeten”. Skriv en att-sats per rad, t.ex. ”att godkänna dagordningen”."
)


# -- One att-sats check ----------------------------------------------------------------------------------------


def test_clause_errors_number_the_lines_as_typed_and_accept_a_capital_att():
    assert clauses.clause_errors("att a\ngodkänna budgeten") == [WRONG]
    assert clauses.clause_errors(["Att a", "", "att b"]) == []
    assert clauses.clean_clauses(" att  a \n\natt b", field="x") == ["att a", "att b"]
    with pytest.raises(ValidationError) as info:
        clauses.clean_clauses(["att a", "godkänna budgeten"], field="decision_clauses")
    assert info.value.message_dict == {"decision_clauses": [WRONG]}


def test_the_same_message_for_arende_agenda_item_and_protokoll(board, organisation):  # noqa: F811
    # Tjänsteskrivelse (ärende): form and service.
    form = OfficerReportForm(
        {"proposed_clauses": "att a\ngodkänna budgeten"}, organisation=organisation, report=OfficerReport()
    )
    assert not form.is_valid() and form.errors["proposed_clauses"] == [WRONG]
    # Agenda item: service.
    with pytest.raises(ValidationError) as info:
        agenda_services.agenda_item_add(
            meeting=board.meeting,
            actor=board.secretary,
            kind=AgendaItemKind.OTHER,
            title="Övrigt",
            proposed_clauses=["att a", "godkänna budgeten"],
        )
    assert info.value.message_dict["proposed_clauses"] == [WRONG]
    # Standard agenda of the committee: service.
    with pytest.raises(ValidationError) as info:
        committee_services.agenda_template_item_add(
            committee=board.committee, actor=board.secretary, title="X", proposed_clauses=["att a", "godkänna budgeten"]
        )
    assert info.value.message_dict["proposed_clauses"] == [WRONG]
    # Protokoll: form and service.
    paragraph = add_paragraph(board, clauses=())
    form = ParagraphForm(
        {"title": "Budget", "decision_clauses": "att a\ngodkänna budgeten", "version": paragraph.version}
    )
    assert not form.is_valid() and form.errors["decision_clauses"] == [WRONG]
    with pytest.raises(ValidationError) as info:
        services.paragraph_update(
            paragraph=paragraph, actor=board.secretary, title="Budget", decision_clauses=["att a", "godkänna budgeten"]
        )
    assert info.value.message_dict["decision_clauses"] == [WRONG]


def test_officer_report_service_uses_the_one_check(board, organisation):  # noqa: F811
    from meetings.models import CaseNumberSeries

    series = CaseNumberSeries.objects.create(organisation=organisation, name="Dnr", pattern="{year}/{seq}")
    case = case_services.case_register(
        organisation=organisation, actor=board.secretary, series=series, title="Budget", committee=board.committee
    )
    with pytest.raises(ValidationError) as info:
        case_services.officer_report_update(
            report=case.officer_report, actor=board.secretary, data={"proposed_clauses": ["att a", "godkänna budgeten"]}
        )
    assert info.value.message_dict["proposed_clauses"] == [WRONG]


# -- Kinds of beslut -------------------------------------------------------------------------------------------

KIND_TEXTS = {
    "clauses": ("Förbundsstyrelsen beslutar", "att anta budgeten"),
    "as_proposed": ("Förbundsstyrelsen beslutar enligt förslaget.", "att anta budgeten"),
    "noted": ("Informationen noteras.",),
    "referred": ("Förbundsstyrelsen hänskjuter ärendet till medlemmarnas samråd.",),
    "returned": ("Förbundsstyrelsen beslutar att återremittera ärendet.", "Motivering: Underlaget saknar kalkyl."),
    "tabled": ("Förbundsstyrelsen beslutar att bordlägga ärendet.", "Till sammanträdet i februari."),
}
KIND_NOTES = {
    "referred": "medlemmarnas samråd",
    "returned": "Underlaget saknar kalkyl",
    "tabled": "Till sammanträdet i februari",
}


def _save_kind(board, paragraph, kind):  # noqa: F811
    with_clauses = kind in clauses.KINDS_WITH_CLAUSES
    return services.paragraph_update(
        paragraph=paragraph,
        actor=board.secretary,
        title="Budget 2020",
        body="Förvaltningen redogör.",
        decision_kind=kind,
        decision_clauses=["att anta budgeten"] if with_clauses else [],
        decision_note=KIND_NOTES.get(kind, ""),
    )


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("kind", [*KIND_TEXTS, "none"])
def test_each_kind_reads_right_on_screen_and_in_the_pdf(kind, board, client_for, organisation):  # noqa: F811
    fill(board)
    paragraph = _save_kind(board, add_paragraph(board, clauses=()), kind)
    client = client_for(organisation, Role.SECRETARY)
    page = client.get(reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})).content.decode()
    html = rendering.build_html(MinutesDocument(organisation=organisation, params={"minutes": board.minutes.pk}))
    section = re.search(r'<section class="paragraph".*?</section>', html, re.S).group(0)
    for text in KIND_TEXTS.get(kind, ()):
        assert text in page, (kind, text)
        assert text in section, (kind, text)
    if kind == "none":
        assert "beslutar" not in section and "Beslut" not in section and "Förvaltningen redogör." in section
    if kind not in clauses.KINDS_WITH_CLAUSES:
        assert "att anta budgeten" not in section
    paragraph.refresh_from_db()
    assert paragraph.decision_kind == kind


def test_the_form_lets_the_secretary_choose_the_kind(board, client_for, organisation):  # noqa: F811
    paragraph = add_paragraph(board)
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:paragraph_edit", kwargs={"pk": paragraph.pk})
    assert 'name="decision_kind"' in client.get(url).content.decode()
    data = {"title": "Budget", "version": paragraph.version, "decision_kind": "referred", "decision_clauses": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Ange vart ärendet hänskjuts" in response.content.decode()
    response = client.post(url, {**data, "decision_note": "kommunstyrelsen"})
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert (paragraph.decision_kind, paragraph.decision_note) == ("referred", "kommunstyrelsen")


def test_a_standard_formula_takes_no_att_satser(board):  # noqa: F811
    paragraph = add_paragraph(board, clauses=())
    with pytest.raises(ValidationError) as info:
        services.paragraph_update(
            paragraph=paragraph,
            actor=board.secretary,
            title="Information",
            decision_kind="noted",
            decision_clauses=["att notera informationen"],
        )
    assert "har inga att-satser" in info.value.message_dict["decision_clauses"][0]


def test_as_proposed_takes_the_agenda_items_forslag(board):  # noqa: F811
    item = AgendaItemFactory(meeting=board.meeting, title="Budget", proposed_clauses=["att anta budgeten"])
    paragraph = services.paragraph_add(minutes=board.minutes, actor=board.secretary, title="", agenda_item=item)
    paragraph = services.paragraph_update(
        paragraph=paragraph, actor=board.secretary, title="Budget", decision_kind="as_proposed", decision_clauses=[]
    )
    assert paragraph.decision_clauses == ["att anta budgeten"]
    assert paragraph.has_decision


def test_a_paragraph_from_the_agenda_starts_with_a_fitting_kind(board):  # noqa: F811
    def kind_for(kind, proposed=()):
        item = AgendaItemFactory(meeting=board.meeting, kind=kind, title=kind, proposed_clauses=list(proposed))
        return services.paragraph_add(minutes=board.minutes, actor=board.secretary, title="", agenda_item=item)

    assert kind_for(AgendaItemKind.STANDARD).decision_kind == "none"
    assert kind_for(AgendaItemKind.INFORMATION).decision_kind == "noted"
    assert kind_for(AgendaItemKind.INFORMATION, ["att notera informationen"]).decision_kind == "clauses"
    assert kind_for(AgendaItemKind.CASE).decision_kind == "clauses"


def test_a_text_only_paragraph_can_go_for_justering(board):  # noqa: F811
    fill(board)
    paragraph = add_paragraph(board, title="Mötets öppnande", clauses=())
    services.paragraph_update(
        paragraph=paragraph,
        actor=board.secretary,
        title="Mötets öppnande",
        body="Ordföranden förklarar mötet öppnat.",
        decision_kind="none",
    )
    services.signatories_set(minutes=board.minutes, actor=board.secretary, chair=board.chair, verifiers=[board.bo])
    services.minutes_send_for_verification(minutes=board.minutes, actor=board.secretary, verification_url="http://x/")
    board.minutes.refresh_from_db()
    assert board.minutes.status == "in_verification"


def test_the_anslag_shows_the_standard_formula(board):  # noqa: F811
    paragraph = _save_kind(board, add_paragraph(board, clauses=()), "referred")

    class FakePosting:
        minutes_id = board.minutes.pk
        minutes = board.minutes

    (public,) = public_paragraphs(posting=FakePosting())
    assert public.number == paragraph.number
    assert public.decision == "Förbundsstyrelsen hänskjuter ärendet till medlemmarnas samråd."
    assert public.clauses == ()


# -- Majority and quorum ---------------------------------------------------------------------------------------

TWO_THIRDS = voting.MajorityRule(qualified=True, fraction=Fraction(2, 3), basis="present")


def test_kvalificerad_majoritet_counts_on_the_present_and_ignores_the_casting_vote():
    # 5 present: 2/3 of 5 is 3.33, so 4 ja-röster are needed.
    assert voting.outcome(4, 1, None, rule=TWO_THIRDS, present=5) == "yes"
    assert voting.outcome(3, 2, None, rule=TWO_THIRDS, present=5) == voting.NO_MAJORITY
    # Abstentions count in the base: 3 ja of 4 present is 3/4 ≥ 2/3; of 5 present it is not.
    assert voting.outcome(3, 0, None, rule=TWO_THIRDS, present=4) == "yes"
    assert voting.outcome(3, 0, None, rule=TWO_THIRDS, present=5) == voting.NO_MAJORITY
    assert voting.outcome(1, 4, None, rule=TWO_THIRDS, present=5) == "no"
    # A tie: no utslagsröst under kvalificerad majoritet.
    assert voting.outcome(2, 2, "yes", rule=TWO_THIRDS, present=4) == voting.NO_MAJORITY
    assert not voting.is_tie(2, 2, rule=TWO_THIRDS) and voting.is_tie(2, 2)
    # Of the votes cast: 2 ja 1 nej is exactly 2/3.
    cast = voting.MajorityRule(qualified=True, fraction=Fraction(2, 3), basis="cast")
    assert voting.outcome(2, 1, None, rule=cast, present=5) == "yes"
    # Enkel majoritet as before.
    assert voting.outcome(3, 2, None) == "yes"


def test_rule_of_the_committee():
    committee = Committee(majority_rule="qualified", majority_fraction="3/4", majority_basis="present")
    rule = voting.MajorityRule.of(committee)
    assert rule.qualified and rule.fraction == Fraction(3, 4)
    assert voting.MajorityRule.of(Committee()) == voting.SIMPLE_MAJORITY
    assert committee.majority_text == "kvalificerad majoritet (minst 3/4 av de närvarande röstberättigade)"


def test_result_wording():
    assert voting.count_text(3, 2) == "3 ja-röster mot 2 nej-röster"
    assert voting.count_text(1, 1, 1) == "1 ja-röst mot 1 nej-röst, 1 avstår"


def test_vote_record_applies_the_committees_kvalificerad_majoritet(board, client_for, organisation):  # noqa: F811
    Committee.objects.filter(pk=board.committee.pk).update(majority_rule="qualified", majority_fraction="2/3")
    fill(board)
    paragraph = add_paragraph(board)
    vote = services.vote_add(
        paragraph=paragraph, actor=board.secretary, question="Bifall?", yes_means="bifall", no_means="avslag"
    )
    # Anna, Bo, Cecilia decide: 2 ja of 3 present is 2/3 — enough.
    result = services.vote_record(
        vote=vote, actor=board.secretary, choices={board.chair.pk: "yes", board.bo.pk: "yes", board.cecilia.pk: "no"}
    )
    assert result == "yes"
    result = services.vote_record(
        vote=vote,
        actor=board.secretary,
        choices={board.chair.pk: "yes", board.bo.pk: "abstain", board.cecilia.pk: "no"},
    )
    assert result == voting.NO_MAJORITY
    client = client_for(organisation, Role.SECRETARY)
    ballots = client.get(reverse("minutes:vote_ballots", kwargs={"pk": vote.pk})).content.decode()
    assert 'name="casting_vote"' not in ballots  # no utslagsröst under kvalificerad majoritet
    assert "ordförandens utslagsröst gäller inte" in ballots
    response = client.post(
        reverse("minutes:vote_ballots", kwargs={"pk": vote.pk}),
        {f"person_{board.chair.pk}": "yes", f"person_{board.bo.pk}": "abstain", f"person_{board.cecilia.pk}": "no"},
        follow=True,
    )
    assert "Ingen proposition fick den majoritet som krävs." in response.content.decode()
    page = client.get(reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})).content.decode()
    assert "1 ja-röst mot 1 nej-röst, 1 avstår" in page
    assert "Ingen av propositionerna fick kvalificerad majoritet, minst 2/3 av de närvarande röstberättigade" in page


def test_quorum_warns_but_does_not_block(board, client_for, organisation):  # noqa: F811
    from meetings.voting_selectors import minutes_quorum_warnings, quorum_for

    # Three ledamöter: more than half is 2 (KL 6 kap. 27 §).
    services.attendance_add(minutes=board.minutes, actor=board.secretary, person=board.chair, capacity="decision_maker")
    paragraph = add_paragraph(board)
    assert quorum_for(board.minutes) == 2
    page = (
        client_for(organisation, Role.SECRETARY)
        .get(reverse("minutes:paragraph_edit", kwargs={"pk": paragraph.pk}))
        .content.decode()
    )
    warning = "I § 1 är 1 beslutande närvarande, men organet är beslutsfört först med 2."
    assert warning in page
    protokoll = (
        client_for(organisation, Role.SECRETARY)
        .get(reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk}))
        .content.decode()
    )
    assert warning in protokoll and 'id="quorum-warning"' in protokoll
    services.attendance_add(minutes=board.minutes, actor=board.secretary, person=board.bo, capacity="decision_maker")
    page = (
        client_for(organisation, Role.SECRETARY)
        .get(reverse("minutes:paragraph_edit", kwargs={"pk": paragraph.pk}))
        .content.decode()
    )
    assert "beslutsfört först" not in page
    # The committee's own figure (seed 003: minst tre).
    Committee.objects.filter(pk=board.committee.pk).update(quorum=3)
    from meetings.minutes_selectors import minutes_full

    minutes = minutes_full(organisation=organisation, pk=board.minutes.pk)
    assert minutes_quorum_warnings(minutes) == [
        "I § 1 är 2 beslutande närvarande, men organet är beslutsfört först med 3. "
        "Kontrollera närvaron: beslut som fattas utan beslutförhet kan upphävas."
    ]


def test_committee_form_sets_majority_and_quorum(board, client_for, organisation):  # noqa: F811
    client = client_for(organisation, Role.ADMIN)
    url = reverse("meetings:committee_edit", args=[board.committee.pk])
    data = {
        "name": board.committee.name,
        "short_name": board.committee.short_name,
        "kind": board.committee.kind,
        "majority_rule": "qualified",
        "majority_fraction": "3/4",
        "majority_basis": "present",
        "quorum": "0",
    }
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    assert "Beslutförheten är minst 1." in response.content.decode()
    response = client.post(url, {**data, "quorum": "3"})
    assert response.status_code == 302
    board.committee.refresh_from_db()
    assert (board.committee.majority_rule, board.committee.majority_fraction, board.committee.quorum) == (
        "qualified",
        "3/4",
        3,
    )


def test_demo_styrelse_has_seed_003s_rule():
    from core.demo import FEDERATION, seed_core

    seed_core()
    styrelse = Committee.objects.get(organisation__name=FEDERATION, short_name="STY")
    # Förbundsordningen 6 §: minst tre ledamöter; kvalificerad majoritet av de närvarande röstberättigade.
    assert (styrelse.majority_rule, styrelse.majority_fraction, styrelse.majority_basis, styrelse.quorum) == (
        "qualified",
        "2/3",
        "present",
        3,
    )


# -- Jäv with an ersättare -------------------------------------------------------------------------------------


def test_an_ersattare_serves_for_the_javig_in_that_paragraph_only(board):  # noqa: F811
    fill(board)
    first = add_paragraph(board, title="Första")
    second = add_paragraph(board, title="Andra")
    recusal = services.recusal_add(
        paragraph=first, actor=board.secretary, person=board.bo, note="delägare", substitute=board.david
    )
    assert recusal.substitute_attendance.capacity == Attendance.Capacity.SERVING_SUBSTITUTE
    assert (recusal.substitute_attendance.from_paragraph, recusal.substitute_attendance.to_paragraph) == (
        first.number,
        first.number,
    )
    names = {p.first_name for p in services.paragraph_decision_makers(first)}
    assert names == {"Anna", "Cecilia", "David"}
    names = {p.first_name for p in services.paragraph_decision_makers(second)}
    assert names == {"Anna", "Bo", "Cecilia"}
    assert recusal.text == (
        "Bo Exempel (Norrby kommun) anmäler jäv och deltar inte i handläggningen (delägare). David Exempel "
        "tjänstgör i stället i paragrafen."
    )
    with pytest.raises(ValidationError, match="Ta bort jävet i paragrafen i stället"):
        services.attendance_remove(attendance=recusal.substitute_attendance, actor=board.secretary)
    services.recusal_remove(recusal=recusal, actor=board.secretary)
    assert not Attendance.objects.filter(minutes=board.minutes, capacity="serving_substitute").exists()
    # The standard wording names the party, as the secretary writes it.
    other = services.recusal_add(paragraph=second, actor=board.secretary, person=board.cecilia)
    assert other.wording == "Cecilia Exempel (M) anmäler jäv och deltar inte i handläggningen."


def test_the_javs_own_wording_is_printed_first(board, client_for, organisation):  # noqa: F811
    fill(board)
    paragraph = add_paragraph(board, title="Budget")
    services.paragraph_update(
        paragraph=paragraph,
        actor=board.secretary,
        title="Budget",
        body="Förvaltningen redogör.",
        decision_clauses=["att anta budgeten"],
    )
    client = client_for(organisation, Role.SECRETARY)
    page = client.get(reverse("minutes:paragraph_edit", kwargs={"pk": paragraph.pk})).content.decode()
    # The standard sentence rides on each option; paragraf.js fills it in when the person is chosen.
    assert 'data-wording="Cecilia Exempel (M) anmäler jäv och deltar inte i handläggningen."' in page
    assert 'data-wording-target="recusal-wording"' in page and 'data-wording-substitute="recusal-wording"' in page
    url = reverse("minutes:recusal_add", kwargs={"pk": paragraph.pk})
    response = client.post(
        url,
        {
            "recusal-person": board.bo.pk,
            "recusal-substitute": board.david.pk,
            "recusal-wording": "Bo Exempel (Norrby kommun) anmäler jäv och lämnar lokalen.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})).content.decode()
    assert page.index("Bo Exempel (Norrby kommun) anmäler jäv och lämnar lokalen.") < page.index(
        "Förvaltningen redogör."
    )
    html = rendering.build_html(MinutesDocument(organisation=organisation, params={"minutes": board.minutes.pk}))
    assert html.index("anmäler jäv och lämnar lokalen.") < html.index("Förvaltningen redogör.")
    assert "David Exempel" in html


def test_only_a_present_ersattare_may_serve(board):  # noqa: F811
    services.attendance_add(minutes=board.minutes, actor=board.secretary, person=board.chair, capacity="decision_maker")
    services.attendance_add(minutes=board.minutes, actor=board.secretary, person=board.bo, capacity="decision_maker")
    paragraph = add_paragraph(board)
    with pytest.raises(ValidationError) as info:
        services.recusal_add(paragraph=paragraph, actor=board.secretary, person=board.bo, substitute=board.david)
    assert "finns inte som ersättare i närvarolistan" in info.value.message_dict["substitute"][0]


# -- Reservation after a ja-röst -------------------------------------------------------------------------------


def test_a_reservation_by_someone_who_voted_for_the_beslut_gets_a_warning(board, client_for, organisation):  # noqa: F811
    fill(board)
    paragraph = add_paragraph(board)
    vote = services.vote_add(
        paragraph=paragraph, actor=board.secretary, question="Bifall?", yes_means="bifall", no_means="avslag"
    )
    services.vote_record(
        vote=vote, actor=board.secretary, choices={board.chair.pk: "yes", board.bo.pk: "yes", board.cecilia.pk: "no"}
    )
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:dissent_add", kwargs={"pk": paragraph.pk})
    response = client.post(url, {"dissent-person": board.bo.pk}, follow=True)
    text = response.content.decode()
    assert "Bo Exempel röstade ja i votering 1, alltså för beslutet, och reserverar sig mot det." in text
    # Cecilia voted nej: her reservation is what a reservation is for.
    dissent = services.dissent_add(paragraph=paragraph, actor=board.secretary, person=board.cecilia)
    assert dissent.warnings == []


def test_the_reservation_form_keeps_its_list_after_an_error(board, client_for, organisation):  # noqa: F811
    fill(board)
    paragraph = add_paragraph(board)
    services.recusal_add(paragraph=paragraph, actor=board.secretary, person=board.cecilia)
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:dissent_add", kwargs={"pk": paragraph.pk})
    services.dissent_add(paragraph=paragraph, actor=board.secretary, person=board.bo)
    response = client.post(url, {"dissent-person": board.bo.pk, "dissent-note": "Fel"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "har redan reserverat sig" in text
    select = re.search(r'<select name="dissent-person".*?</select>', text, re.S).group(0)
    # The beslutande of the § (not Cecilia, who is jävig, nor the ersättare David), the choice kept.
    assert "Anna Exempel" in select and "Bo Exempel" in select
    assert "Cecilia Exempel" not in select and "David Exempel" not in select
    assert re.search(rf'<option value="{board.bo.pk}" selected', select)
    assert "Fel" in text


def test_the_printed_pdf_words_a_standard_beslut_and_the_vote(board, organisation):  # noqa: F811
    from .test_minutes_pdf import pdf_text

    fill(board)
    referred = _save_kind(board, add_paragraph(board, clauses=()), "referred")
    voted = add_paragraph(board, title="Budget")
    vote = services.vote_add(
        paragraph=voted, actor=board.secretary, question="Bifall?", yes_means="bifall", no_means="avslag"
    )
    services.vote_record(
        vote=vote, actor=board.secretary, choices={board.chair.pk: "yes", board.bo.pk: "yes", board.cecilia.pk: "no"}
    )
    text = pdf_text(MinutesDocument(organisation=organisation, params={"minutes": board.minutes.pk}))
    assert f"§ {referred.number}" in text
    assert "Förbundsstyrelsen hänskjuter ärendet till medlemmarnas samråd." in text
    assert "Resultat: 2 ja-röster mot 1 nej-röst." in text
