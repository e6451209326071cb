import datetime

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from peerreview.core.audit import log_access
from peerreview.core.roles import HOST, Role

from . import actions, build, search
from .forms import (
    AgreeForm,
    ChallengeForm,
    CommentForm,
    FindingForm,
    KitForm,
    LinkForm,
    NoteForm,
    ReportForm,
    ResolveForm,
    SearchForm,
    SessionForm,
)
from .models import (
    CONTENT_TYPES,
    Challenge,
    EvidenceSession,
    Finding,
    FindingKind,
    FindingLink,
    FindingStatus,
    Note,
    NoteLine,
    NoteTally,
    Output,
    OutputKind,
    SourceType,
    draft_form_key,
)
from .triangulation import Strength, rule_for, strength_of, strengths

LEADS = (Role.LEAD, Role.PCM)
# What to do about a missing source type, for the matrix's gap list.
HEAR_FROM = {
    "interview": "interview managers or partners",
    "focus_group": "hold a focus group with front-line practitioners",
    "case_review": "look at cases or talk them through with workers",
    "document": "read the council's documents",
    "data": "check the performance data",
    "observation": "observe practice or a meeting",
    "survey": "look at survey results from staff, children or families",
}


def _role(request) -> str:
    return request.membership.role


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# Sessions and notes


def sessions(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    form = SessionForm(review, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.create_session(review, by=request.user, **form.cleaned_data)
        except actions.EvidenceError as exc:
            form.add_error("kind", str(exc))
        else:
            messages.success(request, f"Session “{session.title}” added. Capture your notes below.")
            return redirect("evidence:session", review_id=review.pk, session_id=session.pk)
    rows = review.evidence_sessions.annotate(n=Count("notes")).order_by("-day", "title")
    return render(request, "evidence/sessions.html", {"form": form, "sessions": rows})


def _save_note(request, review, form, session=None):
    data = form.cleaned_data
    return actions.add_note(
        review,
        by=request.user,
        text=data["text"],
        source_type=data["source_type"],
        leaning=data["leaning"],
        lines=data["lines"],
        staff_groups=data["staff_groups"],
        session=session,
        source_ref=data.get("source_ref", ""),
        day=data.get("day"),
    )


def _draft_context(request, review, sess, form) -> dict:
    """What the capture form needs for its server draft: where to save it and the draft to restore."""
    draft = actions.draft_for(review, request.user, sess)
    draft_at = ""
    if draft is not None:
        local = timezone.localtime(draft.updated)
        draft_at = f"{local:%H:%M}" if local.date() == timezone.localdate() else f"{local:%H:%M} on {local:%-d %B}"
    return {
        "form": form,
        "draft": draft,
        "draft_at": draft_at,
        "draft_session": sess.pk if sess else "",
        "draft_key": f"{request.user.pk}:{review.pk}-{draft_form_key(sess)}",
    }


def _draft_initial(review, user, sess) -> dict:
    draft = actions.draft_for(review, user, sess)
    if draft is None:
        return {}
    initial = {"text": draft.text, "lines": draft.line_ids, "staff_groups": draft.staff_groups}
    for name in ("source_type", "leaning", "source_ref", "day"):
        if getattr(draft, name):
            initial[name] = getattr(draft, name)
    return initial


def session(request: HttpRequest, review_id: int, session_id: int) -> HttpResponse:
    review = request.review
    sess = get_object_or_404(EvidenceSession, pk=session_id, review=review)
    if request.method == "POST":
        form = NoteForm(review, request.POST, session=sess)
    else:
        form = NoteForm(review, session=sess, initial=_draft_initial(review, request.user, sess))
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if request.method == "POST":
        if form.is_valid():
            try:
                note = _save_note(request, review, form, sess)
            except actions.EvidenceError as exc:
                form.add_error("text", str(exc))
            else:
                if wants_json:
                    return JsonResponse({"saved": True, "id": note.pk})
                messages.success(request, "Note saved")
                return redirect("evidence:session", review_id=review.pk, session_id=sess.pk)
        if wants_json:
            errors = [e for errs in form.errors.values() for e in errs]
            return JsonResponse({"saved": False, "errors": errors}, status=400)
    notes = sess.notes.select_related("author").prefetch_related("lines").order_by("-created")
    return render(
        request,
        "evidence/session.html",
        {"session": sess, "notes": notes, **_draft_context(request, review, sess, form)},
    )


def note_new(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    if request.method == "POST":
        form = NoteForm(review, request.POST)
    else:
        form = NoteForm(review, initial=_draft_initial(review, request.user, None))
    if request.method == "POST" and form.is_valid():
        try:
            _save_note(request, review, form)
        except actions.EvidenceError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, "Note saved")
            return redirect("evidence:note_new", review_id=review.pk)
    return render(request, "evidence/note_new.html", _draft_context(request, review, None, form))


def _draft_session(request) -> EvidenceSession | None:
    """The session a draft belongs to; blank for the document form. Another review's session is a 404."""
    session_id = request.POST.get("draft_session", "")
    if not session_id:
        return None
    if not session_id.isdigit():
        raise Http404
    return get_object_or_404(EvidenceSession, pk=int(session_id), review=request.review)


def _capture_url(review, sess) -> str:
    if sess is None:
        return reverse("evidence:note_new", kwargs={"review_id": review.pk})
    return reverse("evidence:session", kwargs={"review_id": review.pk, "session_id": sess.pk})


@require_POST
def draft_save(request: HttpRequest, review_id: int) -> HttpResponse:
    """Autosave from the capture page's script (JSON). A plain post saves the draft and goes back to the form."""
    review = request.review
    sess = _draft_session(request)
    post = request.POST
    try:
        day = datetime.date.fromisoformat(post.get("day", "")) if post.get("day") else None
    except ValueError:
        day = None  # a half-typed date is not worth refusing the draft for
    try:
        draft = actions.save_draft(
            review,
            by=request.user,
            session=sess,
            text=post.get("text", ""),
            line_ids=post.getlist("lines"),
            source_type=post.get("source_type", ""),
            leaning=post.get("leaning", ""),
            staff_groups=post.get("staff_groups", ""),
            source_ref=post.get("source_ref", ""),
            day=day,
        )
    except actions.EvidenceError as exc:
        if _wants_json(request):
            return JsonResponse({"saved": False, "errors": [str(exc)]}, status=400)
        messages.error(request, f"Not saved as a draft: {exc}")
        return redirect(_capture_url(review, sess))
    if _wants_json(request):
        if draft is None:
            return JsonResponse({"saved": True, "empty": True})
        local = timezone.localtime(draft.updated)
        return JsonResponse({"saved": True, "at": f"{local:%H:%M}", "updated": draft.updated.isoformat()})
    messages.success(request, "Draft saved")
    return redirect(_capture_url(review, sess))


@require_POST
def draft_discard(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    sess = _draft_session(request)
    actions.discard_draft(review, by=request.user, session=sess)
    messages.success(request, "Draft discarded")  # shown after the script reloads the page, too
    if _wants_json(request):
        return JsonResponse({"discarded": True})
    return redirect(_capture_url(review, sess))


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _own_note(request, note_id) -> Note:
    note = get_object_or_404(Note, pk=note_id, review=request.review)
    if note.author_id != request.user.pk and _role(request) not in LEADS:
        messages.error(request, "You can only change your own notes")
        return None
    return note


def note_edit(request: HttpRequest, review_id: int, note_id: int) -> HttpResponse:
    note = _own_note(request, note_id)
    if note is None:
        return redirect("evidence:notes", review_id=review_id)
    initial = {
        "text": note.text,
        "lines": list(note.lines.all()),
        "leaning": note.leaning,
        "source_type": note.source_type,
        "staff_groups": note.staff_groups,
    }
    form = NoteForm(request.review, request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actions.update_note(
            note,
            by=request.user,
            text=d["text"],
            source_type=d["source_type"],
            leaning=d["leaning"],
            lines=d["lines"],
            staff_groups=d["staff_groups"],
        )
        messages.success(request, "Note changed")
        return redirect("evidence:notes", review_id=review_id)
    return render(request, "evidence/note_edit.html", {"form": form, "note": note})


@require_POST
def note_delete(request: HttpRequest, review_id: int, note_id: int) -> HttpResponse:
    note = _own_note(request, note_id)
    if note is not None:
        try:
            actions.delete_note(note, by=request.user)
            messages.success(request, "Note deleted")
        except actions.EvidenceError as exc:
            messages.error(request, str(exc))
    return redirect("evidence:notes", review_id=review_id)


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _pagination(request, results) -> dict | None:
    """GOV.UK pagination: previous and next, the first and last pages, and the pages either side of this one."""
    if results is None or (results.page == 1 and not results.has_next):
        return None
    params = request.GET.copy()
    params.pop("page", None)
    base = f"?{params.urlencode()}&page=" if params else "?page="
    current, last = results.page, results.num_pages
    numbers = sorted({1, current - 1, current, current + 1} | ({last} if last else set()))
    items, previous = [], 0
    for n in numbers:
        if n < 1 or (last and n > last) or (n > current and not results.has_next):
            continue
        if n - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": n, "href": f"{base}{n}", "current": n == current})
        previous = n
    return {
        "items": items,
        "previous": f"{base}{current - 1}" if current > 1 else None,
        "next": f"{base}{current + 1}" if results.has_next else None,
    }


def notes(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    data = request.GET.copy()
    data.pop("page", None)
    form = SearchForm(review, data or None)
    results = None
    page = _page_number(request)
    if form.is_valid():
        d = form.cleaned_data
        filters = search.Filters(
            line=d["line"], source_type=d["source_type"], peer=d["peer"], day=d["day"], leaning=d["leaning"]
        )
        results = search.search(review, d["q"], filters, page=page)
    elif not form.is_bound:
        results = search.search(review, "", page=page)
    prefix = reverse("evidence:finding", kwargs={"review_id": review.pk, "finding_id": 0}).removesuffix("0/")
    for f in results.findings if results else []:
        f.url = f"{prefix}{f.pk}/"
    return render(
        request,
        "evidence/notes.html",
        {"form": form, "results": results, "pagination": _pagination(request, results)},
    )


# Findings


def _strength_rows(review, findings):
    power = strengths(review, [f.pk for f in findings])
    rule = rule_for(review)
    challenged = set(
        Challenge.objects.filter(finding__review=review, resolved_at__isnull=True).values_list("finding_id", flat=True)
    )
    rows = []
    for f in findings:
        s = power.get(f.pk) or Strength(rule=rule)
        c = f.pk in challenged
        tag = (
            ("Agreed", "green")
            if f.is_agreed
            else ("Challenged", "red")
            if c
            else ("Supported", "blue")
            if s.supported
            else ("Unsupported", "yellow")
        )
        rows.append({"finding": f, "strength": s, "challenged": c, "tag": tag[0], "colour": tag[1]})
    return rows


BOARD_ROW = (
    '<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>'
    '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--{}">{}'
    '</strong> <span class="govuk-body-s">{}</span></td></tr>'
)


def board(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    # Only what the board shows: no finding details and no line objects (the groups come from review.lines).
    findings = list(
        review.findings.only("id", "review_id", "line_id", "kind", "title", "status").order_by(
            "line__order", "line_id", "kind", "id"
        )
    )
    rows = _strength_rows(review, findings)
    # One reverse() for the page instead of a {% url %} per finding: 300 of them were a fifth of the page's time.
    prefix = reverse("evidence:finding", kwargs={"review_id": review.pk, "finding_id": 0}).removesuffix("0/")
    for r in rows:
        f, s = r["finding"], r["strength"]
        evidence = f"{s.summary}; {s.contradicting} against" if s.contradicting else s.summary
        # Each row is built here, escaped by format_html: 300 rows through the template engine were a third of
        # the page's time.
        r["html"] = format_html(
            BOARD_ROW, f"{prefix}{f.pk}/", f.title, f.get_kind_display(), r["colour"], r["tag"], evidence
        )
    lines = list(review.lines.all())
    titles = build.line_titles(lines)
    groups = [
        {"line": line, "title": titles[line.pk], "rows": [r for r in rows if r["finding"].line_id == line.pk]}
        for line in lines
    ]
    groups.append({"line": None, "title": "Across the service", "rows": [r for r in rows if not r["finding"].line_id]})
    summary = {
        "agreed": sum(r["finding"].is_agreed for r in rows),
        "supported": sum(r["strength"].supported for r in rows),
        "unsupported": sum(not r["strength"].supported for r in rows),
        "challenged": sum(r["challenged"] for r in rows),
    }
    # The running totals kept by the database (migration 0003), not a count of every note.
    note_count = NoteTally.objects.filter(review=review).aggregate(n=Sum("notes"))["n"] or 0
    return render(
        request,
        "evidence/board.html",
        {
            "groups": [g for g in groups if g["rows"] or g["line"]],
            "summary": summary,
            "total": len(rows),
            "note_count": note_count,
            "rule": rule_for(review),
        },
    )


def finding_new(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    form = FindingForm(review, request.POST or None, initial={"line": request.GET.get("line")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            finding = actions.create_finding(
                review, by=request.user, kind=d["kind"], title=d["title"], detail=d["detail"], line=d["line"]
            )
        except actions.EvidenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Finding proposed. Link the evidence that supports or contradicts it.")
            return redirect("evidence:finding", review_id=review.pk, finding_id=finding.pk)
    return render(request, "evidence/finding_new.html", {"form": form})


def finding(request: HttpRequest, review_id: int, finding_id: int) -> HttpResponse:
    review = request.review
    f = get_object_or_404(Finding.objects.select_related("line", "agreed_by"), pk=finding_id, review=review)
    links = list(
        f.links.select_related("note__session", "note__author").prefetch_related("note__lines").order_by("-created")
    )
    role = _role(request)
    return render(
        request,
        "evidence/finding.html",
        {
            "finding": f,
            "strength": strength_of(f),
            "supporting": [link for link in links if link.supports],
            "contradicting": [link for link in links if not link.supports],
            "challenges": f.challenges.select_related("raised_by", "resolved_by"),
            "open_challenges": [c for c in f.challenges.all() if c.is_open],
            "can_agree": role in LEADS,
            "is_lead": role == Role.LEAD,
            "agree_form": AgreeForm(),
            "challenge_form": ChallengeForm(),
            "resolve_form": ResolveForm(),
        },
    )


def finding_edit(request: HttpRequest, review_id: int, finding_id: int) -> HttpResponse:
    review = request.review
    f = get_object_or_404(Finding, pk=finding_id, review=review)
    initial = {"title": f.title, "kind": f.kind, "line": f.line_id, "detail": f.detail, "version": f.version}
    form = FindingForm(review, request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.update_finding(
                f,
                by=request.user,
                version=d["version"] or 0,
                kind=d["kind"],
                title=d["title"],
                detail=d["detail"],
                line=d["line"],
            )
        except actions.Conflict as exc:
            conflict = exc.current
            # Keep the user's text; the new version number lets them save over the other change knowingly.
            data = request.POST.copy()
            data["version"] = conflict.version
            form = FindingForm(review, data)
            form.is_valid()
            form.add_error(
                None,
                "Someone else changed this finding while you were editing it. Compare both versions, then save again",
            )
        except actions.EvidenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Finding saved")
            return redirect("evidence:finding", review_id=review.pk, finding_id=f.pk)
    return render(request, "evidence/finding_edit.html", {"form": form, "finding": f, "conflict": conflict})


def finding_link(request: HttpRequest, review_id: int, finding_id: int) -> HttpResponse:
    review = request.review
    f = get_object_or_404(Finding.objects.select_related("line"), pk=finding_id, review=review)
    q = request.GET.get("q", "")
    linked = set(f.links.values_list("note_id", flat=True))
    filters = search.Filters(line=f.line_id if not q and f.line_id and "all" not in request.GET else None)
    candidates = [n for n in search.search(review, q, filters, limit=100).notes if n.pk not in linked]
    form = LinkForm(review, request.POST or None, candidates=None if request.method == "POST" else candidates)
    if request.method == "POST" and form.is_valid():
        try:
            n = actions.link_notes(
                f,
                by=request.user,
                notes=form.cleaned_data["notes"],
                supports=form.cleaned_data["relation"] == "supports",
            )
        except actions.EvidenceError as exc:
            form.add_error("notes", str(exc))
        else:
            messages.success(request, f"{n} note{'s' if n != 1 else ''} linked")
            return redirect("evidence:finding", review_id=review.pk, finding_id=f.pk)
    errors_extra = []
    if request.method == "POST":
        form.fields["notes"].choices = [(n.pk, n.text[:200]) for n in candidates]
        if not candidates:  # nothing to tick, so the summary cannot point at a checkbox
            errors_extra = [e for errs in form.errors.values() for e in errs]
            form = LinkForm(review, candidates=candidates)
    return render(
        request,
        "evidence/finding_link.html",
        {"form": form, "finding": f, "q": q, "candidates": candidates, "errors_extra": errors_extra},
    )


@require_POST
def finding_unlink(request: HttpRequest, review_id: int, finding_id: int, link_id: int) -> HttpResponse:
    link = get_object_or_404(FindingLink, pk=link_id, finding_id=finding_id, finding__review=request.review)
    try:
        actions.unlink(link, by=request.user)
        messages.success(request, "Evidence unlinked")
    except actions.EvidenceError as exc:
        messages.error(request, str(exc))
    return redirect("evidence:finding", review_id=review_id, finding_id=finding_id)


@require_POST
def finding_agree(request: HttpRequest, review_id: int, finding_id: int) -> HttpResponse:
    f = get_object_or_404(Finding, pk=finding_id, review=request.review)
    form = AgreeForm(request.POST)
    if form.is_valid():
        try:
            if request.POST.get("reopen"):
                actions.reopen_finding(f, by=request.user)
                messages.success(request, "The finding is open again")
            else:
                actions.agree_finding(
                    f, by=request.user, role=_role(request), override_reason=form.cleaned_data["override_reason"]
                )
                messages.success(request, "Finding agreed")
        except actions.EvidenceError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, form.errors["override_reason"][0])
    return redirect("evidence:finding", review_id=review_id, finding_id=finding_id)


@require_POST
def finding_challenge(request: HttpRequest, review_id: int, finding_id: int) -> HttpResponse:
    f = get_object_or_404(Finding, pk=finding_id, review=request.review)
    form = ChallengeForm(request.POST)
    if form.is_valid():
        try:
            actions.raise_challenge(f, by=request.user, text=form.cleaned_data["text"])
            messages.success(request, "Challenge raised. The finding cannot be agreed until it is resolved.")
        except actions.EvidenceError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, form.errors["text"][0])
    return redirect("evidence:finding", review_id=review_id, finding_id=finding_id)


@require_POST
def challenge_resolve(request: HttpRequest, review_id: int, challenge_id: int) -> HttpResponse:
    c = get_object_or_404(Challenge, pk=challenge_id, finding__review=request.review)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            actions.resolve_challenge(c, by=request.user, resolution=form.cleaned_data["resolution"])
            messages.success(request, "Challenge resolved")
        except actions.EvidenceError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, form.errors["resolution"][0])
    return redirect("evidence:finding", review_id=review_id, finding_id=c.finding_id)


# Matrix, team meeting, charts


def _heat(n: int, top: int) -> int:
    if n == 0:
        return 0
    return min(4, 1 + (3 * n) // max(top, 1))


def matrix(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    lines = list(review.lines.all())
    titles = build.line_titles(lines)
    counts = build.evidence_matrix(review)
    labels = [label for _, label in SourceType.choices]
    top = max((n for row in counts.values() for n in row.values()), default=0)
    rows, gaps = [], []
    for line in lines:
        row = counts.get(line.code, {})
        cells = [{"n": row.get(label, 0), "heat": _heat(row.get(label, 0), top), "label": label} for label in labels]
        total = sum(c["n"] for c in cells)
        rows.append({"line": line, "title": titles[line.pk], "cells": cells, "total": total})
        missing = [code for code, label in SourceType.choices if not row.get(label)]
        if total < 10 or len(missing) > 3:
            gaps.append(
                {
                    "title": titles[line.pk],
                    "total": total,
                    "hear_from": [HEAR_FROM[code] for code in missing[:3]],
                    "prompts": line.prompts[:3],
                }
            )
    return render(request, "evidence/matrix.html", {"labels": labels, "rows": rows, "gaps": gaps})


def _note_days(review) -> list[datetime.date]:
    """The distinct days of the review's notes, in order, from the running totals (a few rows per day)."""
    tally = NoteTally.objects.filter(review=review, notes__gt=0)
    return list(tally.order_by("day").values_list("day", flat=True).distinct())


def meeting(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    days = _note_days(review)
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = days[-1] if days else timezone.localdate()
    heard = (
        NoteLine.objects.filter(review=review, day=day).values("line_id", "leaning").annotate(n=Count("*")).order_by()
    )
    lines = list(review.lines.all())
    titles = build.line_titles(lines)
    by_line = {line.pk: {"title": titles[line.pk], "strength": 0, "concern": 0, "neutral": 0} for line in lines}
    for r in heard:
        by_line[r["line_id"]][r["leaning"]] = r["n"]
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
    moved = list(
        review.findings.filter(updated__gte=start, updated__lt=start + datetime.timedelta(days=1))
        .select_related("line")
        .order_by("-updated")[:50]
    )
    theories = list(review.findings.filter(status=FindingStatus.THEORY).only("id", "review_id", "title", "status"))
    theory_rows = _strength_rows(review, theories)
    to_test = [r for r in theory_rows if not r["strength"].supported]
    challenges = list(
        Challenge.objects.filter(finding__review=review, resolved_at__isnull=True).select_related(
            "finding", "raised_by"
        )
    )
    moved_rows = _strength_rows(review, moved)
    # One reverse() for the page, not a {% url %} per finding.
    prefix = reverse("evidence:finding", kwargs={"review_id": review.pk, "finding_id": 0}).removesuffix("0/")
    for r in moved_rows + to_test:
        r["url"] = f"{prefix}{r['finding'].pk}/"
    for c in challenges:
        c.url = f"{prefix}{c.finding_id}/"
    # The day's count and each session's, from the running totals by day and session: no count of notes.
    per_session = dict(NoteTally.objects.filter(review=review, day=day).values_list("session_key", "notes"))
    sessions_today = list(review.evidence_sessions.filter(day=day))
    for s in sessions_today:
        s.n = per_session.get(s.pk, 0)
    return render(
        request,
        "evidence/meeting.html",
        {
            "day": day,
            "days": days,
            "by_line": by_line.values(),
            "heard_total": sum(per_session.values()),
            "moved": moved_rows,
            "to_test": to_test,
            "challenges": challenges,
            "sessions_today": sessions_today,
        },
    )


def _counts(review):
    from peerreview.exports import EvidenceCounts, LineOfEnquiry

    lines = list(review.lines.all())
    titles = build.line_titles(lines)
    short = build.short_codes(lines)
    loes = [LineOfEnquiry(code=short[line.code], title=titles[line.pk]) for line in lines]
    by_kind = dict(review.findings.values_list("kind").annotate(n=Count("id")))
    counts = EvidenceCounts(
        matrix={short.get(code, code): row for code, row in build.evidence_matrix(review).items()},
        findings_by_kind={k: by_kind.get(k, 0) for k in FindingKind.values},
    )
    return counts, loes


def _chart(review, kind):
    from peerreview.exports import charts as export_charts  # matplotlib: import on first use

    counts, loes = _counts(review)
    return export_charts.evidence_chart(counts, loes) if kind == "evidence" else export_charts.findings_chart(counts)


def charts(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    return render(
        request,
        "evidence/charts.html",
        {"evidence": _chart(review, "evidence"), "findings": _chart(review, "findings")},
    )


def chart(request: HttpRequest, review_id: int, kind: str) -> HttpResponse:
    if kind not in ("evidence", "findings"):
        return HttpResponse(status=404)
    response = HttpResponse(_chart(request.review, kind).png, content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


# Keeping in touch


def kit(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    summary = actions.kit_for(review)
    is_host = _role(request) in HOST
    can_edit = _role(request) in LEADS
    form = KitForm(request.POST or None, initial={"draft": summary.draft})
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(status=404)
        if form.is_valid():
            actions.save_kit_draft(review, by=request.user, text=form.cleaned_data["draft"])
            if request.POST.get("share"):
                try:
                    actions.share_kit(review, by=request.user)
                    messages.success(request, "Summary shared with the sponsor")
                except actions.EvidenceError as exc:
                    messages.error(request, str(exc))
            else:
                messages.success(request, "Draft saved")
            return redirect("evidence:kit", review_id=review.pk)
    themes = []
    if not is_host:
        rows = _strength_rows(review, list(review.findings.select_related("line").order_by("kind", "id")))
        themes = [r for r in rows if r["strength"].supported]
    return render(
        request,
        "evidence/kit.html",
        {"summary": summary, "is_host": is_host, "can_edit": can_edit, "form": form, "themes": themes},
    )


# Report and presentation


def report(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    rep = actions.report_for(review)
    role = _role(request)
    due = review.date_of("report_due")
    today = timezone.localdate()
    comments = list(review.report_comments.select_related("author"))
    sections = [
        {
            "spec": spec,
            "text": spec.text_in(rep) if spec.editable else "",
            "comments": [c for c in comments if spec.owns_comment(c)],
        }
        for spec in build.report_sections(review)
    ]
    agreed = review.findings.filter(status=FindingStatus.AGREED).aggregate(
        n=Count("id"), strengths=Count("id", filter=Q(kind=FindingKind.STRENGTH))
    )
    outputs = review.outputs.defer("content").select_related("created_by")
    return render(
        request,
        "evidence/report.html",
        {
            "report": rep,
            "sections": sections,
            "due": due,
            "days_left": (due - today).days if due else None,
            "overdue_days": (today - due).days if due else None,
            "agreed": agreed,
            "outputs": outputs,
            "can_edit": role in LEADS and not rep.is_locked,
            "can_sign_off": role == Role.LEAD and not rep.is_locked,
            "can_generate": role in LEADS,
            "can_comment": not rep.is_locked,
            "comment_form": CommentForm(review),
            "kinds": OutputKind.choices,
        },
    )


def report_edit(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    rep = actions.report_for(review)
    initial = {f"section_{spec.key}": spec.text_in(rep) for spec in build.editable_sections(review)}
    form = ReportForm(review, request.POST or None, initial=initial)
    if rep.is_locked:
        messages.error(request, actions.LOCKED)
        return redirect("evidence:report", review_id=review.pk)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_report_sections(review, by=request.user, sections=form.sections())
        except actions.EvidenceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Report wording saved")
        return redirect("evidence:report", review_id=review.pk)
    return render(request, "evidence/report_edit.html", {"form": form})


def report_comment(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    form = CommentForm(review, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_report_comment(review, by=request.user, **form.cleaned_data)
        except actions.EvidenceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Comment added")
        return redirect("evidence:report", review_id=review.pk)
    return render(request, "evidence/report_comment.html", {"form": form})


@require_POST
def report_sign_off(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        actions.sign_off_report(request.review, by=request.user)
        messages.success(request, "Report signed off. It is now locked; generate the final documents.")
    except actions.EvidenceError as exc:
        messages.error(request, str(exc))
    return redirect("evidence:report", review_id=review_id)


def generate(request: HttpRequest, review_id: int, kind: str) -> HttpResponse:
    review = request.review
    if kind not in CONTENT_TYPES:
        return HttpResponse(status=404)
    rep = actions.report_for(review)
    if request.method == "POST" and request.POST.getlist("confirm"):
        actions.confirm_flags(review, by=request.user, keys=request.POST.getlist("confirm"))
    data, _counts = build.report_data(review, rep)
    flags = build.open_flags(data, rep)
    if request.method == "POST" and not flags and request.POST.get("generate"):
        try:
            output = actions.generate_output(review, by=request.user, kind=kind)
        except actions.EvidenceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{output} is ready to download")
            return redirect("evidence:report", review_id=review.pk)
    return render(
        request,
        "evidence/generate.html",
        {"kind": kind, "label": OutputKind(kind).label, "flags": flags, "finding_count": len(data.findings)},
    )


def output_download(request: HttpRequest, review_id: int, output_id: int) -> HttpResponse:
    output = get_object_or_404(Output, pk=output_id, review=request.review)
    log_access(request, "download", output)
    response = HttpResponse(bytes(output.content), content_type=CONTENT_TYPES[output.kind])
    response["Content-Disposition"] = f'attachment; filename="{output.filename}"'
    response["Cache-Control"] = "no-store"
    return response
