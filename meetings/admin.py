"""Django admin for the technical administrator. Committee work itself happens in the app."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaTemplateItem, Committee, Membership


class AgendaTemplateItemInline(admin.TabularInline):
    model = AgendaTemplateItem
    extra = 0
    fields = ["position", "title", "kind", "is_active"]
    ordering = ["position"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "organisation", "is_active"]
    list_filter = ["kind", "is_active", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "short_name", "organisation__name"]
    autocomplete_fields = ["organisation", "parent"]
    inlines = [AgendaTemplateItemInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "role", "committee", "party", "starts_on", "ends_on"]
    list_filter = ["role", "committee__organisation", "committee"]
    list_select_related = ["person", "committee"]
    search_fields = ["person__first_name", "person__last_name", "committee__name", "party"]
    autocomplete_fields = ["committee", "person", "represents", "personal_substitute_for"]
    date_hierarchy = "starts_on"


@admin.register(AgendaTemplateItem)
class AgendaTemplateItemAdmin(SimpleHistoryAdmin):
    list_display = ["position", "title", "kind", "committee", "is_active"]
    list_filter = ["kind", "is_active", "committee__organisation"]
    list_select_related = ["committee"]
    search_fields = ["title", "committee__name"]
    autocomplete_fields = ["committee"]
