"""Demo data for the uppföljning: Lindesbergs kommun's socialnämnd, månadsuppföljning maj 2022 (seed 004).

Seed 004's table, in mnkr (nettokostnad, budget jan–maj, prognos helår, budget helår):

    Administration        9,1   10,0   23,0   23,5
    Funktionsstöd        63,4   58,8  154,3  146,3
    Individ- och familj  40,9   41,9  103,2  100,4
    Vård och omsorg     133,2  121,9  330,6  306,4
    Totalt              246,6  232,6  611,1  576,6   (avvikelse -14,0, helår -34,5)

Each verksamhet's figures are exact to the hundred thousand kronor, so Paragraf's rounding to one decimal gives
the seed's numbers and its totals; within a verksamhet they are split over a few Kommun-Bas accounts in whole
kronor. Ekonomiskt bistånd (inside Individ och familj) carries the seed's own figures: utbetalningar 10,7 mnkr
against a budget of 11,4 (0,7 better) and intäkter from Migrationsverket 0,1 against 0,2 budgeted, avvikelse 0,6.

As a user would: the ekonom enters the kontoplan, imports the 2022 ledger January–May as an SIE 4 file (built
here), enters the budget with its monthly distribution, and in May enters each verksamhet's prognos with the
seed's comment. Idempotent: a second run finds the file imported and the budget and prognoser in place.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from core.demo import LINDESBERG
from core.models import Organisation, User

from . import account_services, budget_services, forecast_services, import_services
from .models import Account, AccountGroup, AccountKind, Budget, BudgetLine, DimensionObject, FiscalYear

D = Decimal
M = D(1_000_000)
HEADING = "Socialnämnd"

GROUPS = [
    ("31", "TAXOR OCH AVGIFTER"),
    ("35", "BIDRAG"),
    ("45", "BIDRAG O TRANSFERERINGAR"),
    ("46", "KÖP AV HUVUDVERKSAMHET"),
    ("50", "LÖNER ARBETAD TID"),
    ("56", "SOC AVG ENL LAG O AVTAL"),
    ("60", "LOKAL- MARKHYROR, FSTSERV"),
    ("74", "ÖVRIGA FRÄMMANDE TJÄNSTER"),
]
ACCOUNTS = [
    ("31610", "Avgifter äldreomsorg", AccountKind.INCOME, "31"),
    ("35190", "Statsbidr fr övriga", AccountKind.INCOME, "35"),
    ("35210", "Ersättning från Migrationsverket", AccountKind.INCOME, "35"),
    ("45610", "Försörjningsstöd", AccountKind.EXPENSE, "45"),
    ("46510", "Externa placeringar", AccountKind.EXPENSE, "46"),
    ("50210", "Ordin. lön (ink lång.vik)", AccountKind.EXPENSE, "50"),
    ("56111", "Arb.giv.avg - Lagstadgade", AccountKind.EXPENSE, "56"),
    ("60110", "Lokalhyror", AccountKind.EXPENSE, "60"),
    ("74590", "Övr konsulter", AccountKind.EXPENSE, "74"),
]
BANK = "19310"

# Verksamhet: code, name, utfall jan–maj, budget jan–maj, budget helår, prognos helår (kronor, nettokostnad).
VERKSAMHETER = [
    ("1", "Administration", D("9.1") * M, D("10.0") * M, D("23.5") * M, D("23.0") * M),
    ("2", "Funktionsstöd", D("63.4") * M, D("58.8") * M, D("146.3") * M, D("154.3") * M),
    ("3", "Individ- och familj", D("40.9") * M, D("41.9") * M, D("100.4") * M, D("103.2") * M),
    ("4", "Vård och omsorg", D("133.2") * M, D("121.9") * M, D("306.4") * M, D("330.6") * M),
]
# The share of each account in a verksamhet's nettokostnad; 50210 (löner) takes what is left.
SHARES = {
    "1": {"35190": D("-0.0317"), "56111": D("0.2141"), "60110": D("0.0812"), "74590": D("0.0633")},
    "2": {"35190": D("-0.0421"), "46510": D("0.1874"), "56111": D("0.1983"), "60110": D("0.0611")},
    "3": {"46510": D("0.2946"), "56111": D("0.1207")},
    "4": {"31610": D("-0.0688"), "56111": D("0.2219"), "60110": D("0.0907")},
}
# Ekonomiskt bistånd in Individ och familj (seed 004, 1.1): (utfall jan–maj, budget jan–maj, budget helår).
FIXED = {
    "3": {
        "45610": (D("10700000"), D("11400000"), D("27360000")),
        "35210": (D("-100000"), D("-200000"), D("-480000")),
    }
}
ACTUAL_WEIGHTS = [D("1.03"), D("0.96"), D("1.04"), D("0.98"), D("0.99")]  # January–May

# The prognos comments, in the seed's words (its verksamhet-level avvikelse figures are Paragraf's to compute).
COMMENTS = {
    "1": "Helårsprognosen avser delvis vakant tjänst. Föregående års utfall 2,3 Mnkr.",
    "2": (
        "Föregående års utfall -4,5 Mnkr.\n"
        "Administration. Avvikelse 0,1 Mnkr, prognos -0,3 Mnkr. Under året är en enhetschefstjänst vakant och den "
        "ersätts med två administratörer varav en delvis blir utöver budget.\n"
        "Gruppbostad. Avvikelse -2,4 Mnkr, prognos -1,9 Mnkr. Det är flera boende som har personal utöver budget "
        "kopplat till enskildas behov. Sjukfrånvaron har ökat på grund av pandemin och därmed har också kostnaderna "
        "för övertid samt vikarier varit höga.\n"
        "Barn och ungdomsboende externt. Avvikelse -0,2 Mnkr, prognos -0,9 Mnkr. En placering över budget under "
        "6 månader.\n"
        "Externa placeringar vuxna. Avvikelse -2,1 Mnkr, prognos -4,9 Mnkr. Det är från början av året fyra "
        "placeringar utöver budget och dessa väntas fortgå tills vidare."
    ),
    "3": (
        "Föregående års utfall -9,2 Mnkr. Flera tillfälligt vakanta tjänster ger en positiv prognos med 1,6 Mnkr på "
        "helåret.\n"
        "Ekonomiskt bistånd. Avvikelse 0,6 Mnkr, prognos -0,1 Mnkr. Avvikelsen beror på lägre intäkter från "
        "Migrationsverket än budgeterat. Utbetalningarna för det ekonomiska biståndet har ett budgetöverskott med "
        "0,7 Mnkr efter maj.\n"
        "HVB vuxna. Avvikelse -1,9 Mnkr, prognos -3,0 Mnkr. Det har varit ett högt inflöde i början av året och det "
        "är hittills två LVM-placeringar.\n"
        "Familjehem. Avvikelse -0,7 Mnkr, prognos -1,8 Mnkr. Antalet konsulentstödda familjehem har minskat.\n"
        "HVB barn. Avvikelse 1,4 Mnkr, prognos 0 Mnkr. Det har varit färre placeringar under början av året."
    ),
    "4": (
        "Störst avvikelse och prognos, kopplat till ett ökat antal beviljade timmar i hemtjänsten och "
        "personalkostnader inom de särskilda boendena.\n"
        "Administration. Avvikelse 1,1 Mnkr, prognos 1,3 Mnkr. Delvis vakanta enhetschefstjänster samt något lägre "
        "kostnad för licenser.\n"
        "Bemanningsenhet. Avvikelse -0,3 Mnkr, prognos -0,5 Mnkr. En tillfällig överanställning samt två "
        "sommarvikarier.\n"
        "Sjuksköterskor. Avvikelse -1,3 Mnkr, prognos -2,0 Mnkr. Ökad vårdtyngd och fler insatser inom hemtjänsten.\n"
        "Särskilt boende/demens. Avvikelse -7,3 Mnkr, prognos -8,0 Mnkr. Pandemin har resulterat i höga kostnader "
        "för sjukfrånvaro och vikarier/övertid i början av året.\n"
        "Hemtjänst. Avvikelse -4,5 Mnkr, prognos -15,0 Mnkr. Antalet beviljade timmar fortsätter att vara på en hög "
        "nivå; enligt resursfördelningsmodellen fattas cirka 35 årsarbetare om nivån håller i sig under året."
    ),
}
MONTH = 5
YEAR_START, YEAR_END = dt.date(2022, 1, 1), dt.date(2022, 12, 31)


def _split(code: str, net: Decimal, which: int) -> dict[str, Decimal]:
    """A verksamhet's nettokostnad over its accounts in whole kronor; `which` picks the FIXED column."""
    amounts = {account: fixed[which] for account, fixed in FIXED.get(code, {}).items()}
    rest = net - sum(amounts.values(), D(0))
    for account, share in SHARES[code].items():
        amounts[account] = (rest * share).quantize(D(1), ROUND_HALF_UP)
    amounts["50210"] = net - sum(amounts.values(), D(0))
    return amounts


def figures() -> dict[str, dict[str, tuple[Decimal, Decimal, Decimal]]]:
    """verksamhet → account → (utfall jan–maj, budget jan–maj, budget helår)."""
    result = {}
    for code, _name, actual, period_budget, annual_budget, _forecast in VERKSAMHETER:
        actuals = _split(code, actual, 0)
        period = _split(code, period_budget, 1)
        annual = _split(code, annual_budget, 2)
        result[code] = {a: (actuals[a], period[a], annual[a]) for a in actuals}
    return result


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def sie_file(org_number: str) -> bytes:
    """Utfall January–May 2022: per month and verksamhet a löner verifikation and one for the rest, against bank."""
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#PROGRAM "Paragraf demodata" 1.0',
        "#GEN 20220603",
        f'#FNAMN "{LINDESBERG}"',
        f"#ORGNR {org_number}",
        "#RAR 0 20220101 20221231",
        "#KPTYP KBAS2022",
    ]
    lines += [f'#KONTO {code} "{name}"' for code, name, _kind, _group in ACCOUNTS]
    lines.append(f'#KONTO {BANK} "Bank"')
    lines.append('#DIM 2 "Verksamhet"')
    lines += [f'#OBJEKT 2 "{code}" "{name}"' for code, name, *_rest in VERKSAMHETER]
    number = 0
    months: dict[tuple[str, str], list[Decimal]] = {}
    for code, accounts in figures().items():
        for account, (actual, _period, _annual) in accounts.items():
            months[(code, account)] = budget_services.distribute(actual, ACTUAL_WEIGHTS)
    for month in range(1, MONTH + 1):
        for code, name, *_rest in VERKSAMHETER:
            for salary, text, day in ((True, "Löner", 25), (False, "Leverantörsfakturor och intäkter", 28)):
                rows = [
                    (account, amounts[month - 1])
                    for (unit, account), amounts in months.items()
                    if unit == code and (account in {"50210", "56111"}) == salary and amounts[month - 1]
                ]
                if not rows:
                    continue
                number += 1
                date = f"2022{month:02d}{day}"
                lines.append(f'#VER "A" {number} {date} "{text} {name.lower()} {MONTH_NAMES[month - 1]}" {date}')
                lines.append("{")
                lines += [f'#TRANS {account} {{2 "{code}"}} {_money(amount)}' for account, amount in rows]
                lines.append(f"#TRANS {BANK} {{}} {_money(-sum(a for _acc, a in rows))}")
                lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437")


MONTH_NAMES = ["januari", "februari", "mars", "april", "maj", "juni"]


def _verksamheter(organisation: Organisation) -> dict[str, DimensionObject]:
    items = DimensionObject.objects.for_organisation(organisation).filter(dimension__sie_number=2)
    return {o.code: o for o in items}


def _kontoplan(organisation: Organisation, actor: User) -> None:
    groups = {g.code: g for g in AccountGroup.objects.for_organisation(organisation)}
    for code, name in GROUPS:
        if code not in groups:
            groups[code] = account_services.account_group_create(
                organisation=organisation, actor=actor, code=code, name=name
            )
    existing = set(Account.objects.for_organisation(organisation).values_list("code", flat=True))
    for code, name, kind, group in ACCOUNTS:
        if code not in existing:
            account_services.account_create(
                organisation=organisation, actor=actor, code=code, name=name, kind=kind, group=groups[group]
            )
    if BANK not in existing:
        account_services.account_create(
            organisation=organisation, actor=actor, code=BANK, name="Bank", kind=AccountKind.ASSET
        )


def _budget(organisation: Organisation, actor: User, fiscal_year: FiscalYear) -> None:
    """The 2022 budget per account and verksamhet: January–May and June–December each spread evenly."""
    if Budget.objects.filter(fiscal_year=fiscal_year).exists():
        return
    budget = budget_services.budget_create(organisation=organisation, actor=actor, fiscal_year=fiscal_year)
    accounts = {a.code: a for a in Account.objects.for_organisation(organisation)}
    objects = _verksamheter(organisation)
    for code, per_account in figures().items():
        for account, (_actual, period, annual) in per_account.items():
            months = budget_services.distribute(period, [1] * MONTH) + budget_services.distribute(
                annual - period, [1] * (12 - MONTH)
            )
            budget_services.line_save(
                budget=budget,
                actor=actor,
                account=accounts[account],
                dimension_object=objects[code],
                amount=annual,
                distribution=BudgetLine.Distribution.CUSTOM,
                months=months,
            )
    budget_services.budget_adopt(budget=budget, actor=actor, adopted_on=dt.date(2021, 11, 25))


def _forecasts(organisation: Organisation, actor: User, fiscal_year: FiscalYear) -> None:
    from .models import ForecastEntry

    objects = _verksamheter(organisation)
    for code, _name, _actual, _period, _annual, forecast in VERKSAMHETER:
        item = objects[code]
        entry = ForecastEntry.objects.filter(fiscal_year=fiscal_year, month=MONTH, dimension_object=item).first()
        if entry is not None:
            continue
        forecast_services.forecast_save(
            organisation=organisation,
            actor=actor,
            fiscal_year=fiscal_year,
            month=MONTH,
            amount=forecast,
            comment=COMMENTS[code],
            dimension_object=item,
        )


def seed_followup(*, stdout) -> None:
    """Called from finance.demo.seed_finance. Idempotent."""
    from .models import FollowupSettings

    organisation = Organisation.objects.filter(name=LINDESBERG).first()
    economist = User.objects.filter(username="ekonom").first()
    if organisation is None or economist is None:
        return  # a test world without the kommun
    _kontoplan(organisation, economist)
    data = sie_file(organisation.org_number)
    if not import_services.duplicate_of(organisation=organisation, sha256=import_services.sha256_of(data)):
        job = import_services.ledger_import_upload(
            organisation=organisation,
            actor=economist,
            upload=SimpleUploadedFile("lindesberg-socialnamnd-2022-jan-maj.se", data),
        )
        if job.status != job.Status.DONE:  # pragma: no cover - the demo file is built to import
            raise RuntimeError(f"Demofilen kunde inte importeras: {job.errors}")
        stdout.write(f"  Uppföljning: Lindesbergs socialnämnd 2022, {job.voucher_count} verifikationer från SIE")
    fiscal_year = FiscalYear.objects.for_organisation(organisation).get(start=YEAR_START)
    _budget(organisation, economist, fiscal_year)
    _forecasts(organisation, economist, fiscal_year)
    if not FollowupSettings.objects.filter(organisation=organisation).exists():
        forecast_services.followup_settings_save(
            organisation=organisation,
            actor=economist,
            percent_threshold=D(5),
            amount_threshold=D(100000),
            report_heading=HEADING,
        )
