#!/usr/bin/env python
"""What the document pipeline costs on top of WeasyPrint for an årsredovisning.

Builds a samordningsförbund with the demo's 2019 ledger (the SIE 4 file of finance.demo, imported through the
import service), the statement mapping and the typed 2018 figures (finance.demo_statements), and an årsredovisning
2019 with the demo's förvaltningsberättelse (finance.demo_annual): every section of seed 003, figures from the
data, the statements with the previous year, noter, budget och utfall and the signature page. The draft
(kind "finance.annual_report", with UTKAST) is then rendered N times through the pipeline
(reporting.services.render_job_request; tasks run in-process under config.settings.test: request + task + input
checks, HTML, fingerprint, reuse lookup, WeasyPrint PDF/A-3a, finishing, SHA-256, storage and row updates) and
N times with bare WeasyPrint on the same HTML (the stylesheet link pointing at static/css/print.css as a file
URL). Prints median, mean, min and max of both, their ratio, and a reused render (unchanged inputs).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/annual_report_pdf.py [--runs 10]
"""

from __future__ import annotations

import harness

KIND = "finance.annual_report"


def make_report():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import Role, RoleAssignment, User
    from finance import account_services, annual_report_services, import_services
    from finance.demo import sie_file
    from finance.demo_annual import DECIDED_ON, TEXTS
    from finance.demo_statements import seed_statements
    from finance.models import AnnualReport

    federation, _members = harness.make_federation(street_address="Hörnellgatan 17, vån 3")
    economist = User.objects.create_user(username="ekonom", first_name="Elin", last_name="Ekström")
    RoleAssignment.objects.create(user=economist, organisation=federation, role=Role.ECONOMIST)
    account_services.kontoplan_apply_template(organisation=federation, actor=economist, template="federation")
    job = import_services.ledger_import_upload(
        organisation=federation,
        actor=economist,
        upload=SimpleUploadedFile("skelleftea-norsjo-2019.se", sie_file(federation.org_number)),
    )
    if job.status != job.Status.DONE:
        raise SystemExit(f"SIE-filen kunde inte importeras: {job.errors}")

    class Quiet:
        def write(self, text):
            pass

    seed_statements(federation=federation, actor=economist, stdout=Quiet())
    report = annual_report_services.annual_report_create(
        organisation=federation, actor=economist, fiscal_year=job.fiscal_year
    )
    report = annual_report_services.annual_report_update(
        report=report,
        actor=economist,
        version=None,
        accounting_basis=AnnualReport.Basis.CASH,
        principles=annual_report_services.PRINCIPLES[AnnualReport.Basis.CASH],
        signatories="Bengt Almqvist, Ordförande\nAnders Ekholm, Vice ordförande\nKarl Andrén, Ledamot",
        decided_on=DECIDED_ON,
        **TEXTS,
    )
    return federation, economist, report


def run(runs: int) -> None:
    organisation, economist, report = make_report()
    print(f"Paragraf årsredovisning PDF benchmark: {runs} runs each after one warm-up")
    print(harness.environment())
    probe = harness.Probe(organisation=organisation, user=economist, kind=KIND, params={"report": report.pk})
    times = probe.measure(runs)
    print()
    print(f"årsredovisning 2019 (utkast): {probe.description()}")
    harness.print_rows(
        [
            ("pipeline (request + task + render + store)", times["pipeline"]),
            ("bare WeasyPrint, same HTML and stylesheet", times["bare"]),
            ("reused render (unchanged inputs)", times["reused"]),
        ]
    )
    harness.print_ratios(times)


def main() -> None:
    harness.main(run, description=__doc__.splitlines()[0], runs_help="measured runs of each variant (default 10)")


if __name__ == "__main__":
    main()
