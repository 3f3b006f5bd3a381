"""Django admin for the technical administrator (superusers). Day-to-day user administration is in the app
(/anvandare/), through core.user_services, so that the last-administrator and shared-account rules hold."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import FederationMember, Organisation, Person, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]


class FederationMemberInline(admin.TabularInline):
    model = FederationMember
    fk_name = "federation"
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "role_assignments__organisation"]
    inlines = [RoleAssignmentInline]
    history_list_display = ["is_active"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "org_number", "slug", "city"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number", "slug"]
    inlines = [FederationMemberInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(FederationMember)
class FederationMemberAdmin(SimpleHistoryAdmin):
    list_display = ["federation", "member", "joined_on"]
    list_select_related = ["federation", "member"]
    autocomplete_fields = ["federation", "member"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "title", "organisation", "user"]
    list_filter = ["organisation"]
    list_select_related = ["organisation", "user"]
    search_fields = ["first_name", "last_name", "email"]
    autocomplete_fields = ["organisation", "user"]
