from django.shortcuts import render

from core.permissions import perm_required


@perm_required("reporting.view")
def job_list(request):
    return render(request, "reporting/job_list.html", {"jobs": []})
