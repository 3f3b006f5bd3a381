"""What the benchmark scripts share: Django in a throwaway database, timing, the pipeline-vs-WeasyPrint probe.

Import it before anything from Django: it sets the settings, a temporary MEDIA_ROOT and calls django.setup().
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

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

MEMBERS = [
    ("Försäkringskassan", "202100-5521"),
    ("Arbetsförmedlingen", "202100-2114"),
    ("Region Västerbotten", "232100-0222"),
    ("Skellefteå kommun", "212000-2759"),
    ("Norsjö kommun", "212000-2734"),
]


def timed(function: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def make_federation(*, street_address: str):
    """Samordningsförbundet Mätbyn with its five members; returns (federation, members)."""
    from core.models import FederationMember, Organisation

    federation = Organisation.objects.create(
        name="Samordningsförbundet Mätbyn",
        kind=Organisation.Kind.FEDERATION,
        org_number="222000-2642",
        street_address=street_address,
        postal_code="931 30",
        city="Skellefteå",
    )
    members = []
    for index, (name, number) in enumerate(MEMBERS):
        kind = Organisation.Kind.MUNICIPALITY if index > 2 else Organisation.Kind.AGENCY
        member = Organisation.objects.create(name=name, kind=kind, org_number=number)
        FederationMember.objects.create(federation=federation, member=member)
        members.append(member)
    return federation, members


class Probe:
    """One document rendered through the pipeline and with bare WeasyPrint on the same HTML and stylesheet."""

    def __init__(self, *, organisation, user, kind: str, params: Mapping[str, Any]):
        from reporting.documents import get_document_class
        from reporting.fetcher import resolve_static
        from reporting.rendering import build_html

        self.organisation, self.user, self.kind, self.params = organisation, user, kind, dict(params)
        self.document_class = get_document_class(kind)
        cleaned = self.document_class.clean_params(self.params, organisation=organisation)
        self.html = build_html(self.document_class(organisation=organisation, params=cleaned))
        # The stylesheet as a file URL, so bare WeasyPrint lays out exactly what the pipeline does.
        stylesheet = resolve_static("css/print.css").as_uri()
        self.styled_html = self.html.replace('href="/static/css/print.css"', f'href="{stylesheet}"')
        if self.styled_html == self.html:
            raise SystemExit("Stilmallslänken hittades inte i dokumentets HTML.")

    def pipeline(self, *, allow_reuse: bool = False):
        from reporting import services
        from reporting.models import RenderJob

        if not allow_reuse:
            # Earlier results must not be reused, or every run after the first would be a cache hit.
            RenderJob.objects.update(input_fingerprint="")
        job = services.render_job_request(
            organisation=self.organisation, user=self.user, kind=self.kind, params=self.params
        )
        job.refresh_from_db()
        if job.status != RenderJob.Status.DONE:
            raise SystemExit(f"Jobbet misslyckades: {job.error}")
        return job

    def bare(self) -> bytes:
        import weasyprint

        from reporting.rendering import PDF_VARIANT

        return weasyprint.HTML(string=self.styled_html).write_pdf(pdf_variant=PDF_VARIANT)

    def measure(self, runs: int, *, extra: Mapping[str, Callable[[], object]] = ()) -> dict[str, list[float]]:
        """Warm-up, then pipeline, bare WeasyPrint and any extra variants interleaved, then reused renders."""
        extra = dict(extra)
        self.first = self.pipeline()
        self.bare()
        for variant in extra.values():
            variant()
        times: dict[str, list[float]] = {"pipeline": [], "bare": [], **{name: [] for name in extra}}
        # Interleaved, so that drift in the machine's load or clock affects every variant alike.
        for _ in range(runs):
            times["pipeline"] += timed(self.pipeline, 1)
            times["bare"] += timed(self.bare, 1)
            for name, variant in extra.items():
                times[name] += timed(variant, 1)
        reused_jobs = []
        times["reused"] = timed(lambda: reused_jobs.append(self.pipeline(allow_reuse=True)), runs)
        if not all(job.reused_from_id for job in reused_jobs):
            raise SystemExit("Återanvändningen slog inte till.")
        return times

    def description(self) -> str:
        import weasyprint

        with self.first.output.open("rb") as handle:
            pdf_size = len(handle.read())
        pages = len(weasyprint.HTML(string=self.styled_html).render().pages)
        return f"{pages} pages, {pdf_size / 1024:.0f} KiB PDF, {len(self.html) / 1024:.0f} KiB HTML"


def environment() -> str:
    import weasyprint

    from reporting.rendering import PDF_VARIANT

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"WeasyPrint {weasyprint.__version__}, {PDF_VARIANT}, database {engine}, Python {sys.version.split()[0]}"


def print_rows(rows: list[tuple[str, list[float]]]) -> None:
    print(f"{'':44} {'median':>9} {'mean':>9} {'min':>9} {'max':>9}")
    for label, values in rows:
        print(
            f"{label:44} {statistics.median(values):8.3f}s {statistics.mean(values):8.3f}s "
            f"{min(values):8.3f}s {max(values):8.3f}s"
        )


def print_ratios(times: Mapping[str, list[float]]) -> None:
    pipeline, bare, reused = times["pipeline"], times["bare"], times["reused"]
    print(f"ratio pipeline / bare WeasyPrint (median): {statistics.median(pipeline) / statistics.median(bare):.2f}")
    print(f"ratio pipeline / bare WeasyPrint (mean):   {statistics.mean(pipeline) / statistics.mean(bare):.2f}")
    print(f"ratio reused / pipeline (median):          {statistics.median(reused) / statistics.median(pipeline):.3f}")


def main(run: Callable[[int], None], *, description: str, runs_help: str) -> None:
    """Parse --runs, then call run(runs) in a throwaway database and media folder, both removed at the end."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=10, help=runs_help)
    args = parser.parse_args()
    for name in ("celery", "kombu", "reporting", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)  # an unstyled reference run complains

    with throwaway_database():
        run(max(1, args.runs))


@contextlib.contextmanager
def throwaway_database():
    """A migrated test database (SQLite file or paragraf_benchmark_<pid> on the server) and WORKDIR, both
    removed at the end. Yields the database's name."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(WORKDIR / "benchmark.sqlite3")
    else:
        database.setdefault("TEST", {})["NAME"] = f"paragraf_benchmark_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield settings.DATABASES["default"]["NAME"]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(WORKDIR, ignore_errors=True)
