"""URL name -> builder of URL kwargs for an object of the given organisation (see url_catalogue.py)."""


def _minutes(organisation):
    from tests.meetings.factories import MinutesFactory

    return MinutesFactory(meeting__committee__organisation=organisation)


def _paragraph(organisation):
    from meetings.models import Paragraph

    minutes = _minutes(organisation)
    meeting = minutes.meeting
    return Paragraph.objects.create(
        minutes=minutes, committee=meeting.committee, year=meeting.date.year, number=1, title="Mötets öppnande"
    )


def _person(organisation):
    from tests.factories import PersonFactory

    return PersonFactory(organisation=organisation)


def _attendance(organisation):
    from meetings.models import Attendance

    return Attendance.objects.create(minutes=_minutes(organisation), person=_person(organisation), capacity="other")


def _vote(organisation):
    from meetings.models import Vote

    return Vote.objects.create(
        paragraph=_paragraph(organisation), question="Bifall", yes_means="bifall", no_means="avslag"
    )


def _recusal(organisation):
    from meetings.models import Recusal

    return Recusal.objects.create(paragraph=_paragraph(organisation), person=_person(organisation))


def _dissent(organisation):
    from meetings.models import Dissent

    return Dissent.objects.create(paragraph=_paragraph(organisation), person=_person(organisation))


def _signatory(organisation):
    from meetings.models import Signatory

    return Signatory.objects.create(minutes=_minutes(organisation), person=_person(organisation), role="verifier")


def _meeting(organisation):
    from tests.meetings.factories import MeetingFactory

    return MeetingFactory(committee__organisation=organisation)


def _pk(make):
    return lambda organisation: {"pk": make(organisation).pk}


def _archived_minutes(organisation):
    from meetings.models import Minutes
    from tests.platform.url_catalogue import _done_job

    minutes = _minutes(organisation)
    Minutes.objects.filter(pk=minutes.pk).update(archived_job_id=_done_job(organisation)["pk"])
    return minutes


BUILDERS: dict = {
    "minutes:archived_pdf": _pk(_archived_minutes),
    "minutes:minutes_start": _pk(_meeting),
    "minutes:session_start": _pk(_meeting),
    **{
        f"minutes:{name}": _pk(_minutes)
        for name in (
            "minutes_detail",
            "minutes_front",
            "attendance_add",
            "attendance_fill",
            "signatories",
            "paragraph_add",
            "send_for_verification",
            "recall_verification",
            "archive_again",
            "verification",
            "correction_add",
            "session",
            "session_attendance",
            "session_paragraphs_from_agenda",
        )
    },
    **{
        f"minutes:{name}": _pk(_paragraph)
        for name in (
            "paragraph_edit",
            "paragraph_remove",
            "paragraph_verify",
            "recusal_add",
            "dissent_add",
            "vote_add",
            "session_paragraph",
            "session_as_proposed",
            "session_recusal_add",
            "session_vote_add",
            "session_dissent_add",
        )
    },
    "minutes:attendance_remove": _pk(_attendance),
    "minutes:vote_ballots": _pk(_vote),
    "minutes:vote_remove": _pk(_vote),
    "minutes:recusal_remove": _pk(_recusal),
    "minutes:dissent_remove": _pk(_dissent),
    "minutes:sign": _pk(_signatory),
    "minutes:session_recusal_remove": _pk(_recusal),
    "minutes:session_vote_remove": _pk(_vote),
    "minutes:session_dissent_remove": _pk(_dissent),
}
