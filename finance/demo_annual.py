"""Demo: Samordningsförbundet Skellefteå-Norsjö's årsredovisning 2019 with seed 003's förvaltningsberättelse
(shortened, same sections), fastställd and archived, so the revisor downloads it at once. Through the services,
idempotent: a second run finds it fastställd and leaves it.

Figures in the texts are placeholders ({{ årets_resultat }} …), so they show what the ledger says (-85 279 kr,
1 665 738 kr), never a typed copy; the seed's own slips (1 665 737, "85 279 tkr") cannot appear.
"""

from __future__ import annotations

import datetime as dt

from core.models import Organisation, User

from . import annual_report_services
from .models import AnnualReport, FiscalYear

DECIDED_ON = dt.date(2020, 2, 13)  # "Beslutad av styrelsen 2020-02-13" (seed 003)

TEXTS = {
    "chair_foreword": (
        "Under året har arbetet med långsiktigt hållbar myndighetssamverkan fortsatt. En extra planeringsdag "
        "genomfördes i maj, bland annat med anledning av de förändringar som aviserades inom Arbetsförmedlingen, och "
        "styrelsen beslutade i slutet av året att sammanföra Arbetsmarknadstorget, MySam och NAFS till en "
        "gemensam samverkan för åldrarna 16–64 år.\n\n"
        "Från 2020-01-01 är förbundet arbetsgivare och medlem i arbetsgivarorganisationen Sobona. Jag vill tacka "
        "styrelse, samverkansgrupper och samverkansparter för ett gott arbete under året."
    ),
    "introduction": (
        "Årsredovisningen innehåller en översiktlig redogörelse av resultat och verksamhetsutveckling samt en "
        "redovisning av det ekonomiska utfallet för budgetåret 2019. Till årsredovisningen hör bilagan Insatser "
        "och måluppfyllelse."
    ),
    "summary": (
        "Förbundets budget innehöll ett planerat underskott som skulle tas ur förbundets egna kapital. Årets "
        "resultat blev {{ årets_resultat }} och det egna kapitalet uppgår vid årets slut till "
        "{{ eget_kapital_utgående }}.\n\n"
        "Samordningsförbundet bedriver inte egna insatser men medfinansierar långsiktig och integrerad "
        "myndighetssamverkan. Samordnat stöd och rehabilitering har nått {{ antal_deltagare }} deltagare i de "
        "individinriktade insatserna, varav {{ antal_avslutade }} har avslutats under året."
    ),
    "about": (
        "## 1.2.1 Organisation\n\n"
        "Samordningsförbundet är en fristående juridisk organisation med Arbetsförmedlingen, Försäkringskassan, "
        "regionen och kommunerna som medlemmar. Förbundet leds av en styrelse som utses av medlemmarna; till sin "
        "hjälp har den ett kansli.\n\n"
        "## 1.2.2 Historik\n\n"
        "Samordningsförbundet Skellefteå bildades i december 2005. När Norsjö blev medlem 2014 bytte förbundet "
        "namn till Samordningsförbundet Skellefteå-Norsjö.\n\n"
        "## 1.2.3 Lagrum\n\n"
        "Förbundet verkar utifrån lagen (2003:1210) om finansiell samordning av rehabiliteringsinsatser och "
        "förbundsordningen, och följer lagen (2018:597) om kommunal bokföring och redovisning i tillämpliga delar.\n\n"
        "## 1.2.4 Uppdrag\n\n"
        "De verksamheter som förbundet finansierar kompletterar myndigheternas ordinarie verksamhet, så att "
        "medborgare får stöd och rehabilitering till egen försörjning.\n\n"
        "## 1.2.5 Finansiering/Medlemsavgifter\n\n"
        "Årets tilldelning från förbundsmedlemmarna uppgår till {{ tilldelade_medel }}, där Försäkringskassan och "
        "Arbetsförmedlingen bidrar med hälften, regionen med en fjärdedel och kommunerna med resterande "
        "fjärdedel.\n\n"
        "## 1.2.6 Verksamhetsidé och vision\n\n"
        "Människor i Skellefteå och Norsjö i behov av samordnade insatser ska få det stöd som behövs för att tiden "
        "i utanförskap ska minimeras."
    ),
    "operations": (
        "## 1.3.1 Målgrupper\n\n"
        "Övergripande målgrupp är individer i förvärvsaktiv ålder (16–64 år) med behov av samordnade insatser "
        "riktade mot arbete och egen försörjning. Under året har främst följande grupper prioriterats:\n"
        "- Unga som riskerar att hamna i långvarigt utanförskap\n"
        "- Sjukskrivna personer som saknar sjukpenning och har nedsatt arbetsförmåga (SGIO)\n"
        "- Personer med fysisk och psykisk ohälsa\n\n"
        "## 1.3.2 Insatser\n\n"
        "Förbundet har under året finansierat {{ antal_insatser }} insatser med inlämnade deltagarrapporter, "
        "individinriktade och strukturövergripande; tabellen nedan och bilagan Insatser och måluppfyllelse visar "
        "dem."
    ),
    "goals": (
        "Samordningsförbundets övergripande mål för 2019 och hur de uppfylldes:\n"
        "- Finansiera samverkansinsatser som inte finns inom linjeorganisationerna (uppfyllt)\n"
        "- God ekonomisk hushållning (delvis uppfyllt: förbrukningen av eget kapital blev mindre än beräknat)\n"
        "- Behovsanpassad kompetensutveckling (uppfyllt)\n"
        "- Genomföra medlemssamråd (ej uppfyllt)\n\n"
        "## 1.4.1 Uppföljning och resultat för individinriktade insatser\n\n"
        "Resultatet redovisas på aggregerad nivå för samtliga finansierade insatser, från insatsernas inlämnade "
        "deltagarrapporter.\n\n"
        "## 1.4.2 Uppföljning och resultat för strukturövergripande insatser\n\n"
        "ESF-projektet Psykisk hälsa Arbetsliv har medfinansierats av förbundet; delrapporterna har visat mycket "
        "nöjda chefer, HR-personal och ekonomer.\n\n"
        "## 1.4.3 Ekonomiska resultat\n\n"
        "Samordningsförbundet visar ett resultat om {{ årets_resultat }} för 2019 och det egna kapitalet vid årets "
        "slut är {{ eget_kapital_utgående }}. Enligt Nationella rådets rekommendation bör det egna kapitalet inte "
        "överstiga {{ rekommenderat_eget_kapital }}. Kostnaderna för konferenser och seminarier blev lägre än "
        "budgeterat, och de extra insatser styrelsen beslutade om kunde inte starta förrän andra halvåret."
    ),
    "board_work": (
        "## Organisation\n\n"
        "Förbundet leds av en styrelse med fem ledamöter och fem ersättare, politiker eller tjänstemän, en från "
        "varje medlem.\n\n"
        "## Styrelsens sammanträden 2019\n\n"
        "Styrelsen har haft fem protokollförda sammanträden: 2019-02-21, 2019-04-05, 2019-06-14, 2019-10-01 och "
        "2019-11-28.\n\n"
        "## Beredningsgruppen\n\n"
        "Beredningsgruppen är ett strategiskt organ för lokal samverkan mellan Skellefteå kommun, Norsjö kommun, "
        "Region Västerbotten, Försäkringskassan och Arbetsförmedlingen.\n\n"
        "## Kansliet\n\n"
        "Kansliet har bestått av förbundschef och informatör/administratör, båda på heltid."
    ),
}


def seed_annual_report(*, federation: Organisation, actor: User, stdout) -> None:
    """Called from seed_finance after the statements: write, validate and fastställ the årsredovisning 2019."""
    year = FiscalYear.objects.for_organisation(federation).filter(start=dt.date(2019, 1, 1)).first()
    if year is None:  # pragma: no cover - the SIE import creates it
        return
    report = AnnualReport.objects.filter(fiscal_year=year).first()
    if report is not None and report.is_final:
        return
    if report is None:
        report = annual_report_services.annual_report_create(organisation=federation, actor=actor, fiscal_year=year)
    report = annual_report_services.annual_report_update(
        report=report,
        actor=actor,
        version=None,
        accounting_basis=AnnualReport.Basis.CASH,
        principles=annual_report_services.PRINCIPLES[AnnualReport.Basis.CASH],
        signatories="",
        decided_on=DECIDED_ON,
        **TEXTS,
    )
    try:
        annual_report_services.annual_report_finalise(report=report, actor=actor, decided_on=DECIDED_ON)
    except annual_report_services.FinaliseRefused as refused:
        stdout.write("  Ekonomi: årsredovisning 2019 lämnad som utkast; kontrollerna gick inte igenom:")
        for failure in refused.failures:
            stdout.write(f"    - {failure.message}")
        return
    stdout.write("  Ekonomi: årsredovisning 2019 fastställd och arkiverad (PDF/A med SIE-fil och huvudboksutdrag)")
