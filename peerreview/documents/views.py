from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from peerreview.core.audit import log_access
from peerreview.core.roles import Role

from . import actions
from .forms import UploadForm
from .models import Document


def document_list(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    docs = list(review.documents.select_related("uploaded_by"))
    by_code = {}
    for d in docs:
        by_code.setdefault(d.checklist_code, []).append(d)
    checklist = [
        {"item": item, "docs": by_code.get(item["code"], [])} for item in review.review_type.config.get("documents", [])
    ]
    others = by_code.get("", [])
    can_upload = request.membership.role in (Role.PCM, Role.ORGANISER)
    return render(request, "documents/list.html", {"checklist": checklist, "others": others, "can_upload": can_upload})


def upload(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    form = UploadForm(
        review, request.POST or None, request.FILES or None, initial={"checklist_code": request.GET.get("item", "")}
    )
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["checklist_code"]
        title = form.cleaned_data["title"] or form.items.get(code, "Document")
        actions.store_document(
            review, by=request.user, upload=form.cleaned_data["file"], kind=form.kind, checklist_code=code, title=title
        )
        messages.success(request, f"“{title}” uploaded")
        return redirect("documents:list", review_id=review.pk)
    return render(request, "documents/upload.html", {"form": form})


def download(request: HttpRequest, review_id: int, document_id: int) -> HttpResponse:
    doc = get_object_or_404(Document, pk=document_id, review=request.review)
    if not doc.path.exists():
        raise Http404
    log_access(request, "download", doc)
    response = FileResponse(open(doc.path, "rb"), as_attachment=True, filename=doc.original_name)
    response["Cache-Control"] = "no-store"
    return response
