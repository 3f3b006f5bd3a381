"""Demo data for the meeting cycle, from the seed documents (fictional people, real organisations and figures).

- Samordningsförbundet Skellefteå-Norsjö, styrelsen 2019-11-28: §§ 69–81 with attendance (one ledamot for
  § 75 - § 81 only, guests for § 77), justerare, justerat 2019-12-19, anslaget 2019-12-20 – 2020-01-13 and
  archived as PDF/A.
- Lindesbergs kommun, socialnämnden 2022-06-16: the kallelse with its ärenden (SN 2022/40 …) and two
  confidential items.

Everything goes through the services, as a secretary would do it, except what only history can give: the
dates of the justering and the § numbers before the meeting (the counter starts where the seed's year stood).
Idempotent: a meeting that already exists is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.demo import FEDERATION, LINDESBERG
from core.models import Organisation, Person, User

from . import agenda_services, case_services, minutes_services, posting_services, services
from .models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    CaseNumberCounter,
    CaseNumberSeries,
    Committee,
    Meeting,
    Membership,
    Minutes,
    NoticeIssue,
    ParagraphCounter,
    Signatory,
)

BOARD_DAY = dt.date(2019, 11, 28)
BOARD_VERIFIED = dt.datetime(2019, 12, 19, 10, 0)
SN_DAY = dt.date(2022, 6, 16)
PUBLIC_HEALTH_BASIS = "OSL 26 kap. 1 §"


@dataclass(frozen=True)
class Point:
    title: str
    clauses: tuple[str, ...] = ()
    body: str = ""
    case: str = ""  # title of an ärende to register for the point
    kind: str = AgendaItemKind.CASE
    notes: str = ""
    distribution: str = ""


BOARD_POINTS = [
    Point("Mötets öppnande", body="Ordföranden hälsar välkommen och förklarar mötet öppnat.", kind="standard"),
    Point(
        "Val av justerare", ("att utse Mattias Lindgren att jämte ordföranden justera protokollet",), kind="standard"
    ),
    Point(
        "Godkännande av dagordningen",
        ("att godkänna dagordningen med tillägg av fyra extra ärenden under §§ 80 och 81",),
        kind="standard",
    ),
    Point(
        "Föregående protokoll",
        ("att godkänna protokollet från 2019-10-01 och lägga det till handlingarna",),
        kind="standard",
    ),
    Point(
        "Medlemskap i arbetsgivarorganisation",
        ("att godkänna medlemskapet i Sobona från 2020-01-01", "att godkänna årsavgiften för medlemskapet"),
        body="Förbundet blir arbetsgivare från januari 2020 och har ansökt om medlemskap i Sobona.",
        case="Medlemskap i Sobona",
        distribution="Sobona\nEkonomifunktionen",
    ),
    Point(
        "Avtal om tjänsteköp från Skellefteå kommun från 2020-01-01",
        (
            "att teckna avtal med Skellefteå kommun om ekonomiservice, IT-tjänster och utrustning samt "
            "löneutbetalning och redovisning",
        ),
        body="Ett avtal om ekonomisk och administrativ service tas fram tillsammans med Skellefteå kommun.",
        case="Tjänsteköp från Skellefteå kommun 2020",
        distribution="Skellefteå kommun",
    ),
    Point(
        "Ny inriktning och organisation för Arbetsmarknadstorget",
        (
            "att godkänna den nya inriktningen där Arbetsmarknadstorget, MySam och NAFS ingår",
            "att förlänga överenskommelsen om utvecklingsledare med upp till tre månader under rekryteringen",
            "att finansiera den nya samverkansinsatsen med 3 550 000 kr enligt förslaget",
        ),
        body=(
            "Beredningsgruppen föreslår en gemensam samverkansplattform för personer i arbetsför ålder "
            "16–64 år, där tre insatser förs samman."
        ),
        case="Arbetsmarknadstorgets inriktning och organisation",
        distribution="Beredningsgruppen\nLedningsgruppen för Arbetsmarknadstorget",
    ),
    Point(
        "Verksamhetsplan och budget 2020",
        (
            "att fastställa strategi, verksamhetsplan och budget för 2020",
            "att notera att budgeten för 2020 är underfinansierad med 142 000 kr som tas ur eget kapital",
            "att följa bokslutet för 2019 och tidigt besluta hur eget kapital används under 2020",
        ),
        case="Verksamhetsplan och budget 2020",
        distribution="Förbundets medlemmar",
    ),
    Point(
        "Besök från ESF-projektet ProAktiv",
        ("att godkänna informationen",),
        body="Projektets företrädare berättar om resultat och utmaningar hittills.",
        kind="information",
    ),
    Point(
        "Datum för styrelsemöten och planeringsdagar 2020",
        (
            "att fastställa mötesdagar för första halvåret 2020: 13 februari, 7 maj och 11 juni, "
            "samt planeringsdagar 21–22 oktober",
        ),
    ),
    Point("Informationsärenden", ("att notera informationen",), kind="information"),
    Point(
        "Rapporter",
        ("att godkänna rapporterna", "att anmäla intresse för Umeåregionens projekt om gemensam analys"),
        kind="information",
    ),
    Point(
        "Övriga frågor",
        notes="Nästa möte hålls torsdagen den 13 februari 2020. Styrelsen tackar den avgående förbundschefen.",
        kind="other",
    ),
]

# (first name, last name, party) — fictional people in Lindesbergs socialnämnd.
SN_MEMBERS = [
    ("Mats", "Erlandsson", "C", Membership.Role.CHAIR),
    ("Elsa Maria", "Axelström", "S", Membership.Role.VICE_CHAIR),
    ("Bodil", "Stenholm", "S", Membership.Role.MEMBER),
    ("Ulrika", "Lindqvist", "S", Membership.Role.MEMBER),
    ("Tuva", "Marjanen", "C", Membership.Role.MEMBER),
    ("Maria", "Lindholm", "V", Membership.Role.MEMBER),
    ("Sven-Olof", "Larsén", "M", Membership.Role.MEMBER),
    ("Monica", "Klockare", "M", Membership.Role.MEMBER),
    ("Margit", "Andersgård", "KD", Membership.Role.MEMBER),
    ("Björn", "Lagerlund", "-", Membership.Role.MEMBER),
    ("Jari", "Mehtonen", "SD", Membership.Role.MEMBER),
    ("Bertil", "Janséus", "M", Membership.Role.SUBSTITUTE),
    ("Fredrik", "Rosenbäck", "SD", Membership.Role.SUBSTITUTE),
    ("Ingela", "Gyllenborg", "S", Membership.Role.SUBSTITUTE),
    ("Linda", "Palmér", "C", Membership.Role.SUBSTITUTE),
]

# (case number, title, confidential) in the order of the föredragningslista.
SN_CASES = [
    ("SN 2022/44", "Nedläggning av faderskapsutredning", True),
    ("SN 2022/45", "Nedläggning av faderskapsutredning", True),
    ("SN 2022/40", "Extra månadsuppföljning maj Socialnämnd", False),
    ("SN 2022/61", "Revisionsrapport om arbetsmarknadsinsatser för personer med ekonomiskt bistånd", False),
    ("SN 2022/37", "Fyllnadsval till socialnämndens arbetsutskott", False),
    ("SN 2021/114", "Dialog med civilsamhället – främja äldres hälsa och motverka ensamhet", False),
    ("SN 2021/92", "Riktlinje för biståndshandläggning", False),
    ("SN 2022/5", "Information från verksamheten maj 2022", False),
]


def _person(organisation: Organisation, first: str, last: str, title: str = "") -> Person:
    person, _ = Person.objects.get_or_create(
        organisation=organisation, first_name=first, last_name=last, defaults={"title": title}
    )
    return person


def _series(organisation: Organisation, committee: Committee, actor: User) -> CaseNumberSeries:
    series = CaseNumberSeries.objects.filter(organisation=organisation, committee=committee).first()
    return series or case_services.series_create(
        organisation=organisation,
        actor=actor,
        name=f"{committee.short_name}-diariet",
        pattern="{committee} {year}/{seq}",
        committee=committee,
    )


def _register_numbered(series: CaseNumberSeries, actor: User, number: str, title: str, on: dt.date, **kwargs):
    """Register an ärende so that it gets the seed's diarienummer: the counter stands where the diarium stood.

    Afterwards the counter is put back at the highest number given, so the next real ärende follows on.
    """
    year, sequence = (int(part) for part in number.rsplit(" ", 1)[1].split("/"))
    counter, _ = CaseNumberCounter.objects.get_or_create(series=series, year=year)
    highest = counter.last_value
    counter.last_value = sequence - 1
    counter.save(update_fields=["last_value"])
    case = case_services.case_register(
        organisation=series.organisation, actor=actor, series=series, title=title, registered_on=on, **kwargs
    )
    CaseNumberCounter.objects.filter(pk=counter.pk).update(last_value=max(highest, sequence))
    return case


# -- Samordningsförbundet Skellefteå-Norsjö, styrelsen 2019-11-28 --------------------------------------------------


def _notice_issued_on(meeting: Meeting, secretary: User, issued_at: dt.datetime, **kwargs) -> NoticeIssue:
    """Send the kallelse and date it back to when it went out in the seed, with the history that led up to it.

    What changed after the kallelse is read from the history written after it (agenda_changes_since_notice), so
    moving only the kallelse into the past would leave the whole agenda, prepared today, looking changed since.
    The meeting and its agenda were prepared the day before the kallelse went out; the kallelse's own change of
    the meeting's status is dated with it.
    """
    notice = agenda_services.notice_issue(meeting=meeting, actor=secretary, **kwargs)
    prepared = issued_at - dt.timedelta(days=1)
    AgendaItem.history.filter(meeting_id=meeting.pk, history_date__lt=notice.issued_at).update(history_date=prepared)
    Meeting.history.filter(id=meeting.pk, history_date__lt=notice.issued_at).update(history_date=prepared)
    Meeting.history.filter(id=meeting.pk, history_date__gte=notice.issued_at).update(history_date=issued_at)
    NoticeIssue.objects.filter(pk=notice.pk).update(issued_at=issued_at)
    notice.issued_at = issued_at
    return notice


def _board_meeting(stdout, admin: User, secretary: User) -> None:
    federation = Organisation.objects.get(name=FEDERATION)
    board = Committee.objects.get(organisation=federation, short_name="STY")
    if Meeting.objects.filter(committee=board, date=BOARD_DAY).exists():
        return
    services.agenda_template_seed_defaults(committee=board, actor=admin)
    series = _series(federation, board, secretary)
    CaseNumberCounter.objects.get_or_create(series=series, year=2019, defaults={"last_value": 30})

    meeting = agenda_services.meeting_create(
        organisation=federation,
        actor=secretary,
        committee=board,
        date=BOARD_DAY,
        start_time=dt.time(9, 0),
        end_time=dt.time(15, 0),
        place="Hörnellgatan 17, sammanträdesrum, vån 3, Skellefteå",
    )
    # This meeting's agenda is the one in its protokoll, not the committee's current template.
    for item in meeting.agenda_items.all():
        agenda_services.agenda_item_remove(item=item, actor=secretary)
    items = []
    for position, point in enumerate(BOARD_POINTS, start=1):
        case = None
        if point.case:
            case = case_services.case_register(
                organisation=federation,
                actor=secretary,
                series=series,
                title=point.case,
                registered_on=dt.date(2019, 11, 4),
                committee=board,
            )
            case_services.officer_report_update(
                report=case.officer_report,
                actor=secretary,
                data={"proposed_clauses": list(point.clauses), "summary": point.body},
            )
        item = AgendaItem(
            meeting=meeting,
            position=position,
            kind=point.kind,
            title=point.title,
            case=case,
            proposed_clauses=list(point.clauses),
        )
        item._history_user = secretary
        item.save()
        items.append(item)
    _notice_issued_on(meeting, secretary, timezone.make_aware(dt.datetime(2019, 11, 21, 14)))

    minutes = minutes_services.minutes_start(meeting=meeting, actor=secretary)
    seats = {
        m.person.last_name: m
        for m in Membership.objects.on(BOARD_DAY).filter(committee=board).select_related("person", "represents")
    }

    def attend(last_name, capacity, replaces=None, **kwargs):
        seat = seats[last_name]
        minutes_services.attendance_add(
            minutes=minutes,
            actor=secretary,
            person=seat.person,
            capacity=capacity,
            replaces=seats[replaces].person if replaces else None,
            role_text=kwargs.pop("role_text", seat.represents.name if seat.represents_id else ""),
            **kwargs,
        )

    attend("Almqvist", Attendance.Capacity.DECISION_MAKER, role_text="ordförande, Skellefteå kommun")
    attend("Bergfors", Attendance.Capacity.DECISION_MAKER, from_paragraph=75, to_paragraph=81)
    attend("Ledin", Attendance.Capacity.DECISION_MAKER)
    attend("Persköld", Attendance.Capacity.SERVING_SUBSTITUTE, replaces="Andrén")
    attend("Lindgren", Attendance.Capacity.SERVING_SUBSTITUTE, replaces="Ekholm")
    attend("Strömberg", Attendance.Capacity.SUBSTITUTE)
    director = _person(federation, "Maja", "Lindqvist Tornberg", "Förbundschef")
    clerk = _person(federation, "Britt", "Stolpe", "Förbundssekreterare")
    for person in (director, clerk):
        minutes_services.attendance_add(
            minutes=minutes,
            actor=secretary,
            person=person,
            capacity=Attendance.Capacity.OFFICIAL,
            role_text=person.title,
        )
    for first, last, role_text in [
        ("Tova", "Lundin", "Urkraft/ProAktiv"),
        ("Rosa", "Nordmark", "Försäkringskassan/ProAktiv"),
    ]:
        minutes_services.attendance_add(
            minutes=minutes,
            actor=secretary,
            person=_person(federation, first, last),
            capacity=Attendance.Capacity.OTHER,
            role_text=role_text,
            from_paragraph=77,
            to_paragraph=77,
        )
    minutes_services.minutes_update_front(
        minutes=minutes,
        actor=secretary,
        verification_place="Förbundets kansli, Skellefteå",
        verification_date=BOARD_VERIFIED.date(),
        secretary=clerk,
    )
    minutes_services.signatories_set(
        minutes=minutes,
        actor=secretary,
        chair=seats["Almqvist"].person,
        verifiers=[seats["Lindgren"].person],
        secretary=clerk,
    )

    # §§ 1–68 of 2019 are in the styrelse's earlier protokoll; this meeting continues the series at § 69.
    ParagraphCounter.objects.update_or_create(committee=board, year=2019, defaults={"last_number": 68})
    for point, item in zip(BOARD_POINTS, items, strict=True):
        paragraph = minutes_services.paragraph_add(minutes=minutes, actor=secretary, title="", agenda_item=item)
        minutes_services.paragraph_update(
            paragraph=paragraph,
            actor=secretary,
            title=point.title,
            body=point.body,
            decision_clauses=list(point.clauses),
            protocol_notes=point.notes,
            distribution=point.distribution,
        )

    # The justering as it happened in December 2019: sent, approved by ordförande and justerare, locked.
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.IN_VERIFICATION,
        sent_for_verification_at=timezone.make_aware(dt.datetime(2019, 12, 16, 9)),
    )
    for signatory in Signatory.objects.filter(minutes=minutes).exclude(role=Signatory.Role.SECRETARY):
        minutes_services.signatory_approve(
            signatory=signatory, actor=admin, method="demodata", evidence={"källa": "demodata"}
        )
    verified = timezone.make_aware(BOARD_VERIFIED)
    Minutes.objects.filter(pk=minutes.pk).update(verified_at=verified)
    Signatory.objects.filter(minutes=minutes).update(signed_at=verified)
    posting_services.posting_create(
        minutes=minutes,
        actor=secretary,
        posted_on=dt.date(2019, 12, 20),
        taken_down_on=dt.date(2020, 1, 13),
        storage_place="Förbundets kansli, Hörnellgatan 17, Skellefteå",
    )
    # Laga kraft as the law works: the förbund asks the förvaltningsrätt, which alone knows of any appeal.
    decided = [p for p in minutes.paragraphs.order_by("number") if p.has_decision and p.case_id]
    if decided:
        request = posting_services.finality_request_create(
            minutes=minutes,
            actor=secretary,
            paragraphs=decided,
            court="Förvaltningsrätten i Umeå",
            court_address="Box 138\n901 03 UMEÅ",
            case_number="",
            requested_on=dt.date(2020, 1, 13),
            return_address="Samordningsförbundet\nHörnellgatan 17\n931 30 SKELLEFTEÅ",
            signed_name="Britt Stolpe",
            signed_title="Förbundssekreterare",
        )
        posting_services.finality_answer_register(
            request=request, actor=secretary, answered_on=dt.date(2020, 1, 20), court_reference="Demo 2020/1"
        )
    stdout.write("  Styrelsen 2019-11-28: §§ 69–81, justerat, anslaget, arkiverat och lagakraftbevis begärt")


# -- Lindesbergs kommun, socialnämnden 2022-06-16 -------------------------------------------------------------------


def _social_committee(stdout, admin: User, secretary: User) -> None:
    lindesberg = Organisation.objects.get(name=LINDESBERG)
    committee = Committee.objects.filter(organisation=lindesberg, short_name="SN").first()
    if committee is None:
        committee = services.committee_create(
            organisation=lindesberg, actor=admin, name="Socialnämnden", short_name="SN", kind=Committee.Kind.COMMITTEE
        )
    if Meeting.objects.filter(committee=committee, date=SN_DAY).exists():
        return
    if not committee.memberships.exists():
        order = 0
        for first, last, party, role in SN_MEMBERS:
            order += role == Membership.Role.SUBSTITUTE
            services.membership_add(
                committee=committee,
                actor=admin,
                role=role,
                starts_on=dt.date(2019, 1, 1),
                first_name=first,
                last_name=last,
                party=party,
                substitute_order=order if role == Membership.Role.SUBSTITUTE else None,
            )
    services.agenda_template_seed_defaults(committee=committee, actor=admin)
    series = _series(lindesberg, committee, secretary)
    handler = _person(lindesberg, "Sanna", "Andrén", "Ekonom")
    chief = _person(lindesberg, "Magda", "Gustavsson", "Förvaltningschef")

    meeting = agenda_services.meeting_create(
        organisation=lindesberg,
        actor=secretary,
        committee=committee,
        date=SN_DAY,
        start_time=dt.time(9, 0),
        place="Näset, Lindesbergs kommunhus",
        notice_note="Ledamot som är förhindrad att delta kallar själv sin ersättare.",
    )
    for number, title, confidential in SN_CASES:
        basis = PUBLIC_HEALTH_BASIS if confidential else ""
        on = dt.date(int(number.split(" ")[1].split("/")[0]), 5, 2)
        case = _register_numbered(
            series, secretary, number, title, on, committee=committee, confidential=confidential, legal_basis=basis
        )
        if number == "SN 2022/40":
            case_services.officer_report_update(
                report=case.officer_report,
                actor=secretary,
                data={
                    "proposed_clauses": [
                        "att godkänna den ekonomiska uppföljningen och överlämna den till kommunstyrelsen"
                    ],
                    "summary": "Avvikelsen per den 31 maj är -14,0 mnkr och prognosen för helåret -34,5 mnkr.",
                    "description": (
                        "Nämnden beslutade i april om en extra uppföljning per sista maj. Störst avvikelse finns inom "
                        "vård och omsorg, där antalet beviljade hemtjänsttimmar har ökat."
                    ),
                    "financial_impact": "Prognosen för helåret är -34,5 mnkr.",
                    "distribution": "Kommunstyrelsen\nFörvaltningschef",
                    "handler": handler,
                    "signed_by": chief,
                    "dated_on": dt.date(2022, 6, 7),
                },
            )
        agenda_services.agenda_item_add(
            meeting=meeting,
            actor=secretary,
            kind=AgendaItemKind.CASE,
            case=case,
            title=title,
            proposed_clauses=case.officer_report.proposed_clauses,
            confidential=confidential,
            legal_basis=basis,
        )
    agenda_services.agenda_item_add(
        meeting=meeting, actor=secretary, kind=AgendaItemKind.INFORMATION, title="Information från ordföranden"
    )
    _notice_issued_on(meeting, secretary, timezone.make_aware(dt.datetime(2022, 6, 9, 10)), for_information=[chief])
    stdout.write("  Socialnämnden 2022-06-16: kallelse med två sekretessbelagda punkter")


# Ärenden the förbundschef has prepared for the styrelse's next meeting (registered, tjänsteskrivelse written).
BOARD_NEXT_CASES = [
    (
        "Attestordning och delegationsordning 2020",
        "Förbundet är egen arbetsgivare från 2020-01-01 och behöver en attestordning och en delegationsordning "
        "som följer avtalet om tjänsteköp från Skellefteå kommun.",
        ("att fastställa attestordningen för 2020", "att fastställa delegationsordningen för 2020"),
    ),
    (
        "Användning av eget kapital 2020",
        "Budgeten för 2020 är underfinansierad med 142 000 kr. Förbundschefen föreslår att underskottet täcks "
        "av eget kapital, som vid bokslutet 2019 beräknas uppgå till 1 665 738 kr.",
        ("att täcka underskottet i budgeten för 2020 med 142 000 kr ur eget kapital",),
    ),
]


def _board_next_cases(stdout, admin: User) -> None:
    federation = Organisation.objects.get(name=FEDERATION)
    board = Committee.objects.get(organisation=federation, short_name="STY")
    director = User.objects.filter(username="forbundschef").first()
    handler = Person.objects.filter(organisation=federation, user=director).first() if director else None
    series = _series(federation, board, admin)
    for title, summary, clauses in BOARD_NEXT_CASES:
        if series.cases.filter(title=title).exists():
            continue
        case = case_services.case_register(
            organisation=federation,
            actor=director or admin,
            series=series,
            title=title,
            registered_on=dt.date(2020, 1, 15),
            committee=board,
            handler=handler,
        )
        case_services.officer_report_update(
            report=case.officer_report,
            actor=director or admin,
            data={"proposed_clauses": list(clauses), "summary": summary, "handler": handler},
        )
    stdout.write("  Styrelsen: två ärenden med tjänsteskrivelse väntar på nästa sammanträde")


@transaction.atomic
def seed_meetings(*, stdout) -> None:
    """Called by `manage.py seed_demo` after the core data. The archive PDF renders when this commits."""
    admin = User.objects.get(username="admin")
    secretary = User.objects.get(username="sekreterare")
    _board_meeting(stdout, admin, secretary)
    _board_next_cases(stdout, admin)
    _social_committee(stdout, admin, secretary)
