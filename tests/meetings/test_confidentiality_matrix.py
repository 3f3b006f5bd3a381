"""The confidentiality matrix (issue 6, point 9): every page and every document type, for every reader without
the right to an ärende's sekretess and for the public, never shows it.

The ärende is confidential at ärende level only (tests/meetings/confidential_world.py); its texts carry MARKER.
Every URL of the project is requested (GET, and POST with nothing) with an id of the world's objects; every
registered document type is requested through the document page and, where it is handed out, its HTML (and for
the protokoll, kallelse, utdrag and lagakraftbevis its PDF text) is searched. A URL or document type added
without a line here fails `test_every_url_is_in_the_matrix` / `test_every_document_type_is_in_the_matrix`.
The positive controls show that the marker is there to be found for those who may read it.
"""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import Role
from core.permissions import roles_for
from meetings.confidentiality import ORGANISATION_WIDE_ROLES, SEAT_ROLE
from reporting import rendering
from reporting.documents import get_document_class, registered_documents
from reporting.models import RenderJob
from tests.platform.builders_finance import BUILDERS as FINANCE_BUILDERS
from tests.platform.builders_finance import annual_report as annual_report_builder
from tests.platform.builders_projects import BUILDERS as PROJECT_BUILDERS
from tests.platform.url_catalogue import OTHER_PARAMS, walk

from .confidential_world import MARKER, World, build_world

pytestmark = pytest.mark.django_db

WITHOUT_RIGHT = ["economist", "member_without_seat", "member_of_other_committee", "former_member", "anonymous"]
WITH_RIGHT = ["secretary", "admin", "director", "auditor", "member", "substitute", "member_of_subcommittee"]

# URL name -> the world's objects to call it with (each entry: kwargs). Every route with a parameter is listed.
ROUTE_OBJECTS = {
    "agenda:meeting_detail": lambda w: [{"pk": w.meeting.pk}, {"pk": w.next_meeting.pk}],
    "agenda:meeting_edit": lambda w: [{"pk": w.meeting.pk}, {"pk": w.next_meeting.pk}],
    "agenda:agenda_item_add": lambda w: [{"pk": w.next_meeting.pk}],
    "agenda:agenda_cases_add": lambda w: [{"pk": w.next_meeting.pk}],
    "agenda:agenda_reorder": lambda w: [{"pk": w.next_meeting.pk}],
    "agenda:notice_issue": lambda w: [{"pk": w.next_meeting.pk}],
    "agenda:agenda_item_edit": lambda w: [{"pk": w.item.pk}, {"pk": w.new_item.pk}],
    "agenda:agenda_item_remove": lambda w: [{"pk": w.new_item.pk}],
    "agenda:agenda_item_move": lambda w: [{"pk": w.new_item.pk}],
    "agenda:attachment_upload": lambda w: [{"pk": w.item.pk}, {"pk": w.new_item.pk}],
    "agenda:attachment_download": lambda w: [{"pk": w.item_attachment.pk}, {"pk": w.case_attachment.pk}],
    "agenda:attachment_remove": lambda w: [{"pk": w.item_attachment.pk}, {"pk": w.case_attachment.pk}],
    "cases:series_edit": lambda w: [{"pk": w.series.pk}],
    "cases:case_detail": lambda w: [{"pk": w.case.pk}],
    "cases:case_edit": lambda w: [{"pk": w.case.pk}],
    "cases:officer_report_edit": lambda w: [{"pk": w.case.pk}],
    "cases:attachment_add": lambda w: [{"pk": w.case.pk}],
    "core:audit_object": lambda w: [
        {"app_label": "meetings", "model_name": "case", "pk": w.case.pk},
        {"app_label": "meetings", "model_name": "paragraph", "pk": w.paragraph.pk},
    ],
    "meetings:committee_detail": lambda w: [{"pk": w.committee.pk}],
    "meetings:committee_edit": lambda w: [{"pk": w.committee.pk}],
    "meetings:membership_create": lambda w: [{"pk": w.committee.pk}],
    "meetings:substitute_order": lambda w: [{"pk": w.committee.pk}],
    "meetings:agenda_template_list": lambda w: [{"pk": w.committee.pk}],
    "meetings:agenda_template_item_create": lambda w: [{"pk": w.committee.pk}],
    "meetings:agenda_template_seed": lambda w: [{"pk": w.committee.pk}],
    "meetings:membership_end": lambda w: [{"pk": w.membership.pk}],
    "meetings:membership_replace": lambda w: [{"pk": w.membership.pk}],
    "meetings:membership_invite": lambda w: [{"pk": w.membership.pk}],
    "meetings:agenda_template_item_edit": lambda w: [{"pk": w.template_item.pk}],
    "meetings:agenda_template_item_move": lambda w: [{"pk": w.template_item.pk}],
    "meetings:agenda_template_item_toggle": lambda w: [{"pk": w.template_item.pk}],
    "minutes:minutes_start": lambda w: [{"pk": w.next_meeting.pk}],
    "minutes:session_start": lambda w: [{"pk": w.next_meeting.pk}],
    **{
        f"minutes:{name}": (lambda w: [{"pk": w.paragraph.pk}])
        for name in (
            "session_paragraph",
            "session_as_proposed",
            "session_recusal_add",
            "session_vote_add",
            "session_dissent_add",
        )
    },
    "minutes:session_recusal_remove": lambda w: [{"pk": w.recusal.pk}],
    "minutes:session_vote_remove": lambda w: [{"pk": w.vote.pk}],
    "minutes:session_dissent_remove": lambda w: [{"pk": w.dissent.pk}],
    "minutes:archived_pdf": lambda w: [{"pk": w.minutes.pk}],
    "minutes:archive_again": lambda w: [{"pk": w.minutes.pk}],
    "minutes:paragraph_edit": lambda w: [{"pk": w.paragraph.pk}],
    "minutes:paragraph_remove": lambda w: [{"pk": w.paragraph.pk}],
    "minutes:paragraph_verify": lambda w: [{"pk": w.paragraph.pk}],
    "minutes:recusal_add": lambda w: [{"pk": w.paragraph.pk}],
    "minutes:dissent_add": lambda w: [{"pk": w.paragraph.pk}],
    "minutes:vote_add": lambda w: [{"pk": w.paragraph.pk}],
    "minutes:attendance_remove": lambda w: [{"pk": w.attendance.pk}],
    "minutes:vote_ballots": lambda w: [{"pk": w.vote.pk}],
    "minutes:vote_remove": lambda w: [{"pk": w.vote.pk}],
    "minutes:recusal_remove": lambda w: [{"pk": w.recusal.pk}],
    "minutes:dissent_remove": lambda w: [{"pk": w.dissent.pk}],
    "minutes:sign": lambda w: [{"pk": w.signatory.pk}],
    **{
        f"minutes:{name}": (lambda w: [{"pk": w.minutes.pk}])
        for name in (
            "minutes_detail",
            "minutes_front",
            "attendance_add",
            "attendance_fill",
            "signatories",
            "paragraph_add",
            "send_for_verification",
            "recall_verification",
            "verification",
            "correction_add",
            "session",
            "session_attendance",
            "session_paragraphs_from_agenda",
        )
    },
    "noticeboard:minutes_finality": lambda w: [{"pk": w.minutes.pk}],
    "noticeboard:posting_create": lambda w: [{"pk": w.minutes.pk}],
    "noticeboard:extract_create": lambda w: [{"pk": w.minutes.pk}],
    "noticeboard:appeal_create": lambda w: [{"pk": w.paragraph.pk}],
    "noticeboard:finality_request_create": lambda w: [{"pk": w.minutes.pk}],
    "noticeboard:finality_answer_create": lambda w: [{"pk": w.finality_request.pk}],
    "agenda:meeting_mark_held": lambda w: [{"pk": w.next_meeting.pk}],
    "agenda:meeting_cancel": lambda w: [{"pk": w.next_meeting.pk}],
    "noticeboard:posting_detail": lambda w: [{"pk": w.posting.pk}],
    "noticeboard:minutes_page": lambda w: [{"pk": w.posting.pk}],
    "noticeboard:minutes_pdf": lambda w: [{"pk": w.posting.pk}],
    "noticeboard:organisation": lambda w: [{"slug": w.organisation.slug}],
    "noticeboard:committee_calendar": lambda w: [{"pk": w.committee.pk}],
    "registers:delegated_edit": lambda w: [{"pk": w.delegated.pk}],
    "registers:communication_edit": lambda w: [{"pk": w.communication.pk}],
    "registers:report_to_meeting": lambda w: [{"pk": w.next_meeting.pk}],
    "reporting:job_detail": lambda w: [{"pk": w.archived_job.pk}],
    "reporting:job_progress": lambda w: [{"pk": w.archived_job.pk}],
    "reporting:job_download": lambda w: [{"pk": w.archived_job.pk}],
    **{
        f"core:{name}": (lambda w: [{"pk": w.secretary.pk}])
        for name in ("user_detail", "user_edit", "user_remove", "user_deactivate", "user_activate")
    },
    "core:user_invitation_resend": lambda w: [{"pk": w.secretary.pk}],
    # Insatser hold no ärenden; their pages are walked with an insats of the world's organisation.
    **{name: (lambda w, build=build: [build(w.organisation)]) for name, build in PROJECT_BUILDERS.items()},
    # Finance holds no sekretess of ärenden; its pages are walked with objects of the world's organisation.
    **{name: (lambda w, build=build: [build(w.organisation)]) for name, build in FINANCE_BUILDERS.items()},
}
# Searches and filters that look for the marker itself (the query's own echo in the form is not a leak).
QUERIES = {
    "cases:search": [{"q": MARKER}],
    "cases:case_list": [{"q": MARKER}],
    "registers:delegated_list": [{"q": MARKER}],
    "registers:communication_list": [{"q": MARKER}],
    "noticeboard:search": [{"q": MARKER}],
    "reporting:job_request": [{"kind": "meetings.minutes"}, {"kind": "meetings.notice"}],
}
# Never posted to: logging out would turn the rest of the walk into the anonymous one.
NO_POST = {"logout"}


def _requests(world: World) -> list[tuple[str, str, dict]]:
    """(route name, url, query) for every route of the project."""
    found = []
    for route in sorted(walk(), key=lambda route: route.name):
        if route.params:
            calls = ROUTE_OBJECTS[route.name](world) if route.name in ROUTE_OBJECTS else [OTHER_PARAMS[route.name]]
        else:
            calls = [{}]
        for kwargs in calls:
            url = reverse(route.name, kwargs=kwargs)
            found.append((route.name, url, {}))
            for query in QUERIES.get(route.name, []):
                found.append((route.name, url, query))
    return found


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _without_echo(text: str, query: dict) -> str:
    """The page without the search box echoing what was typed (value="…" and ”…” in "träffar för …")."""
    for value in query.values():
        text = text.replace(f'value="{value}"', "").replace(f"”{value}”", "")
    return text


def _leaks(text: str) -> bool:
    return MARKER.lower() in text.lower()


@pytest.fixture
def world(organisation) -> World:
    return build_world(organisation)


def test_every_url_is_in_the_matrix():
    with_params = [route.name for route in walk() if route.params]
    missing = [name for name in with_params if name not in ROUTE_OBJECTS and name not in OTHER_PARAMS]
    assert not missing, f"Lägg till i ROUTE_OBJECTS i {__name__}: {', '.join(sorted(missing))}"
    assert len(with_params) >= 60


def test_roles_that_read_sekretess_are_staff_revisor_and_seated_ledamot():
    """The role-level permission and the rule name the same roles; every role that edits reads all."""
    assert roles_for("meetings.view_confidential") == ORGANISATION_WIDE_ROLES | {SEAT_ROLE}
    assert Role.ECONOMIST not in roles_for("meetings.view_confidential")
    for perm in ("manage_cases", "manage_meetings", "manage_minutes", "manage_registers", "manage_committees"):
        assert roles_for(f"meetings.{perm}") <= ORGANISATION_WIDE_ROLES, perm


@pytest.mark.parametrize("who", WITHOUT_RIGHT)
def test_no_page_shows_the_confidential_case(world, who):
    client = world.client(who)
    statuses = {}
    for name, url, query in _requests(world):
        response = client.get(url, query)
        statuses[(name, url, bool(query))] = response.status_code
        assert response.status_code < 500, f"GET {url} {query} som {who}"
        assert not _leaks(_without_echo(_text(response), query)), f"GET {url} {query} som {who}"
        if name not in NO_POST and not query:
            response = client.post(url, {})
            assert response.status_code < 500, f"POST {url} som {who}"
            assert not _leaks(_text(response)), f"POST {url} som {who}"
    # The pages that carry the ärende were answered (masked), not merely refused: the test looked at them.
    shown = [
        reverse("agenda:meeting_detail", kwargs={"pk": world.meeting.pk}),
        reverse("agenda:meeting_detail", kwargs={"pk": world.next_meeting.pk}),
        reverse("minutes:minutes_detail", kwargs={"pk": world.minutes.pk}),
        reverse("noticeboard:minutes_finality", kwargs={"pk": world.minutes.pk}),
        reverse("cases:case_list"),
        reverse("registers:delegated_list"),
        reverse("registers:communication_list"),
    ]
    if who == "anonymous":
        shown = [reverse("noticeboard:posting_detail", kwargs={"pk": world.posting.pk})]
    for url in shown:
        answered = [status for (_, page, _), status in statuses.items() if page == url]
        assert answered and all(status == 200 for status in answered), (url, answered)


# The pages where those who may read the ärende find it, as the positive control of the walk above.
def _pages_with_the_case(world: World) -> list[tuple[str, dict]]:
    return [
        (reverse("agenda:meeting_detail", kwargs={"pk": world.meeting.pk}), {}),
        (reverse("agenda:meeting_detail", kwargs={"pk": world.next_meeting.pk}), {}),
        (reverse("minutes:minutes_detail", kwargs={"pk": world.minutes.pk}), {}),
        (reverse("noticeboard:minutes_finality", kwargs={"pk": world.minutes.pk}), {}),
        (reverse("cases:case_detail", kwargs={"pk": world.case.pk}), {}),
        (reverse("cases:case_list"), {}),
        (reverse("cases:search"), {"q": MARKER}),
        (reverse("registers:delegated_list"), {}),
        (reverse("registers:communication_list"), {}),
        (reverse("minutes:archived_pdf", kwargs={"pk": world.minutes.pk}), {}),
    ]


@pytest.mark.parametrize("who", WITH_RIGHT)
def test_those_with_the_right_see_the_case(world, who):
    client = world.client(who)
    for url, query in _pages_with_the_case(world):
        response = client.get(url, query)
        assert response.status_code == 200, f"{url} som {who}"
        assert _leaks(_without_echo(_text(response), query)), f"{url} som {who}"


def test_a_former_member_reads_the_meeting_of_their_time_but_not_the_living_ärende(world):
    client = world.client("member_then")
    minutes_page = client.get(reverse("minutes:minutes_detail", kwargs={"pk": world.minutes.pk}))
    assert f"{MARKER} paragraf" in _text(minutes_page)
    assert client.get(reverse("cases:case_detail", kwargs={"pk": world.case.pk})).status_code == 403
    upcoming = _text(client.get(reverse("agenda:meeting_detail", kwargs={"pk": world.next_meeting.pk})))
    assert not _leaks(upcoming)


# -- Documents ------------------------------------------------------------------------------------------------

# Document kind -> the params to request it with for the world (one entry per document asked for).
DOCUMENT_PARAMS = {
    "core.organisation_factsheet": lambda w: [{}],
    "meetings.minutes": lambda w: [{"minutes": w.minutes.pk}],
    "meetings.minutes_public": lambda w: [{"minutes": w.minutes.pk}],
    "meetings.notice": lambda w: [{"meeting": w.meeting.pk}, {"meeting": w.next_meeting.pk}],
    "meetings.notice_public": lambda w: [{"meeting": w.meeting.pk}, {"meeting": w.next_meeting.pk}],
    "meetings.posting_statement": lambda w: [{"paragraph": w.paragraph.pk}],
    "meetings.finality_request": lambda w: [{"request": w.finality_request.pk}],
    "meetings.notice_documents": lambda w: [{"meeting": w.meeting.pk}],
    "meetings.notice_documents_public": lambda w: [{"meeting": w.meeting.pk}],
    "meetings.extract": lambda w: [{"minutes": w.minutes.pk, "paragraphs": "1,2"}],
    "meetings.posting_certificate": lambda w: [{"posting": w.posting.pk}],
    "projects.status_report": lambda w: [{"report": _status_report(w)}],
    "projects.application": lambda w: [{"application": _application(w)}],
    "finance.annual_report": lambda w: [{"report": annual_report_builder(w.organisation)["pk"]}],
    "finance.monthly_followup": lambda w: [
        {"fiscal_year": FINANCE_BUILDERS["finance:fiscal_year_detail"](w.organisation)["pk"], "month": 5}
    ],
}


def _status_report(world) -> int:
    from tests.projects.document_factories import make_status_report

    return make_status_report(world.organisation).pk


def _application(world) -> int:
    from tests.projects.document_factories import make_application

    return make_application(world.organisation).pk


# Those that print the ärende in full, marked as sekretess: never handed to a reader without the right.
INTERNAL_DOCUMENTS = {"meetings.minutes", "meetings.notice", "meetings.notice_documents", "meetings.extract"}
# Whose PDF text is read as well (the HTML of every document is).
PDF_CHECKED = {"meetings.minutes", "meetings.minutes_public", "meetings.notice", "meetings.notice_public"} | {
    "meetings.notice_documents",
    "meetings.notice_documents_public",
    "meetings.extract",
    "meetings.posting_statement",
    "meetings.finality_request",
}


def test_every_document_type_is_in_the_matrix():
    kinds = {cls.kind for cls in registered_documents()}
    assert kinds == set(DOCUMENT_PARAMS), f"Lägg till i DOCUMENT_PARAMS i {__name__}: {kinds - set(DOCUMENT_PARAMS)}"


def _request_documents(world: World, who: str) -> dict[tuple[str, str], object]:
    """Ask for every document as `who`: (kind, params) -> the job made, or None when refused."""
    client = world.client(who)
    given = {}
    for kind, make in sorted(DOCUMENT_PARAMS.items()):
        for params in make(world):
            before = set(RenderJob.objects.values_list("pk", flat=True))
            response = client.post(reverse("reporting:job_request"), {"kind": kind, **params})
            assert response.status_code in {302, 400, 403}, (kind, params, who, response.status_code)
            assert not _leaks(_text(response)), (kind, params, who)
            job = RenderJob.objects.exclude(pk__in=before).first()
            if response.status_code == 302 and who != "anonymous":
                assert job is not None, (kind, params, who)
            given[(kind, str(params))] = job
    return given


def _html(world: World, job) -> str:
    document = get_document_class(job.kind)(organisation=world.organisation, params=job.params)
    return rendering.build_html(document)


def _pdf_text(html: str) -> str:
    data = rendering.write_pdf(rendering.layout_html(html))
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def pdf_texts():
    """PDF text per document HTML, so the same document is laid out once however many readers get it."""
    cache: dict[str, str] = {}

    def text(html: str) -> str:
        if html not in cache:
            cache[html] = _pdf_text(html)
        return cache[html]

    return text


def test_no_document_shows_the_confidential_case_to_those_without_the_right(world, pdf_texts):
    for who in WITHOUT_RIGHT:
        given = _request_documents(world, who)
        if who == "anonymous":
            assert not any(given.values())
            continue
        for (kind, params), job in given.items():
            if job is None:
                continue
            assert kind not in INTERNAL_DOCUMENTS, (kind, params, who)
            html = _html(world, job)
            assert not _leaks(html), (kind, params, who)
            assert world.case.case_number not in html, (kind, params, who)
            if kind in PDF_CHECKED:
                assert not _leaks(pdf_texts(html)), (kind, params, who)
        # Every public document was handed out, so its content was looked at.
        assert all(
            given[(kind, str(p))]
            for kind in ("meetings.minutes_public", "meetings.notice_public")
            for p in DOCUMENT_PARAMS[kind](world)
        ), who
        assert given[("meetings.posting_statement", str({"paragraph": world.paragraph.pk}))], who


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("meetings.posting_statement", lambda w: {"paragraph": w.paragraph.pk}),
        ("meetings.finality_request", lambda w: {"request": w.finality_request.pk}),
    ],
)
def test_the_documents_that_leave_the_organisation_never_print_a_confidential_paragraph(world, pdf_texts, kind, params):
    """The intyg om anslag and the letter to the förvaltningsrätt: number only, no title, no diarienummer."""
    job = _request_documents(world, "secretary")[(kind, str(params(world)))]
    html = _html(world, job)
    text = pdf_texts(html)
    assert not _leaks(text) and world.case.case_number not in text
    assert "§ 2 (sekretess)" in text


def test_internal_documents_carry_the_case_marked_for_those_with_the_right(world, pdf_texts):
    for who in ("secretary", "member"):
        given = _request_documents(world, who)
        for kind in ("meetings.minutes", "meetings.notice"):
            for params in DOCUMENT_PARAMS[kind](world):
                job = given[(kind, str(params))]
                assert job is not None, (kind, who)
                html = _html(world, job)
                assert _leaks(html), (kind, params, who)
        if who == "member":
            assert given[("meetings.extract", str(DOCUMENT_PARAMS["meetings.extract"](world)[0]))] is None
    given = _request_documents(world, "secretary")
    minutes_text = pdf_texts(_html(world, given[("meetings.minutes", str({"minutes": world.minutes.pk}))]))
    assert f"{MARKER} paragraf" in minutes_text
    assert "Sekretess enligt OSL 26 kap. 1 §" in minutes_text
    assert "Innehåller sekretessbelagda uppgifter" in minutes_text
    notice_text = pdf_texts(_html(world, given[("meetings.notice", str({"meeting": world.meeting.pk}))]))
    assert f"{MARKER} punkt" in notice_text and "Sekretess enligt OSL 26 kap. 1 §" in notice_text
    assert re.search(rf"{MARKER} bilaga \([^)]*\) – sekretess", notice_text)
    extract = _html(world, given[("meetings.extract", str(DOCUMENT_PARAMS["meetings.extract"](world)[0]))])
    extract_text = pdf_texts(extract)
    assert f"{MARKER} beviljas" in extract_text and "Innehåller sekretessbelagda uppgifter" in extract_text
    assert re.search(r"Sekretess enligt\s*OSL 26 kap\. 1 §", extract_text)  # as in the protokoll (_paragraph.html)
