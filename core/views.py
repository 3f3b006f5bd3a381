from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import health, selectors, services
from .forms import OrganisationForm, SwitchOrganisationForm
from .models import Role
from .permissions import has_perm, perm_required
from .tenancy import switch_organisation


@login_required
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
        # The ModelForm has already written the posted values onto the instance; drop them.
        organisation.refresh_from_db()
    return render(request, "core/organisation_form.html", {"form": form})


@never_cache
@require_GET
def healthz(request: HttpRequest):
    report = health.check_all()
    # "degraded" (no worker) still serves pages, so a load balancer must keep the node.
    return JsonResponse(report, status=503 if report["status"] == "fail" else 200)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_500(request):
    return render(request, "errors/500.html", status=500)
