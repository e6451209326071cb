from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import REGIONS, Organisation


def organisation_list(request: HttpRequest) -> HttpResponse:
    orgs = Organisation.objects.all().order_by("kind", "name")
    region = request.GET.get("region", "")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    if region in REGIONS:
        orgs = orgs.filter(region=region)
    if kind in Organisation.Kind.values:
        orgs = orgs.filter(kind=kind)
    if q:
        orgs = orgs.filter(name__icontains=q)
    page = Paginator(orgs.prefetch_related("neighbours"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "councils/list.html",
        {"page": page, "regions": REGIONS, "kinds": Organisation.Kind.choices, "region": region, "kind": kind, "q": q},
    )
