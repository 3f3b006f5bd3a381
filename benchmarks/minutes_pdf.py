#!/usr/bin/env python
"""What the document pipeline costs on top of WeasyPrint for a protokoll, at 13 § and at 100 §.

Builds a styrelse with eleven ledamöter and five ersättare and two justerade, anslagna protokoll in the shape of
seed 003 (närvaro with a ledamot only for part of the §, tjänstgörande ersättare, tjänstepersoner and guests for
one §, justerare, a votering with every beslutande's röst, a reservation, jäv, beslut as att-satser, expediering,
anslag): one of 13 § (§§ 69–81, like the seed) and one of 100 §. Everything is written through the meetings
services, as a secretary would.

Each protokoll (kind "meetings.minutes") is then rendered N times through the pipeline
(reporting.services.render_job_request; tasks run in-process under config.settings.test, so this is request +
task + render_job_run: input checks, HTML, fingerprint, reuse lookup, WeasyPrint PDF/A-3b, SHA-256, storage and
row updates) and N times with bare WeasyPrint on the same HTML (reporting.rendering.build_html, the stylesheet
link pointing at static/css/print.css as a file URL). Prints median, mean, min and max of both, their ratio, and
the time of a reused render (unchanged inputs: the stored PDF is found by fingerprint and nothing is laid out).

Everything happens in a throwaway database (a temporary SQLite file, or a test database next to the one in
DATABASE_URL) and a temporary MEDIA_ROOT, both removed at the end.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/minutes_pdf.py [--runs 10]
"""

from __future__ import annotations

import datetime as dt
import statistics

import harness

KIND = "meetings.minutes"
MEETING_DAY = dt.date(2019, 11, 28)
BIG_MEETING_DAY = dt.date(2019, 12, 12)
FIRST_NUMBER = 69  # §§ 1–68 of the year are in earlier protokoll, as in seed 003

# (first name, last name, member organisation index, role) — eleven ledamöter, then five ersättare in order.
SEATS = [
    ("Anna", "Almqvist", 3, "chair"),
    ("Bengt", "Bergfors", 0, "vice_chair"),
    ("Cecilia", "Ledin", 1, "member"),
    ("David", "Andrén", 2, "member"),
    ("Eva", "Ekholm", 4, "member"),
    ("Fredrik", "Forsberg", 3, "member"),
    ("Greta", "Grahn", 0, "member"),
    ("Hans", "Holmström", 1, "member"),
    ("Ingrid", "Isaksson", 2, "member"),
    ("Johan", "Jonsson", 4, "member"),
    ("Karin", "Karlsson", 3, "member"),
    ("Lars", "Persköld", 2, "substitute"),
    ("Maria", "Lindgren", 4, "substitute"),
    ("Nils", "Strömberg", 3, "substitute"),
    ("Olga", "Olofsson", 0, "substitute"),
    ("Per", "Pettersson", 1, "substitute"),
]

BODY = (
    "Beredningsgruppen har berett ärendet och föreslår att styrelsen fattar beslut enligt förslaget. "
    "Förbundschefen redogör för bakgrunden, de ekonomiska konsekvenserna och hur insatsen följs upp. "
    "Av tjänsteskrivelsen framgår att finansieringen ryms inom budgeten för året och att parterna har "
    "ställt sig bakom inriktningen."
)
CLAUSES = [
    "att godkänna förslaget i enlighet med tjänsteskrivelsen",
    "att finansiera insatsen med 3 550 000 kr för perioden 2020-01-01 – 2020-12-31",
    "att uppdra åt förbundschefen att följa upp insatsen och återrapportera till styrelsen",
]


def make_committee():
    """A samordningsförbund with five members, a styrelse of eleven ledamöter and five ersättare, a secretary."""
    from core.models import Person, Role, RoleAssignment, User
    from meetings import case_services
    from meetings.models import Committee, Membership

    federation, members = harness.make_federation(street_address="Hörnellgatan 17")

    secretary = User.objects.create_user(username="sekreterare", first_name="Britt", last_name="Stolpe")
    RoleAssignment.objects.create(user=secretary, organisation=federation, role=Role.SECRETARY)

    board = Committee.objects.create(
        organisation=federation, name="Styrelsen", short_name="STY", kind=Committee.Kind.BOARD
    )
    substitute_order = 0
    for first, last, member_index, role in SEATS:
        person = Person.objects.create(organisation=federation, first_name=first, last_name=last)
        is_substitute = role == "substitute"
        substitute_order += is_substitute
        Membership.objects.create(
            committee=board,
            person=person,
            role=role,
            represents=members[member_index],
            substitute_order=substitute_order if is_substitute else None,
            starts_on="2019-01-01",
        )
    series = case_services.series_create(
        organisation=federation,
        actor=secretary,
        name="STY-diariet",
        pattern="{committee} {year}/{seq}",
        committee=board,
    )
    return federation, board, secretary, series


def make_minutes(*, organisation, committee, secretary, series, day: dt.date, paragraphs: int):
    """A justerat and anslaget protokoll of `paragraphs` § in seed 003's shape, written through the services."""
    from django.utils import timezone

    from core.models import Person
    from meetings import agenda_services, case_services, minutes_services, posting_services
    from meetings.models import AgendaItemKind, Attendance, Membership, Minutes, ParagraphCounter, Signatory

    meeting = agenda_services.meeting_create(
        organisation=organisation,
        actor=secretary,
        committee=committee,
        date=day,
        start_time=dt.time(9, 0),
        end_time=dt.time(15, 0),
        place="Hörnellgatan 17, sammanträdesrum, vån 3, Skellefteå",
    )
    if not ParagraphCounter.objects.filter(committee=committee, year=day.year).exists():
        # §§ 1–68 of the year are in the styrelse's earlier protokoll; the first meeting continues at § 69.
        ParagraphCounter.objects.create(committee=committee, year=day.year, last_number=FIRST_NUMBER - 1)
    for index in range(paragraphs):
        case = None
        if index % 3 != 2:  # two in three points are ärenden with a diarienummer and a tjänsteskrivelse
            case = case_services.case_register(
                organisation=organisation,
                actor=secretary,
                series=series,
                title=f"Ärende {index + 1}: insats för unga vuxna i arbetsför ålder",
                registered_on=day - dt.timedelta(days=24),
                committee=committee,
            )
            case_services.officer_report_update(
                report=case.officer_report, actor=secretary, data={"proposed_clauses": CLAUSES[: 1 + index % 3]}
            )
        agenda_services.agenda_item_add(
            meeting=meeting,
            actor=secretary,
            kind=AgendaItemKind.CASE if case else AgendaItemKind.INFORMATION,
            title="" if case else f"Information {index + 1} från förbundschefen",
            case=case,
            proposed_clauses=[] if case else ["att notera informationen"],
        )
    minutes = minutes_services.minutes_start(meeting=meeting, actor=secretary)
    seats = {
        m.person.last_name: m.person
        for m in Membership.objects.on(day).filter(committee=committee).select_related("person")
    }
    minutes_services.attendance_fill_from_memberships(minutes=minutes, actor=secretary)
    # The list as in seed 003: two ledamöter absent and replaced, one ledamot only from the seventh § on, one
    # ersättare ej tjänstgörande; tjänstepersoner for the whole meeting and two guests for a single §.
    for attendance in minutes.attendances.select_related("person"):
        if attendance.person.last_name in ("Andrén", "Ekholm", "Bergfors", "Persköld", "Lindgren"):
            minutes_services.attendance_remove(attendance=attendance, actor=secretary)
    counter = ParagraphCounter.objects.filter(committee=committee, year=day.year).first()
    start = (counter.last_number if counter else 0) + 1
    end = start + paragraphs - 1
    add = minutes_services.attendance_add
    add(
        minutes=minutes,
        actor=secretary,
        person=seats["Bergfors"],
        capacity=Attendance.Capacity.DECISION_MAKER,
        from_paragraph=start + 6,
        to_paragraph=end,
    )
    add(
        minutes=minutes,
        actor=secretary,
        person=seats["Persköld"],
        capacity=Attendance.Capacity.SERVING_SUBSTITUTE,
        replaces=seats["Andrén"],
    )
    add(
        minutes=minutes,
        actor=secretary,
        person=seats["Lindgren"],
        capacity=Attendance.Capacity.SERVING_SUBSTITUTE,
        replaces=seats["Ekholm"],
    )
    for first_name, last_name, title in [("Maja", "Tornberg", "Förbundschef"), ("Britt", "Stolpe", "Sekreterare")]:
        person, _ = Person.objects.get_or_create(
            organisation=organisation, first_name=first_name, last_name=last_name, defaults={"title": title}
        )
        add(minutes=minutes, actor=secretary, person=person, capacity=Attendance.Capacity.OFFICIAL)
    clerk = person
    for first_name, last_name, role_text in [("Tova", "Lundin", "Urkraft/ProAktiv"), ("Rosa", "Nordmark", "FK")]:
        person, _ = Person.objects.get_or_create(organisation=organisation, first_name=first_name, last_name=last_name)
        add(
            minutes=minutes,
            actor=secretary,
            person=person,
            capacity=Attendance.Capacity.OTHER,
            role_text=role_text,
            from_paragraph=start + 8,
            to_paragraph=start + 8,
        )
    minutes_services.minutes_update_front(
        minutes=minutes,
        actor=secretary,
        verification_place="Förbundets kansli, Skellefteå",
        verification_date=day + dt.timedelta(days=7),
        secretary=clerk,
    )
    minutes_services.signatories_set(
        minutes=minutes, actor=secretary, chair=seats["Almqvist"], verifiers=[seats["Lindgren"]], secretary=clerk
    )

    for index, item in enumerate(meeting.agenda_items.order_by("position")):
        paragraph = minutes_services.paragraph_add(minutes=minutes, actor=secretary, title="", agenda_item=item)
        minutes_services.paragraph_update(
            paragraph=paragraph,
            actor=secretary,
            title=paragraph.title,
            body=BODY,
            decision_clauses=paragraph.decision_clauses or ["att notera informationen"],
            distribution="Förbundets medlemmar\nEkonomifunktionen" if paragraph.case_id else "",
            protocol_notes="Nästa möte hålls torsdagen den 13 februari 2020." if index == paragraphs - 1 else "",
        )
        if index % 10 == 4:  # § 73 in the 13-§ protokoll: jäv, yrkanden, propositionsordning, votering, reservation
            _contested(paragraph, secretary, seats)
    numbers = list(minutes.paragraphs.order_by("number").values_list("number", flat=True))
    if numbers != list(range(start, end + 1)):
        raise SystemExit(f"Fel numrering: {numbers}")

    minutes_services.minutes_send_for_verification(
        minutes=minutes, actor=secretary, verification_url="http://testserver/justering/"
    )
    for signatory in Signatory.objects.filter(minutes=minutes).exclude(role=Signatory.Role.SECRETARY):
        # Approving the last signature locks the protokoll and renders its archive PDF/A (not measured).
        minutes_services.signatory_approve(
            signatory=signatory, actor=secretary, ip="192.0.2.10", user_agent="benchmark"
        )
    # The justering as it would have happened a week after the meeting, then the anslag the next day.
    verified = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=7), dt.time(10, 0)))
    Minutes.objects.filter(pk=minutes.pk).update(verified_at=verified)
    Signatory.objects.filter(minutes=minutes, signed_at__isnull=False).update(signed_at=verified)
    minutes = Minutes.objects.get(pk=minutes.pk)
    posting_services.posting_create(
        minutes=minutes,
        actor=secretary,
        posted_on=day + dt.timedelta(days=8),
        taken_down_on=day + dt.timedelta(days=8 + 21),
        storage_place="Förbundets kansli, Hörnellgatan 17, Skellefteå",
    )
    return minutes, numbers


def _contested(paragraph, secretary, seats) -> None:
    from meetings import minutes_services
    from meetings.models import Ballot

    minutes_services.recusal_add(
        paragraph=paragraph, actor=secretary, person=seats["Forsberg"], note="Styrelseledamot i anordnaren"
    )
    minutes_services.paragraph_update(
        paragraph=paragraph,
        actor=secretary,
        title=paragraph.title,
        body=BODY,
        motions="Cecilia Ledin yrkar bifall till förslaget.\nHans Holmström yrkar avslag.",
        procedure=(
            "Ordföranden ställer proposition på bifall mot avslag och finner att styrelsen bifaller förslaget. "
            "Votering begärs."
        ),
        decision_clauses=paragraph.decision_clauses,
        distribution=paragraph.distribution,
    )
    vote = minutes_services.vote_add(
        paragraph=paragraph,
        actor=secretary,
        question="Ja för bifall till förslaget, nej för avslag",
        yes_means="bifall till förslaget",
        no_means="avslag",
    )
    deciders = minutes_services.paragraph_decision_makers(paragraph)
    no_voters = {"Holmström", "Isaksson"}
    choices = {
        p.pk: Ballot.Choice.NO
        if p.last_name in no_voters
        else Ballot.Choice.ABSTAIN
        if p.last_name == "Grahn"
        else "yes"
        for p in deciders
    }
    minutes_services.vote_record(vote=vote, actor=secretary, choices=choices)
    minutes_services.dissent_add(
        paragraph=paragraph,
        actor=secretary,
        person=seats["Holmström"],
        motivation="Insatsen borde ha prövats mot förbundets mål innan den finansieras.",
    )


def run(runs: int) -> None:
    organisation, committee, secretary, series = make_committee()
    built = [
        make_minutes(
            organisation=organisation,
            committee=committee,
            secretary=secretary,
            series=series,
            day=day,
            paragraphs=count,
        )
        for day, count in ((MEETING_DAY, 13), (BIG_MEETING_DAY, 100))
    ]
    print(f"Paragraf protokoll PDF benchmark: {runs} runs each after one warm-up")
    print(harness.environment())
    results = []
    for minutes, numbers in built:
        probe = harness.Probe(organisation=organisation, user=secretary, kind=KIND, params={"minutes": minutes.pk})
        times = probe.measure(runs)
        results.append(times)
        print()
        print(f"protokoll §§ {numbers[0]}–{numbers[-1]} ({len(numbers)} §): {probe.description()}")
        harness.print_rows(
            [
                ("pipeline (request + task + render + store)", times["pipeline"]),
                ("bare WeasyPrint, same HTML and stylesheet", times["bare"]),
                ("reused render (unchanged inputs)", times["reused"]),
            ]
        )
        harness.print_ratios(times)
    small, big = results

    def growth(key: str) -> float:
        return statistics.median(big[key]) / statistics.median(small[key])

    print()
    print(f"100 § / 13 § (median): pipeline {growth('pipeline'):.1f}×, bare WeasyPrint {growth('bare'):.1f}×")


def main() -> None:
    harness.main(
        run, description=__doc__.splitlines()[0], runs_help="measured runs of each variant and size (default 10)"
    )


if __name__ == "__main__":
    main()
