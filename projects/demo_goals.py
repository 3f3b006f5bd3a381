"""Demo goals: the mål of seed 003's nine 2019 insatser ("Insatser och måluppfyllelse 2019", each insats's
"Mål/resultat/kommentarer"), with the box ticked for 2019 and the comment as written there, and the insatser's
budgeted participants where seed 003 states them.

Where one comment covers all of an insats's goals (MySam, NAFS, Framsteg, ProAktiv, Påfart) each goal's
assessment carries it. Where the ticked box contradicts the comment the demo keeps the box: Arbetsmarknadstorget
mål 3 (projects/demo.py) and Vägen Vidare mål 8, whose form has two boxes ticked (uppfyllt and inte uppfyllt);
the demo holds the first, uppfyllt (docs/anvandarguide/forbundschef.md, "Mål"). Through the services;
idempotent: an insats that already has goals is left alone.
"""

from __future__ import annotations

import datetime as dt

from core.demo import FEDERATION
from core.models import User

from . import goal_services, project_services
from .models import Goal, Project

# Seed 003: Nästa steg's ändringsansökan reduced its participants from 80 to 40; Psykisk hälsa Arbetsliv's
# målgrupp is 185 anställda; Arbetsmarknadstorget's ledningsgrupp set about 70 inskrivna as its volume.
BUDGETED_PARTICIPANTS = {"Nästa steg": 40, "Psykisk hälsa Arbetsliv": 185, "Arbetsmarknadstorget": 70}

# (mål, the box ticked for 2019, the comment), per insats, in the seed's order.
DEMO_GOALS: dict[str, list[tuple[str, str, str]]] = {
    "MySam": [
        (
            ("Egen försörjning via arbete eller studier alternativt ersättning från rätt offentligt trygghetssystem."),
            "partly",
            (
                "Det har visat sig vara svårt och framförallt tidskrävande att uppnå målet egen försörjning via "
                "arbete/studier för MySAMs målgrupp. För de allra flesta når insatsen inte ända fram trots idogt "
                "arbete, samverkan och myndighetsgemensamt samarbete. Även att uppnå ersättning från rätt offentligt "
                "trygghetssystem har visat sig vara så mycket mer komplicerat än vad projektmedarbetarna någonsin "
                "hade kunde föreställa sig. Att individer skall behöva vara beroende av långvarigt försörjningsstöd "
                "då arbetsförmågan är nedsatt på grund av sjukdom är inte på något vis acceptabelt eller värdigt. "
                "Heller inte att det finns individer idag som på grund av sjukdom eller funktionsnedsättning inte har "
                "någon inkomst och därmed står helt utanför alla arbetsrehabiliterande åtgärder.\n\nMedarbetarna i "
                "projektet menar att man behöver fortsätta att arbeta med samverkande insatser och framhålla att även "
                "om man inte når ända fram till egen försörjning för alla så har det kanske blivit något bättre för "
                "MySAMs deltagare och att det gemensamma arbetet kan ha medfört en ökad livskvalitet för dem."
            ),
        ),
        (
            ("Att arbeta fram en process och ett arbetssätt som effektiviserar och tydliggör arbetet med målgruppen."),
            "met",
            (
                "Det har visat sig vara svårt och framförallt tidskrävande att uppnå målet egen försörjning via "
                "arbete/studier för MySAMs målgrupp. För de allra flesta når insatsen inte ända fram trots idogt "
                "arbete, samverkan och myndighetsgemensamt samarbete. Även att uppnå ersättning från rätt offentligt "
                "trygghetssystem har visat sig vara så mycket mer komplicerat än vad projektmedarbetarna någonsin "
                "hade kunde föreställa sig. Att individer skall behöva vara beroende av långvarigt försörjningsstöd "
                "då arbetsförmågan är nedsatt på grund av sjukdom är inte på något vis acceptabelt eller värdigt. "
                "Heller inte att det finns individer idag som på grund av sjukdom eller funktionsnedsättning inte har "
                "någon inkomst och därmed står helt utanför alla arbetsrehabiliterande åtgärder.\n\nMedarbetarna i "
                "projektet menar att man behöver fortsätta att arbeta med samverkande insatser och framhålla att även "
                "om man inte når ända fram till egen försörjning för alla så har det kanske blivit något bättre för "
                "MySAMs deltagare och att det gemensamma arbetet kan ha medfört en ökad livskvalitet för dem."
            ),
        ),
    ],
    "NAFS Skellefteå-Norsjö": [
        (
            "Tillgång till bred bedömning och Multidisciplinära team för individer i behov av samordnat stöd",
            "partly",
            (
                "Viktigt att ha realistiska målsättningar och förhoppningar om vad som är möjligt att uppnå i "
                "NAFS-samverkan. Att även små steg i individers rehabiliteringsprocesser kan ha en stor betydelse i "
                "ett senare skede."
            ),
        ),
        (
            "Samordnade hållbara handlingsplaner för rehabilitering",
            "partly",
            (
                "Viktigt att ha realistiska målsättningar och förhoppningar om vad som är möjligt att uppnå i "
                "NAFS-samverkan. Att även små steg i individers rehabiliteringsprocesser kan ha en stor betydelse i "
                "ett senare skede."
            ),
        ),
        (
            "Effektiviserade rehabiliteringsplaner",
            "partly",
            (
                "Viktigt att ha realistiska målsättningar och förhoppningar om vad som är möjligt att uppnå i "
                "NAFS-samverkan. Att även små steg i individers rehabiliteringsprocesser kan ha en stor betydelse i "
                "ett senare skede."
            ),
        ),
        (
            "Minska tiden i sjukskrivning och underlätta återgång i arbete",
            "not_met",
            (
                "Viktigt att ha realistiska målsättningar och förhoppningar om vad som är möjligt att uppnå i "
                "NAFS-samverkan. Att även små steg i individers rehabiliteringsprocesser kan ha en stor betydelse i "
                "ett senare skede."
            ),
        ),
    ],
    "Framsteg Norsjömodellen": [
        (
            "Förbereda deltagarna inför arbetslivet, genom förberedande arbetsmarknadskunskap.",
            "not_met",
            (
                "Arbetet med att nå måluppfyllelsen pågår. En referensgrupp jobbar med att hitta former för ett nytt "
                "arbetssätt som ska gynna den enskilde individen.\n\nGenom stöd av Styrgruppen fortgår projektet "
                'enligt planeringen. Två personer går mot anställning i "riktiga jobb" efter årsskiftet 2019/2020. '
                "Dessa anställningar kommer att inledas av en kortare praktikperiod i samarbete med "
                "Arbetsförmedlingen.\n\nFRAMSTEG NORSJÖMODELLEN arbetar med att anpassa Trelleborgsmodellen till en "
                "egen Norsjömodell."
            ),
        ),
        (
            "Jobb och etableringsplaner mot arbete för minst 10 personer.",
            "partly",
            (
                "Arbetet med att nå måluppfyllelsen pågår. En referensgrupp jobbar med att hitta former för ett nytt "
                "arbetssätt som ska gynna den enskilde individen.\n\nGenom stöd av Styrgruppen fortgår projektet "
                'enligt planeringen. Två personer går mot anställning i "riktiga jobb" efter årsskiftet 2019/2020. '
                "Dessa anställningar kommer att inledas av en kortare praktikperiod i samarbete med "
                "Arbetsförmedlingen.\n\nFRAMSTEG NORSJÖMODELLEN arbetar med att anpassa Trelleborgsmodellen till en "
                "egen Norsjömodell."
            ),
        ),
        (
            "Minst 60 % av deltagarna ska vid projektslut ha kommit till egen försörjning.",
            "partly",
            (
                "Arbetet med att nå måluppfyllelsen pågår. En referensgrupp jobbar med att hitta former för ett nytt "
                "arbetssätt som ska gynna den enskilde individen.\n\nGenom stöd av Styrgruppen fortgår projektet "
                'enligt planeringen. Två personer går mot anställning i "riktiga jobb" efter årsskiftet 2019/2020. '
                "Dessa anställningar kommer att inledas av en kortare praktikperiod i samarbete med "
                "Arbetsförmedlingen.\n\nFRAMSTEG NORSJÖMODELLEN arbetar med att anpassa Trelleborgsmodellen till en "
                "egen Norsjömodell."
            ),
        ),
        (
            "Förändrat arbetssätt med inspiration av Trelleborgsmodellen.",
            "not_met",
            (
                "Arbetet med att nå måluppfyllelsen pågår. En referensgrupp jobbar med att hitta former för ett nytt "
                "arbetssätt som ska gynna den enskilde individen.\n\nGenom stöd av Styrgruppen fortgår projektet "
                'enligt planeringen. Två personer går mot anställning i "riktiga jobb" efter årsskiftet 2019/2020. '
                "Dessa anställningar kommer att inledas av en kortare praktikperiod i samarbete med "
                "Arbetsförmedlingen.\n\nFRAMSTEG NORSJÖMODELLEN arbetar med att anpassa Trelleborgsmodellen till en "
                "egen Norsjömodell."
            ),
        ),
        (
            "Med hjälp av arbetsmarknadspolitiska insatser kunna få möjlighet till egenförsörjning.",
            "partly",
            (
                "Arbetet med att nå måluppfyllelsen pågår. En referensgrupp jobbar med att hitta former för ett nytt "
                "arbetssätt som ska gynna den enskilde individen.\n\nGenom stöd av Styrgruppen fortgår projektet "
                'enligt planeringen. Två personer går mot anställning i "riktiga jobb" efter årsskiftet 2019/2020. '
                "Dessa anställningar kommer att inledas av en kortare praktikperiod i samarbete med "
                "Arbetsförmedlingen.\n\nFRAMSTEG NORSJÖMODELLEN arbetar med att anpassa Trelleborgsmodellen till en "
                "egen Norsjömodell."
            ),
        ),
    ],
    "ProAktiv": [
        (
            (
                "Öka antalet personer med aktivitetsersättning som lämnar försäkringen och går vidare till arbete "
                "eller studier. Tiden med aktivitetsersättning eller i annan aktivitet används konstruktivt så att "
                "personer kan fullfölja studier, hitta sin arbetsförmåga och ett arbete."
            ),
            "not_met",
            (
                "PROAKTIV befinner sig i inledningsfasen och har inte hunnit så långt vad gäller måluppfyllelse. "
                "Initialt har man arbetat med att tillgängliggöra verksamheten för målgruppen. Projektmedarbetarna "
                "har besökt Share Community i Storbritannien som är Autismcertifierade enligt internationell standard "
                "vars verksamhet och metoder inspirerat till utformningen av arbetsmetoder."
            ),
        ),
        (
            "Tydliggjort stödstrukturerna runt individer som får/har/lämnat aktivitetsersättning.",
            "not_met",
            (
                "PROAKTIV befinner sig i inledningsfasen och har inte hunnit så långt vad gäller måluppfyllelse. "
                "Initialt har man arbetat med att tillgängliggöra verksamheten för målgruppen. Projektmedarbetarna "
                "har besökt Share Community i Storbritannien som är Autismcertifierade enligt internationell standard "
                "vars verksamhet och metoder inspirerat till utformningen av arbetsmetoder."
            ),
        ),
        (
            (
                "Tillgängliggjort antalet individbaserade, arbetsplatsnära aktiviteter med arbetsmarknadskoppling som "
                "erbjuds inom ramen för aktivitetsersättningen, vid avslag eller annan aktivitet."
            ),
            "partly",
            (
                "PROAKTIV befinner sig i inledningsfasen och har inte hunnit så långt vad gäller måluppfyllelse. "
                "Initialt har man arbetat med att tillgängliggöra verksamheten för målgruppen. Projektmedarbetarna "
                "har besökt Share Community i Storbritannien som är Autismcertifierade enligt internationell standard "
                "vars verksamhet och metoder inspirerat till utformningen av arbetsmetoder."
            ),
        ),
        (
            "Stärkt arbetsgivarnas vilja att ta emot personer med funktionsnedsättning.",
            "not_met",
            (
                "PROAKTIV befinner sig i inledningsfasen och har inte hunnit så långt vad gäller måluppfyllelse. "
                "Initialt har man arbetat med att tillgängliggöra verksamheten för målgruppen. Projektmedarbetarna "
                "har besökt Share Community i Storbritannien som är Autismcertifierade enligt internationell standard "
                "vars verksamhet och metoder inspirerat till utformningen av arbetsmetoder."
            ),
        ),
        (
            (
                "Säkerställt att alla aktiviteter som erbjuds målgruppen genomsyras av tillgänglighet så att det "
                "finns utrymme för alla att delta på sina premisser."
            ),
            "partly",
            (
                "PROAKTIV befinner sig i inledningsfasen och har inte hunnit så långt vad gäller måluppfyllelse. "
                "Initialt har man arbetat med att tillgängliggöra verksamheten för målgruppen. Projektmedarbetarna "
                "har besökt Share Community i Storbritannien som är Autismcertifierade enligt internationell standard "
                "vars verksamhet och metoder inspirerat till utformningen av arbetsmetoder."
            ),
        ),
        (
            (
                "Ökat målgruppens möjlighet att göra yrkesval utifrån intresse istället för könsstereotypa "
                "förväntningar."
            ),
            "not_met",
            (
                "PROAKTIV befinner sig i inledningsfasen och har inte hunnit så långt vad gäller måluppfyllelse. "
                "Initialt har man arbetat med att tillgängliggöra verksamheten för målgruppen. Projektmedarbetarna "
                "har besökt Share Community i Storbritannien som är Autismcertifierade enligt internationell standard "
                "vars verksamhet och metoder inspirerat till utformningen av arbetsmetoder."
            ),
        ),
        (
            "Utvecklat verktyg att använda oss av i samverkan med transnationella partners.",
            "partly",
            (
                "PROAKTIV befinner sig i inledningsfasen och har inte hunnit så långt vad gäller måluppfyllelse. "
                "Initialt har man arbetat med att tillgängliggöra verksamheten för målgruppen. Projektmedarbetarna "
                "har besökt Share Community i Storbritannien som är Autismcertifierade enligt internationell standard "
                "vars verksamhet och metoder inspirerat till utformningen av arbetsmetoder."
            ),
        ),
    ],
    "Nästa steg": [
        (
            "40 ungdomar, både män och kvinnor, i åldern 15 – 24 år, har deltagit i projektet.",
            "not_met",
            (
                "I augusti 2019 gjordes en ändringsansökan gällande deltagarantalet som reducerades från 80 till 40. "
                "Hittills har NÄSTA STEG haft 22 deltagare, att komma upp i 40 deltagare tror man blir svårt, med "
                "tanke på att varje ungdom stannar länge innan man kan börja se resultat."
            ),
        ),
        (
            "Anpassat och integrerat SE och IPS i Solkraft.",
            "not_met",
            (
                "Inledningsvis avsåg man att tillämpa metoden Individual Placement and Support (IPS). Det har inte "
                "varit möjligt då metoden kräver en nära relation till psykiatrin med flerpartsmöten varje vecka. "
                "Istället siktar man mot ett bättre samarbete med psykiatrin och uppger att man kommit en bra bit på "
                "väg, men inte nog för att kunna kalla det, IPS.\nStyrgruppen beslutade i juni 2019 att inte sikta på "
                "att implementera metoden Supported Employment (SE) i Solkrafts ordinarie verksamhet då det skulle "
                "kräva en stor omorganisation som inte ansågs möjlig inom projektiden. I november 2019 togs beslut "
                "att implementeringen inte skulle gälla strukturell nivå eller metoden i sin helhet utan endast delar "
                "av det material eller arbetsätt som tagits fram och används."
            ),
        ),
        (
            "Minst 5 nya arbetsgivare samverkar med Solkraft.",
            "met",
            (
                "Projektet samverkar med olika arbetsgivare såsom Kryddlandet, Sunnanängs Äldreboende, Gustavssons "
                "Bil, Byggmax, Bureskolan och Kågeskolan."
            ),
        ),
        (
            "Bättre samverkan mellan nyckelaktörer och Solkraft avseende målgruppen.",
            "partly",
            (
                "Medarbetarna uppger att de har god samverkan både med Arbetsmarknadstorget, Enheten för "
                "Arbetsmarknad, Arbetsförmedlingen samt med Psykiatriska kliniken, men att den helt bygger på "
                "personliga kontakter med enskilda individer på respektive arbetsplats, inte med verksamheten som "
                "sådan. Samtidigt tycker man att den typen av samarbete fungerar mycket bra."
            ),
        ),
        (
            "20% av deltagarna har kommit ut i arbete eller studier.",
            "not_met",
            "I december 2019 har cirka 18 % av deltagarna i NÄSTA STEG kommit ut i arbete/studier.",
        ),
    ],
    "Psykisk hälsa Arbetsliv": [
        (
            "75 deltagande chefer",
            "met",
            (
                "1. CHEFSPÅRET: totalt 90 deltagare (73 kvinnor och 17 män) fördelat på 3 terminer á 5 "
                "utbildningstillfällen vardera."
            ),
        ),
        (
            "17 deltagande traineer (HR-specialister)",
            "partly",
            "2. TRAINEESPÅRET: totalt 14 deltagare (13 kvinnor och 1 man) främst HR-specialister.",
        ),
        (
            "20 deltagande ekonomer",
            "partly",
            (
                "3. EKONOMISPÅRET: totalt 18 deltagare (11 kvinnor och 7 män), 3 utbildningstillfällen fördelat på "
                "1,5 år som syftar till förvärvad, fördjupad och bibehållen kunskap i organisationen.\n\nI Skellefteå "
                "bytte man deltagare mellan första och andra utbildningstillfället, minskade deltagarantalet till "
                "hälften, medan det sista tillfället uteblev. Två nya nyckeltal för värdering och analys togs fram "
                "gällande rehabrisk och frisktal. I Norsjö kommun blev man så inspirerade av sättet att kunna följa "
                "psykisk hälsa/ohälsa i nyckeltal att man valde att köpa in tjänsten för en specifik insats. "
                "Deltagande ekonomer i Arjeplog hade vid tidigare utbildningssammanhang träffat både Anders Johren "
                "och projektledarna och då tagit fram meningsfulla nyckeltal för sin verksamhet vilket kunde följas "
                "och utvecklas i ekonomispåret."
            ),
        ),
    ],
    "Vägen Vidare": [
        (
            (
                "Deltagarna ska vara närvarande och delaktiga i projektets aktiviteter utifrån den individuella "
                "aktivitetsplanen."
            ),
            "partly",
            (
                "Här ligger projektet mycket nära måluppfyllnad. De flesta deltagare följer sin individuella "
                "planering och vid avvikelse har projektet nära kontakt med remittenterna."
            ),
        ),
        (
            (
                "Deltagarna ska efter avslutad anvisningstid i projektet stå närmare arbetsmarknaden via en "
                "anställning eller studier."
            ),
            "partly",
            (
                "Här ligger projektet långt från projektmålet vad gäller männen men något närmare gällande kvinnorna. "
                "Deltagarna har en fortsatt stegförflyttning närmare arbete och studier även om de ännu inte kommit "
                "ut i arbete eller studier."
            ),
        ),
        (
            (
                "Deltagarna ska efter avslutad tid i projektet erhållit ökade kunskaper om arbetsmarknaden samt "
                "grundläggande arbetsrätt samt använda de kunskaperna till att aktivt söka praktik eller arbete."
            ),
            "partly",
            (
                "Majoriteten av deltagarna uppger efter avslutad tid i projektet att de erhållit ökade kunskaper om "
                "arbetsmarknaden samt grundläggande arbetsrätt."
            ),
        ),
        (
            (
                "Deltagarna ska öka sin motivation till att ta egenmakt och därigenom öka sin drivkraft att aktivt "
                "söka arbete och eller studier."
            ),
            "partly",
            "De flesta upplever att de ökat sin motivation.",
        ),
        (
            (
                "Deltagarna ska öka sin kunskap om hur de själva kan påverka sin hälsa och den positiva effekten det "
                "har på hela livssituationen."
            ),
            "met",
            "Projektet ligger i fas.",
        ),
        (
            (
                "Deltagarnas softskills och generella kompetenser som identifieras och dokumenterats under "
                "projektiden, tas tillvara av individen och används i ansökningshandlingarna vid ansökan till arbete."
            ),
            "partly",
            (
                "Kommentar till nya delmålet är att alla deltagare får med sig en dokumentation av sina kompetenser "
                "när de slutar i projektet. (Ändring av tidigare delmål 6: Deltagarnas softskills och generella "
                "kompetenser som identifieras och dokumenterats under projekttiden, tillvaratas av individen och "
                "Arbetsförmedlingen och används i matchningen mot arbetsgivare och lediga jobb.)"
            ),
        ),
        (
            (
                "Ökade kunskaper hos arbetsgivare om softskills och kompetensmatchning som leder till en högre "
                "benägenhet hos arbetsgivare att ta emot praktikanter eller anställa från målgruppen."
            ),
            "partly",
            "Projektet har arbetat med ett ökat antal studiebesök och arbetsgivarkontakter under året.",
        ),
        (
            (
                "Öka medvetenheten kring jämställdhet bland projektets deltagare. Kvinnor och män ska på lika villkor "
                "ha samma möjligheter att bli anvisade till projektet från Arbetsförmedlingen och Skellefteå kommun."
            ),
            "met",
            (
                "Vad det gäller ökad medvetenhet kring jämställdhet bland projektdeltagare uppnår projektet målen. "
                "Däremot är projektet långt ifrån måluppfyllnad vad det gäller att kvinnor och män ska på lika "
                "villkor ha samma möjligheter att bli anvisade till projektet från Arbetsförmedlingen och Skellefteå "
                "kommun om man ser på analysen (se Verksamhet under året)."
            ),
        ),
        (
            (
                "Projektet ska utformas så att information och kommunikation, miljöer och aktiviteter är tillgängliga "
                "för alla."
            ),
            "met",
            "Här når projektet måluppfyllnad.",
        ),
    ],
    "Praktiksteget/Påfart gymnasiet": [
        (
            "Att erbjuda sysselsättning till ungdomar i åldersspannet 16 – 20 år som inte arbetar eller studerar.",
            "partly",
            (
                "Av totalt 14 deltagare (6 kvinnor och 8 män) gick 11 deltagare (3 kvinnor och 8 män) vidare till "
                "arbete eller studier medan 3 avslutats av annan anledning under projektperioden höstterminen 2016 – "
                "vårterminen 2019."
            ),
        ),
        (
            "Att slussa deltagande elever vidare till studier.",
            "partly",
            (
                "Av totalt 14 deltagare (6 kvinnor och 8 män) gick 11 deltagare (3 kvinnor och 8 män) vidare till "
                "arbete eller studier medan 3 avslutats av annan anledning under projektperioden höstterminen 2016 – "
                "vårterminen 2019."
            ),
        ),
        (
            "Att slussa deltagande elever vidare till arbete.",
            "partly",
            (
                "Av totalt 14 deltagare (6 kvinnor och 8 män) gick 11 deltagare (3 kvinnor och 8 män) vidare till "
                "arbete eller studier medan 3 avslutats av annan anledning under projektperioden höstterminen 2016 – "
                "vårterminen 2019."
            ),
        ),
    ],
}


def seed_goals(stdout, director: User) -> None:
    """Goals with their 2019 assessment for the insatser of seed 003 (Arbetsmarknadstorget's are in demo.py)."""
    projects = {row.name: row for row in Project.objects.filter(organisation__name=FEDERATION)}
    with_goals = set(Goal.objects.filter(project__in=projects.values()).values_list("project_id", flat=True))
    added = 0
    for name, goals in DEMO_GOALS.items():
        project = projects.get(name)
        if project is None or project.pk in with_goals:
            continue
        for title, outcome, comment in goals:
            goal = goal_services.goal_create(
                project=project, actor=director, title=title, deadline=dt.date(2019, 12, 31)
            )
            goal_services.goal_assess(goal=goal, actor=director, year=2019, outcome=outcome, comment=comment)
        added += 1
    for name, count in BUDGETED_PARTICIPANTS.items():
        project = projects.get(name)
        if project is None or project.budgeted_participants is not None:
            continue
        project_services.project_update(
            project=project,
            actor=director,
            target_groups=list(project.target_groups.all()),
            budgeted_participants=count,
        )
    if added:
        stdout.write(f"  {added} insatser: mål med bedömning för 2019")
