"""Demo data for finance: Samordningsförbundet Skellefteå-Norsjö's kontoplan and its 2019 ledger as a SIE 4 file.

The figures are seed 003's (årsredovisning 2019): medlemsbidrag 5 814 000 kr (staten 2 907 000, regionen 1 454 000,
Skellefteå 1 383 000, Norsjö 70 000), övriga intäkter 26 200, kostnader 5 925 479 split as in its budget–utfall
table, årets resultat -85 279, kassa och bank 2 861 194 → 2 007 133, fordringar 871 668 → 1 022 483. Where the seed
contradicts itself the ledger must balance, so it decides: eget kapital 1 751 017 at the start (the 2018 closing
figure) and 1 665 738 at the end, kortfristiga skulder 1 363 878 at the end (the seed prints 1 363 877).

The file is built here, written in CP437 as the standard says, and imported through the same service as an upload
by the ekonom. Idempotent: a second run finds the file already imported and leaves it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from core.demo import FEDERATION
from core.models import Organisation, User

from . import account_services, import_services
from .demo_annual import seed_annual_report
from .demo_statements import seed_statements

D = Decimal
ORDINARY = [("AMT", "Arbetsmarknadstorget"), ("MYSAM", "MySam"), ("NAFS", "NAFS"), ("PROAKTIV", "ProAktiv")]
OPENING = {"1510": D("871668"), "1930": D("2861194"), "2010": D("-1751017"), "2440": D("-1981845")}
ACCOUNTS = {
    "1510": "Kundfordringar",
    "1650": "Momsfordran",
    "1930": "Bank",
    "2010": "Eget kapital",
    "2440": "Leverantörsskulder",
    "3010": "Driftbidrag från staten",
    "3020": "Driftbidrag från region",
    "3030": "Driftbidrag från kommuner",
    "3990": "Övriga intäkter",
    "4010": "Verksamheter/projekt",
    "4020": "Konferens/seminarier/utbildning",
    "4090": "Övriga kostnader insatser",
    "5010": "Löner kansli",
    "5210": "Styrelsens arvoden",
    "5220": "Styrelse utbildning/konferenser",
}
KANSLI, STYRELSE, INSATSER = (1, "10"), (1, "20"), (1, "30")


def _vouchers() -> list[tuple[str, str, list[tuple[str, tuple, Decimal]]]]:
    """(date, text, [(account, objects, amount)]) for the year; each sums to zero."""
    rows = [
        ("20190110", "Inbetalda medlemsbidrag kvartal 4 2018", [("1930", (), D("871668")), ("1510", (), D("-871668"))]),
        ("20190115", "Betalda insatsfakturor 2018", [("2440", (), D("1981845")), ("1930", (), D("-1981845"))]),
    ]
    for quarter, date in enumerate(("20190131", "20190430", "20190731", "20191031"), start=1):
        rows.append(
            (
                date,
                f"Medlemsbidrag staten (Försäkringskassan) kvartal {quarter}",
                [("1930", (), D("726750")), ("3010", (), D("-726750"))],
            )
        )
    for quarter, date in enumerate(("20190215", "20190515", "20190815"), start=1):
        rows.append(
            (
                date,
                f"Medlemsbidrag Region Västerbotten, Skellefteå och Norsjö kvartal {quarter}",
                [
                    ("1930", (), D("726750")),
                    ("3020", (), D("-363500")),
                    ("3030", (), D("-345750")),
                    ("3030", (), D("-17500")),
                ],
            )
        )
    rows.append(
        (
            "20191231",
            "Medlemsbidrag kvartal 4 fakturerade",
            [
                ("1510", (), D("726750")),
                ("3020", (), D("-363500")),
                ("3030", (), D("-345750")),
                ("3030", (), D("-17500")),
            ],
        )
    )
    rows.append(("20190614", "Ersättning för utbildningsdag", [("1930", (), D("26200")), ("3990", (), D("-26200"))]))
    paid = {"AMT": D("1100000"), "MYSAM": D("1050000"), "NAFS": D("407110"), "PROAKTIV": D("200000")}
    for code, name in ORDINARY:
        rows.append(
            (
                "20190628",
                f"{name}, utbetald medfinansiering",
                [("4010", (INSATSER, (6, code)), paid[code]), ("1930", (), -paid[code])],
            )
        )
    unpaid = {"AMT": D("500000"), "MYSAM": D("450000"), "NAFS": D("213878"), "PROAKTIV": D("200000")}
    rows.append(
        (
            "20191231",
            "Insatsfakturor kvartal 4, obetalda",
            [("4010", (INSATSER, (6, code)), unpaid[code]) for code, _name in ORDINARY]
            + [("2440", (), -sum(unpaid.values()))],
        )
    )
    rows += [
        ("20191231", "Ingående moms på insatsfakturor", [("1650", (), D("295733")), ("1930", (), D("-295733"))]),
        (
            "20190912",
            "Konferens och utbildningsdagar",
            [("4020", (INSATSER,), D("210112")), ("1930", (), D("-210112"))],
        ),
        ("20191115", "Övriga kostnader insatser", [("4090", (INSATSER,), D("325796")), ("1930", (), D("-325796"))]),
        ("20191220", "Styrelsens arvoden 2019", [("5210", (STYRELSE,), D("249438")), ("1930", (), D("-249438"))]),
        (
            "20191010",
            "Styrelsens utbildning och konferenser",
            [("5220", (STYRELSE,), D("81743")), ("1930", (), D("-81743"))],
        ),
    ]
    for quarter, date in enumerate(("20190329", "20190628", "20190927", "20191220"), start=1):
        rows.append(
            (
                date,
                f"Löner kansli kvartal {quarter}",
                [("5010", (KANSLI,), D("234350.50")), ("1930", (), D("-234350.50"))],
            )
        )
    return sorted(rows, key=lambda row: row[0])


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _objects(objects: tuple) -> str:
    return "{" + " ".join(f'{dim} "{code}"' for dim, code in objects) + "}"


def sie_file(org_number: str) -> bytes:
    """The 2019 ledger as SIE 4 in CP437. UB and RES are computed from the transactions, so they agree."""
    vouchers = _vouchers()
    moved: dict[str, Decimal] = defaultdict(Decimal)
    for _date, _text, transactions in vouchers:
        for account, _objs, amount in transactions:
            moved[account] += amount
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#PROGRAM "Paragraf demodata" 1.0',
        "#GEN 20200131",
        f'#FNAMN "{FEDERATION}"',
        f"#ORGNR {org_number}",
        "#RAR 0 20190101 20191231",
        "#RAR -1 20180101 20181231",
        "#KPTYP BAS2019",
    ]
    lines += [f'#KONTO {code} "{name}"' for code, name in ACCOUNTS.items()]
    lines += ['#DIM 1 "Ansvar"', '#DIM 6 "Projekt"']
    lines += ['#OBJEKT 1 "10" "Kansli"', '#OBJEKT 1 "20" "Styrelse"', '#OBJEKT 1 "30" "Insatser"']
    lines += [f'#OBJEKT 6 "{code}" "{name}"' for code, name in ORDINARY]
    for code, amount in OPENING.items():
        lines.append(f"#UB -1 {code} {_money(amount)}")
    for code, amount in OPENING.items():
        lines.append(f"#IB 0 {code} {_money(amount)}")
    for code in ACCOUNTS:
        if code[0] in "12":
            lines.append(f"#UB 0 {code} {_money(OPENING.get(code, D(0)) + moved.get(code, D(0)))}")
    for code in ACCOUNTS:
        if code[0] not in "12":
            lines.append(f"#RES 0 {code} {_money(moved[code])}")
    for number, (date, text, transactions) in enumerate(vouchers, start=1):
        lines.append(f'#VER "A" {number} {date} "{text}" {date}')
        lines.append("{")
        lines += [f"#TRANS {account} {_objects(objs)} {_money(amount)}" for account, objs, amount in transactions]
        lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437")


def seed_finance(*, stdout) -> None:
    """Called by `manage.py seed_demo` after the core data."""
    federation = Organisation.objects.get(name=FEDERATION)
    economist = User.objects.get(username="ekonom")
    account_services.kontoplan_apply_template(organisation=federation, actor=economist, template="federation")
    data = sie_file(federation.org_number)
    if import_services.duplicate_of(organisation=federation, sha256=import_services.sha256_of(data)):
        seed_contributions(federation=federation, actor=economist)
        seed_budget(organisation=federation, actor=economist, stdout=stdout)
        seed_statements(federation=federation, actor=economist, stdout=stdout)
        seed_annual_report(federation=federation, actor=economist, stdout=stdout)
        _seed_followup(stdout)
        return
    job = import_services.ledger_import_upload(
        organisation=federation,
        actor=economist,
        upload=SimpleUploadedFile("skelleftea-norsjo-2019.se", data),
    )
    if job.status != job.Status.DONE:  # pragma: no cover - the demo file is built to import
        raise RuntimeError(f"Demofilen kunde inte importeras: {job.errors}")
    stdout.write(f"  Ekonomi 2019: kontoplan och {job.voucher_count} verifikationer importerade från SIE")
    seed_contributions(federation=federation, actor=economist)
    seed_budget(organisation=federation, actor=economist, stdout=stdout)
    seed_statements(federation=federation, actor=economist, stdout=stdout)
    seed_annual_report(federation=federation, actor=economist, stdout=stdout)
    _seed_followup(stdout)


def _seed_followup(stdout) -> None:
    """Lindesbergs kommun's socialnämnd, månadsuppföljning maj 2022 (seed 004; finance/followup_demo.py)."""
    from .followup_demo import seed_followup

    seed_followup(stdout=stdout)


# People of working age (18-64) in each kommun: seed 003 gives only the kronor, so these shares are illustrative,
# chosen so that the split in whole thousands gives the seed's 1 383 000 and 70 000.
MUNICIPALITY_SHARES = [("Skellefteå kommun", D("41500")), ("Norsjö kommun", D("2100"))]


def seed_contributions(*, federation: Organisation, actor: User) -> None:
    """Medlemsbidrag 2019 (seed 003: 5 814 000 = 2 907 000 + 1 454 000 + 1 383 000 + 70 000), idempotent."""
    from . import contribution_services
    from .models import ContributionAllocation, FiscalYear

    year = FiscalYear.objects.for_organisation(federation).filter(start__year=2019).first()
    if year is None:  # pragma: no cover - the SIE import above creates it
        return
    contribution_services.allocation_save(
        organisation=federation,
        actor=actor,
        fiscal_year=year,
        total=D("5814000"),
        rounding_unit=ContributionAllocation.Unit.THOUSAND,
        municipalities=MUNICIPALITY_SHARES,
        state_name="Staten genom Försäkringskassan",
        region_name="Region Västerbotten",
    )


# Seed 003 states no figures for budget 2020 (only that it is underfinanced by 142 000 kr), so the demo budget is
# its "Sammanställning av budget och utfall 2019": the 2019 budget column, per account, in the ledger's sign.
BUDGET_2019 = {
    "3010": D("-2907000"),
    "3020": D("-1454000"),
    "3030": D("-1453000"),
    "3990": D("-60000"),
    "4010": D("4757840"),
    "4020": D("250000"),
    "4090": D("227000"),
    "5010": D("1131000"),
    "5210": D("270000"),
    "5220": D("0"),
}


def seed_budget(*, organisation: Organisation, actor: User, stdout) -> None:
    """The ursprunglig budget 2019 (seed 003), spread evenly over the months, fastställd on 30 November 2018 (the
    last day the förbundsordning allows; the seed does not say the date). Idempotent."""
    import datetime as dt

    from . import budget_services
    from .models import Account, Budget, FiscalYear

    fiscal_year = FiscalYear.objects.for_organisation(organisation).filter(start=dt.date(2019, 1, 1)).first()
    if fiscal_year is None or Budget.objects.filter(fiscal_year=fiscal_year).exists():
        return
    budget = budget_services.budget_create(organisation=organisation, actor=actor, fiscal_year=fiscal_year)
    accounts = {a.code: a for a in Account.objects.for_organisation(organisation).filter(code__in=BUDGET_2019)}
    for code, amount in BUDGET_2019.items():
        budget_services.line_save(budget=budget, actor=actor, account=accounts[code], amount=amount)
    budget_services.budget_adopt(budget=budget, actor=actor, adopted_on=dt.date(2018, 11, 30))
    stdout.write(f"  Ekonomi: budget 2019 med {len(BUDGET_2019)} rader, fastställd")
