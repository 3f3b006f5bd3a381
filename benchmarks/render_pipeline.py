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

import statistics

import harness

KIND = "core.organisation_factsheet"


def make_data():
    """A samordningsförbund with five members, six committees with seats, and a dozen users."""
    from core.models import Person, Role, RoleAssignment, User
    from meetings.models import Committee, Membership

    federation, members = harness.make_federation(street_address="Storgatan 1")
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

    from reporting.rendering import PDF_VARIANT

    organisation, user = make_data()
    probe = harness.Probe(organisation=organisation, user=user, kind=KIND, params={"on": "2025-06-30"})

    def bare_literal():
        # Exactly HTML(string=html): without a base URL the linked stylesheet is not found, so this is unstyled.
        return weasyprint.HTML(string=probe.html).write_pdf(pdf_variant=PDF_VARIANT)

    times = probe.measure(runs, extra={"literal": bare_literal})

    print(f"Paragraf render pipeline benchmark: {runs} runs each after one warm-up")
    print(f"document: {probe.document_class.title}, {probe.description()}")
    print(harness.environment())
    print()
    harness.print_rows(
        [
            ("pipeline (request + task + render + store)", times["pipeline"]),
            ("bare WeasyPrint, same HTML and stylesheet", times["bare"]),
            ("bare WeasyPrint, HTML(string=html) only *", times["literal"]),
            ("reused render (unchanged inputs)", times["reused"]),
        ]
    )
    print()
    harness.print_ratios(times)
    literal_ratio = statistics.median(times["pipeline"]) / statistics.median(times["literal"])
    print(f"ratio pipeline / HTML(string=html) only:   {literal_ratio:.2f}")
    print()
    print("* without a base URL WeasyPrint cannot resolve /static/css/print.css, so that run lays out unstyled HTML")
    print("  (no @page rules, no running header or page numbers); it is shown for reference only.")


def main() -> None:
    harness.main(run, description=__doc__.splitlines()[0], runs_help="measured runs of each variant (default 10)")


if __name__ == "__main__":
    main()
