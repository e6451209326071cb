import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from peerreview.core import audit
from peerreview.core.roles import Role
from peerreview.councils.models import Organisation
from peerreview.policy.library import library
from peerreview.solver.teams import io as solver_io

from . import actions, build, pool_io
from .forms import HostDecisionForm, ImportForm, PinForm, PoolSearchForm, RespondForm, SolveForm, TriadForm
from .models import PeerInvitation, PeerProfile, TeamProposal, TeamRun

# --- the pool (LGA staff) -----------------------------------------------------------------


def pool(request: HttpRequest) -> HttpResponse:
    form = PoolSearchForm(request.GET or None)
    profiles = PeerProfile.objects.filter(is_active=True).select_related("organisation")
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            profiles = profiles.filter(
                Q(full_name__icontains=d["q"]) | Q(email__icontains=d["q"]) | Q(organisation__name__icontains=d["q"])
            )
        if d["role"]:
            profiles = profiles.filter(role=d["role"])
        if d["region"]:
            profiles = profiles.filter(region=d["region"])
        if d["specialism"]:
            profiles = [p for p in profiles if d["specialism"] in p.specialisms]
    page = Paginator(profiles, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "peers/pool.html",
        {
            "form": form,
            "page": page,
            "total": PeerProfile.objects.filter(is_active=True).count(),
            "query": query.urlencode(),
        },
    )


def profile(request: HttpRequest, profile_id: int) -> HttpResponse:
    p = get_object_or_404(PeerProfile.objects.select_related("organisation"), pk=profile_id)
    return render(
        request,
        "peers/profile.html",
        {
            "p": p,
            "conflicts": p.conflicts.select_related("organisation", "person"),
            "invitations": p.invitations.select_related("review"),
        },
    )


def import_pool(request: HttpRequest) -> HttpResponse:
    form = ImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = pool_io.import_pool(upload.name, upload.read(), by=request.user)
        if report.ok:
            messages.success(
                request,
                f"Pool imported: {report.created} people added and {report.updated} updated from {report.rows} rows",
            )
            return redirect("peers:pool")
        form.add_error(
            "file",
            f"The file was not imported because {len(report.problems)} "
            f"{'problem was' if len(report.problems) == 1 else 'problems were'} found. Fix the rows listed below and upload it again",
        )
    return render(request, "peers/import.html", {"form": form, "report": report, "columns": pool_io.COLUMNS})


def export_pool(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("format", "csv")
    stamp = timezone.localdate().isoformat()
    if kind == "xlsx":
        response = HttpResponse(
            pool_io.export_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="peer-pool-{stamp}.xlsx"'
    else:
        response = HttpResponse(pool_io.export_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="peer-pool-{stamp}.csv"'
    audit.record("peers.pool_exported", by=request.user, summary=f"Exported the pool as {kind.upper()}")
    return response


def _result_rows(run: TeamRun, reviews: dict) -> list[dict]:
    """Per review: the team with reasons, why others were not chosen, unfilled places."""
    if run is None:
        return []
    result = run.result
    names = {p["id"]: p for p in run.problem["peers"]}
    out = []
    for r in run.problem["reviews"]:
        labels = {s["code"]: s["label"] for s in r["slots"]}
        team = [
            {
                "peer": names[a["peer_id"]],
                "profile_id": int(a["peer_id"][1:]),
                "slot": labels.get(a["slot_code"], a["slot_code"]),
                "reasons": [build.humanise(x) for x in a["reasons"]],
            }
            for a in result.get("teams", {}).get(r["id"], [])
        ]
        out.append(
            {
                "id": r["id"],
                "name": r["name"],
                "review": reviews.get(r["id"]),
                "team": team,
                "explanations": [build.humanise(x) for x in result.get("explanations", {}).get(r["id"], [])],
                "unfilled": [
                    build.humanise(u["message"]) for u in result.get("unfilled", []) if u["review_id"] == r["id"]
                ],
            }
        )
    return out


def season(request: HttpRequest) -> HttpResponse:
    reviews = build.upcoming_reviews(request.user)
    run = None
    if request.method == "POST":
        try:
            run = actions.plan_season(reviews, by=request.user)
        except actions.TeamError as exc:
            messages.error(request, str(exc))
            return redirect("peers:season")
        return redirect(f"{request.path}?run={run.pk}")
    run_id = request.GET.get("run", "")
    if run_id.isdigit():
        run = TeamRun.objects.filter(pk=int(run_id), kind=TeamRun.Kind.SEASON, created_by=request.user).first()
    by_id = {f"r{r.pk}": r for r in reviews}
    return render(
        request,
        "peers/season.html",
        {
            "reviews": reviews,
            "run": run,
            "rows": _result_rows(run, by_id),
            "seconds": int(actions.solve_seconds("season")),
        },
    )


@require_POST
def season_apply(request: HttpRequest) -> HttpResponse:
    run = get_object_or_404(TeamRun, pk=request.POST.get("run") or 0, kind=TeamRun.Kind.SEASON, created_by=request.user)
    applied = actions.apply_season(run, build.upcoming_reviews(request.user), by=request.user)
    messages.success(
        request,
        f"The plan is now the draft team for {len(applied)} review{'s' if len(applied) != 1 else ''}. "
        "Teams already with the host or invited were left as they are",
    )
    return redirect(f"{reverse('peers:season')}?run={run.pk}")


def season_problem(request: HttpRequest) -> HttpResponse:
    reviews = build.upcoming_reviews(request.user)
    if not reviews:
        messages.error(request, "There are no upcoming reviews to staff")
        return redirect("peers:season")
    data = solver_io.problem_to_json(build.season_problem(reviews))
    audit.record("peers.problem_exported", by=request.user, summary=f"Season of {len(reviews)} reviews")
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="season-team-problem.json"'
    return response


def triads(request: HttpRequest) -> HttpResponse:
    form = TriadForm(request.POST if request.method == "POST" else None)
    result = councils = None
    if request.method == "POST" and form.is_valid():
        codes = form.councils()
        councils = {o.code: o.display_name for o in Organisation.objects.filter(code__in=codes)}
        try:
            result = actions.solve_triads(
                by=request.user,
                councils=codes,
                last_year=form.cleaned_data["last_year"],
                conflicts=form.cleaned_data["conflicts"],
            )
        except Exception as exc:  # the solver's ProblemError lists every problem
            form.add_error(None, str(exc))
    rows = []
    if result is not None and councils:
        rows = [
            {k: councils.get(getattr(t, k), getattr(t, k)) for k in ("host", "lead", "observer")} for t in result.triads
        ]
    return render(request, "peers/triads.html", {"form": form, "result": result, "rows": rows})


# --- one review's team (PCM) --------------------------------------------------------------


def _team_context(request, review, pin_form=None, solve_form=None) -> dict:
    proposal = TeamProposal.objects.filter(review=review).select_related("run").first()
    invitations = {i.profile_id: i for i in PeerInvitation.objects.filter(review=review).order_by("id")}
    team, excluded = [], []
    if proposal:
        for m in proposal.members.select_related("profile__organisation"):
            row = {"m": m, "invitation": invitations.get(m.profile_id)}
            (excluded if m.excluded else team).append(row)
    rows = [r for r in _result_rows(proposal.run if proposal else None, {}) if r["id"] == f"r{review.pk}"]
    return {
        "proposal": proposal,
        "team": team,
        "excluded": excluded,
        "result": rows[0] if rows else None,
        "run": proposal.run if proposal else None,
        "messages_from_solver": [build.humanise(m) for m in proposal.run.result.get("messages", [])]
        if proposal and proposal.run
        else [],
        "decisions": proposal.decisions.select_related("by") if proposal else [],
        "pin_form": pin_form or PinForm(),
        "solve_form": solve_form
        or SolveForm(initial={"same_region_conflict": bool(proposal and proposal.same_region_conflict)}),
        "lines": [library()["by_code"][c]["title"] for c in build.review_themes(review)],
        "weeks": build.week_labels(build.review_weeks(review)),
        "pool_size": PeerProfile.objects.filter(is_active=True).count(),
        "can_invite": proposal is not None and proposal.status == TeamProposal.Status.ACCEPTED,
        "notice_weeks": (review.delivery_start - timezone.localdate()).days // 7,
    }


def team(request: HttpRequest, review_id: int) -> HttpResponse:
    return render(request, "peers/team.html", _team_context(request, request.review))


@require_POST
def solve(request: HttpRequest, review_id: int) -> HttpResponse:
    form = SolveForm(request.POST)
    form.is_valid()
    run = actions.recommend_team(
        request.review, by=request.user, same_region_conflict=form.cleaned_data.get("same_region_conflict", False)
    )
    if run.status in ("optimal", "feasible") and not run.result.get("unfilled"):
        messages.success(request, "Recommended team ready. Check the reasons, then send it to the host")
    else:
        messages.warning(request, "No team meets every rule. The places that cannot be filled are listed below")
    return redirect("peers:team", review_id=review_id)


@require_POST
def pin(request: HttpRequest, review_id: int) -> HttpResponse:
    form = PinForm(request.POST)
    if form.is_valid():
        try:
            p = actions._find_profile(form.cleaned_data["email"])
        except actions.TeamError as exc:
            form.add_error("email", str(exc))
        else:
            actions.pin(request.review, by=request.user, profile=p)
            messages.success(
                request, f"{p.full_name} is pinned to the team. Find a team again to fill the other places"
            )
            return redirect("peers:team", review_id=review_id)
    return render(request, "peers/team.html", _team_context(request, request.review, pin_form=form))


@require_POST
def change_member(request: HttpRequest, review_id: int, profile_id: int) -> HttpResponse:
    p = get_object_or_404(PeerProfile, pk=profile_id)
    action = request.POST.get("action")
    try:
        if action == "pin":
            actions.pin(request.review, by=request.user, profile=p)
            messages.success(request, f"{p.full_name} is pinned: they stay when you find a team again")
        elif action == "unpin":
            actions.unpin(request.review, by=request.user, profile=p)
            messages.success(request, f"{p.full_name} is no longer pinned")
        elif action == "exclude":
            actions.exclude(request.review, by=request.user, profile=p)
            messages.success(request, f"{p.full_name} is excluded. Find a team again to fill the place")
        else:
            messages.error(request, "Choose pin, unpin or exclude")
    except actions.TeamError as exc:
        messages.error(request, str(exc))
    return redirect("peers:team", review_id=review_id)


@require_POST
def send(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        actions.send_for_approval(request.review, by=request.user)
    except actions.TeamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The proposed team has been sent to the host sponsor")
    return redirect("peers:team", review_id=review_id)


@require_POST
def invite(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        sent = actions.invite_team(request.review, by=request.user)
    except actions.TeamError as exc:
        messages.error(request, str(exc))
    else:
        if sent:
            messages.success(request, f"Invitations sent to {len(sent)} {'person' if len(sent) == 1 else 'people'}")
        else:
            messages.info(request, "Everyone in the team has already been invited")
    return redirect("peers:team", review_id=review_id)


def problem_json(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    data = solver_io.problem_to_json(build.review_problem(review))
    audit.record("peers.problem_exported", by=request.user, review=review, obj=review, summary="Team problem JSON")
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="team-problem-review-{review.pk}.json"'
    return response


def approval(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    proposal = TeamProposal.objects.filter(review=review).first()
    form = HostDecisionForm(request.POST if request.method == "POST" else None)
    waiting = proposal is not None and proposal.status == TeamProposal.Status.SENT
    if request.method == "POST" and form.is_valid():
        try:
            actions.host_decide(
                review, by=request.user, decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"]
            )
        except actions.TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Thank you. Your decision has been sent to the peer challenge manager")
            return redirect("peers:approval", review_id=review_id)
    team = list(proposal.team()) if proposal else []
    return render(
        request,
        "peers/approval.html",
        {
            "form": form,
            "proposal": proposal,
            "team": team,
            "waiting": waiting,
            "decisions": proposal.decisions.all() if proposal else [],
        },
    )


# --- the invited peer's answer (a signed single-use link) ---------------------------------


@login_not_required
def respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        PeerInvitation.objects.select_related("review", "profile").filter(token_hash=PeerInvitation.hash(token)).first()
    )
    if invitation is None or invitation.response != PeerInvitation.Response.PENDING:
        return render(request, "peers/respond_used.html", {"invitation": invitation}, status=410)
    form = RespondForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        actions.respond(invitation, accept=accept, reason=form.cleaned_data["reason"])
        return render(request, "peers/respond_done.html", {"invitation": invitation, "accepted": accept})
    review = invitation.review
    return render(
        request,
        "peers/respond.html",
        {"form": form, "invitation": invitation, "review": review, "dates": review.key_dates.all(), "role": Role},
    )
