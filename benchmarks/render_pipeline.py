#!/usr/bin/env python
"""How much the document pipeline costs on top of WeasyPrint itself.

Renders the same Organisationsfakta N times through the pipeline (services.render_job_request, which enqueues
the task; tasks run in-process under config.settings.test, so this is request + task + render_job_run: input
checks, HTML, fingerprint, reuse lookup, WeasyPrint PDF/A-3b, SHA-256, storage and row updates), and N times
with bare WeasyPrint on the same HTML. Prints median and mean of both, their ratio, and the time of a reused
render (unchanged inputs: the stored PDF is found by fingerprint and nothing is laid out).

Everything happens in a throwaway database (a temporary SQLite file, or a test database next to the one in
DATABASE_URL) and a temporary MEDIA_ROOT, both removed at the end.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/render_pipeline.py [--runs 10]
"""

from __future__ import annotations

import argparse
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

KIND = "core.organisation_factsheet"


def timed(function: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def make_data():
    """A samordningsförbund with five members, six committees with seats, and a dozen users."""
    from core.models import FederationMember, Organisation, Person, Role, RoleAssignment, User
    from meetings.models import Committee, Membership

    federation = Organisation.objects.create(
        name="Samordningsförbundet Mätbyn",
        kind=Organisation.Kind.FEDERATION,
        org_number="222000-2642",
        street_address="Storgatan 1",
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

    roles = list(Role)
    users = []
    for index in range(12):
        user = User.objects.create_user(
            username=f"anvandare{index}", first_name=f"Förnamn{index}", last_name=f"Efternamn{index}"
        )
        RoleAssignment.objects.create(user=user, organisation=federation, role=roles[index % len(roles)])
        users.append(user)

    seat_roles = [Membership.Role.CHAIR, Membership.Role.VICE_CHAIR] + [Membership.Role.MEMBER] * 5
    for number in range(6):
        committee = Committee.objects.create(
            organisation=federation, name=f"Organ {number + 1}", short_name=f"O{number + 1}", kind=Committee.Kind.BOARD
        )
        for seat, role in enumerate([*seat_roles, *[Membership.Role.SUBSTITUTE] * 4]):
            person = Person.objects.create(
                organisation=federation, first_name=f"Person{number}{seat}", last_name=f"Ledamotsson{seat}"
            )
            Membership.objects.create(
                committee=committee,
                person=person,
                role=role,
                party=["S", "M", "C", "V", ""][seat % 5],
                represents=members[seat % len(members)],
                substitute_order=seat - len(seat_roles) + 1 if role == Membership.Role.SUBSTITUTE else None,
                starts_on="2023-01-01",
            )
    return federation, users[0]


def run(runs: int) -> None:
    import weasyprint

    from reporting import services
    from reporting.documents import get_document_class
    from reporting.fetcher import resolve_static
    from reporting.models import RenderJob
    from reporting.rendering import PDF_VARIANT, build_html

    organisation, user = make_data()
    params = {"on": "2025-06-30"}

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
    styled_html = html.replace('href="/static/css/print.css"', f'href="{resolve_static("css/print.css").as_uri()}"')

    def bare_styled():
        return weasyprint.HTML(string=styled_html).write_pdf(pdf_variant=PDF_VARIANT)

    def bare_literal():
        # Exactly HTML(string=html): without a base URL the linked stylesheet is not found, so this is unstyled.
        return weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)

    # Warm-up: fonts, imports and template caches, not measured.
    first = pipeline_once(allow_reuse=False)
    bare_styled()
    bare_literal()

    # Interleaved, so that drift in the machine's load or clock affects every variant alike.
    pipeline, bare, literal = [], [], []
    for _ in range(runs):
        pipeline += timed(lambda: pipeline_once(allow_reuse=False), 1)
        bare += timed(bare_styled, 1)
        literal += timed(bare_literal, 1)
    reused_jobs = []
    reused = timed(lambda: reused_jobs.append(pipeline_once(allow_reuse=True)), runs)
    if not all(job.reused_from_id for job in reused_jobs):
        raise SystemExit("Återanvändningen slog inte till.")

    with first.output.open("rb") as handle:
        pdf = handle.read()
    pages = len(weasyprint.HTML(string=styled_html).render().pages)

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Paragraf render pipeline benchmark: {runs} runs each after one warm-up")
    size = f"{len(pdf) / 1024:.0f} KiB PDF, {len(html) / 1024:.0f} KiB HTML"
    print(f"document: {document_class.title}, {pages} pages, {size}")
    print(f"WeasyPrint {weasyprint.__version__}, {PDF_VARIANT}, database {engine}, Python {sys.version.split()[0]}")
    print()
    rows = [
        ("pipeline (request + task + render + store)", pipeline),
        ("bare WeasyPrint, same HTML and stylesheet", bare),
        ("bare WeasyPrint, HTML(string=html) only *", literal),
        ("reused render (unchanged inputs)", reused),
    ]
    print(f"{'':44} {'median':>9} {'mean':>9} {'min':>9} {'max':>9}")
    for label, values in rows:
        print(
            f"{label:44} {statistics.median(values):8.3f}s {statistics.mean(values):8.3f}s "
            f"{min(values):8.3f}s {max(values):8.3f}s"
        )
    print()
    print(f"ratio pipeline / bare WeasyPrint (median): {statistics.median(pipeline) / statistics.median(bare):.2f}")
    print(f"ratio pipeline / bare WeasyPrint (mean):   {statistics.mean(pipeline) / statistics.mean(bare):.2f}")
    print(f"ratio pipeline / HTML(string=html) only:   {statistics.median(pipeline) / statistics.median(literal):.2f}")
    print(f"ratio reused / pipeline (median):          {statistics.median(reused) / statistics.median(pipeline):.3f}")
    print()
    print("* without a base URL WeasyPrint cannot resolve /static/css/print.css, so that run lays out unstyled HTML")
    print("  (no @page rules, no running header or page numbers); it is shown for reference only.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="measured runs of each variant (default 10)")
    args = parser.parse_args()
    for name in ("celery", "kombu", "reporting", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)  # the unstyled reference run complains

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
