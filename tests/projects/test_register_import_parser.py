"""The register-row parser on its own: every problem with row and column, in Swedish, and the rules of the
register (samtycke, dates, age 16–64, codes)."""

import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from projects.register_import import COLUMNS, Choices, build_workbook, parse

TODAY = dt.date(2026, 12, 1)
CHOICES = Choices(
    {
        "referrer": [("Af", 1), ("FK", 2), ("Kommun", 3)],
        "education": [("Gymnasium", 10)],
        "income_at_entry": [("Försörjningsstöd", 20)],
        "income_at_exit": [("Lön/Arbete", 30)],
        "exit_reason": [("Arbete", 40)],
        "activity": [("Kartläggning", 50), ("Praktik", 51)],
    }
)
HEADINGS = [c.heading for c in COLUMNS]
GOOD = {
    "Deltagarkod": "AMT-001",
    "Kön": "Kvinna",
    "Samtycke": "Ja",
    "Samtyckesdatum": dt.date(2019, 2, 1),
    "Födelseår": 1990,
    "Remittent": "Af",
    "Utbildningsnivå": "Gymnasium",
    "Försörjning vid inskrivning": "Försörjningsstöd",
    "Inskrivningsdatum": "2019-02-01",
    "Avslutsdatum": dt.datetime(2019, 11, 30),
    "Avslutsorsak": "Arbete",
    "Försörjning vid avslut": "Lön/Arbete",
    "Aktiviteter": "Kartläggning; praktik",
}


def _file(*rows, headings=HEADINGS):
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append([row.get(h) for h in headings])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _parse(*rows, **kwargs):
    return parse(_file(*rows, **kwargs), choices=CHOICES, today=TODAY)


def _where(problems):
    return [(p.row, p.column) for p in problems]


def test_a_full_row_with_samtycke_is_read():
    [row], problems = _parse(GOOD)
    assert problems == []
    assert row.code == "AMT-001" and row.gender == "woman" and row.consent
    assert row.enrolment_year == 2019 and row.enrolled_on == dt.date(2019, 2, 1)
    assert row.exited_on == dt.date(2019, 11, 30)
    assert (row.referrer, row.education, row.income_at_entry, row.exit_reason, row.income_at_exit) == (
        1,
        10,
        20,
        40,
        30,
    )
    assert row.activities == (50, 51)


def test_without_samtycke_only_kon_and_startar_are_kept():
    [row], problems = _parse({"Deltagarkod": "a2", "Kön": "man", "Startår": 2019})
    assert problems == [] and not row.consent and row.enrolment_year == 2019 and row.code == "A2"
    _, problems = _parse({"Deltagarkod": "A3", "Kön": "M", "Startår": 2019, "Födelseår": 1980, "Remittent": "Af"})
    assert _where(problems) == [(2, "Födelseår"), (2, "Remittent")]
    assert str(problems[0]) == (
        "Rad 2, kolumn ”Födelseår”: utan samtycke sparas bara kön och startår. Töm cellen eller ange samtycke."
    )


def test_samtycke_needs_its_date_and_inskrivningsdatum():
    row = GOOD | {"Samtyckesdatum": None, "Inskrivningsdatum": None, "Avslutsdatum": None}
    row |= {"Avslutsorsak": None, "Försörjning vid avslut": None}
    _, problems = _parse(row)
    assert _where(problems) == [(2, "Samtyckesdatum"), (2, "Inskrivningsdatum")]
    assert "samtyckesdatum saknas" in problems[0].message


def test_every_problem_of_every_row_is_listed_and_the_bad_row_in_the_middle_stops_the_file():
    rows = [GOOD | {"Deltagarkod": f"AMT-{n}"} for n in range(5)]
    rows[2] = rows[2] | {
        "Kön": "okänt",
        "Remittent": "Socialtjänsten",
        "Inskrivningsdatum": "2031-01-01",
    }
    found, problems = _parse(*rows)
    assert _where(problems) == [(4, "Kön"), (4, "Remittent"), (4, "Inskrivningsdatum")]
    messages = {p.column: p.message for p in problems}
    assert messages["Kön"] == "”okänt” är inget kön i listan. Välj Kvinna, Man eller Icke-binär/annat."
    assert messages["Remittent"] == "”Socialtjänsten” finns inte i listan för remittent. Välj en av: Af, FK, Kommun."
    assert "2031-01-01 ligger utanför tillåtna datum (2000-01-01–2026-12-01)" in messages["Inskrivningsdatum"]
    # The caller imports nothing unless the list is empty; the good rows are still parsed.
    assert len(found) == 4


def test_age_outside_16_to_64_is_refused():
    _, problems = _parse(GOOD | {"Födelseår": 2005}, GOOD | {"Deltagarkod": "BB", "Födelseår": 1950})
    assert _where(problems) == [(2, "Födelseår"), (3, "Födelseår")]
    assert problems[0].message == ("födelseår 2005 ger åldern 14 år vid inskrivningen 2019; insatsen gäller 16–64 år.")


def test_duplicate_codes_and_personnummer_are_refused():
    _, problems = _parse(GOOD, GOOD | {"Deltagarkod": "amt-001"}, GOOD | {"Deltagarkod": "19900101-1234"})
    assert _where(problems) == [(3, "Deltagarkod"), (4, "Deltagarkod")]
    assert problems[0].message == "deltagarkoden AMT-001 finns redan på rad 2."
    assert "personnummer" in problems[1].message


def test_dates_and_exit_fields():
    row = GOOD | {"Avslutsdatum": "2019-01-15"}
    _, problems = _parse(
        row,
        GOOD | {"Deltagarkod": "CC", "Avslutsdatum": None},
        GOOD | {"Deltagarkod": "DD", "Inskrivningsdatum": "1/2 2019"},
    )
    assert _where(problems) == [
        (2, "Avslutsdatum"),
        (3, "Avslutsorsak"),
        (3, "Försörjning vid avslut"),
        (4, "Inskrivningsdatum"),
    ]
    assert problems[-1].message == "”1/2 2019” är inget datum. Skriv det som ÅÅÅÅ-MM-DD."


def test_startar_must_agree_with_the_inskrivningsdatum():
    _, problems = _parse(GOOD | {"Startår": 2018})
    assert _where(problems) == [(2, "Startår")]


def test_headings_are_checked():
    _, problems = _parse(GOOD, headings=["Deltagarkod", "Kön", "Personnummer"])
    assert _where(problems) == [(1, "Personnummer")]
    _, problems = _parse({"Kön": "Man"}, headings=["Kön"])
    assert str(problems[0]) == "Rad 1, kolumn ”Deltagarkod”: kolumnen saknas. Använd mallens rubriker."


def test_not_an_excel_file():
    import pytest

    from core.xlsx import ImportRefused

    with pytest.raises(ImportRefused) as caught:
        parse(b"hello", choices=CHOICES, today=TODAY)
    assert "inte en Excel-fil" in caught.value.messages[0]


def test_the_template_has_the_headings_and_the_allowed_values_and_round_trips():
    data = build_workbook(choices=CHOICES, title="Mall")
    book = load_workbook(io.BytesIO(data))
    assert [c.value for c in book["Deltagare"][1]] == HEADINGS
    assert book["Val"]["C1"].value == "Remittent"
    assert [c.value for c in book["Val"]["C"][1:4]] == ["Af", "FK", "Kommun"]
    export = build_workbook(
        choices=CHOICES,
        title="Export",
        rows=[
            {
                "code": "X1",
                "gender": "man",
                "enrolment_year": 2020,
                "consent": True,
                "consent_on": dt.date(2020, 3, 1),
                "enrolled_on": dt.date(2020, 3, 1),
                "referrer": "FK",
                "activities": ["Praktik"],
            }
        ],
    )
    [row], problems = parse(export, choices=CHOICES, today=TODAY)
    assert problems == []
    assert (row.code, row.gender, row.referrer, row.activities, row.consent_on) == (
        "X1",
        "man",
        2,
        (51,),
        dt.date(2020, 3, 1),
    )
