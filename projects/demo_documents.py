"""Demo lägesrapport and projektansökan for Ljusnarsbergs kommun (issue 8 points 8 and 9).

- Seed 000: the Tillväxtverket project (projects.demo._ljusnarsberg) gets its 2019 lägesrapport with the seed's
  sections, texts (shortened) and the ledger's utfall per kostnadsslag (tkr in the seed, kronor here), submitted
  through the service, so its PDF/A renders when this commits (in-process under `make run`).
- Seed 001: the application "Samverkan Ljusnarsberg" to the samordningsförbund, entered, submitted and
  approved, and so become a project with its mål, delmål (20, 20, 75 %) and budget 2011–2013.

People are fictional (the seeds' names are not used); organisations, texts and figures are the seeds'.
Idempotent: a report for the period, or an application of that name, that exists is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from core.demo import LJUSNARSBERG
from core.models import Organisation, User

from . import application_services, status_report_services
from .demo import LJUSNARSBERG_PROJECT
from .models import Category, CategoryList, Goal, Project, ProjectApplication, StatusReport

K = CategoryList.Key

AREAS = {
    "7354": "Läsa, räkna och skriva-garanti: för skolans vidkommande har medlen använts till delade "
    "undervisningsgrupper i de lägre åldrarna, förskoleklass och årskurs 1, för att öka måluppfyllelsen gällande "
    "att räkna, skriva och läsa. Det har inneburit en förstärkning på 2 x 0,25 tjänster för våren 2019 och "
    "1 x 0,5 tjänster under hösten 2019 samt inköp av undervisningsmaterial.",
    "7355": "Familjecentral: även under 2019 har kommunens familjeterapeut och samordnare ägnat del av sina tjänster "
    "åt att arbeta och samverka kring uppstart av en familjecentral. En familjecentralsliknande verksamhet har "
    "pågått under året i samverkan med andra aktörer. Ett underlag för förslag till beslut om att öppna "
    "familjecentral lämnas till politiken under början av 2020.\n\n"
    "Genomgången grundskola: samordnaren har under 2019 arbetat fram en handlingsplan för genomgången grundskola "
    "och skolnärvaro, och bidragit till att den har implementerats i grundskolan. Samverkansmöten med polis, "
    "socialtjänst, skola, förskola, elevhälsa, fritidsgård och region har fortsatt.",
    "7356": "Meningsfull fritid: fritidskonsulent har anställts och finansieras av projektet, och har arbetat med att "
    "stärka civilsamhället och skapa meningsfull fritidssysselsättning för alla i kommunen, bland annat genom "
    "föreningsträffar, lovaktiviteter och utveckling av den kommunala fritidsgården. Under 2019 togs ett "
    "politiskt beslut om att upprätta en Fritidsbank; den ska vara i drift under första halvåret 2020.\n\n"
    "Samverkan med föreningar har genomförts kontinuerligt under året, både i kommunal verksamhet och i olika "
    "typer av aktiviteter.",
    "7357": "Arbetet med digitalisering av ekonomiskt bistånd har fortlöpt, för att stärka delaktighet och "
    "självständighet för den enskilde och effektivisera handläggningen. Under 2019 har arbetet handlat mycket om "
    "investeringar och tekniska lösningar som ska fungera för samtliga kommuner som arbetar gemensamt med "
    "frågan. Under 2020 ligger fokus på att få digitaliseringen av ekonomiskt bistånd i skarp drift. Digitala "
    "lösningar inom vård och omsorg har förstärkts genom utbildningar och inköp av utrustning.",
    "7358": "Arbete och sysselsättning: under 2019 har månadsvisa samverkansmöten mellan Arbetsmarknadsenheten, "
    "Individ- och familjeomsorgen och Enheten för funktionsstöd ägt rum. Del av den nyinrättade tjänsten som "
    "arbetskonsulent finansierades av projektet mellan maj och december 2019, med kartläggning av individer med "
    "ekonomiskt bistånd enligt FIA-intervjuer som första del i en processmodell för att minska behovet av "
    "försörjningsstöd.\n\n"
    "Social praktik: utvecklingen av social praktik har fortlöpt i samverkan mellan Arbetsmarknadsenheten, "
    "Individ- och familjeomsorgen och externa projekt, med individuella handlingsplaner. Flertalet deltagare "
    "införde en social praktik; några påbörjade studier eller fick arbete.",
}

ACTIVITIES = [
    (
        "Läsa, räkna och skriva-garanti: schemalagda mindre arbetsgrupper",
        "Eleverna får mer arbetsro, det skapar mer delaktighet och ger möjlighet till individuellt stöd i större "
        "utsträckning än tidigare. Arbetet fortlöper under 2020 och bör på lång sikt bidra till ökad "
        "måluppfyllelse i grundskolan.",
    ),
    (
        "Genomgången grundskola: samverkansmöten (förskola, grundskola, fritidsgård, socialtjänst och polis); "
        "handlingsplan för närvaro i grundskolan",
        "En handlingsplan har upprättats och implementerats i grundskolan. Den ska bidra till ett gemensamt "
        "synsätt och likartat arbetssätt för personalen och leda till ökad skolnärvaro bland eleverna.",
    ),
    (
        "Familjecentral: uppbyggnad genom delprojektgrupp, samverkan med region, förskola och individ- och "
        "familjeomsorgen; arkitekt för kostnadsförslag för ombyggnad av lokal",
        "Arbetet har gett underlag för de politiska beslut som behövs om upprättande av och framtida budget för "
        "en familjecentral i kommunen.",
    ),
    (
        "Arbete och sysselsättning: samverkansmöten månadsvis; processmodell med FIA-intervjuer och kartläggning",
        "Samverkansmötena har lett till ökad samsyn och fler gemensamma insatser och mål mellan enheterna, och "
        "fortsätter månadsvis under 2020. Nästa steg är individuella handlingsplaner för varje enskild individ.",
    ),
    (
        "Samordning av praktikplatser hos företag och i kommunala verksamheter",
        "Arbetet har pågått hela året och fortsätter under 2020. Samordningen ger en överskådlig bild av platserna "
        "och snabbare vägar ut i praktik och arbete.",
    ),
    (
        "Social praktik: arbete med individuellt anpassad sysselsättning",
        "Samordningen har gett struktur och handledning till handledarna som arbetar med individerna. Arbetet "
        "fortlöper under 2020.",
    ),
    (
        "Digitalisering av ekonomiskt bistånd",
        "Arbetet har intensifierats med kompetensutveckling och förberedelser för ”Mina sidor”, som väntas gå i "
        "skarp drift i början av 2020 och frigöra tid för biståndshandläggarna.",
    ),
    (
        "Stärkt demokrati och samarbete med civilsamhället: möteslokaler för föreningar, föreningsträffar, "
        "rekrytering av fritidskonsulent",
        "Genom föreningsträffar och tät kommunikation får civilsamhället nya kunskaper och insikter, och genom "
        "nätverkande skapas plattformar för samverkan.",
    ),
    (
        "Aktiviteter för barn och unga; utveckla fritidsgården; aktiva seniorer och seniorveckan; "
        "ungdomspolitiskt program och elevråd",
        "Mötesplatser, fysisk aktivitet och socialt sammanhang för barn, unga och seniorer. Arbetet med ett nytt "
        "ungdomspolitiskt program och med elevråden i grundskolan har påbörjats.",
    ),
]

DEVIATIONS = (
    "Utifrån att den tänkta dubblingen av statsbidraget uteblev har vi fått göra en del omprioriteringar. Delar i "
    "digitalisering och familjecentral har dragit ut på tiden; en del tekniska lösningar har tagit längre tid och "
    "mer resurser än beräknat. Vi har därför kompenserat, till exempel inom familjecentral med "
    "familjecentralsliknande verksamhet, och lagt mer resurser på meningsfull fritid och civilsamhället."
)
WORK_PROCESS = (
    "Inom delen Barn och unga har samordnaren, utbildad socionom, haft det övergripande ansvaret för Familjecentral "
    "och Riktade grundskoleinsatser, med utgångspunkt i Wendick-modellen och dess strukturerade träningsmaterial. "
    "För Meningsfull fritid har fritidskonsulenten, utbildad beteendevetare, haft ansvaret.\n\n"
    "Enhetscheferna för individ- och familjeomsorgen och för Arbetsmarknadsenheten har haft ett gemensamt ansvar "
    "för samarbetet inom processmodellen, som infördes i maj och pågick under hela året. Arbetskonsulenten har "
    "varit länken mellan individ- och familjeomsorg och Arbetsmarknadsenhet.\n\n"
    "Digitaliseringen har lett av enhetschefen för individ- och familjeomsorgen tillsammans med leverantören och "
    "kommunens IT-avdelning. Samverkan med föreningslivet har fritidskonsulenten ansvarat för."
)
ECONOMY = (
    "Det ekonomiska utfallet följer i stort den beslutade kostnadsbudgeten för året. Skolan och "
    "arbetsmarknadsinsatserna har inte fått lika mycket pengar som i ursprungsplanen, eftersom den utlovade "
    "höjningen av anslaget inte genomfördes under 2019. Där kostnaderna blev lägre än förutsett (digitalisering och "
    "familjecentral) har medel omfördelats till meningsfull fritid, stärkt demokrati och familjecentralsliknande "
    "verksamhet. Utfallet nedan är redovisningen för januari–december 2019 per kostnadsslag."
)
INFORMATION = (
    "Information om projektet har delgetts politiker och invånare på politiska möten som protokollförts och delvis "
    "varit publika, eftersom kommunstyrelsen är öppen för allmänheten, och på öppna föreningsträffar. På "
    "kommunens webbplats och Facebook publiceras aktiviteter där Tillväxtverket medfinansierat insatser."
)
# Seed 000's ledger, Redovisning jan–dec 2019, per kostnadsslag (tkr × 1 000). No budget per konto is given.
COSTS = [
    ("Inköp av anläggningstillgångar", "50200"),
    ("Inköp av anläggnings- och underhållsmaterial", "25000"),
    ("Bidrag och transfereringar", "23000"),
    ("Löner arbetad tid", "855800"),
    ("Löner ej arbetad tid", "89100"),
    ("Kostnadsersättningar", "5800"),
    ("Sociala avgifter enligt lag och avtal", "369100"),
    ("Lokal- och markhyror, fastighetsservice", "1200"),
    ("Förbrukningsinventarier och material", "2800"),
    ("Tele, IT-kommunikation och postbefordran", "2100"),
    ("Transporter och resor", "23800"),
    ("Representation", "2600"),
    ("Försäkringsavgifter och riskkostnader", "9400"),
    ("Övriga främmande tjänster", "245200"),
    ("Diverse kostnader", "30800"),
]
COSTS_TOTAL = 1735900


def _status_report(stdout, admin: User) -> None:
    project = Project.objects.filter(organisation__name=LJUSNARSBERG, name=LJUSNARSBERG_PROJECT).first()
    start, end = dt.date(2019, 1, 1), dt.date(2019, 12, 31)
    if project is None or StatusReport.objects.filter(project=project, period_start=start, period_end=end).exists():
        return
    report = status_report_services.status_report_create(
        project=project, actor=admin, period_start=start, period_end=end
    )
    areas = [{**row, "text": AREAS.get(row["code"], "")} for row in report.area_summaries]
    report = status_report_services.status_report_update(
        report=report,
        actor=admin,
        recipient="Tillväxtverket",
        case_reference="00209148",
        contact_name="Karin Lindqvist, Nora Persson",
        contact_email="karin.lindqvist@ljusnarsberg.example.se",
        contact_phone="0580-800 00",
        area_summaries=areas,
        activities=[{"activity": activity, "result": result} for activity, result in ACTIVITIES],
        deviations=DEVIATIONS,
        work_process=WORK_PROCESS,
        economy_comment=ECONOMY,
        cost_rows=[{"cost_type": name, "budget": "", "outcome": amount} for name, amount in COSTS],
        information=INFORMATION,
        other="",
        signed_on=dt.date(2020, 3, 6),
        signed_place="Kopparberg",
        signed_name="Karin Lindqvist",
        signed_role="Projektledare",
    )
    status_report_services.status_report_submit(report=report, actor=admin)
    stdout.write(f"  {LJUSNARSBERG}: inlämnad lägesrapport 2019 (PDF/A skapas)")


APPLICATION_NAME = "Samverkan Ljusnarsberg"


def _category_key(organisation: Organisation, key: str, label: str) -> str:
    return (
        f"cat:{Category.objects.get(category_list__organisation=organisation, category_list__key=key, label=label).pk}"
    )


def _goals(organisation: Organisation) -> list[dict]:
    """Seed 001's mål, each delmål under the mål it serves (the seed lists the delmål apart): the three measured
    ones under the first mål (early support: kartläggning, handlingsplan, aktivitet), the model for självkänsla
    under the fourth (motivation through professional conversations)."""
    plan = _category_key(organisation, K.ACTIVITY, "Individuell handlingsplan")
    mapped = _category_key(organisation, K.ACTIVITY, "Kartläggning")
    practice = _category_key(organisation, K.ACTIVITY, "Praktik")
    benefit = _category_key(organisation, K.INCOME_AT_ENTRY, "Försörjningsstöd")
    deadline = "2011-06-30"

    def goal(title, is_sub=False, **target):
        return {"title": title, "is_sub": is_sub, "deadline": deadline if is_sub else "", **target}

    return [
        goal(
            "Att hitta sätt att i ett tidigt skede stötta de ungdomar och övriga som riskerar långvarig "
            "arbetslöshet, sjukskrivning och/eller försörjningsstödsberoende."
        ),
        goal(
            "Minst 20 ungdomar i åldern 18-29 år skall ha genomgått en kartläggning och ha fått en individuell "
            "handlingsplan.",
            True,
            target_key=plan,
            comparison=Goal.Comparison.COUNT,
            target_value="20",
        ),
        goal(
            "Minst 20 personer som har inkomst av, eller ansöker om, försörjningsstöd och/eller har anvisats av "
            "arbetsförmedlingen skall ha genomgått en kartläggning och ha fått en individuell handlingsplan.",
            True,
            target_key=benefit,
            comparison=Goal.Comparison.COUNT,
            target_value="20",
        ),
        goal(
            "Minst 75% av de personer som har genomgått en kartläggning bör ha erbjudits någon form av aktivitet "
            "med sikte på en egen försörjning.",
            True,
            target_key=practice,
            comparison=Goal.Comparison.SHARE,
            target_value="75",
            base_key=mapped,
        ),
        goal(
            "Att utveckla samarbetet mellan de deltagande parterna för att undvika rundgång mellan de olika "
            "verksamheterna."
        ),
        goal(
            "Att genom en utvecklad samordning bidra till att ge deltagare bättre förutsättningar för att återkomma "
            "till arbetslivet eller till studier – åtgärder som leder till att individen inte längre blir beroende "
            "av samhällets stöd för sin egen försörjning."
        ),
        goal("Att öka deltagarnas motivation till förändring genom att erbjuda deltagarna professionella samtal."),
        goal(
            "En modell för att arbeta med individers självkänsla och självförtroende inom arbetsmarknadsenheten och "
            "SAMS-projektet har utarbetats, testats och utvärderats.",
            True,
        ),
    ]


def _application(stdout, admin: User) -> None:
    kommun = Organisation.objects.get(name=LJUSNARSBERG)
    if ProjectApplication.objects.filter(organisation=kommun, name=APPLICATION_NAME).exists():
        return
    budget = []
    for year in (2011, 2012, 2013):
        budget += [
            {"year": year, "cost_type": "Samordnare 100 %", "amount": "520000"},
            {"year": year, "cost_type": "Socionom 50 %", "amount": "230000"},
            {
                "year": year,
                "cost_type": "Kringkostnader (lokalhyra, telefon, kontorsmaterial, resor m.m.)",
                "amount": "80000",
            },
        ]
    application = application_services.application_create(
        organisation=kommun,
        actor=admin,
        name=APPLICATION_NAME,
        short_name="Samverkan",
        kind=Project.Kind.FINSAM,
        orientation=Project.Orientation.INDIVIDUAL,
        applied_on=dt.date(2010, 11, 19),
        recipient="SOFINT (samordningsförbund)",
        applicant="Ljusnarsbergs kommun, 714 80 Kopparberg",
        project_owner="Ljusnarsbergs kommun, Bildningsförvaltningen, 714 80 Kopparberg",
        project_leader="Jonas Berg, Ljusnarsbergs kommun, 714 80 Kopparberg",
        starts_on=dt.date(2011, 1, 1),
        ends_on=dt.date(2013, 12, 31),
        parties=[
            {"name": "Ljusnarsbergs kommun, bildningsförvaltningen", "role": "Projektägare"},
            {"name": "Ljusnarsbergs kommun, socialförvaltningen", "role": "Part"},
            {"name": "Arbetsförmedlingen", "role": "Part"},
            {"name": "Försäkringskassan", "role": "Part"},
            {"name": "Landstinget, Vårdcentralen Kopparberg", "role": "Part"},
        ],
        stakeholders="Stiftelsen Activa – projekt SAMS och Transam\nÖLL – PRIS-projektet\nLjusnarsbergs församling",
        steering_group="I styrgruppen ingår en representant för var och en av projektets parter, med ett tydligt "
        "mandat från sin organisation. Styrgruppen möts 4 gånger per år, tätare i början av projektet.\n\n"
        "En arbetsgrupp med representanter för socialtjänsten, arbetsmarknadsenheten, arbetsförmedlingen, "
        "försäkringskassan och landstinget möts 2 gånger per månad.",
        background="Ljusnarsberg har ett av landets högsta ohälsotal. Enligt Försäkringskassan kommer totalt 168 "
        "personer att vara utförsäkrade fram till årsskiftet 2010; av dessa är 12 i åldersgruppen 12–29 år.\n\n"
        "Ljusnarsberg har även en hög arbetslöshet. I vecka 45 2010 var 140 personer registrerade som arbetslösa "
        "vid Arbetsförmedlingen, 37 av dem som långtidsarbetslösa. I åldersgruppen 18–24 fanns 39 sökande i "
        "program med aktivitetsstöd, varav 7 i jobb- och utvecklingsgarantin. Ungdomarna utgör cirka 20 % av "
        "ärendena om försörjningsstöd; i oktober 2010 fanns totalt 109 ärenden för personer i åldern 18–64 år.\n\n"
        "Erfarenheten visar att samverkan behövs för att ge kvalitativt stöd till individen.",
        purpose="Genom en bättre samordning mellan berörda myndigheter och övriga aktörer vill vi utveckla stödet "
        "till ungdomar i åldern 18–29 år som har en svag förankring på arbetsmarknaden, och till personer som är – "
        "eller riskerar att bli – beroende av ekonomiskt stöd från samhället.\n\n"
        "Med tidiga, effektiva och samordnade insatser och genom att undvika rundgång mellan myndigheter vill vi "
        "bidra till en effektivare resursanvändning. Projektet ska stärka deltagarnas självkänsla.",
        target_group="Ungdomar i åldern 18–29 år som av olika anledningar har en svag förankring på "
        "arbetsmarknaden.\n\nPersoner som är i behov av samordnade rehabiliteringsinsatser och som är – eller "
        "riskerar att bli – beroende av ekonomiskt stöd från samhället.",
        goals=_goals(kommun),
        organisation_text="Projektet drivs av kommunens Arbetsmarknadsenhet, som kommunstyrelsen beslutade att "
        "inrätta i maj 2010. I projektet anställs en samordnare på 100 % och en socionom på 50 %. Samordnaren är "
        "länken mellan deltagarna och de myndigheter och organisationer som ingår i projektet; socionomen för "
        "professionella och utvecklande samtal med deltagarna, som följs upp, utvärderas och dokumenteras.",
        activity_plan="Vad? En modell med en väg in utan rundgång mellan myndigheterna, fokus på personlig "
        "handledning och aktiviteter som leder mot egen försörjning, och en fördjupad samverkan mellan de "
        "deltagande myndigheterna.\n\nNär? 2011-01-01 – 2013-12-31. Fungerar arbetsmodellen väl ska den "
        "implementeras i ordinarie verksamhet efter periodens slut.\n\nHur? En rehabiliteringskedja byggs upp med "
        "externa resurser, nära samarbete med Arbetsförmedlingen, Försäkringskassan och Vårdcentralen, och med "
        "SAMS-projektet.",
        timeline=[
            {"activity": "Projektstart", "description": "Samordnare och socionom på plats.", "period": "2011-01-01"},
            {
                "activity": "Delmål",
                "description": "Modell för självkänsla, kartläggningar och handlingsplaner.",
                "period": "2011-06-30",
            },
            {
                "activity": "Sammanfattande utvärdering",
                "description": "Underlag för beslut om permanentning.",
                "period": "Senast oktober 2013",
            },
            {"activity": "Projektslut", "description": "", "period": "2013-12-31"},
        ],
        budget_rows=budget,
        budget_comment="Kommunen ansöker om 830 000 kr per 12 månader, för hela projektperioden på 3 år 2 490 000 kr.",
        follow_up="Kommunen följer varje kvartal upp verksamheten i en lägesrapport till styrgruppen. En årlig "
        "uppföljning tillställs samordningsförbundet. På individnivå hålls enskilda samtal veckovis enligt "
        "metoden MI – motiverande intervju. Kvalitetssäkring av utbildningar och aktiviteter sker enligt "
        "OCN-metoden.",
        evaluation="Under projekttiden görs en årlig uppföljning och utvärdering. En sammanfattande utvärdering "
        "som underlag för beslut om en eventuell permanentning presenteras senast i oktober 2013.",
        future="Visar utvärderingen att arbetsmodellen fungerat och gett önskade resultat bör den implementeras och "
        "permanentas i ordinarie verksamhet efter periodens slut.",
        signed_place="Kopparberg",
        signed_on=dt.date(2010, 11, 19),
        signatures=[
            {"name": "Anna Nordin", "role": "Bildningschef"},
            {"name": "Jonas Berg", "role": "Projektledare"},
        ],
    )
    application = application_services.application_submit(application=application, actor=admin)
    application_services.application_approve(
        application=application,
        actor=admin,
        decided_on=dt.date(2010, 12, 15),
        note="Beviljad av samordningsförbundets styrelse.",
    )
    stdout.write(f"  {LJUSNARSBERG}: projektansökan {APPLICATION_NAME} beviljad och registrerad som projekt")


def seed_project_documents(*, stdout) -> None:
    """Called from projects.demo.seed_projects, after the Ljusnarsberg project exists."""
    admin = User.objects.get(username="admin")
    with transaction.atomic():
        _status_report(stdout, admin)
    with transaction.atomic():
        _application(stdout, admin)
