"""Django admin for finance: the årsredovisning is read only here.

It is written through finance.annual_report_services (which keep its version, history and lock); a fastställd
årsredovisning must never change, so the admin neither adds, edits nor deletes one.
"""

from django.contrib import admin

from .models import AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "status", "finalised_at"]
    list_filter = ["status", "organisation"]
    list_select_related = ["organisation", "fiscal_year"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
