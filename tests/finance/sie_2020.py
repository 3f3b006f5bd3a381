"""A 2020 ledger for the demo förbund as SIE 4 (CP437) whose opening balances are the demo's 2019 closing ones,
for flows that need a year the demo has not fastställt. `balanced=False` unbalances verifikation A 2."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from finance import demo

D = Decimal

VOUCHERS_2020 = [
    ("20200131", "Medlemsbidrag staten (Försäkringskassan) kvartal 1", [("1930", D("726750")), ("3010", D("-726750"))]),
    ("20200215", "Inbetalda kundfordringar 2019", [("1930", D("726750")), ("1510", D("-726750"))]),
    ("20200228", "Löner kansli februari", [("5010", D("94250")), ("1930", D("-94250"))]),
    ("20200316", "Arvode styrelsen", [("5210", D("22500")), ("1930", D("-22500"))]),
    ("20200331", "Arbetsmarknadstorget kvartal 1", [("4010", D("400000")), ("1930", D("-400000"))]),
]


def closing_2019() -> dict[str, Decimal]:
    """The balance accounts' opening balances of 2020: the demo's 2019 UB, with 2019's result in eget kapital."""
    moved: dict[str, Decimal] = defaultdict(Decimal)
    for _date, _text, transactions in demo._vouchers():
        for account, _objs, amount in transactions:
            moved[account] += amount
    closing = {code: demo.OPENING.get(code, D(0)) + moved.get(code, D(0)) for code in demo.ACCOUNTS if code[0] in "12"}
    # The year's result is carried into eget kapital at the turn of the year, as every accounting system does.
    closing["2010"] += sum((amount for code, amount in moved.items() if code[0] not in "12"), D(0))
    return closing


def sie_2020(org_number: str, *, balanced: bool = True) -> bytes:
    closing = closing_2019()
    moved: dict[str, Decimal] = defaultdict(Decimal)
    vouchers = [(date, text, list(rows)) for date, text, rows in VOUCHERS_2020]
    if not balanced:
        date, text, rows = vouchers[1]
        vouchers[1] = (date, text, [rows[0], (rows[1][0], rows[1][1] + D("100"))])
    for _date, _text, rows in vouchers:
        for account, amount in rows:
            moved[account] += amount
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#PROGRAM "Paragraf testdata" 1.0',
        "#GEN 20210131",
        f'#FNAMN "{demo.FEDERATION}"',
        f"#ORGNR {org_number}",
        "#RAR 0 20200101 20201231",
        "#RAR -1 20190101 20191231",
        "#KPTYP BAS2019",
    ]
    lines += [f'#KONTO {code} "{name}"' for code, name in demo.ACCOUNTS.items()]
    for code, amount in closing.items():
        lines.append(f"#IB 0 {code} {amount:.2f}")
    for code in demo.ACCOUNTS:
        if code[0] in "12":
            lines.append(f"#UB 0 {code} {closing.get(code, D(0)) + moved.get(code, D(0)):.2f}")
        elif moved.get(code):
            lines.append(f"#RES 0 {code} {moved[code]:.2f}")
    for number, (date, text, rows) in enumerate(vouchers, start=1):
        lines.append(f'#VER "A" {number} {date} "{text}" {date}')
        lines.append("{")
        lines += [f"#TRANS {account} {{}} {amount:.2f}" for account, amount in rows]
        lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437")
