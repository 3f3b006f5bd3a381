"""Django admin for the technical administrator: document jobs are read only here.

Jobs are created by reporting.services and changed only by the worker; the admin shows them (status, error,
fingerprint, task id) for troubleshooting, and never edits or deletes a row or its file.
"""

from django.contrib import admin

from .models import RenderJob, RenderJobAppendix


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RenderJobAppendixInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RenderJobAppendix
    extra = 0
    fields = ["position", "name", "kind", "size", "sha256", "stored_as"]
    readonly_fields = fields

    @admin.display(description="lagrad som")
    def stored_as(self, obj):
        # The name only: MEDIA_ROOT is never served, so a link would lead nowhere.
        return obj.file.name


@admin.register(RenderJob)
class RenderJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "progress", "requested_by", "created_at", "finished_at"]
    list_filter = ["status", "kind", "organisation"]
    list_select_related = ["organisation", "requested_by"]
    search_fields = ["title", "filename", "organisation__name", "requested_by__username", "celery_task_id"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    fields = [
        "organisation",
        "kind",
        "title",
        "filename",
        "params",
        "status",
        "progress",
        "error",
        "output_name",
        "output_sha256",
        "input_fingerprint",
        "reused_from",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "celery_task_id",
        "heartbeat_at",
        "deliveries",
        "enqueued_at",
        "enqueue_attempts",
        "last_enqueue_error",
    ]
    readonly_fields = fields
    inlines = [RenderJobAppendixInline]

    @admin.display(description="fil")
    def output_name(self, obj):
        return obj.output.name or "–"
