"""The protokoll editor: attendance, §, jäv, reservationer, voteringar, justering, locking and rättelse."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from meetings import minutes_services as services
from meetings.models import (
    MINUTES_LOCKED_MESSAGE,
    PARAGRAPH_LOCKED_MESSAGE,
    Attendance,
    Ballot,
    Correction,
    Membership,
    Minutes,
    Paragraph,
    Signatory,
    Vote,
)
from tests.factories import CommitteeFactory, MembershipFactory, OrganisationFactory, PersonFactory, user_with_role

from .factories import AgendaItemFactory, MeetingFactory, MinutesFactory

pytestmark = pytest.mark.django_db
MEETING_DAY = dt.date(2019, 11, 28)
SINCE = dt.date(2019, 1, 1)


@pytest.fixture
def secretary(organisation):
    return user_with_role(organisation, Role.SECRETARY, first_name="Sara", last_name="Sekreterare")


@pytest.fixture
def board(organisation, secretary):
    """A samordningsförbund-like styrelse: chair (S), two ledamöter, one ersättare; a protokoll in draft."""
    committee = CommitteeFactory(organisation=organisation, name="Förbundsstyrelsen", short_name="FS")
    county = OrganisationFactory(name="Norrby kommun")

    def seat(first, role, **extra):
        person = PersonFactory(organisation=organisation, first_name=first, last_name="Exempel", email=f"{first}@ex.se")
        MembershipFactory(committee=committee, person=person, role=role, starts_on=SINCE, **extra)
        return person

    chair = seat("Anna", Membership.Role.CHAIR, party="S")
    bo = seat("Bo", Membership.Role.MEMBER, represents=county)
    cecilia = seat("Cecilia", Membership.Role.MEMBER, party="M")
    david = seat("David", Membership.Role.SUBSTITUTE, party="S", substitute_order=1)
    # Someone whose seat ended before the meeting is not fetched.
    MembershipFactory(committee=committee, role=Membership.Role.MEMBER, starts_on=SINCE, ends_on=dt.date(2019, 6, 30))
    meeting = MeetingFactory(committee=committee, date=MEETING_DAY)
    minutes = MinutesFactory(meeting=meeting)
    return SimpleNamespace(
        committee=committee,
        meeting=meeting,
        minutes=minutes,
        chair=chair,
        bo=bo,
        cecilia=cecilia,
        david=david,
        county=county,
        secretary=secretary,
    )


def fill(board):
    return services.attendance_fill_from_memberships(minutes=board.minutes, actor=board.secretary)


def add_paragraph(board, title="Ärende", clauses=("att godkänna förslaget",)):
    paragraph = services.paragraph_add(minutes=board.minutes, actor=board.secretary, title=title)
    if clauses:
        paragraph = services.paragraph_update(
            paragraph=paragraph, actor=board.secretary, title=title, decision_clauses=list(clauses)
        )
    return paragraph


SIGN_PASSWORD = "demo-lösenord-123"  # UserFactory's


def sign_data(signatory, password=SIGN_PASSWORD, **extra):
    """What the justering form posts: the password typed again (and the TOTP code when on)."""
    return {f"s{signatory.pk}-password": password, **{f"s{signatory.pk}-{k}": v for k, v in extra.items()}}


def login_person(organisation, person, role=Role.MEMBER):
    user = user_with_role(organisation, role)
    person.user = user
    person.save()
    return user


# -- Attendance -----------------------------------------------------------------------------------------------


def test_fetch_members_fills_beslutande_and_ersattare_from_memberships_on_the_day(board):
    added = fill(board)
    rows = {a.person.first_name: a for a in added}
    assert set(rows) == {"Anna", "Bo", "Cecilia", "David"}
    assert rows["Anna"].capacity == Attendance.Capacity.DECISION_MAKER
    assert rows["Anna"].role_text == "ordförande, (S)"
    assert rows["Bo"].role_text == "Norrby kommun"
    assert rows["David"].capacity == Attendance.Capacity.SUBSTITUTE
    assert fill(board) == []  # nobody twice
    assert Attendance.objects.get(person=board.chair).history.first().history_user == board.secretary


def test_serving_substitute_must_name_a_ledamot_they_replace(board, organisation):
    with pytest.raises(ValidationError) as info:
        services.attendance_add(
            minutes=board.minutes, actor=board.secretary, person=board.david, capacity="serving_substitute"
        )
    assert info.value.message_dict["replaces"] == ["Ange vilken ledamot den tjänstgörande ersättaren ersätter."]
    outsider = PersonFactory(organisation=organisation, first_name="Olle", last_name="Utanför")
    with pytest.raises(ValidationError, match="Olle Utanför är inte ledamot"):
        services.attendance_add(
            minutes=board.minutes,
            actor=board.secretary,
            person=board.david,
            capacity="serving_substitute",
            replaces=outsider,
        )
    row = services.attendance_add(
        minutes=board.minutes,
        actor=board.secretary,
        person=board.david,
        capacity="serving_substitute",
        replaces=board.bo,
        from_paragraph=75,
        to_paragraph=81,
    )
    assert row.role_text == "(S)" and row.replaces == board.bo


def test_attendance_range_must_run_forwards_and_official_gets_the_title(board, organisation):
    official = PersonFactory(
        organisation=organisation, first_name="Tove", last_name="Tjänsteperson", title="Förbundschef"
    )
    with pytest.raises(ValidationError) as info:
        services.attendance_add(
            minutes=board.minutes,
            actor=board.secretary,
            person=official,
            capacity="official",
            from_paragraph=80,
            to_paragraph=75,
        )
    assert "Till § (75) kan inte vara mindre än från § (80)." in info.value.message_dict["to_paragraph"]
    row = services.attendance_add(minutes=board.minutes, actor=board.secretary, person=official, capacity="official")
    assert row.role_text == "Förbundschef"


def test_attendance_page_shows_range_and_refuses_bad_input_keeping_what_was_typed(board, client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:attendance_add", kwargs={"pk": board.minutes.pk})
    response = client.post(url, {"person": board.david.pk, "capacity": "serving_substitute", "role_text": "Skrivet"})
    assert response.status_code == 400
    assert "Ange vilken ledamot den tjänstgörande ersättaren ersätter." in response.content.decode()
    assert 'value="Skrivet"' in response.content.decode()
    response = client.post(
        url, {"person": board.bo.pk, "capacity": "decision_maker", "from_paragraph": 75, "to_paragraph": 81}
    )
    assert response.status_code == 302
    page = client.get(reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})).content.decode()
    assert "§§\xa075–81" in page


# -- Paragraphs, jäv, reservationer, voteringar ------------------------------------------------------------------


def test_paragraph_from_agenda_item_brings_proposal_and_confidentiality(board, client_for, organisation):
    item = AgendaItemFactory(
        meeting=board.meeting,
        title="Ansökan om bistånd",
        proposed_clauses=["att bevilja ansökan"],
        confidential=True,
        legal_basis="OSL 26 kap. 1 §",
    )
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(reverse("minutes:paragraph_add", kwargs={"pk": board.minutes.pk}), {"agenda_item": item.pk})
    assert response.status_code == 302
    paragraph = Paragraph.objects.get(minutes=board.minutes)
    assert (paragraph.number, paragraph.title, paragraph.decision_clauses) == (
        1,
        "Ansökan om bistånd",
        ["att bevilja ansökan"],
    )
    assert paragraph.confidential and paragraph.legal_basis == "OSL 26 kap. 1 §"
    # An economist (no view_confidential) sees only that the § is confidential.
    page = client_for(organisation, Role.ECONOMIST).get(
        reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})
    )
    assert "Ansökan om bistånd" not in page.content.decode()
    assert "Paragrafen omfattas av sekretess" in page.content.decode()
    assert (
        "Ansökan om bistånd"
        in client.get(reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})).content.decode()
    )


def test_decision_clauses_must_start_with_att(board, client_for, organisation):
    paragraph = add_paragraph(board, clauses=())
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:paragraph_edit", kwargs={"pk": paragraph.pk})
    data = {"title": "Budget", "version": paragraph.version}
    response = client.post(url, {**data, "decision_clauses": "att anta budgeten\nGodkänna rapporten"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Rad 2 börjar inte med ”att ”: ”Godkänna rapporten”. Skriv en att-sats per rad" in body
    assert "Godkänna rapporten" in body  # what the user typed is kept
    paragraph.refresh_from_db()
    assert paragraph.decision_clauses == []
    response = client.post(url, {**data, "decision_clauses": "att anta budgeten\n\natt  godkänna rapporten"})
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.decision_clauses == ["att anta budgeten", "att godkänna rapporten"]


def test_confidential_paragraph_needs_a_legal_basis(board):
    paragraph = add_paragraph(board)
    with pytest.raises(ValidationError) as info:
        services.paragraph_update(paragraph=paragraph, actor=board.secretary, title="X", confidential=True)
    assert "Ange sekretessgrund" in str(info.value)


def test_only_beslutande_of_the_paragraph_may_reserve(board):
    fill(board)
    paragraph = add_paragraph(board)
    with pytest.raises(ValidationError, match="Bara beslutande i § 1 kan reservera sig"):
        services.dissent_add(paragraph=paragraph, actor=board.secretary, person=board.david)
    services.recusal_add(paragraph=paragraph, actor=board.secretary, person=board.bo)
    with pytest.raises(ValidationError, match="Bo Exempel är inte beslutande"):
        services.dissent_add(paragraph=paragraph, actor=board.secretary, person=board.bo)
    dissent = services.dissent_add(paragraph=paragraph, actor=board.secretary, person=board.cecilia, motivation="Fel")
    assert dissent.motivation == "Fel"


def test_votering_result_is_computed_and_a_tie_needs_the_casting_vote(board, client_for, organisation):
    fill(board)
    paragraph = add_paragraph(board)
    vote = services.vote_add(
        paragraph=paragraph,
        actor=board.secretary,
        question="Bifall eller avslag",
        yes_means="bifall",
        no_means="avslag",
    )
    services.recusal_add(paragraph=paragraph, actor=board.secretary, person=board.cecilia)
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:vote_ballots", kwargs={"pk": vote.pk})
    page = client.get(url).content.decode()
    assert "Anna Exempel" in page and "Bo Exempel" in page and "Cecilia Exempel" not in page  # exactly the beslutande
    data = {f"person_{board.chair.pk}": "yes", f"person_{board.bo.pk}": "no"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "ange ordförandens utslagsröst (KL 5 kap. 60 §)" in response.content.decode()
    assert not Ballot.objects.filter(vote=vote).exists()
    response = client.post(url, {**data, "casting_vote": "yes"})
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.casting_vote == "yes"
    assert sorted(Ballot.objects.filter(vote=vote).values_list("choice", flat=True)) == ["no", "yes"]
    page = client.get(reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})).content.decode()
    assert "1 ja-röst mot 1 nej-röst; ordförandens utslagsröst: ja – bifall" in page


def test_ersattare_replacing_a_javig_ledamot_votes_in_the_votering(board):
    fill(board)
    paragraph = add_paragraph(board)
    services.recusal_add(paragraph=paragraph, actor=board.secretary, person=board.bo)
    Attendance.objects.filter(person=board.david).delete()
    services.attendance_add(
        minutes=board.minutes,
        actor=board.secretary,
        person=board.david,
        capacity="serving_substitute",
        replaces=board.bo,
        from_paragraph=paragraph.number,
        to_paragraph=paragraph.number,
    )
    vote = services.vote_add(paragraph=paragraph, actor=board.secretary, question="Q", yes_means="ja", no_means="nej")
    with pytest.raises(ValidationError, match="Bara beslutande"):
        services.vote_record(
            vote=vote,
            actor=board.secretary,
            choices={board.bo.pk: "yes", board.chair.pk: "yes", board.cecilia.pk: "no", board.david.pk: "no"},
        )
    with pytest.raises(ValidationError, match="Ange ja, nej eller avstår för: David Exempel"):
        services.vote_record(vote=vote, actor=board.secretary, choices={board.chair.pk: "yes", board.cecilia.pk: "no"})
    result = services.vote_record(
        vote=vote, actor=board.secretary, choices={board.chair.pk: "yes", board.cecilia.pk: "no", board.david.pk: "no"}
    )
    assert result == "no"
    assert set(Ballot.objects.filter(vote=vote).values_list("person", flat=True)) == {
        board.chair.pk,
        board.cecilia.pk,
        board.david.pk,
    }


def test_only_the_last_paragraph_can_be_removed(board, client_for, organisation):
    first = add_paragraph(board, "Första")
    add_paragraph(board, "Andra")
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(reverse("minutes:paragraph_remove", kwargs={"pk": first.pk}), follow=True)
    assert "kan inte tas bort eftersom senare paragrafer redan har nummer" in response.content.decode()
    assert Paragraph.objects.filter(pk=first.pk).exists()


# -- Justering --------------------------------------------------------------------------------------------------


def ready_for_verification(board):
    fill(board)
    add_paragraph(board, "Mötets öppnande")
    add_paragraph(board, "Budget")
    services.signatories_set(minutes=board.minutes, actor=board.secretary, chair=board.chair, verifiers=[board.cecilia])


def test_sending_for_verification_needs_a_verifier_and_a_decision_in_every_paragraph(board, client_for, organisation):
    fill(board)
    add_paragraph(board, "Öppnande", clauses=())
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:send_for_verification", kwargs={"pk": board.minutes.pk})
    response = client.post(url, follow=True)
    assert "Ange minst en justerare innan protokollet skickas för justering." in response.content.decode()
    services.signatories_set(minutes=board.minutes, actor=board.secretary, chair=board.chair, verifiers=[board.bo])
    response = client.post(url, follow=True)
    assert "Saknas i: § 1." in response.content.decode()
    board.minutes.refresh_from_db()
    assert board.minutes.status == Minutes.Status.DRAFT
    Paragraph.objects.filter(minutes=board.minutes).update(protocol_notes="Ordföranden öppnade mötet.")
    response = client.post(url)
    assert response.status_code == 302
    board.minutes.refresh_from_db()
    assert board.minutes.status == Minutes.Status.IN_VERIFICATION


def test_verifiers_are_chosen_among_beslutande(board):
    fill(board)
    with pytest.raises(ValidationError, match="David Exempel är inte beslutande"):
        services.signatories_set(
            minutes=board.minutes, actor=board.secretary, chair=board.chair, verifiers=[board.david]
        )


def test_signing_locks_when_chair_and_every_verifier_approved_and_archives_the_pdf(
    board, client_for, organisation, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    ready_for_verification(board)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_send_for_verification(
            minutes=board.minutes, actor=board.secretary, verification_url="http://x/j/"
        )
    # The sekreterare (defaulted to the secretary's own person) signs too, so gets the link as well.
    assert sorted(mail.outbox[0].to) == sorted(["Anna@ex.se", "Cecilia@ex.se", board.secretary.email])
    assert "http://x/j/" in mail.outbox[0].body

    chair_user = login_person(organisation, board.chair)
    verifier_user = login_person(organisation, board.cecilia)
    chair_sig = Signatory.objects.get(minutes=board.minutes, role="chair")
    verifier_sig = Signatory.objects.get(minutes=board.minutes, role="verifier")

    # Someone else (even an administrator) cannot approve in the justerare's place.
    admin = client_for(organisation, Role.ADMIN)
    assert admin.post(reverse("minutes:sign", kwargs={"pk": verifier_sig.pk})).status_code == 403

    from django.test import Client

    chair_client = Client(HTTP_USER_AGENT="Testläsare/1.0", REMOTE_ADDR="10.1.2.3")
    chair_client.force_login(chair_user)
    assert (
        chair_client.post(reverse("minutes:sign", kwargs={"pk": chair_sig.pk}), sign_data(chair_sig)).status_code == 302
    )
    chair_sig.refresh_from_db()
    assert chair_sig.method == "inloggning" and chair_sig.ip_address == "10.1.2.3"
    assert chair_sig.user_agent == "Testläsare/1.0" and chair_sig.signed_by == chair_user
    board.minutes.refresh_from_db()
    assert not board.minutes.is_locked

    verifier_client = Client()
    verifier_client.force_login(verifier_user)  # a ledamot: the one write they have
    with django_capture_on_commit_callbacks(execute=True):
        signed = verifier_client.post(reverse("minutes:sign", kwargs={"pk": verifier_sig.pk}), sign_data(verifier_sig))
        assert signed.status_code == 302
    board.minutes.refresh_from_db()
    assert board.minutes.status == Minutes.Status.VERIFIED and board.minutes.verified_at
    job = board.minutes.archived_job
    assert job is not None and job.kind == "meetings.minutes" and job.params == {"minutes": board.minutes.pk}
    assert job.status == "done", job.error
    assert len(job.output_sha256) == 64

    page = verifier_client.get(reverse("minutes:verification", kwargs={"pk": board.minutes.pk})).content.decode()
    assert "10.1.2.3" in page and "Testläsare/1.0" in page


def test_late_justering_shows_a_warning(board, client_for, organisation):
    client = client_for(organisation, Role.MEMBER)
    page = client.get(reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})).content.decode()
    assert "protokollet är inte justerat; justering ska ske inom 14 dagar" in page
    recent = MinutesFactory(meeting=MeetingFactory(committee=board.committee, date=timezone.localdate()))
    page = client.get(reverse("minutes:minutes_detail", kwargs={"pk": recent.pk})).content.decode()
    assert "late-warning" not in page


# -- Locking ----------------------------------------------------------------------------------------------------


@pytest.fixture
def locked(board, organisation):
    """A justerat protokoll with one of everything, so every write has something to aim at."""
    fill(board)
    paragraph = add_paragraph(board)
    services.recusal_add(paragraph=paragraph, actor=board.secretary, person=board.bo)
    dissent = services.dissent_add(paragraph=paragraph, actor=board.secretary, person=board.cecilia)
    vote = services.vote_add(paragraph=paragraph, actor=board.secretary, question="Q", yes_means="j", no_means="n")
    services.signatories_set(minutes=board.minutes, actor=board.secretary, chair=board.chair, verifiers=[board.cecilia])
    Minutes.objects.filter(pk=board.minutes.pk).update(status="verified", verified_at=timezone.now())
    board.paragraph, board.vote, board.dissent = paragraph, vote, dissent
    board.extra = PersonFactory(organisation=organisation, first_name="Extra", last_name="Person")
    board.recusal = paragraph.recusals.get()
    board.attendance = Attendance.objects.get(person=board.david)
    board.signatory = Signatory.objects.get(minutes=board.minutes, role="chair")
    return board


def every_write(b):
    """Each write service of minutes_services, called with valid arguments against the locked protokoll."""
    actor = b.secretary
    return {
        "minutes_update_front": lambda: services.minutes_update_front(
            minutes=b.minutes, actor=actor, verification_place="Kansliet", verification_date=MEETING_DAY, secretary=None
        ),
        "attendance_add": lambda: services.attendance_add(
            minutes=b.minutes,
            actor=actor,
            person=b.extra,
            capacity="other",
        ),
        "attendance_remove": lambda: services.attendance_remove(attendance=b.attendance, actor=actor),
        "attendance_fill_from_memberships": lambda: services.attendance_fill_from_memberships(
            minutes=b.minutes, actor=actor
        ),
        "signatories_set": lambda: services.signatories_set(
            minutes=b.minutes, actor=actor, chair=b.chair, verifiers=[b.bo]
        ),
        "paragraph_add": lambda: services.paragraph_add(minutes=b.minutes, actor=actor, title="Ny"),
        "paragraph_update": lambda: services.paragraph_update(paragraph=b.paragraph, actor=actor, title="Ändrad"),
        "paragraph_remove": lambda: services.paragraph_remove(paragraph=b.paragraph, actor=actor),
        "paragraph_verify_immediately": lambda: services.paragraph_verify_immediately(
            paragraph=b.paragraph, actor=actor
        ),
        "recusal_add": lambda: services.recusal_add(paragraph=b.paragraph, actor=actor, person=b.chair),
        "recusal_remove": lambda: services.recusal_remove(recusal=b.recusal, actor=actor),
        "dissent_add": lambda: services.dissent_add(paragraph=b.paragraph, actor=actor, person=b.chair),
        "dissent_remove": lambda: services.dissent_remove(dissent=b.dissent, actor=actor),
        "vote_add": lambda: services.vote_add(
            paragraph=b.paragraph, actor=actor, question="Q", yes_means="j", no_means="n"
        ),
        "vote_record": lambda: services.vote_record(
            vote=b.vote, actor=actor, choices={b.chair.pk: "yes", b.david.pk: "no"}, casting_vote="yes"
        ),
        "vote_remove": lambda: services.vote_remove(vote=b.vote, actor=actor),
        "minutes_send_for_verification": lambda: services.minutes_send_for_verification(
            minutes=b.minutes, actor=actor, verification_url="http://x/"
        ),
        "signatory_approve": lambda: services.signatory_approve(signatory=b.signatory, actor=actor),
        "minutes_recall_verification": lambda: services.minutes_recall_verification(minutes=b.minutes, actor=actor),
    }


def test_every_write_service_refuses_a_locked_protokoll(locked, django_capture_on_commit_callbacks):
    from tests.platform.test_read_only_roles import domain_row_counts

    writes = every_write(locked)
    # The list is complete: every public service of the module that takes an actor is exercised here.
    import inspect

    public = {
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__ == services.__name__
        and not name.startswith("_")
        and "actor" in inspect.signature(fn).parameters
    }
    # Writes meant for a justerat protokoll: a rättelse, and asking again for its archive PDF/A.
    assert public - set(writes) == {"minutes_start", "correction_add", "minutes_archive_request"}
    before = domain_row_counts()
    for name, call in writes.items():
        with pytest.raises(ValidationError) as info:
            call()
        assert info.value.messages == [MINUTES_LOCKED_MESSAGE], name
    assert domain_row_counts() == before


def test_every_write_view_answers_with_the_message_and_changes_nothing(locked, client_for, organisation):
    from tests.platform.test_read_only_roles import domain_row_counts

    b = locked
    client = client_for(organisation, Role.ADMIN)
    posts = {
        "minutes_front": (b.minutes.pk, {"verification_place": "X"}),
        "attendance_add": (b.minutes.pk, {"person": b.extra.pk, "capacity": "other"}),
        "attendance_fill": (b.minutes.pk, {}),
        "attendance_remove": (b.attendance.pk, {}),
        "signatories": (b.minutes.pk, {"chair": b.chair.pk, "verifiers": [b.bo.pk]}),
        "paragraph_add": (b.minutes.pk, {"title": "Ny"}),
        "paragraph_edit": (b.paragraph.pk, {"title": "Ändrad"}),
        "paragraph_remove": (b.paragraph.pk, {}),
        "paragraph_verify": (b.paragraph.pk, {"confirm-confirm": "on"}),
        "recusal_add": (b.paragraph.pk, {"recusal-person": b.chair.pk}),
        "recusal_remove": (b.recusal.pk, {}),
        "dissent_add": (b.paragraph.pk, {"dissent-person": b.chair.pk}),
        "dissent_remove": (b.dissent.pk, {}),
        "vote_add": (b.paragraph.pk, {"vote-question": "Q", "vote-yes_means": "j", "vote-no_means": "n"}),
        "vote_ballots": (
            b.vote.pk,
            {f"person_{b.chair.pk}": "yes", f"person_{b.cecilia.pk}": "no", "casting_vote": "yes"},
        ),
        "vote_remove": (b.vote.pk, {}),
        "send_for_verification": (b.minutes.pk, {}),
    }
    before = domain_row_counts()
    for name, (pk, data) in posts.items():
        response = client.post(reverse(f"minutes:{name}", kwargs={"pk": pk}), data, follow=True)
        assert MINUTES_LOCKED_MESSAGE in response.content.decode(), name
    assert domain_row_counts() == before


def test_omedelbar_justering_locks_one_paragraph(board, client_for, organisation):
    fill(board)
    first = add_paragraph(board, "Brådskande")
    second = add_paragraph(board, "Övrigt")
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:paragraph_verify", kwargs={"pk": first.pk})
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Bekräfta att ordförande och justerare har godkänt paragrafen." in response.content.decode()
    assert client.post(url, {"confirm-confirm": "on"}).status_code == 302
    first.refresh_from_db()
    assert first.immediately_verified_at is not None
    with pytest.raises(ValidationError) as info:
        services.paragraph_update(paragraph=first, actor=board.secretary, title="Ändrad")
    assert info.value.messages == [PARAGRAPH_LOCKED_MESSAGE]
    services.paragraph_update(paragraph=second, actor=board.secretary, title="Ändrad")  # the rest stays open
    # A rättelse of the immediately verified § is possible before the whole protokoll is justerat.
    services.correction_add(
        minutes=board.minutes, actor=board.secretary, paragraph=first, reason="Skrivfel", text="Rätt"
    )


def test_correction_only_after_locking_and_visible_on_the_page(locked, client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:correction_add", kwargs={"pk": locked.minutes.pk})
    response = client.post(url, {"paragraph": locked.paragraph.pk, "reason": "", "text": "Beloppet är 3 550 000 kr."})
    assert response.status_code == 400 and "Ange skälet till rättelsen." in response.content.decode()
    assert "Beloppet är 3 550 000 kr." in response.content.decode()
    response = client.post(
        url, {"paragraph": locked.paragraph.pk, "reason": "Felskrivet belopp", "text": "3 550 000 kr"}
    )
    assert response.status_code == 302
    page = client.get(reverse("minutes:minutes_detail", kwargs={"pk": locked.minutes.pk})).content.decode()
    assert f"Rättelse {timezone.localdate().isoformat()}: Felskrivet belopp" in page
    draft = MinutesFactory(meeting=MeetingFactory(committee=locked.committee, date=dt.date(2019, 12, 12)))
    with pytest.raises(ValidationError, match="Protokollet är inte justerat än"):
        services.correction_add(minutes=draft, actor=locked.secretary, reason="x", text="y")
    assert Correction.objects.count() == 1


# -- Roles and queries ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
def test_read_only_roles_are_refused_every_minutes_write(role, client_for, organisation):
    from tests.platform.builders_minutes import BUILDERS

    client = client_for(organisation, role)
    for name, build in BUILDERS.items():
        status = client.post(reverse(name, kwargs=build(organisation)), {"title": "X"}).status_code
        assert status in {403, 405}, name


def test_protokoll_page_queries_do_not_grow_with_paragraphs(
    board, client_for, organisation, django_assert_max_num_queries
):
    fill(board)
    services.signatories_set(minutes=board.minutes, actor=board.secretary, chair=board.chair, verifiers=[board.bo])
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})

    def grow_to(count):
        while Paragraph.objects.filter(minutes=board.minutes).count() < count:
            p = add_paragraph(board)
            vote = Vote.objects.create(paragraph=p, question="Q", yes_means="j", no_means="n", casting_vote="yes")
            Ballot.objects.create(vote=vote, person=board.chair, choice="yes")
            Ballot.objects.create(vote=vote, person=board.bo, choice="no")
            p.dissents.create(person=board.bo)
            p.recusals.create(person=board.cecilia)

    grow_to(10)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ten:
        assert client.get(url).status_code == 200
    grow_to(100)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Redigera §") == 100


def test_protokoll_out_for_justering_is_read_only_until_recalled(locked):
    """The signatories approve exactly the text that is archived: no edit while it is out for justering."""
    Minutes.objects.filter(pk=locked.minutes.pk).update(
        status="in_verification", verified_at=None, sent_for_verification_at=timezone.now()
    )
    Signatory.objects.filter(pk=locked.signatory.pk).update(signed_at=timezone.now(), method="inloggning")
    for name, call in every_write(locked).items():
        if name in {"signatory_approve", "minutes_recall_verification"}:
            continue
        with pytest.raises(ValidationError) as info:
            call()
        assert info.value.messages == [services.IN_VERIFICATION_MESSAGE], name

    services.minutes_recall_verification(minutes=locked.minutes, actor=locked.secretary)
    locked.minutes.refresh_from_db()
    locked.signatory.refresh_from_db()
    assert locked.minutes.status == Minutes.Status.DRAFT
    assert locked.signatory.signed_at is None and locked.signatory.method == ""
    changed = services.paragraph_update(paragraph=locked.paragraph, actor=locked.secretary, title="Ändrad rubrik")
    assert changed.title == "Ändrad rubrik"


def test_sekreterare_is_chosen_among_staff_only(board, client_for, organisation):
    fill(board)
    staff = PersonFactory(organisation=organisation, user=board.secretary, first_name="Sara", last_name="Sekreterare")
    client = client_for(organisation, Role.SECRETARY)
    for name in ("minutes:signatories", "minutes:minutes_front"):
        html = client.get(reverse(name, args=[board.minutes.pk])).content.decode()
        secretary_select = html.split('name="secretary"')[1].split("</select>")[0]
        assert f'value="{staff.pk}"' in secretary_select, name
        for ledamot in (board.chair, board.bo, board.david):
            assert f'value="{ledamot.pk}"' not in secretary_select, (name, ledamot)
