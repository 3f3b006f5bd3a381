"""The dashboard's to-do lists: what the secretary and the ledamot have to do next, with links.

Each list is one query (select_related, no per-row queries), so the dashboard's query count stays constant
however many meetings, protokoll and anslag there are. Lists are capped at LIMIT items; the count is the
number found, the page links to the full list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from core.models import Organisation, User

from . import dates
from .models import Appeal, Meeting, Membership, Minutes, Posting, Signatory

LIMIT = 5
# An anslag whose take-down day or laga kraft day falls within this many days ahead shows as a to-do.
SOON_DAYS = 7
# A beslut that vann laga kraft this many days ago still shows, so the lagakraftbevis can be asked for.
FINAL_RECENT_DAYS = 14


@dataclass(frozen=True)
class TodoItem:
    text: str
    url: str
    note: str = ""


@dataclass
class TodoList:
    key: str
    title: str
    empty_text: str
    more_url: str
    more_text: str
    items: list[TodoItem] = field(default_factory=list)
    count: int = 0

    @classmethod
    def of(cls, items: list[TodoItem], **kwargs) -> TodoList:
        return cls(items=items[:LIMIT], count=len(items), **kwargs)


def _meeting_text(meeting: Meeting) -> str:
    return f"{meeting.committee.name} {meeting.date.isoformat()}"


def secretary_todos(*, organisation: Organisation, today: dt.date | None = None) -> list[TodoList]:
    """Kallelser to send, protokoll to write and to get justerat, anslag to post and take down, laga kraft.

    Six queries, whatever the amount of data.
    """
    today = today or timezone.localdate()
    meetings = Meeting.objects.for_organisation(organisation).select_related("committee")

    to_notice = meetings.filter(date__gte=today, status=Meeting.Status.PLANNED).order_by("date", "start_time")
    notices = [
        TodoItem(_meeting_text(m), reverse("agenda:notice_issue", args=[m.pk]), f"om {(m.date - today).days} dagar")
        for m in to_notice
    ]

    unwritten = (
        meetings.filter(date__lte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(Q(minutes__isnull=True) | Q(minutes__status=Minutes.Status.DRAFT))
        .select_related("minutes")
        .order_by("date", "start_time")
    )
    writing = []
    for meeting in unwritten:
        try:
            minutes = meeting.minutes
        except Minutes.DoesNotExist:
            minutes = None
        if minutes is None:
            writing.append(
                TodoItem(
                    _meeting_text(meeting),
                    reverse("agenda:meeting_detail", args=[meeting.pk]),
                    "inget protokoll påbörjat",
                )
            )
        else:
            writing.append(
                TodoItem(_meeting_text(meeting), reverse("minutes:minutes_detail", args=[minutes.pk]), "utkast")
            )

    minutes_all = Minutes.objects.for_organisation(organisation).select_related("meeting__committee")
    in_verification = (
        minutes_all.filter(status=Minutes.Status.IN_VERIFICATION)
        .annotate(unsigned=Count("signatories", filter=Q(signatories__signed_at__isnull=True)))
        .order_by("meeting__date")
    )
    verifying = [
        TodoItem(
            _meeting_text(m.meeting),
            reverse("minutes:minutes_detail", args=[m.pk]),
            "1 underskrift saknas" if m.unsigned == 1 else f"{m.unsigned} underskrifter saknas",
        )
        for m in in_verification
    ]

    unposted = minutes_all.filter(
        status=Minutes.Status.VERIFIED, verified_at__isnull=False, posting__isnull=True
    ).order_by("verified_at")
    posting = []
    for m in unposted:
        deadline = dates.posting_deadline(timezone.localdate(m.verified_at))
        posting.append(
            TodoItem(
                _meeting_text(m.meeting),
                reverse("noticeboard:posting_create", args=[m.pk]),
                f"ska sättas upp senast {deadline.isoformat()}",
            )
        )

    # Anslag up now or recently: those coming down soon, and those whose beslut vinner laga kraft soon or just did.
    earliest_posted = today - dates.APPEAL_PERIOD - dt.timedelta(days=FINAL_RECENT_DAYS + 10)
    postings = (
        Posting.objects.for_organisation(organisation)
        .filter(Q(taken_down_on__gte=today) | Q(posted_on__gte=earliest_posted), posted_on__lte=today)
        .select_related("minutes__meeting__committee")
        .annotate(appealed=Exists(Appeal.objects.filter(paragraph__minutes=OuterRef("minutes"))))
        .order_by("taken_down_on", "pk")
    )
    taking_down, finality = [], []
    for p in postings:
        meeting = p.minutes.meeting
        if today <= p.taken_down_on <= today + dt.timedelta(days=SOON_DAYS):
            when = "i dag" if p.taken_down_on == today else p.taken_down_on.isoformat()
            taking_down.append(
                TodoItem(_meeting_text(meeting), reverse("noticeboard:posting_detail", args=[p.pk]), f"tas ned {when}")
            )
        final = dates.final_on(p.posted_on, appealed=False)
        if today - dt.timedelta(days=FINAL_RECENT_DAYS) <= final <= today + dt.timedelta(days=SOON_DAYS):
            if p.appealed:
                note = "överklagat – vinner inte laga kraft förrän domstolen avgjort"
            elif final <= today:
                note = f"vann laga kraft {final.isoformat()}"
            else:
                note = f"vinner laga kraft {final.isoformat()} om ingen överklagar"
            finality.append(
                TodoItem(_meeting_text(meeting), reverse("noticeboard:minutes_finality", args=[p.minutes_id]), note)
            )
    finality.sort(key=lambda item: item.note)

    overview = reverse("noticeboard:posting_overview")
    meeting_list = reverse("agenda:meeting_list")
    return [
        TodoList.of(
            notices,
            key="notices",
            title="Kallelser att skicka",
            empty_text="Alla kommande sammanträden har fått sin kallelse.",
            more_url=meeting_list,
            more_text="Alla sammanträden",
        ),
        TodoList.of(
            writing,
            key="minutes_to_write",
            title="Protokoll att skriva",
            empty_text="Inga hållna sammanträden väntar på protokoll.",
            more_url=meeting_list,
            more_text="Alla sammanträden",
        ),
        TodoList.of(
            verifying,
            key="minutes_in_verification",
            title="Protokoll på justering",
            empty_text="Inga protokoll väntar på justering.",
            more_url=overview,
            more_text="Anslag och laga kraft",
        ),
        TodoList.of(
            posting,
            key="postings_to_post",
            title="Anslag att sätta upp",
            empty_text="Alla justerade protokoll är anslagna.",
            more_url=overview,
            more_text="Anslag och laga kraft",
        ),
        TodoList.of(
            taking_down,
            key="postings_to_take_down",
            title="Anslag som tas ned",
            empty_text=f"Inga anslag tas ned de närmaste {SOON_DAYS} dagarna.",
            more_url=reverse("noticeboard:organisation", args=[organisation.slug]),
            more_text="Organisationens anslagstavla",
        ),
        TodoList.of(
            finality,
            key="finality",
            title="Laga kraft",
            empty_text="Inga beslut vinner laga kraft de närmaste dagarna.",
            more_url=overview,
            more_text="Anslag och laga kraft",
        ),
    ]


def member_todos(*, organisation: Organisation, user: User, today: dt.date | None = None) -> list[TodoList]:
    """The ledamot's coming meetings (with their handlingar) and the protokoll they are to justera. Two queries."""
    today = today or timezone.localdate()
    seats = Membership.objects.on(today).filter(person__user=user, committee_id=OuterRef("committee_id"))
    coming = (
        Meeting.objects.for_organisation(organisation)
        .filter(Exists(seats), date__gte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("committee")
        .order_by("date", "start_time")
    )
    meetings = [
        TodoItem(
            _meeting_text(m),
            reverse("agenda:meeting_detail", args=[m.pk]),
            "kallelse och handlingar finns"
            if m.status == Meeting.Status.NOTICE_ISSUED
            else "kallelsen är inte utskickad än",
        )
        for m in coming
    ]
    to_sign = (
        Signatory.objects.for_organisation(organisation)
        .filter(person__user=user, signed_at__isnull=True, minutes__status=Minutes.Status.IN_VERIFICATION)
        .select_related("minutes__meeting__committee")
        .order_by("minutes__meeting__date", "pk")
    )
    signing = [
        TodoItem(
            _meeting_text(s.minutes.meeting),
            reverse("minutes:verification", args=[s.minutes_id]),
            f"som {s.get_role_display().lower()}",
        )
        for s in to_sign
    ]
    return [
        TodoList.of(
            meetings,
            key="coming_meetings",
            title="Kommande sammanträden",
            empty_text="Du har inga kommande sammanträden.",
            more_url=reverse("agenda:meeting_list"),
            more_text="Alla sammanträden",
        ),
        TodoList.of(
            signing,
            key="minutes_to_verify",
            title="Protokoll att justera",
            empty_text="Du har inga protokoll att justera.",
            more_url=reverse("agenda:meeting_list"),
            more_text="Alla sammanträden",
        ),
    ]
