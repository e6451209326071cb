from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import ReviewType


def review_types(request: HttpRequest) -> HttpResponse:
    types = ReviewType.objects.filter(is_current=True).order_by("name")
    return render(request, "policy/review_types.html", {"types": types})


def review_type(request: HttpRequest, code: str) -> HttpResponse:
    rt = get_object_or_404(ReviewType, code=code, is_current=True)
    return render(request, "policy/review_type.html", {"rt": rt, "themes": rt.themes()})
