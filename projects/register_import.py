"""Participant register rows to and from Excel: the template, the export and the parser. Plain functions over
bytes and plain data (the category choices are passed in); no database, so every rule is tested on its own.

One row per participant, by participant code (a pseudonym). The columns (COLUMNS) follow the register's fields
(projects.RegisterParticipant). The parser returns every problem with its row and column, in Swedish; the caller
imports nothing unless there are none. Rules (the register's own, ADR 0019): without samtycke only kön and startår
are kept; with samtycke the samtycke's date and the inskrivningsdatum are needed; avslutsorsak and försörjning vid
avslut only with an avslutsdatum; dates from 2000 and not in the future; age at inskrivning 16–64.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from core.xlsx import COMPUTED_FILL, CellProblem, read_rows, style_header, text, whole_number, workbook_bytes

from .models import Gender
from .register_services import PERSONNUMMER, WORKING_AGE

FIRST_DATE = dt.date(2000, 1, 1)
MIN_AGE, MAX_AGE = WORKING_AGE
# The register's own rules for a code (register_services._clean_code): upper case, 2–20 characters, never a
# personnummer.
CODE_PATTERN = re.compile(r"[A-Z0-9ÅÄÖ_-]{2,20}")
MAX_ROWS = 50_000
PROGRESS_EVERY = 500

YES = {"ja", "j", "x", "1", "sant", "true", "yes"}
NO = {"nej", "n", "0", "falskt", "false", "no", ""}
GENDER_WORDS = {
    Gender.WOMAN: {"kvinna", "kvinnor", "k"},
    Gender.MAN: {"man", "män", "m"},
    Gender.OTHER: {"icke-binär/annat", "icke-binär", "annat", "a", "ickebinär"},
}
GENDER_LABELS = {Gender.WOMAN: "Kvinna", Gender.MAN: "Man", Gender.OTHER: "Icke-binär/annat"}


@dataclass(frozen=True)
class Column:
    key: str  # RegisterParticipant's field name
    heading: str
    kind: str  # text, gender, year, date, bool, category, categories
    list_key: str = ""  # CategoryList.Key for category columns
    required: bool = False
    hint: str = ""


COLUMNS = [
    Column("code", "Deltagarkod", "text", required=True, hint="En pseudonym, aldrig namn eller personnummer."),
    Column("gender", "Kön", "gender", required=True, hint="Kvinna, Man eller Icke-binär/annat."),
    Column("enrolment_year", "Startår", "year", hint="Behövs utan samtycke; annars året för inskrivningsdatum."),
    Column("consent", "Samtycke", "bool", hint="Ja eller Nej. Utan samtycke sparas bara kön och startår."),
    Column("consent_on", "Samtyckesdatum", "date", hint="ÅÅÅÅ-MM-DD. Behövs med samtycke."),
    Column("birth_year", "Födelseår", "year", hint="Fyra siffror. Åldern vid inskrivning ska vara 16–64 år."),
    Column("referrer", "Remittent", "category", "referrer"),
    Column("education", "Utbildningsnivå", "category", "education"),
    Column("income_at_entry", "Försörjning vid inskrivning", "category", "income_at_entry"),
    Column("enrolled_on", "Inskrivningsdatum", "date", hint="ÅÅÅÅ-MM-DD. Behövs med samtycke."),
    Column("exited_on", "Avslutsdatum", "date", hint="ÅÅÅÅ-MM-DD. Tomt om deltagaren är kvar."),
    Column("exit_reason", "Avslutsorsak", "category", "exit_reason", hint="Bara med avslutsdatum."),
    Column("income_at_exit", "Försörjning vid avslut", "category", "income_at_exit", hint="Bara med avslutsdatum."),
    Column("activities", "Aktiviteter", "categories", "activity", hint="Flera skiljs med semikolon (;)."),
]
BY_HEADING = {column.heading.lower(): column for column in COLUMNS}
# Everything but kön and startår needs samtycke.
CONSENT_ONLY = [c.key for c in COLUMNS if c.key not in ("code", "gender", "enrolment_year", "consent")]


@dataclass(frozen=True)
class Choices:
    """The labels allowed per category list: list key -> [(label, category id)] in the list's order."""

    lists: Mapping[str, list[tuple[str, int]]]

    def lookup(self, list_key: str) -> dict[str, int]:
        return {_norm(label): pk for label, pk in self.lists.get(list_key, [])}

    def labels(self, list_key: str) -> list[str]:
        return [label for label, _pk in self.lists.get(list_key, [])]


@dataclass
class RegisterRow:
    row: int
    code: str
    gender: str
    enrolment_year: int
    consent: bool = False
    consent_on: dt.date | None = None
    birth_year: int | None = None
    referrer: int | None = None
    education: int | None = None
    income_at_entry: int | None = None
    enrolled_on: dt.date | None = None
    exited_on: dt.date | None = None
    exit_reason: int | None = None
    income_at_exit: int | None = None
    activities: tuple[int, ...] = field(default_factory=tuple)


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


def _date(value) -> dt.date | str | None:
    """A date cell: a date, None when empty, or the text shown when it is not a date."""
    if value is None or text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return raw


def parse(
    data: bytes,
    *,
    choices: Choices,
    today: dt.date,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[list[RegisterRow], list[CellProblem]]:
    """Every row of the file, and every problem with row and column. `on_progress(rows read)` is called every
    PROGRESS_EVERY rows so a background job can show how far it has come."""
    rows = read_rows(data)
    header = next(rows, None)
    if header is None:
        return [], [CellProblem(0, "", "Filen är tom. Ladda ned mallen och fyll i den.")]
    positions: dict[str, int] = {}
    problems: list[CellProblem] = []
    for index, cell in enumerate(header):
        heading = text(cell)
        if not heading:
            continue
        column = BY_HEADING.get(heading.lower())
        if column is None:
            problems.append(CellProblem(1, heading, "kolumnen finns inte i mallen. Ta bort den eller byt namn på den."))
        elif column.key in positions:
            problems.append(CellProblem(1, heading, "kolumnen finns två gånger."))
        else:
            positions[column.key] = index
    for column in COLUMNS:
        if column.required and column.key not in positions:
            problems.append(CellProblem(1, column.heading, "kolumnen saknas. Använd mallens rubriker."))
    if problems:
        return [], problems
    lookups = {c.list_key: choices.lookup(c.list_key) for c in COLUMNS if c.list_key}
    found: list[RegisterRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if on_progress is not None and number % PROGRESS_EVERY == 0:
            on_progress(number)
        if all(text(value) == "" for value in cells):
            continue
        if number > MAX_ROWS + 1:
            problems.append(CellProblem(number, "", f"filen har fler än {MAX_ROWS} rader; dela upp den."))
            break
        row, row_problems = _parse_row(number, cells, positions, lookups, choices, today)
        if row is not None:
            key = row.code
            if key in seen:
                row_problems.append(
                    CellProblem(number, "Deltagarkod", f"deltagarkoden {row.code} finns redan på rad {seen[key]}.")
                )
            else:
                seen[key] = number
        problems.extend(row_problems)
        if row is not None and not row_problems:
            found.append(row)
    if not found and not problems:
        problems.append(CellProblem(0, "", "Filen har inga deltagare. Fyll i en rad per deltagare under rubrikerna."))
    return found, problems


def _parse_row(number, cells, positions, lookups, choices: Choices, today: dt.date):
    problems: list[CellProblem] = []
    values: dict = {}

    def raw(key: str):
        index = positions.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def problem(column: Column, message: str) -> None:
        problems.append(CellProblem(number, column.heading, message))

    for column in COLUMNS:
        value = raw(column.key)
        shown = text(value)
        if column.kind == "text":
            code = shown.upper()
            if not code:
                problem(column, "ange deltagarkoden.")
            elif PERSONNUMMER.search(code.replace(" ", "")):
                problem(column, "deltagarkoden får inte vara eller innehålla ett personnummer; använd en pseudonym.")
            elif not CODE_PATTERN.fullmatch(code):
                problem(column, f"”{shown}” är ingen giltig deltagarkod (2–20 bokstäver, siffror, - eller _).")
            else:
                values[column.key] = code
        elif column.kind == "gender":
            gender = next((g for g, words in GENDER_WORDS.items() if _norm(shown) in words), None)
            if not shown:
                problem(column, "ange kön (Kvinna, Man eller Icke-binär/annat).")
            elif gender is None:
                problem(column, f"”{shown}” är inget kön i listan. Välj Kvinna, Man eller Icke-binär/annat.")
            else:
                values[column.key] = str(gender)
        elif column.kind == "bool":
            if _norm(shown) in YES:
                values[column.key] = True
            elif _norm(shown) in NO:
                values[column.key] = False
            else:
                problem(column, f"”{shown}” är varken Ja eller Nej.")
        elif column.kind == "year":
            if shown:
                year = whole_number(value, low=1900, high=today.year)
                if year is None:
                    problem(column, f"”{shown}” är inget årtal mellan 1900 och {today.year}.")
                else:
                    values[column.key] = year
        elif column.kind == "date":
            parsed = _date(value)
            if isinstance(parsed, str):
                problem(column, f"”{parsed}” är inget datum. Skriv det som ÅÅÅÅ-MM-DD.")
            elif parsed is not None:
                if not FIRST_DATE <= parsed <= today:
                    problem(
                        column,
                        f"{parsed.isoformat()} ligger utanför tillåtna datum ({FIRST_DATE.isoformat()}–"
                        f"{today.isoformat()}).",
                    )
                else:
                    values[column.key] = parsed
        elif column.kind == "category":
            if shown:
                pk = lookups[column.list_key].get(_norm(shown))
                if pk is None:
                    problem(column, _unknown(shown, column, choices))
                else:
                    values[column.key] = pk
        elif column.kind == "categories":
            ids = []
            for part in (p.strip() for p in re.split(r"[;\n]", shown)):
                if not part:
                    continue
                pk = lookups[column.list_key].get(_norm(part))
                if pk is None:
                    problem(column, _unknown(part, column, choices))
                elif pk not in ids:
                    ids.append(pk)
            if ids:
                values[column.key] = tuple(ids)
    columns = {c.key: c for c in COLUMNS}
    consent = values.get("consent", False)
    if not consent:
        for key in CONSENT_ONLY:
            if text(raw(key)):
                problem(columns[key], "utan samtycke sparas bara kön och startår. Töm cellen eller ange samtycke.")
    else:
        if "consent_on" not in values and not text(raw("consent_on")):
            problem(columns["consent_on"], "samtyckesdatum saknas. Med samtycke behövs datumet då det lämnades.")
        if "enrolled_on" not in values and not text(raw("enrolled_on")):
            problem(columns["enrolled_on"], "inskrivningsdatum saknas. Med samtycke behövs det.")
    enrolled_on, exited_on = values.get("enrolled_on"), values.get("exited_on")
    if enrolled_on and exited_on and exited_on < enrolled_on:
        problem(columns["exited_on"], f"avslutsdatum {exited_on} ligger före inskrivningsdatum {enrolled_on}.")
    if consent and not text(raw("exited_on")):
        for key in ("exit_reason", "income_at_exit"):
            if text(raw(key)):
                problem(columns[key], "anges bara när deltagaren har ett avslutsdatum.")
    year = values.get("enrolment_year")
    if enrolled_on is not None:
        if year is not None and year != enrolled_on.year:
            problem(
                columns["enrolment_year"],
                f"startår {year} stämmer inte med inskrivningsdatum {enrolled_on.isoformat()}. Töm startåret eller "
                "rätta det.",
            )
        year = enrolled_on.year
    elif year is None and not text(raw("enrolment_year")) and not consent:
        problem(columns["enrolment_year"], "ange startår (året deltagaren skrevs in).")
    elif year is not None and year < FIRST_DATE.year:
        problem(columns["enrolment_year"], f"startår {year} ligger före {FIRST_DATE.year}.")
    birth_year = values.get("birth_year")
    if birth_year is not None and year is not None:
        age = year - birth_year
        if not MIN_AGE <= age <= MAX_AGE:
            problem(
                columns["birth_year"],
                f"födelseår {birth_year} ger åldern {age} år vid inskrivningen {year}; insatsen gäller "
                f"{MIN_AGE}–{MAX_AGE} år.",
            )
    if problems or "code" not in values or "gender" not in values or year is None:
        return (RegisterRow(number, values["code"], "", 0) if "code" in values else None), problems
    values["enrolment_year"] = year
    values.setdefault("consent", False)
    return RegisterRow(row=number, **values), problems


def _unknown(shown: str, column: Column, choices: Choices) -> str:
    labels = choices.labels(column.list_key)
    listed = ", ".join(labels) if len(labels) <= 12 else "se fliken Val i mallen"
    return f"”{shown}” finns inte i listan för {column.heading.lower()}. Välj en av: {listed}."


# Workbooks ---------------------------------------------------------------------------------------------------


def build_workbook(*, choices: Choices, title: str, rows: Iterable[Mapping] = ()) -> bytes:
    """The template (no `rows`) or an export of the register (`rows`: one mapping per participant with the
    COLUMNS keys, categories as labels, activities as a list of labels). A second sheet lists the allowed values
    of every list column, which the first sheet's cells offer as a drop-down."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "Deltagare"
    sheet.append([column.heading for column in COLUMNS])
    style_header(sheet, 1, len(COLUMNS))
    values_sheet = book.create_sheet("Val")
    info = book.create_sheet("Instruktioner")
    info["A1"] = title
    info["A1"].font = Font(bold=True, size=13)
    info.append(["Fyll i en rad per deltagare på fliken Deltagare. Ändra inte rubrikerna."])
    info.append(["Finns något fel i filen importeras ingenting, och varje fel visas med rad och kolumn."])
    info.append(["Finns deltagarkoden redan i insatsens register ersätts deltagarens uppgifter med radens."])
    info.append([])
    info.append(["Kolumn", "Vad som fylls i"])
    style_header(info, info.max_row, 2)
    for column in COLUMNS:
        info.append([column.heading, column.hint or ("Ett värde från fliken Val." if column.list_key else "")])
    info.column_dimensions["A"].width = 30
    info.column_dimensions["B"].width = 90
    lists = [("gender", "Kön", list(GENDER_LABELS.values())), ("consent", "Samtycke", ["Ja", "Nej"])]
    lists += [(c.key, c.heading, choices.labels(c.list_key)) for c in COLUMNS if c.kind == "category"]
    lists.append(("activities", "Aktiviteter", choices.labels("activity")))
    grey = PatternFill("solid", fgColor=COMPUTED_FILL)
    for index, (key, heading, labels) in enumerate(lists, start=1):
        letter = get_column_letter(index)
        values_sheet.cell(row=1, column=index, value=heading).fill = grey
        values_sheet.cell(row=1, column=index).font = Font(bold=True)
        for offset, label in enumerate(labels, start=2):
            values_sheet.cell(row=offset, column=index, value=label)
        values_sheet.column_dimensions[letter].width = 36
        target = next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)
        if key == "activities" or not labels:
            continue  # several activities per cell: no single-value drop-down
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname('Val')}!${letter}$2:${letter}${len(labels) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Okänt värde",
            error=f"Välj ett värde från listan ({heading}).",
        )
        sheet.add_data_validation(validation)
        validation.add(f"{get_column_letter(target)}2:{get_column_letter(target)}{MAX_ROWS + 1}")
    for row in rows:
        sheet.append([_cell(column, row.get(column.key)) for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.heading) + 4))
        if column.kind == "date":
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "B2"
    return workbook_bytes(book)


def _cell(column: Column, value):
    if value is None:
        return None
    if column.kind == "gender":
        return GENDER_LABELS.get(value, value)
    if column.kind == "bool":
        return "Ja" if value else "Nej"
    if column.kind == "categories":
        return "; ".join(value)
    return value
