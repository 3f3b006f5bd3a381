"""One organisation with an ärende that is confidential at ärende level only, and a user for every kind of reader.

Only the Case is marked sekretess (as when an ärende is marked after it was put on the agenda): its agenda items,
§, bilagor, delegationsbeslut and meddelande are not flagged themselves, so only the one rule
(meetings.confidentiality) keeps them out. Every text of it carries MARKER.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from core.models import Role
from meetings import case_services, register_services
from meetings.attachments import attachment_add
from meetings.models import (
    AgendaItem,
    Attendance,
    Case,
    Committee,
    Communication,
    Correction,
    DelegatedDecision,
    Dissent,
    FinalityRequest,
    FinalityRequestItem,
    Meeting,
    Membership,
    Minutes,
    NoticeIssue,
    Paragraph,
    Posting,
    Recusal,
    Signatory,
    Vote,
)
from tests.factories import CommitteeFactory, PersonFactory, user_with_role

from .factories import AgendaItemFactory, CaseNumberSeriesFactory, MeetingFactory

MARKER = "Qwxzsekret"  # one word, so that full-text search on PostgreSQL finds it too
LEGAL_BASIS = "OSL 26 kap. 1 §"


def _pdf_bytes() -> bytes:
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


@dataclass
class World:
    organisation: object
    today: dt.date
    committee: Committee  # Socialnämnden: the ärende's committee
    subcommittee: Committee  # its arbetsutskott: part of the same myndighet
    other_committee: Committee  # Kommunstyrelsen: another myndighet
    series: object
    case: Case
    meeting: Meeting  # held, with the justerat and anslaget protokoll
    next_meeting: Meeting  # upcoming, kallelse sent, changed since
    item: AgendaItem
    new_item: AgendaItem
    item_attachment: object
    case_attachment: object
    minutes: Minutes
    paragraph: Paragraph
    public_paragraph: Paragraph
    posting: Posting
    correction: Correction
    delegated: DelegatedDecision
    communication: Communication
    membership: Membership
    attendance: Attendance
    vote: Vote
    recusal: Recusal
    dissent: Dissent
    signatory: Signatory
    template_item: object
    archived_job: object
    secretary: object
    finality_request: object = None  # a begäran om lagakraftbevis for both §§ of the protokoll
    users: dict = field(default_factory=dict)

    def client(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(self.users[who])
        return client


def _reader(organisation, role: str, *, seats=()) -> object:
    """A user with `role` and a Person of their own, holding the given seats (committee, role, start, end)."""
    user = user_with_role(organisation, role)
    person = PersonFactory(organisation=organisation, user=user, first_name="Läsare", last_name=user.username)
    for committee, seat_role, starts_on, ends_on in seats:
        Membership.objects.create(
            committee=committee, person=person, role=seat_role, starts_on=starts_on, ends_on=ends_on
        )
    return user


def build_world(organisation) -> World:
    today = timezone.localdate()
    held_on = today - dt.timedelta(days=60)
    next_on = today + dt.timedelta(days=14)
    secretary = user_with_role(organisation, Role.SECRETARY)

    committee = CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN", kind="committee")
    subcommittee = CommitteeFactory(
        organisation=organisation, name="Socialnämndens arbetsutskott", short_name="SNAU", kind="subcommittee"
    )
    Committee.objects.filter(pk=subcommittee.pk).update(parent=committee)
    subcommittee.refresh_from_db()
    other_committee = CommitteeFactory(organisation=organisation, name="Kommunstyrelsen", short_name="KS", kind="board")
    series = CaseNumberSeriesFactory(committee=committee, organisation=organisation)

    # The ärende, public while everything is put together; marked sekretess at the end, on the ärende only.
    case = case_services.case_register(
        organisation=organisation,
        actor=secretary,
        series=series,
        title=f"{MARKER} ärendemening",
        registered_on=held_on - dt.timedelta(days=30),
    )
    case_services.officer_report_update(
        report=case.officer_report,
        actor=secretary,
        data={
            "proposed_clauses": [f"att bevilja {MARKER} förslaget"],
            "summary": f"{MARKER} sammanfattning",
            "description": f"{MARKER} ärendebeskrivning",
            "financial_impact": f"{MARKER} kostnad",
        },
    )
    case_attachment = attachment_add(
        organisation=organisation,
        actor=secretary,
        upload=SimpleUploadedFile(f"{MARKER}-utredning.pdf", _pdf_bytes()),
        title=f"{MARKER} utredning",
        case=case,
    )

    meeting = MeetingFactory(committee=committee, date=held_on, status=Meeting.Status.HELD)
    AgendaItemFactory(meeting=meeting, position=1, kind="standard", title="Mötets öppnande")
    item = AgendaItemFactory(
        meeting=meeting,
        position=2,
        case=case,
        title=f"{MARKER} punkt",
        description=f"{MARKER} beskrivning",
        presenter="Handläggare Hansson",
        proposed_clauses=[f"att {MARKER} bifalls"],
    )
    item_attachment = attachment_add(
        organisation=organisation,
        actor=secretary,
        upload=SimpleUploadedFile(f"{MARKER}-bilaga.pdf", _pdf_bytes()),
        title=f"{MARKER} bilaga",
        agenda_item=item,
    )
    verified_at = timezone.make_aware(dt.datetime.combine(held_on + dt.timedelta(days=2), dt.time(14, 0)))
    minutes = Minutes.objects.create(meeting=meeting, status=Minutes.Status.VERIFIED, verified_at=verified_at)
    public_paragraph = Paragraph.objects.create(
        minutes=minutes,
        committee=committee,
        year=held_on.year,
        number=1,
        title="Mötets öppnande",
        decision_clauses=["att förklara mötet öppnat"],
    )
    paragraph = Paragraph.objects.create(
        minutes=minutes,
        committee=committee,
        year=held_on.year,
        number=2,
        agenda_item=item,
        case=case,
        title=f"{MARKER} paragraf",
        body=f"{MARKER} beredning",
        motions=f"{MARKER} yrkande",
        decision_clauses=[f"att {MARKER} beviljas"],
        protocol_notes=f"{MARKER} anteckning",
        distribution=f"{MARKER} mottagare",
    )
    posted_on = held_on + dt.timedelta(days=3)
    posting = Posting.objects.create(
        minutes=minutes, posted_on=posted_on, taken_down_on=posted_on + dt.timedelta(days=24), storage_place="Kansliet"
    )
    finality_request = FinalityRequest.objects.create(
        minutes=minutes,
        court="Förvaltningsrätten i Karlstad",
        signed_name="Sara Sekreterare",
        requested_on=posted_on + dt.timedelta(days=25),
        created_by=secretary,
    )
    for requested in (public_paragraph, paragraph):
        FinalityRequestItem.objects.create(request=finality_request, paragraph=requested)
    correction = Correction.objects.create(
        minutes=minutes, paragraph=paragraph, reason=f"{MARKER} skäl", text=f"{MARKER} rättelse", created_by=secretary
    )
    chair = PersonFactory(organisation=organisation, first_name="Ordf", last_name="Ordförandesson")
    attendance = Attendance.objects.create(minutes=minutes, person=chair, capacity="decision_maker")
    vote = Vote.objects.create(paragraph=paragraph, question="Bifall", yes_means="bifall", no_means="avslag")
    recusal = Recusal.objects.create(paragraph=paragraph, person=chair)
    dissent = Dissent.objects.create(paragraph=paragraph, person=chair, motivation="Av principskäl")
    signatory = Signatory.objects.create(minutes=minutes, person=chair, role="verifier")
    membership = Membership.objects.create(
        committee=committee, person=chair, role="chair", starts_on=held_on - dt.timedelta(days=400)
    )
    template_item = committee.agenda_template.create(position=1, title="Mötets öppnande")
    archived_job = _archived_job(organisation, secretary, minutes)

    # The upcoming meeting: kallelse sent, then the ärende added, then delegationsbeslut and meddelanden reported.
    next_meeting = MeetingFactory(
        committee=committee, date=next_on, status=Meeting.Status.NOTICE_ISSUED, notice_revision=1
    )
    NoticeIssue.objects.create(
        meeting=next_meeting, revision=1, issued_by=secretary, issued_at=timezone.now() - dt.timedelta(hours=1)
    )
    new_item = AgendaItemFactory(meeting=next_meeting, position=1, case=case, title=f"{MARKER} återrapport")
    delegated = DelegatedDecision.objects.create(
        organisation=organisation,
        committee=committee,
        decided_on=today - dt.timedelta(days=5),
        delegate="Socialsekreterare",
        delegation_point="3.1",
        decision=f"{MARKER} delegationsbeslut",
        case=case,
    )
    communication = Communication.objects.create(
        organisation=organisation,
        committee=committee,
        received_on=today - dt.timedelta(days=4),
        sender="IVO",
        subject=f"{MARKER} meddelande",
        case=case,
    )

    # Only now is the ärende marked sekretess; nothing else is.
    Case.objects.filter(pk=case.pk).update(confidential=True, legal_basis=LEGAL_BASIS)
    case.refresh_from_db()
    register_services.registers_report_to_meeting(meeting=next_meeting, actor=secretary)
    for obj in (item, new_item, paragraph, item_attachment, case_attachment, delegated, communication):
        obj.refresh_from_db()
        assert obj.confidential is False, obj

    start = held_on - dt.timedelta(days=400)
    world = World(
        organisation=organisation,
        today=today,
        committee=committee,
        subcommittee=subcommittee,
        other_committee=other_committee,
        series=series,
        case=case,
        meeting=meeting,
        next_meeting=next_meeting,
        item=item,
        new_item=new_item,
        item_attachment=item_attachment,
        case_attachment=case_attachment,
        minutes=minutes,
        paragraph=paragraph,
        public_paragraph=public_paragraph,
        posting=posting,
        correction=correction,
        delegated=delegated,
        communication=communication,
        membership=membership,
        attendance=attendance,
        vote=vote,
        recusal=recusal,
        dissent=dissent,
        signatory=signatory,
        template_item=template_item,
        archived_job=archived_job,
        secretary=secretary,
        finality_request=finality_request,
    )
    member, substitute = Membership.Role.MEMBER, Membership.Role.SUBSTITUTE
    world.users = {
        # Without the right to this ärende's sekretess.
        "economist": user_with_role(organisation, Role.ECONOMIST),
        "member_without_seat": _reader(organisation, Role.MEMBER),
        "member_of_other_committee": _reader(organisation, Role.MEMBER, seats=[(other_committee, member, start, None)]),
        "former_member": _reader(
            organisation, Role.MEMBER, seats=[(committee, member, start, held_on - dt.timedelta(days=30))]
        ),
        # With it.
        "secretary": secretary,
        "admin": user_with_role(organisation, Role.ADMIN),
        "director": user_with_role(organisation, Role.DIRECTOR),
        "auditor": user_with_role(organisation, Role.AUDITOR),
        "member": _reader(organisation, Role.MEMBER, seats=[(committee, member, start, None)]),
        "substitute": _reader(organisation, Role.MEMBER, seats=[(committee, substitute, start, None)]),
        "member_of_subcommittee": _reader(organisation, Role.MEMBER, seats=[(subcommittee, member, start, None)]),
        # A seat on the held meeting's day, but not today.
        "member_then": _reader(
            organisation, Role.MEMBER, seats=[(committee, member, start, held_on + dt.timedelta(days=5))]
        ),
    }
    return world


def _archived_job(organisation, secretary, minutes):
    """The archived PDF/A of the protokoll; its bytes carry MARKER, so handing it out would show."""
    from reporting.models import RenderJob

    data = f"%PDF-1.7\n% {MARKER} paragraf\n".encode()
    job = RenderJob(
        organisation=organisation,
        kind="meetings.minutes",
        title="Protokoll",
        filename="protokoll.pdf",
        params={"minutes": minutes.pk},
        status=RenderJob.Status.DONE,
        progress=100,
        output_sha256=hashlib.sha256(data).hexdigest(),
        requested_by=secretary,
    )
    job.output.save("protokoll.pdf", ContentFile(data), save=False)
    job.save()
    Minutes.objects.filter(pk=minutes.pk).update(archived_job=job)
    minutes.archived_job = job
    return job
