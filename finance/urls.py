from django.urls import path

from . import annual_report_views, budget_views, contribution_views, followup_views, statement_views, views

app_name = "finance"

# <pk> is always an object of the current organisation (core.tenancy); anything else is a 404.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("rakenskapsar/nytt/", views.fiscal_year_create, name="fiscal_year_create"),
    path("rakenskapsar/<id:pk>/", views.fiscal_year_detail, name="fiscal_year_detail"),
    path("kontoplan/", views.account_list, name="account_list"),
    path("kontoplan/mall/", views.kontoplan_template, name="kontoplan_template"),
    path("kontoplan/nytt/", views.account_create, name="account_create"),
    path("kontoplan/importera/", views.kontoplan_import, name="kontoplan_import"),
    path("kontoplan/grupper/ny/", views.account_group_create, name="account_group_create"),
    path("kontoplan/<id:pk>/andra/", views.account_edit, name="account_edit"),
    path("konton/<id:pk>/", views.account_ledger, name="account_ledger"),
    path("dimensioner/", views.dimension_list, name="dimension_list"),
    path("dimensioner/ny/", views.dimension_create, name="dimension_create"),
    path("dimensioner/<id:pk>/objekt/nytt/", views.dimension_object_create, name="dimension_object_create"),
    path("objekt/<id:pk>/", views.object_ledger, name="object_ledger"),
    path("verifikationer/<id:pk>/", views.voucher_detail, name="voucher_detail"),
    path("importer/", views.import_list, name="import_list"),
    path("importer/sie/", views.import_upload, name="import_upload"),
    path("importer/excel/", views.import_tabular, name="import_tabular"),
    path("importer/<id:pk>/", views.import_detail, name="import_detail"),
    path("importer/<id:pk>/forlopp/", views.import_progress, name="import_progress"),
    path("importer/<id:pk>/ta-bort/", views.import_withdraw, name="import_withdraw"),
    path("medlemsbidrag/", contribution_views.contribution_list, name="contribution_list"),
    path("medlemsbidrag/<id:pk>/", contribution_views.contribution_detail, name="contribution_detail"),
    path("medlemsbidrag/<id:pk>/excel/", contribution_views.contribution_export, name="contribution_export"),
    path("eget-kapital/", contribution_views.equity_overview, name="equity_overview"),
    path("eget-kapital/steg/", contribution_views.equity_limits, name="equity_limits"),
    path("eget-kapital/<id:pk>/", contribution_views.equity_edit, name="equity_edit"),
]

# Budget (finance.budget_views)
urlpatterns += [
    path("budget/", budget_views.budget_list, name="budget_list"),
    path("budget/<id:pk>/", budget_views.budget_detail, name="budget_detail"),
    path("budget/<id:pk>/rader/ny/", budget_views.budget_line_add, name="budget_line_add"),
    path("budget/<id:pk>/fordela/", budget_views.budget_distribute, name="budget_distribute"),
    path("budget/<id:pk>/revidera/", budget_views.budget_revise, name="budget_revise"),
    path("budget/<id:pk>/faststall/", budget_views.budget_adopt, name="budget_adopt"),
    path("budget/<id:pk>/excel/", budget_views.budget_export, name="budget_export"),
    path("budget/<id:pk>/importera/", budget_views.budget_import, name="budget_import"),
    path("budget/rader/<id:pk>/", budget_views.budget_line, name="budget_line"),
    path("budget/rader/<id:pk>/ta-bort/", budget_views.budget_line_delete, name="budget_line_delete"),
]

# Årsredovisning and the revisor's underlag (finance.annual_report_views)
urlpatterns += [
    path("arsredovisning/", annual_report_views.annual_report_list, name="annual_report_list"),
    path("arsredovisning/ny/", annual_report_views.annual_report_create, name="annual_report_create"),
    path("arsredovisning/<id:pk>/", annual_report_views.annual_report_detail, name="annual_report_detail"),
    path("arsredovisning/<id:pk>/andra/", annual_report_views.annual_report_edit, name="annual_report_edit"),
    path(
        "arsredovisning/<id:pk>/faststall/", annual_report_views.annual_report_finalise, name="annual_report_finalise"
    ),
    path(
        "arsredovisning/<id:pk>/arkivera-igen/",
        annual_report_views.annual_report_archive_again,
        name="annual_report_archive_again",
    ),
    path("arsredovisning/<id:pk>/pdf/", annual_report_views.annual_report_pdf, name="annual_report_pdf"),
    path("arsredovisning/<id:pk>/huvudbok/", annual_report_views.annual_report_extract, name="annual_report_extract"),
    path("importer/<id:pk>/fil/", annual_report_views.ledger_import_file, name="ledger_import_file"),
]

# Year-end statements (finance.statement_views)
urlpatterns += [
    path("bokslut/", statement_views.statement_index, name="statement_index"),
    path("bokslut/uppstallning/", statement_views.statement_mapping, name="statement_mapping"),
    path("bokslut/uppstallning/ny/", statement_views.statement_line_create, name="statement_line_create"),
    path("bokslut/uppstallning/<id:pk>/", statement_views.statement_line_edit, name="statement_line_edit"),
    path("bokslut/uppstallning/<id:pk>/ta-bort/", statement_views.statement_line_delete, name="statement_line_delete"),
    path("bokslut/<id:pk>/", statement_views.statement_detail, name="statement_detail"),
    path("bokslut/<id:pk>/siffror/", statement_views.statement_figures, name="statement_figures"),
    path("bokslut/<id:pk>/excel/", statement_views.statement_export, name="statement_export"),
]

# Uppföljning and prognos (finance.followup_views): the period and objects come as query parameters.
urlpatterns += [
    path("uppfoljning/", followup_views.followup, name="followup"),
    path("uppfoljning/excel/", followup_views.followup_export, name="followup_export"),
    path("uppfoljning/rader/", followup_views.followup_entries, name="followup_entries"),
    path("uppfoljning/prognos/", followup_views.forecast_edit, name="forecast_edit"),
    path("uppfoljning/installningar/", followup_views.followup_settings, name="followup_settings"),
]
