"""Report grids to and from Excel: the export with computed totals, the blank template, and the all-or-nothing
import of a filled-in template (every problem with row and column; a submitted report refuses it)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Role
from core.xlsx import ImportRefused
from projects import report_selectors, report_services
from projects.models import REPORT_LOCKED_MESSAGE, ReportCount
from projects.report_excel import COMPUTED, TYPED

from .factories import AGE, cat_key, director, make_project, make_report

pytestmark = pytest.mark.django_db


def _values(organisation):
    return {
        ("carried_over", "woman"): 10,
        ("enrolled", "woman"): 5,
        ("exited", "woman"): 3,
        ("carried_over", "man"): 8,
        ("enrolled", "man"): 4,
        (cat_key(organisation, AGE, "16 - 29 år"), "woman"): 15,
        (cat_key(organisation, AGE, "16 - 29 år"), "man"): 12,
    }


def _sheet(data):
    return load_workbook(io.BytesIO(data)).active


def _row_of(sheet, key):
    for row in sheet.iter_rows(min_row=4):
        if row[0].value == key:
            return row[0].row
    raise AssertionError(key)


def _template(report):
    data, _ = report_selectors.report_xlsx(report=report, blank=True)
    return load_workbook(io.BytesIO(data))


def _bytes(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(book, organisation, cells):
    sheet = book.active
    columns = {"woman": "D", "man": "E", "other": "F"}
    for (key, gender), value in cells.items():
        sheet[f"{columns[gender]}{_row_of(sheet, key)}"] = value
    return book


def test_the_export_holds_the_figures_and_the_computed_totals_marked_as_computed(organisation):
    report = make_report(make_project(organisation), values=_values(organisation))
    report = report_services.report_submit(report=report, actor=director(organisation))
    data, filename = report_selectors.report_xlsx(report=report, blank=False)
    assert filename == "deltagarrapport-amt-helar-2019-version-1.xlsx"
    sheet = _sheet(data)
    assert "inlämnad" in sheet["B1"].value
    active = _row_of(sheet, "sum:active")
    assert [sheet[f"{c}{active}"].value for c in "DEFG"] == [15, 12, 0, 27]
    assert sheet[f"H{active}"].value == COMPUTED
    remaining = _row_of(sheet, "sum:remaining")
    assert [sheet[f"{c}{remaining}"].value for c in "DEFG"] == [12, 12, 0, 24]
    age_sum = _row_of(sheet, f"sum:{AGE}")
    assert [sheet[f"{c}{age_sum}"].value for c in "DEFG"] == [15, 12, 0, 27]
    enrolled = _row_of(sheet, "enrolled")
    assert [sheet[f"{c}{enrolled}"].value for c in "DEFGH"] == [5, 4, 0, 9, TYPED]
    # Computed cells are grey, typed ones are not.
    assert sheet[f"D{active}"].fill.fgColor.rgb.endswith("E7E6E6")
    assert sheet[f"D{enrolled}"].fill.fill_type is None


def test_the_template_is_blank_with_totals_as_formulas(organisation):
    report = make_report(make_project(organisation), values=_values(organisation))
    sheet = _template(report).active
    enrolled = _row_of(sheet, "enrolled")
    assert sheet[f"D{enrolled}"].value is None
    assert sheet[f"G{enrolled}"].value == f"=SUM(D{enrolled}:F{enrolled})"
    active = _row_of(sheet, "sum:active")
    assert sheet[f"D{active}"].value == f"=D{_row_of(sheet, 'carried_over')}+D{enrolled}"


def test_a_filled_template_replaces_the_typed_cells_and_totals_are_computed(organisation):
    project = make_project(organisation)
    report = make_report(project, values={("carried_over", "woman"): 99})
    book = _fill(_template(report), organisation, _values(organisation))
    report_services.report_import_xlsx(report=report, actor=director(organisation), data=_bytes(book))
    grid, errors = report_selectors.report_grid(report=report)
    assert errors == []
    assert grid.active.cells == {"woman": 15, "man": 12, "other": 0}
    assert not ReportCount.objects.filter(report=report, key__startswith="sum:").exists()


def test_every_problem_is_listed_with_row_and_column_and_nothing_is_imported(organisation):
    report = make_report(make_project(organisation), values={("carried_over", "woman"): 7})
    book = _template(report)
    sheet = book.active
    enrolled, exited = _row_of(sheet, "enrolled"), _row_of(sheet, "exited")
    sheet[f"D{_row_of(sheet, 'carried_over')}"] = 4  # a good row before the bad ones
    sheet[f"E{enrolled}"] = "fem"
    sheet[f"D{exited}"] = -1
    sheet[f"F{exited}"] = 2.5
    sheet[f"G{enrolled}"] = 12  # a total that disagrees is not read, and is not checked while cells are wrong
    with pytest.raises(ImportRefused) as caught:
        report_services.report_import_xlsx(report=report, actor=director(organisation), data=_bytes(book))
    problems = [(p.row, p.column) for p in caught.value.problems]
    assert problems == [(enrolled, "Män"), (exited, "Icke-binär/annat"), (exited, "Kvinnor")]
    assert str(caught.value.problems[0]) == (
        f"Rad {enrolled}, kolumn ”Män”: ”fem” är inte ett heltal mellan 0 och 100000 (Nyinskrivna under perioden)."
    )
    assert ReportCount.objects.get(report=report, key="carried_over", gender="woman").value == 7


def test_a_total_in_the_file_that_disagrees_is_flagged(organisation):
    report = make_report(make_project(organisation))
    book = _fill(_template(report), organisation, _values(organisation))
    sheet = book.active
    active = _row_of(sheet, "sum:active")
    sheet[f"D{active}"] = 14  # what Excel would have saved had the user overwritten the formula
    sheet[f"G{_row_of(sheet, 'enrolled')}"] = 9  # agrees: fine
    with pytest.raises(ImportRefused) as caught:
        report_services.report_import_xlsx(report=report, actor=director(organisation), data=_bytes(book))
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (active, "Kvinnor")
    assert "stämmer inte med de ifyllda cellerna (15)" in problem.message
    assert not ReportCount.objects.filter(report=report).exists()


def test_rows_added_removed_or_from_another_report_are_refused(organisation):
    project = make_project(organisation)
    report = make_report(project)
    other = make_report(project, year=2020)
    with pytest.raises(ImportRefused) as caught:
        report_services.report_import_xlsx(report=report, actor=director(organisation), data=_bytes(_template(other)))
    assert "en annan insats eller period" in caught.value.messages[0]
    book = _template(report)
    sheet = book.active
    sheet.delete_rows(_row_of(sheet, "exited"))
    sheet.append([None, "Egen rad", "Något", 3])
    with pytest.raises(ImportRefused) as caught:
        report_services.report_import_xlsx(report=report, actor=director(organisation), data=_bytes(book))
    messages = caught.value.messages
    assert any("Raden ”Avslutade under perioden” saknas i filen" in m for m in messages)
    assert any("raden finns inte i mallen" in m for m in messages)
    with pytest.raises(ImportRefused) as caught:
        report_services.report_import_xlsx(report=report, actor=director(organisation), data=b"not a workbook")
    assert "inte en Excel-fil" in caught.value.messages[0]


def test_a_submitted_report_refuses_the_import(organisation):
    report = make_report(make_project(organisation), values=_values(organisation))
    book = _template(report)
    report_services.report_submit(report=report, actor=director(organisation))
    with pytest.raises(ValidationError) as caught:
        report_services.report_import_xlsx(report=report, actor=director(organisation), data=_bytes(book))
    assert caught.value.messages == [REPORT_LOCKED_MESSAGE]


def test_a_structural_report_round_trips(organisation):
    project = make_project(organisation, orientation="structural", name="Kompetensutveckling")
    report = make_report(project)
    grid, _ = report_selectors.report_grid(report=report)
    key = grid.sections[0].rows[0].key
    book = _fill(_template(report), organisation, {(key, "woman"): 4, (key, "man"): 2})
    report_services.report_import_xlsx(report=report, actor=director(organisation), data=_bytes(book))
    grid, _ = report_selectors.report_grid(report=report)
    assert grid.sections[0].total == 6


def _upload(book, name="rapport.xlsx"):
    return SimpleUploadedFile(name, _bytes(book), content_type="application/octet-stream")


def test_the_report_page_offers_excel_and_the_import_page_lists_errors(client_for, organisation):
    report = make_report(make_project(organisation))
    client = client_for(organisation, Role.DIRECTOR)
    page = client.get(reverse("projects:report_detail", args=[report.pk])).content.decode()
    for text in ("Ladda ned som Excel", "Ladda ned mall", "Importera från Excel"):
        assert text in page
    response = client.get(reverse("projects:report_export", args=[report.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    template = client.get(reverse("projects:report_template", args=[report.pk]))
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    book.active[f"E{_row_of(book.active, 'enrolled')}"] = "x"
    url = reverse("projects:report_import", args=[report.pk])
    response = client.post(url, {"file": _upload(book)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Filen importerades inte" in body and "”x” är inte ett heltal" in body
    book.active[f"E{_row_of(book.active, 'enrolled')}"] = 3
    response = client.post(url, {"file": _upload(book)})
    assert response.status_code == 302
    assert ReportCount.objects.get(report=report, key="enrolled", gender="man").value == 3
    response = client.post(url, {"file": _upload(book, "rapport.csv")})
    assert response.status_code == 400 and "inte en Excel-fil" in response.content.decode()


def test_excel_on_a_submitted_report_only_exports(client_for, organisation):
    report = make_report(make_project(organisation))
    report_services.report_submit(report=report, actor=director(organisation))
    client = client_for(organisation, Role.DIRECTOR)
    page = client.get(reverse("projects:report_detail", args=[report.pk])).content.decode()
    assert "Ladda ned som Excel" in page and "Importera från Excel" not in page
    assert client.get(reverse("projects:report_export", args=[report.pk])).status_code == 200
    response = client.post(reverse("projects:report_import", args=[report.pk]), {"file": _upload(_template(report))})
    assert response.status_code == 302
    assert not ReportCount.objects.filter(report=report, value__gt=0).exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
def test_readers_export_but_never_import(client_for, organisation, role):
    report = make_report(make_project(organisation))
    client = client_for(organisation, role)
    assert client.get(reverse("projects:report_export", args=[report.pk])).status_code == 200
    assert client.get(reverse("projects:report_template", args=[report.pk])).status_code == 403
    assert client.post(reverse("projects:report_import", args=[report.pk])).status_code == 403


def test_another_organisations_report_is_404(client_for, organisation, other_organisation):
    report = make_report(make_project(other_organisation))
    client = client_for(organisation, Role.DIRECTOR)
    for name in ("report_export", "report_template", "report_import"):
        assert client.get(reverse(f"projects:{name}", args=[report.pk])).status_code == 404


def test_export_queries_do_not_grow_with_the_grid(client_for, organisation, django_assert_max_num_queries):
    report = make_report(make_project(organisation), values=_values(organisation))
    client = client_for(organisation, Role.DIRECTOR)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("projects:report_export", args=[report.pk])).status_code == 200
