"""Demo data for insatser: Samordningsförbundet Skellefteå-Norsjö's nine insatser of 2019 (seed 003, the bilaga
"Insatser och måluppfyllelse 2019") with their 2019 participant figures as submitted yearly reports, and
Ljusnarsbergs kommun's Tillväxtverket project with its delprojekt 7354–7358 and 2019 budget (seed 000).

Seed 003's own figures contradict each other in places; the demo holds figures that add up, and
docs/anvandarguide/forbundschef.md ("Demodata") lists each published figure that contradicts itself and what
the demo holds instead. Where the seed gives a split without kön, the split is left unreported (a report may
leave a split empty) unless the kön is needed for the förbund's total of 150 avslutade; those kön splits are
the demo's assumption and are listed there too.

Everything goes through the services, as a förbundschef would do it. Idempotent: an insats that exists (by
name in its organisation) is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from core.demo import FEDERATION, LJUSNARSBERG
from core.models import Organisation, User

from . import project_services, report_services
from .category_services import category_lists_ensure
from .models import Category, CategoryList, Project, ProjectParty, ProjectStaff
from .report_grid import category_key, structural_key

K = CategoryList.Key
FK, AF, REGION = "Försäkringskassan", "Arbetsförmedlingen", "Region Västerbotten"
SKELLEFTEA, NORSJO = "Skellefteå kommun", "Norsjö kommun"
FOUR = [(SKELLEFTEA, "Samverkanspart"), (AF, "Samverkanspart"), (REGION, "Samverkanspart"), (FK, "Samverkanspart")]

# (name, short name, kind, orientation, esf, executor, executor in Paragraf, parties, start, end, status,
#  target groups, purpose, specified orientation)
INSATSER = [
    (
        "Arbetsmarknadstorget",
        "AMT",
        Project.Kind.ORDINARY,
        Project.Orientation.INDIVIDUAL,
        False,
        SKELLEFTEA,
        SKELLEFTEA,
        FOUR,
        dt.date(2013, 9, 1),
        None,
        Project.Status.ONGOING,
        ["Unga som riskerar att hamna i långvarigt utanförskap", "Personer med fysisk och psykisk ohälsa"],
        "En sammanhållen mötesplats för samordnade insatser där de fyra myndigheterna tar ett samlat ansvar "
        "utifrån individens behov, mot egen försörjning.",
        "Samlokaliserat myndighetsgemensamt team för unga vuxna 16–29 år",
    ),
    (
        "MySam",
        "MySam",
        Project.Kind.ORDINARY,
        Project.Orientation.INDIVIDUAL,
        False,
        "Skellefteå kommun/socialtjänsten",
        SKELLEFTEA,
        FOUR,
        None,
        None,
        Project.Status.ONGOING,
        [
            "Sjukskrivna personer som saknar sjukpenning och har nedsatt arbetsförmåga (SGIO)",
            "Personer med långvarigt försörjningsstöd",
        ],
        "Tillgång till rehabilitering för sjukskrivna utan sjukpenninggrundande inkomst, och förbättrad "
        "livskvalitet och steg mot egen försörjning för personer med långvarigt försörjningsstöd.",
        "Samordnat myndighetsstöd",
    ),
    (
        "NAFS Skellefteå-Norsjö",
        "NAFS",
        Project.Kind.ORDINARY,
        Project.Orientation.STRUCTURAL,
        False,
        "Skellefteå kommun/IFO/Solkraft",
        SKELLEFTEA,
        [(REGION, "Samverkanspart"), (SKELLEFTEA, "Samverkanspart"), (AF, "Samverkanspart"), (FK, "Samverkanspart")],
        dt.date(2017, 1, 1),
        None,
        Project.Status.ONGOING,
        ["Personer med fysisk och psykisk ohälsa"],
        "Bred kartläggning och myndighetsgemensamt samråd i NAFS-team, så att individen kan föreslås nästa steg "
        "i en samordnad rehabiliteringsprocess.",
        "Kartläggning och samråd i multidisciplinära team",
    ),
    (
        "Framsteg Norsjömodellen",
        "Framsteg",
        Project.Kind.FINSAM,
        Project.Orientation.INDIVIDUAL,
        False,
        NORSJO,
        NORSJO,
        [(NORSJO, "Projektägare"), (AF, "Samverkanspart")],
        dt.date(2019, 5, 1),
        dt.date(2020, 12, 31),
        Project.Status.ONGOING,
        ["Nyanlända/utrikes födda"],
        "Förbereda deltagarna inför arbetslivet med förberedande arbetsmarknadskunskap, så att anställningar "
        "leder till riktiga jobb.",
        "",
    ),
    (
        "ProAktiv",
        "ProAktiv",
        Project.Kind.ESF,
        Project.Orientation.INDIVIDUAL,
        True,
        "Urkraft",
        None,
        [("Urkraft", "Projektägare"), (FK, "Samverkanspart"), (SKELLEFTEA, "Samverkanspart")],
        dt.date(2019, 2, 21),
        dt.date(2021, 12, 31),
        Project.Status.ONGOING,
        ["Unga med aktivitetsersättning", "Unga som riskerar att hamna i långvarigt utanförskap"],
        "Utveckla förrehabiliterande insatser så att deltagarna kommer i arbete, utbildning, "
        "arbetsmarknadsprogram eller utvecklar arbetsförmåga.",
        "",
    ),
    (
        "Nästa steg",
        "Nästa steg",
        Project.Kind.ESF,
        Project.Orientation.INDIVIDUAL,
        True,
        "Skellefteå kommun/IFO/Solkraft",
        SKELLEFTEA,
        FOUR,
        dt.date(2018, 3, 1),
        dt.date(2021, 2, 28),
        Project.Status.ONGOING,
        ["Unga som riskerar att hamna i långvarigt utanförskap"],
        "Underlätta inträdet på arbetsmarknaden med metoden Supported Employment.",
        "Supported Employment",
    ),
    (
        "Psykisk hälsa Arbetsliv",
        "PHA",
        Project.Kind.ESF,
        Project.Orientation.STRUCTURAL,
        True,
        "Skellefteå kommun/IFO/Solkraft",
        SKELLEFTEA,
        [(SKELLEFTEA, "Projektägare"), (NORSJO, "Samverkanspart"), ("Arjeplogs kommun", "Samverkanspart")],
        dt.date(2018, 3, 1),
        dt.date(2020, 2, 29),
        Project.Status.ONGOING,
        ["Chefer och anställda med personalansvar"],
        "Kompetensutveckling för chefer, HR-specialister och ekonomer för minskad ohälsa på utsatta, "
        "kvinnodominerade arbetsplatser.",
        "Utbildning",
    ),
    (
        "Vägen Vidare",
        "Vägen Vidare",
        Project.Kind.ESF,
        Project.Orientation.INDIVIDUAL,
        True,
        "Medlefors folkhögskola",
        None,
        [
            ("Medlefors folkhögskola", "Projektägare"),
            (SKELLEFTEA, "Samverkanspart"),
            (AF, "Samverkanspart"),
            (NORSJO, "Samverkanspart"),
        ],
        dt.date(2017, 4, 1),
        dt.date(2020, 3, 31),
        Project.Status.ONGOING,
        ["Långtidsarbetslösa med sammansatt problematik"],
        "Ett högre arbetskraftsdeltagande för långtidsarbetslösa med sammansatt problematik.",
        "",
    ),
    (
        "Praktiksteget/Påfart gymnasiet",
        "Påfart",
        Project.Kind.FINSAM,
        Project.Orientation.INDIVIDUAL,
        False,
        NORSJO,
        NORSJO,
        [(NORSJO, "Projektägare")],
        dt.date(2016, 8, 15),
        dt.date(2019, 6, 30),
        Project.Status.FINISHED,
        ["Unga som riskerar att hamna i långvarigt utanförskap"],
        "En länk mellan hemmasittande och studier för unga 16–20 år i Norsjö som inte studerar eller arbetar.",
        "",
    ),
]

# 2019 figures per insats: base rows (carried over, enrolled, exited) and splits, each as (kvinnor, män,
# icke-binär/annat). The income at exit is mirrored in the exit reason list (seed 003's table of 150 avslutade).
EXIT_REASON_OF = {
    "Lön/Arbete": "Arbete",
    "Studiestöd/Studiemedel": "Studier",
    "A-kassa": "A-kassa",
    "Aktivitetsstöd/Utvecklingsersättning": "Aktivitetsstöd",
    "Sjuk-/Rehabpenning": "Sjukpenning/Rehabpenning",
    "Sjukersättning": "Sjukersättning",
    "Aktivitetsersättning": "Aktivitetsersättning",
    "Försörjningsstöd": "Försörjningsstöd",
    "Annan offentlig försörjning": "Annan offentlig försörjning (Pension/Äldreförsörjningsstöd/Föräldrapenning)",
    "Ingen offentlig försörjning": "Ingen offentlig försörjning (t ex egna besparingar)",
}

FIGURES_2019 = {
    "Arbetsmarknadstorget": {
        "base": {"carried_over": (24, 36, 0), "enrolled": (20, 32, 2), "exited": (24, 22, 0)},
        K.AGE_GROUP: {"16 - 29 år": (42, 66, 2), "30 - 44 år": (2, 2, 0)},
        K.REFERRER: {
            "Af": (15, 29, 0),
            "FK": (1, 0, 0),
            "Kommun": (14, 18, 1),
            "Region VB": (14, 20, 1),
            "Annan (egen kontakt)": (0, 1, 0),
        },
        K.EDUCATION: {"Grundskola": (21, 36, 0), "Gymnasium": (20, 29, 0), "Saknas/okänd": (3, 3, 2)},
        K.INCOME_AT_ENTRY: {
            "Studiestöd/Studiemedel": (0, 2, 0),
            "A-kassa": (2, 0, 0),
            "Aktivitetsstöd/Utvecklingsersättning": (6, 14, 0),
            "Sjuk-/Rehabpenning": (0, 2, 0),
            "Aktivitetsersättning": (3, 0, 0),
            "Försörjningsstöd": (14, 26, 0),
            "Annan offentlig försörjning": (1, 1, 0),
            "Ingen offentlig försörjning": (14, 20, 0),
            "Saknas/okänd": (4, 3, 2),
        },
        K.INCOME_AT_EXIT: {
            "Lön/Arbete": (7, 3, 0),
            "Studiestöd/Studiemedel": (2, 2, 0),
            "Aktivitetsstöd/Utvecklingsersättning": (1, 1, 0),
            "Sjuk-/Rehabpenning": (1, 0, 0),
            "Aktivitetsersättning": (3, 6, 0),
            "Försörjningsstöd": (4, 5, 0),
            "Annan offentlig försörjning": (0, 2, 0),
            "Ingen offentlig försörjning": (6, 3, 0),
        },
    },
    "MySam": {
        "base": {"carried_over": (27, 33, 0), "enrolled": (20, 25, 0), "exited": (22, 36, 0)},
        K.AGE_GROUP: {
            "16 - 29 år": (0, 4, 0),
            "30 - 44 år": (18, 30, 0),
            "45 - 59 år": (25, 17, 0),
            "60 - 64 år": (4, 7, 0),
        },
        K.REFERRER: {"Kommun": (46, 58, 0), "Region VB": (1, 0, 0)},
        K.EDUCATION: {
            "Deltagaren saknar utbildning motsvarande grundskola": (3, 1, 0),
            "Grundsärskola": (0, 2, 0),
            "Grundskola": (25, 30, 0),
            "Gymnasium": (11, 20, 0),
            "Högskola/universitet upp till 3 år": (1, 4, 0),
            "Saknas/okänd": (7, 1, 0),
        },
        K.INCOME_AT_ENTRY: {"Försörjningsstöd": (46, 58, 0), "Ingen offentlig försörjning": (1, 0, 0)},
        K.INCOME_AT_EXIT: {
            "Lön/Arbete": (1, 8, 0),
            "Studiestöd/Studiemedel": (1, 0, 0),
            "A-kassa": (0, 1, 0),
            "Aktivitetsstöd/Utvecklingsersättning": (2, 0, 0),
            "Sjuk-/Rehabpenning": (1, 1, 0),
            "Sjukersättning": (3, 3, 0),
            "Försörjningsstöd": (13, 18, 0),
            "Annan offentlig försörjning": (0, 4, 0),
            "Ingen offentlig försörjning": (1, 1, 0),
        },
    },
    "Framsteg Norsjömodellen": {
        "base": {"carried_over": (0, 0, 0), "enrolled": (2, 3, 0), "exited": (0, 2, 0)},
        K.AGE_GROUP: {"30 - 44 år": (1, 2, 0), "45 - 59 år": (1, 1, 0)},
        K.REFERRER: {"Af": (2, 1, 0), "Kommun": (0, 2, 0)},
        K.EDUCATION: {"Grundskola": (0, 1, 0), "Gymnasium": (0, 1, 0), "Saknas/okänd": (2, 1, 0)},
        K.INCOME_AT_ENTRY: {"Försörjningsstöd": (0, 2, 0), "Annan offentlig försörjning": (2, 1, 0)},
        K.INCOME_AT_EXIT: {"Försörjningsstöd": (0, 2, 0)},
    },
    "ProAktiv": {
        "base": {"carried_over": (0, 0, 0), "enrolled": (18, 23, 1), "exited": (0, 0, 0)},
        K.AGE_GROUP: {"16 - 29 år": (18, 23, 1)},
        K.REFERRER: {"FK": (9, 7, 1), "Kommun": (8, 16, 0), "Region VB": (1, 0, 0)},
        K.INCOME_AT_ENTRY: {
            "Sjuk-/Rehabpenning": (2, 0, 0),
            "Aktivitetsersättning": (7, 7, 1),
            "Försörjningsstöd": (8, 16, 0),
            "Saknas/okänd": (1, 0, 0),
        },
    },
    "Nästa steg": {
        "base": {"carried_over": (3, 7, 0), "enrolled": (4, 8, 0), "exited": (3, 5, 0)},
        K.AGE_GROUP: {"16 - 29 år": (7, 15, 0)},
        K.INCOME_AT_EXIT: {
            "Lön/Arbete": (1, 3, 0),
            "Studiestöd/Studiemedel": (1, 1, 0),
            "Aktivitetsstöd/Utvecklingsersättning": (0, 1, 0),
            "Försörjningsstöd": (1, 0, 0),
        },
    },
    "Vägen Vidare": {
        "base": {"carried_over": (22, 8, 0), "enrolled": (13, 4, 0), "exited": (18, 7, 0)},
        K.INCOME_AT_EXIT: {
            "Lön/Arbete": (3, 1, 0),
            "Studiestöd/Studiemedel": (2, 1, 0),
            "A-kassa": (1, 0, 0),
            "Aktivitetsstöd/Utvecklingsersättning": (4, 2, 0),
            "Sjuk-/Rehabpenning": (1, 0, 0),
            "Försörjningsstöd": (6, 3, 0),
            "Annan offentlig försörjning": (1, 0, 0),
        },
    },
    "Praktiksteget/Påfart gymnasiet": {
        "base": {"carried_over": (6, 8, 0), "enrolled": (0, 0, 0), "exited": (3, 8, 0)},
    },
}

# Strukturövergripande: activity -> organisation (None: not named) -> (kvinnor, män, icke-binär/annat).
STRUCTURAL_2019 = {
    "NAFS Skellefteå-Norsjö": {
        "Kartläggningar och behovsanalyser": {REGION: (33, 21, 0), SKELLEFTEA: (24, 16, 0), AF: (9, 5, 0)},
    },
    "Psykisk hälsa Arbetsliv": {"Utbildningar och kompetensinsatser": {None: (97, 25, 0)}},
}

LJUSNARSBERG_PROJECT = "Arbete med socioekonomiska utmaningar i Ljusnarsbergs kommun"
LJUSNARSBERG_SUB_PROJECTS = [
    ("7354", "Riktade grundskoleinsatser"),
    ("7355", "Familjecentral och genomgången grundskola"),
    ("7356", "Meningsfull fritid och försäkrat demokrati"),
    ("7357", "Digitalisering"),
    ("7358", "Stärkt öppenvård, arbete och sysselsättning"),
]


def _categories(organisation: Organisation) -> dict[tuple[str, str], Category]:
    rows = Category.objects.filter(category_list__organisation=organisation).select_related("category_list")
    return {(row.category_list.key, row.label): row for row in rows}


def _values(figures: dict, categories: dict) -> dict[tuple[str, str], int]:
    values: dict[tuple[str, str], int] = {}
    genders = ("woman", "man", "other")
    for row, triple in figures.get("base", {}).items():
        values.update({(row, gender): count for gender, count in zip(genders, triple, strict=True)})
    for list_key, split in figures.items():
        if list_key == "base":
            continue
        for label, triple in split.items():
            key = category_key(categories[(list_key, label)].pk)
            values.update({(key, gender): count for gender, count in zip(genders, triple, strict=True)})
            if list_key == K.INCOME_AT_EXIT:
                reason = category_key(categories[(K.EXIT_REASON, EXIT_REASON_OF[label])].pk)
                values.update({(reason, gender): count for gender, count in zip(genders, triple, strict=True)})
    return values


def _structural_values(project: Project, figures: dict, categories: dict) -> dict[tuple[str, str], int]:
    parties = {party.name: party.pk for party in ProjectParty.objects.filter(project=project)}
    values = {}
    for activity, by_party in figures.items():
        category = categories[(K.STRUCTURAL_ACTIVITY, activity)]
        for party_name, triple in by_party.items():
            key = structural_key(category.pk, parties[party_name] if party_name else 0)
            values.update(
                {(key, gender): count for gender, count in zip(("woman", "man", "other"), triple, strict=True)}
            )
    return values


@transaction.atomic
def _federation(stdout, director: User) -> None:
    federation = Organisation.objects.get(name=FEDERATION)
    category_lists_ensure(organisation=federation, actor=director)
    categories = _categories(federation)
    organisations = {row.name: row for row in Organisation.objects.all()}
    created = 0
    for (
        name,
        short_name,
        kind,
        orientation,
        esf,
        executor,
        executor_in_paragraf,
        parties,
        starts_on,
        ends_on,
        status,
        target_groups,
        purpose,
        specified,
    ) in INSATSER:
        if Project.objects.filter(organisation=federation, name=name).exists():
            continue
        project = project_services.project_create(
            organisation=federation,
            actor=director,
            name=name,
            short_name=short_name,
            kind=kind,
            orientation=orientation,
            esf_funded=esf,
            follow_up_method=Project.FollowUp.REGISTER if name == REGISTER_INSATS else Project.FollowUp.MANUAL,
            report_period=Project.ReportPeriod.YEAR,
            executor_name=executor,
            executor_organisation=organisations.get(executor_in_paragraf) if executor_in_paragraf else None,
            starts_on=starts_on,
            ends_on=ends_on,
            purpose=purpose,
            specified_orientation=specified,
            status=status,
            target_groups=[categories[(K.TARGET_GROUP, label)] for label in target_groups],
        )
        for party_name, role in parties:
            project_services.party_create(project=project, actor=director, name=party_name, role=role)
        if name == REGISTER_INSATS:
            created += 1
            continue  # its report is computed from Skellefteå kommun's register (_amt_register)
        if project.is_structural:
            values = _structural_values(project, STRUCTURAL_2019[name], categories)
        else:
            values = _values(FIGURES_2019[name], categories)
        report = report_services.report_create(project=project, actor=director, year=2019)
        report = report_services.report_save_counts(report=report, actor=director, values=values)
        report_services.report_submit(report=report, actor=director)
        created += 1
    if created:
        stdout.write(f"  {FEDERATION}: {created} insatser med inlämnade deltagarrapporter för 2019")


@transaction.atomic
def _ljusnarsberg(stdout, admin: User) -> None:
    kommun = Organisation.objects.get(name=LJUSNARSBERG)
    if Project.objects.filter(organisation=kommun, name=LJUSNARSBERG_PROJECT).exists():
        return
    project = project_services.project_create(
        organisation=kommun,
        actor=admin,
        name=LJUSNARSBERG_PROJECT,
        short_name="Socioekonomi",
        kind=Project.Kind.STATE_GRANT,
        orientation=Project.Orientation.STRUCTURAL,
        executor_name=LJUSNARSBERG,
        executor_organisation=kommun,
        owner_name=LJUSNARSBERG,
        starts_on=dt.date(2019, 1, 1),
        ends_on=dt.date(2019, 12, 31),
        status=Project.Status.ONGOING,
        purpose="Arbete med kommunens socioekonomiska utmaningar, med projektmedel från Tillväxtverket "
        "(ärendenummer 209148).",
    )
    project_services.party_create(project=project, actor=admin, name="Tillväxtverket", role="Bidragsgivare")
    project_services.budget_year_save(
        project=project,
        actor=admin,
        year=2019,
        granted_grant=Decimal("1750000"),
        co_financing=Decimal("194425"),
        own_contribution=Decimal("0"),
    )
    for code, name in LJUSNARSBERG_SUB_PROJECTS:
        project_services.sub_project_create(project=project, actor=admin, code=code, name=name)
    stdout.write(f"  {LJUSNARSBERG}: projektet med delprojekt 7354–7358")


# Seed 003, Arbetsmarknadstorget's "Mål/resultat/kommentarer": the goals, the box ticked for 2019, the comment.
# Mål 3's box says uppfyllt while its comment ends "Målet anses därmed inte vara uppfyllt": the demo holds the
# ticked box and keeps the comment as written (docs/anvandarguide/forbundschef.md, "Mål").
AMT_GOALS = [
    (
        "Erbjud ett samordnat stöd och insatser som ökar möjligheten för att deltagarna ska komma ut i egen "
        "försörjning.",
        "met",
        "Trots perioder av underbemanning har Arbetsmarknadstorget erbjudit stöd till totalt 114 individer under "
        "2019, jämfört med föregående år då antalet var 97. Målet får därmed anses vara uppfyllt.",
    ),
    (
        "Alla deltagare som har arbetsförmåga ska närma sig arbetslivet.",
        "partly",
        "NNS indikator 7: 50 % (10 personer) känner sig klart mer redo att kunna arbeta eller studera, 30 % delvis. "
        "Med nuvarande uppföljning går det inte att avgöra om målet är uppfyllt eller inte.",
    ),
    (
        "Alla deltagare uttrycker att deras livssituation har förbättrats efter avslutad insats.",
        "met",
        "NNS indikator 5: 49 % (11 personer) klart positiva svar, 37 % (7 personer) delvis. Målet anses därmed inte "
        "vara uppfyllt.",
    ),
]
AMT_INDICATORS = [
    ("Indikator 5: Deltagaren kan hantera sin situation (andel klart positiva svar, %)", Decimal("49"), None),
    ("Indikator 7: Deltagaren är mer redo att arbeta eller studera (andel klart positiva svar, %)", Decimal("50"), 20),
]


def _amt_goals(stdout, director: User) -> None:
    from . import goal_services
    from .models import Goal

    project = Project.objects.filter(organisation__name=FEDERATION, name="Arbetsmarknadstorget").first()
    if project is None or Goal.objects.filter(project=project).exists():
        return
    for title, outcome, comment in AMT_GOALS:
        goal = goal_services.goal_create(project=project, actor=director, title=title, deadline=dt.date(2019, 12, 31))
        goal_services.goal_assess(goal=goal, actor=director, year=2019, outcome=outcome, comment=comment)
    for indicator, value, respondents in AMT_INDICATORS:
        goal_services.indicator_save(
            project=project, actor=director, indicator=indicator, year=2019, value=value, respondents=respondents
        )
    stdout.write("  Arbetsmarknadstorget: mål med bedömning för 2019 och NNS-indikatorer")


def _staff(stdout) -> None:
    """The demo deltagaransvarig reports Arbetsmarknadstorget, run by Skellefteå kommun."""
    officer = User.objects.filter(username="deltagaransvarig").first()
    project = Project.objects.filter(organisation__name=FEDERATION, name="Arbetsmarknadstorget").first()
    if officer is None or project is None or ProjectStaff.objects.filter(project=project, user=officer).exists():
        return
    row = ProjectStaff(project=project, user=officer)
    row._history_user = User.objects.filter(username="admin").first()
    row.save()
    stdout.write("  deltagaransvarig: Arbetsmarknadstorget")


# Arbetsmarknadstorget is run by Skellefteå kommun, which keeps its pseudonymised register in Paragraf: the 2019
# report is computed from that register and submitted through crossing_services, reproducing FIGURES_2019.
REGISTER_INSATS = "Arbetsmarknadstorget"
# Demo: Skellefteå kommun's informationshanteringsplan is taken to keep register data 10 years after avslut, so
# the 2019 register is still there to look at (the product's default is 2 years).
DEMO_RETENTION_YEARS = 10
AGE_AT_ENTRY = {"16 - 29 år": 22, "30 - 44 år": 35, "45 - 59 år": 50, "60 - 64 år": 62}


def _expand(split: dict, index: int) -> list[str]:
    """A marginal {label: (kvinnor, män, annat)} as one label per participant of kön `index`."""
    return [label for label, triple in split.items() for _ in range(triple[index])]


def amt_register_plan(figures: dict) -> list[dict]:
    """One participant per row, per kön, so that every split of `figures` is met exactly: each active
    participant takes the i-th label of each split over the active, and the first `exited` of them exit with
    the i-th försörjning vid avslut (and its avslutsorsak). Those carried over were enrolled in 2018."""
    plan = []
    for index, gender in enumerate(("woman", "man", "other")):
        carried = figures["base"]["carried_over"][index]
        enrolled = figures["base"]["enrolled"][index]
        exited = figures["base"]["exited"][index]
        active = carried + enrolled
        splits = {
            key: _expand(figures[key], index) for key in (K.AGE_GROUP, K.REFERRER, K.EDUCATION, K.INCOME_AT_ENTRY)
        }
        exits = _expand(figures[K.INCOME_AT_EXIT], index)
        assert all(len(labels) == active for labels in splits.values()) and len(exits) == exited, gender
        for number in range(active):
            if number < carried:
                enrolled_on = dt.date(2018, 1 + number % 12, 1 + number % 27)
            else:
                enrolled_on = dt.date(2019, 1 + number % 6, 1 + number % 27)
            row = {
                "gender": gender,
                "enrolled_on": enrolled_on,
                "birth_year": enrolled_on.year - AGE_AT_ENTRY[splits[K.AGE_GROUP][number]],
                "referrer": splits[K.REFERRER][number],
                "education": splits[K.EDUCATION][number],
                "income_at_entry": splits[K.INCOME_AT_ENTRY][number],
                "exit": None,
            }
            if number < exited:
                row["exit"] = (dt.date(2019, 7 + number % 6, 1 + number % 27), exits[number])
            plan.append(row)
    return plan


@transaction.atomic
def _amt_register(stdout) -> None:
    from . import crossing_services, register_services
    from .models import ParticipantReport, RegisterParticipant, RegisterStaff

    officer = User.objects.filter(username="deltagaransvarig").first()
    kommun = Organisation.objects.filter(name=SKELLEFTEA).first()
    project = Project.objects.filter(organisation__name=FEDERATION, name=REGISTER_INSATS).first()
    if officer is None or kommun is None or project is None or project.follow_up_method != Project.FollowUp.REGISTER:
        return
    if ParticipantReport.objects.filter(project=project, year=2019).exists():
        return
    if not RegisterStaff.objects.filter(organisation=kommun, project=project, user=officer).exists():
        register_services.register_staff_add(organisation=kommun, project=project, user=officer, actor=officer)
    register_services.retention_save(
        organisation=kommun,
        actor=officer,
        years=DEMO_RETENTION_YEARS,
        basis="Demo: informationshanteringsplanen, deltagaruppgifter i samverkansinsatser",
    )
    categories = _categories(project.organisation)
    if not RegisterParticipant.objects.filter(organisation=kommun, project=project).exists():
        for number, row in enumerate(amt_register_plan(FIGURES_2019[REGISTER_INSATS]), start=1):
            participant = register_services.participant_enrol(
                organisation=kommun,
                project=project,
                actor=officer,
                code=f"AMT-{number:04}",
                gender=row["gender"],
                consent=True,
                consent_on=row["enrolled_on"],
                enrolled_on=row["enrolled_on"],
                birth_year=row["birth_year"],
                referrer=categories[(K.REFERRER, row["referrer"])],
                education=categories[(K.EDUCATION, row["education"])],
                income_at_entry=categories[(K.INCOME_AT_ENTRY, row["income_at_entry"])],
            )
            if row["exit"]:
                exited_on, income = row["exit"]
                register_services.participant_exit(
                    participant=participant,
                    actor=officer,
                    exited_on=exited_on,
                    exit_reason=categories[(K.EXIT_REASON, EXIT_REASON_OF[income])],
                    income_at_exit=categories[(K.INCOME_AT_EXIT, income)],
                )
    crossing_services.register_report_submit(organisation=kommun, project=project, actor=officer, year=2019)
    stdout.write(f"  {SKELLEFTEA}: deltagarregister för {REGISTER_INSATS}, 2019 års rapport inlämnad ur registret")


def seed_projects(*, stdout) -> None:
    """Called by `manage.py seed_demo` after the meetings data."""
    _federation(stdout, User.objects.get(username="forbundschef"))
    _amt_goals(stdout, User.objects.get(username="forbundschef"))
    _staff(stdout)
    _amt_register(stdout)
    _ljusnarsberg(stdout, User.objects.get(username="admin"))
