from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from . import audit, health, selectors, services, user_services
from .forms import (
    AuditFilterForm,
    OrganisationForm,
    SwitchOrganisationForm,
    UserAddExistingForm,
    UserCreateForm,
    UserEditForm,
    add_service_errors,
)
from .models import Role, User
from .permissions import has_perm, perm_required
from .sessions import seconds_left, session_passive, session_touch
from .tenancy import switch_organisation

AUDIT_PAGE_SIZE = 50
OBJECT_HISTORY_PAGE_SIZE = 25


@login_required
@require_safe
def dashboard(request: HttpRequest):
    if request.organisation is None:
        return render(request, "core/no_organisation.html", status=403)
    from .dashboards import dashboard_panels

    return render(
        request,
        "core/dashboard.html",
        {"panels": dashboard_panels(request), "roles": sorted(request.roles, key=Role.values.index)},
    )


@login_required
@require_POST
def switch_organisation_view(request: HttpRequest):
    form = SwitchOrganisationForm(request.POST)
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if form.is_valid() and switch_organisation(request, form.cleaned_data["organisation"]):
        messages.success(request, f"Du arbetar nu i {request.organisation.name}.")
        # The old page may show an object of the previous organisation; start from the dashboard.
        return redirect("core:dashboard")
    messages.error(request, "Du är inte medlem i den organisationen.")
    return redirect(target or "core:dashboard")


@perm_required("core.view")
@require_safe
def organisation_detail(request: HttpRequest):
    organisation = request.organisation
    context = {
        "organisation": organisation,
        "members": selectors.organisation_members(organisation=organisation),
        "committees": selectors.committees_with_members(organisation=organisation, on=timezone.localdate()),
        "can_edit": has_perm(request, "core.change_organisation"),
        "can_render": has_perm(request, "reporting.render"),
    }
    return render(request, "core/organisation_detail.html", context)


@perm_required("core.change_organisation")
def organisation_edit(request: HttpRequest):
    organisation = request.organisation
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=organisation, actor=request.user, data=form.cleaned_data)
        messages.success(request, "Organisationsuppgifterna är sparade.")
        return redirect("core:organisation_detail")
    if request.method == "POST":
        # The ModelForm has already written the posted values onto the instance (request.organisation, shown in
        # the page header); drop them. The bound form still shows what was typed.
        organisation.refresh_from_db()
    return render(request, "core/organisation_form.html", {"form": form})


# Users ------------------------------------------------------------------------------------------------------


def _organisation_user(request: HttpRequest, pk: int) -> User:
    """A user with a role in the current organisation; anyone else is a 404."""
    return get_object_or_404(selectors.organisation_users(organisation=request.organisation), pk=pk)


def _after_own_change(request: HttpRequest, user: User, *, fallback: str, **kwargs):
    """Where to go after a change: the dashboard when administrators changed away their own admin role."""
    if user.pk == request.user.pk and Role.ADMIN not in selectors.user_roles(
        organisation=request.organisation, user=user
    ):
        return redirect("core:dashboard")
    return redirect(fallback, **kwargs)


@perm_required("core.manage_users")
@require_safe
def user_list(request: HttpRequest):
    users = selectors.organisation_users(organisation=request.organisation)
    can_add_existing = selectors.users_addable(organisation=request.organisation, actor=request.user).exists()
    return render(request, "core/user_list.html", {"users": users, "can_add_existing": can_add_existing})


@perm_required("core.manage_users")
def user_create(request: HttpRequest):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_services.user_invite(organisation=request.organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{user} har lagts till. En inbjudan med en länk för att välja lösenord skickas till {user.email}.",
            )
            return redirect("core:user_detail", pk=user.pk)
    return render(request, "core/user_form.html", {"form": form, "mode": "create"})


@perm_required("core.manage_users")
def user_add_existing(request: HttpRequest):
    form = UserAddExistingForm(request.POST or None, organisation=request.organisation, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_services.user_add_existing(
                organisation=request.organisation,
                actor=request.user,
                user=form.cleaned_data["user"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{user} har lagts till i {request.organisation.name}.")
            return redirect("core:user_detail", pk=user.pk)
    context = {"form": form, "mode": "add_existing", "has_candidates": form.fields["user"].queryset.exists()}
    return render(request, "core/user_form.html", context)


@perm_required("core.manage_users")
@require_safe
def user_detail(request: HttpRequest, pk: int):
    user = _organisation_user(request, pk)
    context = {
        "subject": user,
        "is_self": user.pk == request.user.pk,
        "invitation_pending": not user.has_usable_password(),
        "shared_message": user_services.SHARED_ACCOUNT,
    }
    return render(request, "core/user_detail.html", context)


@perm_required("core.manage_users")
def user_edit(request: HttpRequest, pk: int):
    user = _organisation_user(request, pk)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": [assignment.role for assignment in user.current_roles],
    }
    form = UserEditForm(request.POST or None, initial=initial, shared=user.is_shared)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identity = {} if user.is_shared else {key: data[key] for key in ("first_name", "last_name", "email")}
        try:
            user_services.user_update(
                organisation=request.organisation, actor=request.user, user=user, roles=data["roles"], **identity
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            user = _organisation_user(request, pk)  # the service may have set unsaved values on the instance
        else:
            messages.success(request, f"Ändringarna för {user} är sparade.")
            return _after_own_change(request, user, fallback="core:user_detail", pk=user.pk)
    context = {"form": form, "mode": "edit", "subject": user, "shared_message": user_services.SHARED_ACCOUNT}
    return render(request, "core/user_form.html", context)


def _confirmed_action(request: HttpRequest, pk: int, *, action: str):
    """GET shows a confirmation page; POST runs the service. Refusals are shown on the confirmation page."""
    user = _organisation_user(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        service = {"remove": user_services.user_remove, "deactivate": user_services.user_deactivate}[action]
        try:
            service(organisation=request.organisation, actor=request.user, user=user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            if action == "remove":
                messages.success(request, f"{user} är borttagen från {request.organisation.name}.")
                if user.pk == request.user.pk:
                    return redirect("core:dashboard")
                return redirect("core:user_list")
            messages.success(request, f"Kontot för {user} är inaktiverat och kan inte längre logga in.")
            return redirect("core:user_detail", pk=user.pk)
    context = {
        "subject": user,
        "action": action,
        "errors": errors,
        "is_self": user.pk == request.user.pk,
        "shared_message": user_services.SHARED_ACCOUNT,
    }
    return render(request, "core/user_confirm.html", context)


@perm_required("core.manage_users")
def user_remove(request: HttpRequest, pk: int):
    return _confirmed_action(request, pk, action="remove")


@perm_required("core.manage_users")
def user_deactivate(request: HttpRequest, pk: int):
    return _confirmed_action(request, pk, action="deactivate")


@perm_required("core.manage_users")
@require_POST
def user_activate(request: HttpRequest, pk: int):
    user = _organisation_user(request, pk)
    try:
        user_services.user_activate(organisation=request.organisation, actor=request.user, user=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Kontot för {user} är aktiverat igen.")
    return redirect("core:user_detail", pk=user.pk)


@perm_required("core.manage_users")
@require_POST
def user_invitation_resend(request: HttpRequest, pk: int):
    user = _organisation_user(request, pk)
    try:
        user_services.user_invitation_send(user=user, organisation=request.organisation, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"En ny inbjudan har skickats till {user.email}.")
    return redirect("core:user_detail", pk=user.pk)


# Audit trail ------------------------------------------------------------------------------------------------


@perm_required("core.view_audit")
@require_safe
def audit_list(request: HttpRequest):
    form = AuditFilterForm(request.GET or None, organisation=request.organisation)
    model_key, user_id = None, None
    if form.is_bound and form.is_valid():
        model_key = form.cleaned_data["typ"] or None
        chosen = form.cleaned_data["anvandare"]
        user_id = chosen.pk if chosen else None
    index = audit.change_index(organisation=request.organisation, model_key=model_key, user_id=user_id)
    page = Paginator(index, AUDIT_PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {"form": form, "page": page, "entries": audit.entries_for(page.object_list)}
    return render(request, "core/audit_list.html", context)


@perm_required("core.view_audit")
@require_safe
def audit_object(request: HttpRequest, app_label: str, model_name: str, pk: int):
    audited_model = audit.audited(app_label, model_name)
    if audited_model is None:
        raise Http404("Hittades inte.")
    history = audit.object_history(organisation=request.organisation, audited_model=audited_model, pk=pk)
    paginator = Paginator(history, OBJECT_HISTORY_PAGE_SIZE)
    if paginator.count == 0:  # another organisation's object, or none at all
        raise Http404("Hittades inte.")
    page = paginator.get_page(request.GET.get("sida"))
    records = list(page.object_list)
    # The change just before this page's oldest one, to compare it with.
    older = next(iter(history[page.end_index() : page.end_index() + 1]), None) if page.has_next() else None
    latest = records[0] if page.number == 1 else history.first()
    context = {
        "audited": audited_model,
        "page": page,
        "changes": audit.describe(audited_model, records, older),
        "object_label": audit.object_label(audited_model, latest),
        "is_deleted": latest.history_type == "-",
        "object_pk": pk,
    }
    return render(request, "core/audit_object.html", context)


@never_cache
@session_passive
@require_http_methods(["GET", "POST"])
def session_keepalive(request: HttpRequest):
    """GET: seconds left, without counting as activity. POST: the user is here; the session starts over."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {"authenticated": False, "seconds_left": 0}, status=401 if request.method == "POST" else 200
        )
    if request.method == "POST":
        session_touch(request, force=True)
    return JsonResponse({"authenticated": True, "seconds_left": seconds_left(request)})


@never_cache
@require_GET
def healthz(request: HttpRequest):
    """Readiness: database, broker and workers, bounded and cached (core.health). Anyone gets the status;
    the details (database vendor, worker names, timings, errors) only a logged-in technical administrator."""
    report = health.check_all()
    # "degraded" (no worker) still serves pages, so a load balancer must keep the node.
    status = 503 if report["status"] == "fail" else 200
    user = request.user
    if not (user.is_authenticated and (user.is_staff or user.is_superuser)):
        report = {"status": report["status"]}
    return JsonResponse(report, status=status)


@never_cache
@require_GET
def healthz_live(request: HttpRequest):
    """Liveness: the process answers. Touches neither the database nor the broker."""
    return JsonResponse({"status": "ok"})


def error_400(request, exception=None):
    """A refused request: a body over the size limit or with too many fields gets its own Swedish message."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent

    too_large = isinstance(exception, RequestDataTooBig)
    too_many = isinstance(exception, TooManyFieldsSent | TooManyFilesSent)
    context = {
        "too_large": too_large,
        "too_many": too_many,
        "limit_mb": max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)),
    }
    return render(request, "errors/400.html", context, status=400)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_500(request):
    # No request context: the context processors touch the database, which may be what failed.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
