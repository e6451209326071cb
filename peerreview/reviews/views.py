from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from peerreview.core.models import AuditEvent
from peerreview.core.roles import TEAM, Role

from . import actions
from .forms import (
    CustomLineForm,
    DatesForm,
    InviteForm,
    LinesForm,
    PurgeForm,
    ReviewForm,
    RevokeForm,
    ScopingMeetingForm,
)
from .models import Membership, Stage


def home(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.active()
        .filter(user=request.user, review__is_purged=False)
        .select_related("review__host", "review__review_type")
        .prefetch_related("review__key_dates")
    )
    rows = []
    for m in memberships:
        review = m.review
        tasks = review.tasks() if m.role == Role.PCM else []
        rows.append(
            {
                "review": review,
                "role": m.get_role_display(),
                "overdue": [t for t in tasks if t["overdue"]],
                "next": next((t for t in tasks if not t["done"]), None),
            }
        )
    order = {s.value: i for i, s in enumerate(Stage)}
    rows.sort(key=lambda r: (not r["overdue"], order[r["review"].stage], r["review"].delivery_start))
    groups = {}
    for r in rows:
        groups.setdefault(Stage(r["review"].stage).label, []).append(r)
    overdue = [r for r in rows if r["overdue"]]
    return render(request, "reviews/home.html", {"groups": groups, "overdue": overdue, "count": len(rows)})


def create(request: HttpRequest) -> HttpResponse:
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review = actions.create_review(by=request.user, **form.cleaned_data)
        messages.success(request, "Review created. Next, record the scoping meeting.")
        return redirect("reviews:detail", review_id=review.pk)
    return render(request, "reviews/create.html", {"form": form})


def detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    tasks = review.tasks()
    return render(
        request,
        "reviews/detail.html",
        {
            "tasks": tasks,
            "overdue": [t for t in tasks if t["overdue"]],
            "next": next((t for t in tasks if not t["done"]), None),
            "dates": review.key_dates.all(),
            "next_stage": review.next_stage(),
            "next_stage_label": Stage(review.next_stage()).label if review.next_stage() else "",
            "lines": review.lines.all(),
            "is_pcm": request.membership.role == Role.PCM,
            "team_count": review.memberships.active().filter(role__in=TEAM).count(),
        },
    )


def dates(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    form = DatesForm(review, request.POST or None)
    if request.method == "POST" and form.is_valid():
        overrides = form.overrides() if form.cleaned_data["delivery_start"] == review.delivery_start else {}
        actions.change_dates(
            review, by=request.user, delivery_start=form.cleaned_data["delivery_start"], overrides=overrides
        )
        messages.success(request, "Key dates saved")
        return redirect("reviews:detail", review_id=review.pk)
    return render(request, "reviews/dates.html", {"form": form})


@require_POST
def advance(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review = actions.advance_stage(request.review, by=request.user, to=request.POST.get("to", ""))
        messages.success(request, f"The review is now at the {review.get_stage_display().lower()} stage")
    except actions.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("reviews:detail", review_id=review_id)


def people(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    members = review.memberships.select_related("user__organisation").prefetch_related("acceptances")
    is_pcm = request.membership.role == Role.PCM
    if not is_pcm:
        members = members.filter(revoked_at__isnull=True)
    rows = [{"m": m, "accepted": m.has_accepted_confidentiality() if m.role in TEAM else None} for m in members]
    return render(
        request,
        "reviews/people.html",
        {
            "rows": rows,
            "is_pcm": is_pcm,
            "not_accepted": [r["m"] for r in rows if r["accepted"] is False and r["m"].is_active],
        },
    )


def invite(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    form = InviteForm(review, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            m = actions.add_member(review, by=request.user, **form.cleaned_data)
        except actions.ReviewError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"{m.user.get_full_name()} has been added as {m.get_role_display().lower()}")
            return redirect("reviews:people", review_id=review.pk)
    return render(request, "reviews/invite.html", {"form": form})


def revoke(request: HttpRequest, review_id: int, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=membership_id, review=request.review, revoked_at__isnull=True)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.revoke_member(membership, by=request.user, reason=form.cleaned_data["reason"])
        except actions.ReviewError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, f"{membership.user.get_full_name()} no longer has access to this review")
            return redirect("reviews:people", review_id=review_id)
    return render(request, "reviews/revoke.html", {"form": form, "target": membership})


def scope(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    meeting = getattr(review, "scoping_meeting", None)
    lines = review.lines.all()
    return render(request, "reviews/scope.html", {"meeting": meeting, "lines": lines, "role": request.membership.role})


def scoping_meeting(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    meeting = getattr(review, "scoping_meeting", None)
    initial = {"purpose": review.purpose}
    if meeting:
        initial.update(held_on=meeting.held_on, attendees=meeting.attendees, notes=meeting.notes)
    form = ScopingMeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.record_scoping_meeting(review, by=request.user, **form.cleaned_data)
        messages.success(request, "Scoping meeting saved")
        return redirect("reviews:scope", review_id=review.pk)
    return render(request, "reviews/scoping_meeting.html", {"form": form})


def scope_lines(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    form = LinesForm(review, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.choose_lines(review, by=request.user, question_codes=form.cleaned_data["lines"])
        except actions.ReviewError as exc:
            form.add_error("lines", str(exc))
        else:
            messages.success(request, "Lines of enquiry saved")
            return redirect("reviews:scope", review_id=review.pk)
    return render(request, "reviews/scope_lines.html", {"form": form})


def scope_custom_line(request: HttpRequest, review_id: int) -> HttpResponse:
    form = CustomLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_custom_line(request.review, by=request.user, **form.cleaned_data)
        messages.success(request, "Line of enquiry added")
        return redirect("reviews:scope", review_id=review_id)
    return render(request, "reviews/scope_custom_line.html", {"form": form})


def agree_scope(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    if request.method == "POST":
        try:
            actions.agree_scope(review, by=request.user)
        except actions.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "You have agreed the scope")
        return redirect("reviews:scope", review_id=review.pk)
    return render(request, "reviews/agree_scope.html", {"lines": review.lines.all()})


def confidentiality(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    membership = request.membership
    agreement = review.review_type.agreement
    if request.method == "POST" and membership.role in TEAM:
        try:
            actions.accept_confidentiality(membership, by=request.user)
        except actions.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Thank you. You have accepted the confidentiality agreement")
            return redirect("reviews:detail", review_id=review.pk)
    team = [
        m
        for m in review.memberships.active()
        .filter(role__in=TEAM)
        .select_related("user")
        .prefetch_related("acceptances")
    ]
    return render(
        request,
        "reviews/confidentiality.html",
        {
            "agreement": agreement,
            "paragraphs": [p for p in agreement["text"].splitlines() if p.strip()],
            "accepted": membership.has_accepted_confidentiality() if membership.role in TEAM else None,
            "needs_to_accept": membership.role in TEAM,
            "team": [(m, m.acceptances.filter(version=agreement["version"]).first()) for m in team],
            "show_team": membership.role in (Role.PCM, Role.LEAD),
        },
    )


def purge(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    form = PurgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = actions.purge_review(review, by=request.user, reason=form.cleaned_data["reason"])
        except actions.ReviewError as exc:
            form.add_error("confirm", str(exc))
        else:
            messages.success(request, f"The review's material has been deleted ({sum(counts.values())} items)")
            return redirect("reviews:detail", review_id=review.pk)
    return render(request, "reviews/purge.html", {"form": form})


def history(request: HttpRequest, review_id: int) -> HttpResponse:
    events = AuditEvent.objects.filter(review_ref=request.review.pk).select_related("actor")[:500]
    return render(request, "reviews/history.html", {"events": events})
