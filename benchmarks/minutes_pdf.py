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

import argparse
import datetime as dt
import gc
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
WORKDIR = Path(tempfile.mkdtemp(prefix="paragraf-benchmark-"))
os.environ["MEDIA_ROOT"] = str(WORKDIR / "media")  # never the configured media folder
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

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


def timed(function: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def make_committee():
    """A samordningsförbund with five members, a styrelse of eleven ledamöter and five ersättare, a secretary."""
    from core.models import FederationMember, Organisation, Person, Role, RoleAssignment, User
    from meetings import case_services
    from meetings.models import Committee, Membership

    federation = Organisation.objects.create(
        name="Samordningsförbundet Mätbyn",
        kind=Organisation.Kind.FEDERATION,
        org_number="222000-2642",
        street_address="Hörnellgatan 17",
        postal_code="931 30",
        city="Skellefteå",
    )
    members = []
    for index, (name, number) in enumerate(
        [
            ("Försäkringskassan", "202100-5521"),
            ("Arbetsförmedlingen", "202100-2114"),
            ("Region Västerbotten", "232100-0222"),
            ("Skellefteå kommun", "212000-2759"),
            ("Norsjö kommun", "212000-2734"),
        ]
    ):
        member = Organisation.objects.create(
            name=name, kind=Organisation.Kind.MUNICIPALITY if index > 2 else Organisation.Kind.AGENCY, org_number=number
        )
        FederationMember.objects.create(federation=federation, member=member)
        members.append(member)

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


def measure(*, organisation, user, minutes, numbers: list[int], runs: int) -> tuple:
    """Time one protokoll: pipeline and bare WeasyPrint interleaved, then reused renders."""
    import weasyprint

    from reporting import services
    from reporting.documents import get_document_class
    from reporting.fetcher import resolve_static
    from reporting.models import RenderJob
    from reporting.rendering import PDF_VARIANT, build_html

    params = {"minutes": minutes.pk}

    def pipeline_once(*, allow_reuse: bool) -> RenderJob:
        if not allow_reuse:
            # Earlier results must not be reused, or every run after the first would be a cache hit.
            RenderJob.objects.update(input_fingerprint="")
        job = services.render_job_request(organisation=organisation, user=user, kind=KIND, params=params)
        job.refresh_from_db()
        if job.status != RenderJob.Status.DONE:
            raise SystemExit(f"Jobbet misslyckades: {job.error}")
        return job

    document_class = get_document_class(KIND)
    cleaned = document_class.clean_params(params, organisation=organisation)
    html = build_html(document_class(organisation=organisation, params=cleaned))
    # The same HTML with the stylesheet as a file URL, so bare WeasyPrint lays out exactly what the pipeline does.
    stylesheet = resolve_static("css/print.css").as_uri()
    styled_html = html.replace('href="/static/css/print.css"', f'href="{stylesheet}"')
    if styled_html == html:
        raise SystemExit("Stilmallslänken hittades inte i protokollets HTML.")

    def bare_styled():
        return weasyprint.HTML(string=styled_html).write_pdf(pdf_variant=PDF_VARIANT)

    # Warm-up: fonts, imports and template caches, not measured.
    first = pipeline_once(allow_reuse=False)
    bare_styled()

    # Interleaved, so that drift in the machine's load or clock affects both variants alike.
    pipeline, bare = [], []
    for _ in range(runs):
        pipeline += timed(lambda: pipeline_once(allow_reuse=False), 1)
        bare += timed(bare_styled, 1)
    reused_jobs = []
    reused = timed(lambda: reused_jobs.append(pipeline_once(allow_reuse=True)), runs)
    if not all(job.reused_from_id for job in reused_jobs):
        raise SystemExit("Återanvändningen slog inte till.")

    with first.output.open("rb") as handle:
        pdf = handle.read()
    pages = len(weasyprint.HTML(string=styled_html).render().pages)
    label = f"§§ {numbers[0]}–{numbers[-1]} ({len(numbers)} §)"
    return label, pages, len(pdf), len(html), pipeline, bare, reused


def run(runs: int) -> None:
    import weasyprint

    from reporting.rendering import PDF_VARIANT

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
    results = [
        measure(organisation=organisation, user=secretary, minutes=minutes, numbers=numbers, runs=runs)
        for minutes, numbers in built
    ]

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Paragraf protokoll PDF benchmark: {runs} runs each after one warm-up")
    print(f"WeasyPrint {weasyprint.__version__}, {PDF_VARIANT}, database {engine}, Python {sys.version.split()[0]}")
    for label, pages, pdf_size, html_size, pipeline, bare, reused in results:
        print()
        print(f"protokoll {label}: {pages} pages, {pdf_size / 1024:.0f} KiB PDF, {html_size / 1024:.0f} KiB HTML")
        print(f"{'':44} {'median':>9} {'mean':>9} {'min':>9} {'max':>9}")
        for row, values in [
            ("pipeline (request + task + render + store)", pipeline),
            ("bare WeasyPrint, same HTML and stylesheet", bare),
            ("reused render (unchanged inputs)", reused),
        ]:
            print(
                f"{row:44} {statistics.median(values):8.3f}s {statistics.mean(values):8.3f}s "
                f"{min(values):8.3f}s {max(values):8.3f}s"
            )
        print(f"ratio pipeline / bare WeasyPrint (median): {statistics.median(pipeline) / statistics.median(bare):.2f}")
        print(f"ratio pipeline / bare WeasyPrint (mean):   {statistics.mean(pipeline) / statistics.mean(bare):.2f}")
        print(
            f"ratio reused / pipeline (median):          {statistics.median(reused) / statistics.median(pipeline):.3f}"
        )
    if len(results) == 2:
        small, big = results
        print()
        print(
            f"100 § / 13 § (median): pipeline {statistics.median(big[4]) / statistics.median(small[4]):.1f}×, "
            f"bare WeasyPrint {statistics.median(big[5]) / statistics.median(small[5]):.1f}×"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="measured runs of each variant and size (default 10)")
    args = parser.parse_args()
    for name in ("celery", "kombu", "reporting", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(WORKDIR / "benchmark.sqlite3")
    else:
        database.setdefault("TEST", {})["NAME"] = f"paragraf_benchmark_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(max(1, args.runs))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
