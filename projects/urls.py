from django.urls import path

from . import (
    application_views,
    goal_views,
    project_views,
    register_import_views,
    report_views,
    statistics_views,
    status_report_views,
)

app_name = "projects"

# <pk> is always an object of the current organisation (core.tenancy); anything else is a 404.
urlpatterns = [
    path("", project_views.project_list, name="project_list"),
    path("ny/", project_views.project_create, name="project_create"),
    path("<id:pk>/", project_views.project_detail, name="project_detail"),
    path("<id:pk>/andra/", project_views.project_edit, name="project_edit"),
    path("<id:pk>/status/", project_views.project_status, name="project_status"),
    path("<id:pk>/parter/ny/", project_views.party_create, name="party_create"),
    path("parter/<id:pk>/andra/", project_views.party_edit, name="party_edit"),
    path("parter/<id:pk>/ta-bort/", project_views.party_remove, name="party_remove"),
    path("<id:pk>/budget/", project_views.budget_year_save, name="budget_year_save"),
    path("budget/<id:pk>/ta-bort/", project_views.budget_year_remove, name="budget_year_remove"),
    path("<id:pk>/delprojekt/nytt/", project_views.sub_project_create, name="sub_project_create"),
    path("delprojekt/<id:pk>/andra/", project_views.sub_project_edit, name="sub_project_edit"),
    path("delprojekt/<id:pk>/ta-bort/", project_views.sub_project_remove, name="sub_project_remove"),
    path("<id:pk>/rapporter/ny/", report_views.report_create, name="report_create"),
    path("rapporter/", report_views.report_list, name="report_list"),
    path("rapporter/<id:pk>/", report_views.report_detail, name="report_detail"),
    path("rapporter/<id:pk>/ratta/", report_views.report_correct, name="report_correct"),
    path("rapporter/<id:pk>/excel/", report_views.report_export, name="report_export"),
    path("rapporter/<id:pk>/mall/", report_views.report_template, name="report_template"),
    path("rapporter/<id:pk>/import/", report_views.report_import, name="report_import"),
    path("<id:pk>/mal/nytt/", goal_views.goal_create, name="goal_create"),
    path("mal/<id:pk>/andra/", goal_views.goal_edit, name="goal_edit"),
    path("mal/<id:pk>/ta-bort/", goal_views.goal_remove, name="goal_remove"),
    path("mal/<id:pk>/bedom/", goal_views.goal_assess, name="goal_assess"),
    path("<id:pk>/indikatorer/ny/", goal_views.indicator_create, name="indicator_create"),
    path("<id:pk>/indikatorer/import/", goal_views.indicator_import, name="indicator_import"),
    path("indikatorer/<id:pk>/ta-bort/", goal_views.indicator_remove, name="indicator_remove"),
    path("<id:pk>/deltagaransvariga/ny/", goal_views.staff_add, name="staff_add"),
    path("deltagaransvariga/<id:pk>/ta-bort/", goal_views.staff_remove, name="staff_remove"),
    # Excel for the participant register: inside the utförare only (register_access), 404 for everyone else.
    path("deltagarregister/<id:pk>/mall/", register_import_views.register_template, name="register_template"),
    path("deltagarregister/<id:pk>/export/", register_import_views.register_export, name="register_export"),
    path("deltagarregister/<id:pk>/import/", register_import_views.register_import, name="register_import"),
    path("registerimport/<id:pk>/", register_import_views.register_import_detail, name="register_import_detail"),
    path(
        "registerimport/<id:pk>/forlopp/",
        register_import_views.register_import_progress,
        name="register_import_progress",
    ),
    path("statistik/", statistics_views.statistics_page, name="statistics"),
    path("statistik/excel/", statistics_views.statistics_export_view, name="statistics_export"),
    path("registreringsunderlag/", statistics_views.finsam_page, name="finsam"),
    path("registreringsunderlag/excel/", statistics_views.finsam_export, name="finsam_export"),
    path("kategorier/", project_views.category_list, name="category_list"),
    path("kategorier/standard/", project_views.category_lists_seed, name="category_lists_seed"),
    path("kategorier/<id:pk>/ny/", project_views.category_create, name="category_create"),
    path("kategori/<id:pk>/andra/", project_views.category_edit, name="category_edit"),
]

# Lägesrapporter and projektansökningar (issue 8 points 8 and 9).
urlpatterns += [
    path("<id:pk>/lagesrapporter/ny/", status_report_views.status_report_create, name="status_report_create"),
    path("lagesrapporter/<id:pk>/", status_report_views.status_report_detail, name="status_report_detail"),
    path("lagesrapporter/<id:pk>/andra/", status_report_views.status_report_edit, name="status_report_edit"),
    path("lagesrapporter/<id:pk>/lamna-in/", status_report_views.status_report_submit, name="status_report_submit"),
    path("lagesrapporter/<id:pk>/ratta/", status_report_views.status_report_correct, name="status_report_correct"),
    path("lagesrapporter/<id:pk>/pdf/", status_report_views.status_report_pdf, name="status_report_pdf"),
    path("lagesrapporter/<id:pk>/arkivera/", status_report_views.status_report_archive, name="status_report_archive"),
    path("ansokningar/", application_views.application_list, name="application_list"),
    path("ansokningar/ny/", application_views.application_create, name="application_create"),
    path("ansokningar/<id:pk>/", application_views.application_detail, name="application_detail"),
    path("ansokningar/<id:pk>/andra/", application_views.application_edit, name="application_edit"),
    path("ansokningar/<id:pk>/lamna-in/", application_views.application_submit, name="application_submit"),
    path("ansokningar/<id:pk>/beslut/", application_views.application_decide, name="application_decide"),
    path("ansokningar/<id:pk>/pdf/", application_views.application_pdf, name="application_pdf"),
]
