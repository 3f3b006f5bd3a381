"""Ledger rows from Excel and CSV exports of the municipal systems. Pure functions over bytes (openpyxl for .xlsx).

A column mapping names, for each of our fields, the header of the column that holds it (`{"date": "Datum",
"account": "Konto", "amount": "Belopp", …}`); it is saved per organisation. Numbers are read the Swedish way
("1 234,50", "-0,8", "−14,0" with a real minus sign, "1.234,50"), dates in the usual forms (2019-01-31, 20190131,
190131, 31.01.2019, 31/1/2019, and Excel's own dates). Every problem is collected with its row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

FIELDS = {
    "date": "Datum",
    "account": "Konto",
    "amount": "Belopp",
    "debit": "Debet",
    "credit": "Kredit",
    "text": "Text",
    "voucher": "Verifikation",
    "responsibility": "Ansvar",
    "activity": "Verksamhet",
    "project": "Projekt",
}
REQUIRED = ("date", "account")
MINUS_SIGNS = "\u2212\u2013\u2012"  # minus sign, en dash, figure dash: all seen for "minus" in exports
SPACES = " \u00a0\u202f\u2009'"


@dataclass(frozen=True)
class TabularProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Rad {self.row}" if self.row else "Filen"
        if self.column:
            where += f", kolumn ”{self.column}”"
        return f"{where}: {self.message}"


@dataclass
class TabularRow:
    row: int
    date: dt.date
    account: str
    amount: Decimal
    text: str = ""
    voucher: str = ""
    objects: dict[str, str] = field(default_factory=dict)  # responsibility/activity/project -> code


@dataclass
class TabularFile:
    headers: list[str]
    rows: list[TabularRow] = field(default_factory=list)
    errors: list[TabularProblem] = field(default_factory=list)
    encoding: str = ""


def parse_number(value) -> Decimal:
    """A Swedish number to Decimal; raises ValueError with a Swedish message."""
    if isinstance(value, bool):
        raise ValueError("är inget tal")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = str(value or "").strip()
    if not text:
        raise ValueError("är tomt")
    negative = False
    if text[0] in MINUS_SIGNS + "-":
        negative, text = True, text[1:].strip()
    elif text.endswith("-"):  # "1 234,50-" as some systems print credit
        negative, text = True, text[:-1].strip()
    elif text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    for space in SPACES:
        text = text.replace(space, "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")  # 1.234,50 -> 1234.50
    elif text.count(".") > 1:
        raise ValueError(f"”{value}” är inget tal")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise ValueError(f"”{value}” är inget tal (skriv t.ex. 1 234,50 eller -0,8)")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refused it
        raise ValueError(f"”{value}” är inget tal") from exc
    return -number if negative else number


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        raise ValueError("datum saknas")
    text = text.split(" ")[0].split("T")[0]
    patterns = [
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"),
        (r"(\d{4})/(\d{1,2})/(\d{1,2})", "ymd"),
        (r"(\d{4})(\d{2})(\d{2})", "ymd"),
        (r"(\d{2})(\d{2})(\d{2})", "yymmdd"),
        (r"(\d{1,2})\.(\d{1,2})\.(\d{4})", "dmy"),
        (r"(\d{1,2})/(\d{1,2})/(\d{4})", "dmy"),
    ]
    for pattern, order in patterns:
        match = re.fullmatch(pattern, text)
        if not match:
            continue
        a, b, c = (int(part) for part in match.groups())
        year, month, day = {"ymd": (a, b, c), "yymmdd": (2000 + a, b, c), "dmy": (c, b, a)}[order]
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"”{value}” är inget giltigt datum") from exc
    raise ValueError(f"”{value}” är inget datum (skriv t.ex. 2019-01-31)")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(data: bytes) -> tuple[Iterator[list], str]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";\t,")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    label = "UTF-8" if encoding == "utf-8-sig" else "Windows-1252"
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter)), label


def _xlsx_rows(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def is_excel(filename: str, data: bytes) -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def read(data: bytes, filename: str, mapping: dict[str, str]) -> TabularFile:
    """Rows of the first sheet (Excel) or the file (CSV; `;`, tab or `,`), with the first row as headers."""
    if is_excel(filename, data):
        try:
            rows, encoding = _xlsx_rows(data), "Excel"
            first = next(rows, None)
        except Exception:  # a broken or password-protected workbook
            result = TabularFile(headers=[])
            result.errors.append(TabularProblem(0, "", "filen kunde inte läsas som en Excel-arbetsbok (.xlsx)"))
            return result
    else:
        rows, encoding = _csv_rows(data)
        first = next(rows, None)
    headers = [_cell_text(h) for h in (first or [])]
    result = TabularFile(headers=headers, encoding=encoding)
    index = {h.casefold(): i for i, h in enumerate(headers) if h}
    columns: dict[str, int] = {}
    for name, header in mapping.items():
        if not header:
            continue
        position = index.get(header.strip().casefold())
        if position is None:
            found = ", ".join(f"”{h}”" for h in headers if h) or "inga"
            result.errors.append(
                TabularProblem(1, header, f"kolumnen finns inte i filens första rad (filens kolumner: {found})")
            )
        else:
            columns[name] = position
    for name in REQUIRED:
        if not mapping.get(name):
            result.errors.append(TabularProblem(0, "", f"kolumnen för {FIELDS[name].lower()} är inte angiven"))
    if not mapping.get("amount") and not (mapping.get("debit") or mapping.get("credit")):
        result.errors.append(TabularProblem(0, "", "ange kolumnen för belopp, eller kolumnerna för debet och kredit"))
    if result.errors:
        return result
    for number, raw in enumerate(rows, start=2):
        if not any(_cell_text(v) for v in raw):
            continue  # empty lines and trailing rows
        _read_row(result, number, raw, columns, mapping)
    return result


def _read_row(result: TabularFile, number: int, raw: list, columns: dict[str, int], mapping: dict[str, str]) -> None:
    def cell(name: str):
        position = columns.get(name)
        return raw[position] if position is not None and position < len(raw) else None

    problems = len(result.errors)
    try:
        date = parse_date(cell("date"))
    except ValueError as exc:
        result.errors.append(TabularProblem(number, mapping["date"], str(exc)))
        date = None
    account = _cell_text(cell("account"))
    if not re.fullmatch(r"\d{1,20}", account):
        message = "kontonummer saknas" if not account else f"”{account}” är inget kontonummer (bara siffror)"
        result.errors.append(TabularProblem(number, mapping["account"], message))
    amount = Decimal(0)
    if "amount" in columns:
        try:
            amount = parse_number(cell("amount"))
        except ValueError as exc:
            result.errors.append(TabularProblem(number, mapping["amount"], str(exc)))
    else:
        for name, sign in (("debit", 1), ("credit", -1)):
            value = cell(name)
            if name in columns and _cell_text(value):
                try:
                    amount += sign * abs(parse_number(value))
                except ValueError as exc:
                    result.errors.append(TabularProblem(number, mapping[name], str(exc)))
    if len(result.errors) > problems:
        return
    objects = {name: _cell_text(cell(name)) for name in ("responsibility", "activity", "project") if name in columns}
    result.rows.append(
        TabularRow(
            row=number,
            date=date,  # type: ignore[arg-type]
            account=account,
            amount=amount,
            text=_cell_text(cell("text"))[:500],
            voucher=_cell_text(cell("voucher"))[:40],
            objects={k: v for k, v in objects.items() if v},
        )
    )


# The kontoplan from Excel or CSV ------------------------------------------------------------------------------

ACCOUNT_HEADERS = {
    "code": ("konto", "kontonummer", "kontonr", "kod"),
    "name": ("namn", "kontonamn", "benämning", "text", "kontobenämning"),
    "kind": ("typ", "kontotyp", "kontoslag"),
    "group": ("grupp", "kontogrupp", "kontoklass"),
}
KIND_WORDS = {
    "intäkt": "income",
    "i": "income",
    "kostnad": "expense",
    "k": "expense",
    "tillgång": "asset",
    "t": "asset",
    "skuld": "liability",
    "s": "liability",
    "eget kapital": "equity",
}


@dataclass
class AccountRow:
    row: int
    code: str
    name: str
    kind: str = ""
    group: str = ""


def read_accounts(data: bytes, filename: str) -> tuple[list[AccountRow], list[TabularProblem]]:
    """Accounts from a sheet whose first row names the columns: Konto, Namn, and optionally Typ and Grupp."""
    errors: list[TabularProblem] = []
    try:
        rows = _xlsx_rows(data) if is_excel(filename, data) else _csv_rows(data)[0]
        first = next(rows, None)
    except Exception:
        return [], [TabularProblem(0, "", "filen kunde inte läsas som Excel (.xlsx) eller CSV")]
    headers = [_cell_text(h).casefold() for h in (first or [])]
    columns: dict[str, int] = {}
    for name, aliases in ACCOUNT_HEADERS.items():
        for position, header in enumerate(headers):
            if header in aliases:
                columns.setdefault(name, position)
    for name, label in (("code", "Konto"), ("name", "Namn")):
        if name not in columns:
            errors.append(TabularProblem(1, label, "kolumnen saknas i filens första rad"))
    if errors:
        return [], errors
    found: list[AccountRow] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        if not any(_cell_text(v) for v in raw):
            continue

        def cell(name: str, raw=raw) -> str:
            position = columns.get(name)
            return _cell_text(raw[position]) if position is not None and position < len(raw) else ""

        code, name, kind_text = cell("code"), cell("name"), cell("kind").casefold()
        if not re.fullmatch(r"\d{1,20}", code):
            errors.append(TabularProblem(number, "Konto", f"”{code}” är inget kontonummer (bara siffror)"))
            continue
        if not name:
            errors.append(TabularProblem(number, "Namn", "kontonamnet saknas"))
            continue
        if code in seen:
            errors.append(TabularProblem(number, "Konto", f"konto {code} finns redan på rad {seen[code]}"))
            continue
        kind = KIND_WORDS.get(kind_text, "")
        if kind_text and not kind:
            errors.append(
                TabularProblem(
                    number,
                    "Typ",
                    f"”{cell('kind')}” är ingen kontotyp (intäkt, kostnad, tillgång, skuld eller eget kapital)",
                )
            )
            continue
        seen[code] = number
        found.append(AccountRow(number, code, name[:200], kind, cell("group")))
    return found, errors
