import pytest
from django.core.exceptions import ValidationError

from projects import report_selectors, report_services
from projects.models import REPORT_LOCKED_MESSAGE, Category, ParticipantReport, ReportCount

from .factories import ACTIVITY, AGE, EXIT, cat_key, category, director, make_project, make_report

pytestmark = pytest.mark.django_db


def _base(women=(10, 5, 3), men=(8, 4, 2)):
    return {
        ("carried_over", "woman"): women[0],
        ("enrolled", "woman"): women[1],
        ("exited", "woman"): women[2],
        ("carried_over", "man"): men[0],
        ("enrolled", "man"): men[1],
        ("exited", "man"): men[2],
    }


def test_totals_are_computed_from_the_typed_cells(organisation):
    project = make_project(organisation)
    values = _base() | {
        (cat_key(organisation, AGE, "16 - 29 år"), "woman"): 15,
        (cat_key(organisation, AGE, "16 - 29 år"), "man"): 10,
        (cat_key(organisation, AGE, "30 - 44 år"), "man"): 2,
    }
    report = make_report(project, values=values)
    grid, errors = report_selectors.report_grid(report=report)
    assert errors == []
    assert grid.active.cells == {"woman": 15, "man": 12, "other": 0}
    assert grid.active.total == 27
    assert grid.remaining.cells == {"woman": 12, "man": 10, "other": 0}
    age = next(section for section in grid.sections if section.key == AGE)
    assert age.totals == {"woman": 15, "man": 12, "other": 0}
    assert age.total == 27
    assert not ReportCount.objects.filter(key__in=["active", "remaining"]).exists()


def test_impossible_figures_are_named_in_swedish(organisation):
    project = make_project(organisation)
    values = _base(women=(1, 1, 5)) | {
        (cat_key(organisation, AGE, "16 - 29 år"), "man"): 3,  # 3 ≠ 12 active men
        (cat_key(organisation, ACTIVITY, "Praktik"), "man"): 20,  # more than the 12 active
    }
    report = make_report(project, values=values)
    _, errors = report_selectors.report_grid(report=report)
    assert (
        "Avslutade under perioden, kvinnor: 5 är fler än inskrivna vid periodens början och nyinskrivna "
        "tillsammans (2)." in errors
    )
    assert "Åldersgrupp, män: summan 3 stämmer inte med antalet aktiva deltagare (12)." in errors
    assert "Aktiviteter, Praktik, män: 20 är fler än antalet aktiva deltagare (12)." in errors
    with pytest.raises(ValidationError) as caught:
        report_services.report_submit(report=report, actor=director(organisation))
    assert len(caught.value.messages) == len(errors)
    report.refresh_from_db()
    assert report.status == ParticipantReport.Status.DRAFT


def test_an_age_group_outside_working_age_is_flagged(organisation):
    project = make_project(organisation)
    young = Category.objects.create(
        category_list=category(organisation, AGE, "16 - 29 år").category_list, label="0 - 15 år", age_from=0, age_to=15
    )
    values = _base() | {(f"cat:{young.pk}", "woman"): 1}
    report = make_report(project, values=values)
    _, errors = report_selectors.report_grid(report=report)
    assert any("0 - 15 år: åldersgruppen ligger utanför 16–64 år" in error for error in errors)


def test_exited_splits_sum_to_exited(organisation):
    project = make_project(organisation)
    values = _base() | {(cat_key(organisation, EXIT, "Lön/Arbete"), "woman"): 2}
    report = make_report(project, values=values)
    _, errors = report_selectors.report_grid(report=report)
    assert errors == [
        "Försörjning vid avslut, kvinnor: summan 2 stämmer inte med antalet avslutade deltagare (3).",
        "Försörjning vid avslut, män: summan 0 stämmer inte med antalet avslutade deltagare (2).",
    ]


def test_a_submitted_report_is_locked_and_a_correction_is_a_new_version(organisation):
    project = make_project(organisation)
    actor = director(organisation)
    report = make_report(project, actor=actor, values=_base())
    report = report_services.report_submit(report=report, actor=actor)
    assert report.is_locked and report.submitted_by == actor
    for write in (
        lambda: report_services.report_save_counts(report=report, actor=actor, values=_base(women=(1, 1, 1))),
        lambda: report_services.report_submit(report=report, actor=actor),
    ):
        with pytest.raises(ValidationError) as caught:
            write()
        assert caught.value.messages == [REPORT_LOCKED_MESSAGE]
    with pytest.raises(ValidationError):
        report_services.report_correct(report=report, actor=actor, reason=" ")
    correction = report_services.report_correct(report=report, actor=actor, reason="Fel antal män")
    assert (correction.version, correction.status, correction.correction_reason) == (2, "draft", "Fel antal män")
    report_services.report_save_counts(report=correction, actor=actor, values=_base(men=(9, 4, 2)))
    report_services.report_submit(report=correction, actor=actor)
    old_grid, _ = report_selectors.report_grid(report=report)
    new_grid, _ = report_selectors.report_grid(report=correction)
    assert old_grid.active.cells["man"] == 12
    assert new_grid.active.cells["man"] == 13
    with pytest.raises(ValidationError):
        report_services.report_correct(report=report, actor=actor, reason="Äldre version")


def test_a_renamed_category_does_not_change_a_submitted_report(organisation):
    project = make_project(organisation)
    actor = director(organisation)
    values = _base() | {(cat_key(organisation, EXIT, "Lön/Arbete"), "woman"): 3}
    values |= {(cat_key(organisation, EXIT, "Försörjningsstöd"), "man"): 2}
    report = report_services.report_submit(report=make_report(project, values=values), actor=actor)
    from projects import category_services

    work = category(organisation, EXIT, "Lön/Arbete")
    category_services.category_update(category=work, actor=actor, label="Arbete", active=False)
    grid, _ = report_selectors.report_grid(report=report)
    section = next(section for section in grid.sections if section.key == EXIT)
    assert "Lön/Arbete" in [row.label for row in section.rows]


def test_one_report_per_period(organisation):
    project = make_project(organisation)
    make_report(project)
    with pytest.raises(ValidationError) as caught:
        make_report(project)
    assert "Det finns redan en rapport för Helår 2019" in caught.value.messages[0]


def test_unknown_cells_are_refused(organisation, other_organisation):
    project = make_project(organisation)
    make_project(other_organisation)
    foreign = cat_key(other_organisation, AGE, "16 - 29 år")
    report = make_report(project)
    with pytest.raises(ValidationError):
        report_services.report_save_counts(report=report, actor=director(organisation), values={(foreign, "woman"): 1})
