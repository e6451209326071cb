"""State changes for the peer pool and team formation. Each is atomic and writes an audit row."""

import secrets
from collections import Counter

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peerreview.core import audit
from peerreview.core.roles import Role
from peerreview.reviews import actions as review_actions
from peerreview.solver import teams as solver
from peerreview.solver.teams import io as solver_io

from . import build
from .models import (
    HostDecision,
    PeerInvitation,
    PeerProfile,
    ProposedMember,
    TeamProposal,
    TeamRun,
    review_role_for_slot,
)


class TeamError(Exception):
    """A team change that is not allowed, with a message that says what to do."""


def solve_seconds(kind: str = TeamRun.Kind.REVIEW) -> float:
    if kind == TeamRun.Kind.SEASON:
        return getattr(settings, "PEERS_SEASON_SECONDS", 30.0)
    return getattr(settings, "PEERS_REVIEW_SECONDS", 3.0)


def run_solver(problem: solver.Problem, *, kind: str, by, review=None) -> tuple[TeamRun, solver.Result]:
    """Solve synchronously with a time limit and store the problem and the result."""
    result = solver.solve(problem, time_limit=solve_seconds(kind), workers=2, seed=0)
    run = TeamRun.objects.create(
        kind=kind,
        review=review,
        problem=solver_io.problem_to_json(problem),
        result=solver_io.result_to_json(result),
        status=result.status,
        objective=result.objective,
        bound=result.bound,
        runtime_seconds=round(result.runtime_seconds, 3),
        created_by=by,
    )
    return run, result


def proposal_for(review) -> TeamProposal:
    proposal, _ = TeamProposal.objects.get_or_create(review=review)
    return proposal


@transaction.atomic
def recommend_team(review, *, by, same_region_conflict: bool | None = None) -> TeamRun:
    """Solve for one review, keeping the PCM's pins and exclusions and everyone already invited or accepted."""
    proposal = proposal_for(review)
    if same_region_conflict is not None and proposal.same_region_conflict != same_region_conflict:
        proposal.same_region_conflict = same_region_conflict
        proposal.save(update_fields=["same_region_conflict"])
    review.team_proposal = proposal
    problem = build.review_problem(review)
    run, result = run_solver(problem, kind=TeamRun.Kind.REVIEW, by=by, review=review)
    labels = build.slot_labels(review)
    chosen = {a.peer_id: a for a in result.teams.get(f"r{review.pk}", ())}
    slots = {s.code: s for s in problem.reviews[0].slots}
    placed = _keep_fixed_slots(proposal, review, chosen, problem, slots)
    decision = proposal.decisions.first()
    before = {row.get("profile_id") for row in decision.team_snapshot} if decision else set()
    keep = {}
    for m in proposal.members.all():
        if m.excluded or f"p{m.profile_id}" in chosen:
            keep[m.profile_id] = m
        else:
            m.delete()
    for pid, a in chosen.items():
        profile_id = int(pid[1:])
        code = placed[pid]
        m = keep.get(profile_id) or ProposedMember(proposal=proposal, profile_id=profile_id)
        m.slot_code, m.slot_label, m.reasons = code, labels.get(code, code), [build.humanise(r) for r in a.reasons]
        m.pinned = m.pinned or pid in problem.reviews[0].pinned
        m.save()
    proposal.run = run
    changed = before != {int(pid[1:]) for pid in chosen}
    if (proposal.status == TeamProposal.Status.ACCEPTED and changed) or proposal.status in (
        TeamProposal.Status.CHANGE_REQUESTED,
        TeamProposal.Status.SENT,
    ):
        # The host must be content with the team as it now stands.
        proposal.status = TeamProposal.Status.DRAFT
    proposal.save()
    audit.record(
        "team.recommended",
        by=by,
        review=review,
        obj=run,
        summary=f"{result.status}: {len(chosen)} people, objective {result.objective}, bound {result.bound}",
    )
    return run


def _keep_fixed_slots(proposal, review, chosen, problem, slots) -> dict[str, str]:
    """Slot per chosen peer. People already invited, accepted or in the review keep the place they had: the solver
    only pins people, not places, so it may swap two pinned directors between lead and observer."""
    fixed = {}
    for m in proposal.members.filter(excluded=False).exclude(slot_code=""):
        pid = f"p{m.profile_id}"
        if pid in chosen and m.slot_code in slots and (m.invitation() is not None or m.pinned):
            fixed[pid] = m.slot_code
    placed = {pid: fixed.get(pid, a.slot_code) for pid, a in chosen.items()}
    counts = Counter(placed.values())
    for pid in chosen:
        code = placed[pid]
        if pid in fixed or counts[code] <= slots[code].max:
            continue
        role = problem.peer(pid).role
        free = [s.code for s in slots.values() if role in s.roles and counts[s.code] < s.max]
        if free:
            counts[code] -= 1
            counts[free[0]] += 1
            placed[pid] = free[0]
    return placed


def _find_profile(email: str) -> PeerProfile:
    profile = PeerProfile.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if profile is None:
        raise TeamError("Enter the email address of a person in the peer pool")
    return profile


@transaction.atomic
def pin(review, *, by, profile: PeerProfile) -> ProposedMember:
    proposal = proposal_for(review)
    m, _ = ProposedMember.objects.get_or_create(proposal=proposal, profile=profile)
    m.pinned, m.excluded = True, False
    m.save()
    audit.record("team.pinned", by=by, review=review, obj=m, summary=f"Pinned {profile.full_name}")
    return m


@transaction.atomic
def unpin(review, *, by, profile: PeerProfile) -> None:
    proposal = proposal_for(review)
    m = ProposedMember.objects.filter(proposal=proposal, profile=profile).first()
    if m is None:
        raise TeamError(f"{profile.full_name} is not in this team")
    if m.excluded:
        m.delete()
        audit.record(
            "team.unexcluded", by=by, review=review, obj=proposal, summary=f"{profile.full_name} may be chosen"
        )
    else:
        if m.invitation() is not None:
            raise TeamError(f"{profile.full_name} has been invited, so they stay in the team")
        m.pinned = False
        m.save(update_fields=["pinned"])
        audit.record("team.unpinned", by=by, review=review, obj=m, summary=f"Unpinned {profile.full_name}")


@transaction.atomic
def exclude(review, *, by, profile: PeerProfile) -> None:
    proposal = proposal_for(review)
    m, _ = ProposedMember.objects.get_or_create(proposal=proposal, profile=profile)
    inv = m.invitation()
    if inv is not None and inv.response != PeerInvitation.Response.DECLINED:
        raise TeamError(f"{profile.full_name} has been invited, so they cannot be excluded")
    m.excluded, m.pinned, m.slot_code, m.slot_label, m.reasons = True, False, "", "", []
    m.note = "Excluded by the peer challenge manager"
    m.save()
    audit.record("team.excluded", by=by, review=review, obj=m, summary=f"Excluded {profile.full_name}")


def _sponsors(review):
    return [m.user for m in review.memberships.active().filter(role=Role.SPONSOR).select_related("user")]


@transaction.atomic
def send_for_approval(review, *, by) -> TeamProposal:
    proposal = proposal_for(review)
    team = list(proposal.team())
    if not team:
        raise TeamError("Get a recommended team before you send it to the host")
    sponsors = _sponsors(review)
    if not sponsors:
        raise TeamError("Add the host sponsor to the review before you send the team for approval")
    proposal.status = TeamProposal.Status.SENT
    proposal.sent_at = timezone.now()
    proposal.save(update_fields=["status", "sent_at", "updated"])
    link = settings.SITE_ROOT + reverse("peers:approval", kwargs={"review_id": review.pk})
    names = "\n".join(f"- {m.profile.full_name}, {m.profile.organisation.display_name} ({m.slot_label})" for m in team)
    body = (
        f"{by.get_full_name()} has proposed a peer team for {review.title}:\n\n{names}\n\n"
        f"Look at their profiles and accept the team or ask for a change here:\n{link}\n"
    )
    emails = [u.email for u in sponsors]
    transaction.on_commit(lambda: send_mail(f"Proposed peer team: {review.title}", body, None, emails))
    audit.record("team.sent_to_host", by=by, review=review, obj=proposal, summary=f"{len(team)} people")
    return proposal


@transaction.atomic
def host_decide(review, *, by, decision: str, reason: str = "") -> HostDecision:
    proposal = proposal_for(review)
    if proposal.status != TeamProposal.Status.SENT:
        raise TeamError("There is no proposed team waiting for your decision")
    if decision == HostDecision.Decision.CHANGE and not reason.strip():
        raise TeamError("Say what you would like changed and why")
    snapshot = [
        {
            "profile_id": m.profile_id,
            "name": m.profile.full_name,
            "organisation": m.profile.organisation.code,
            "slot": m.slot_code,
        }
        for m in proposal.team()
    ]
    d = HostDecision.objects.create(
        proposal=proposal, decision=decision, reason=reason.strip(), team_snapshot=snapshot, by=by
    )
    proposal.status = (
        TeamProposal.Status.ACCEPTED
        if decision == HostDecision.Decision.ACCEPTED
        else TeamProposal.Status.CHANGE_REQUESTED
    )
    proposal.save(update_fields=["status", "updated"])
    audit.record(
        "team.host_accepted" if decision == HostDecision.Decision.ACCEPTED else "team.host_asked_for_change",
        by=by,
        review=review,
        obj=d,
        summary=reason.strip()[:300] or "Accepted the proposed team",
    )
    return d


def _dates_text(review) -> str:
    dates = review.dates()
    rows = []
    for code in ("case_review_start", "case_review_end", "delivery_start", "delivery_end", "feedback"):
        if code in dates:
            rows.append(f"- {dates[code].label}: {dates[code].date:%A %-d %B %Y}")
    return "\n".join(rows)


@transaction.atomic
def invite_team(review, *, by) -> list[PeerInvitation]:
    """Email an invitation to everyone in the accepted team who has not been invited yet."""
    proposal = proposal_for(review)
    if proposal.status != TeamProposal.Status.ACCEPTED:
        raise TeamError("The host sponsor must accept the team before you invite it")
    already = set(PeerInvitation.objects.filter(review=review).values_list("profile_id", flat=True))
    members_already = build.members_with_profiles(review)
    sent = []
    for m in proposal.team():
        if m.profile_id in already or m.profile_id in members_already:
            continue
        token = secrets.token_urlsafe(32)
        inv = PeerInvitation.objects.create(
            review=review,
            profile=m.profile,
            slot_code=m.slot_code,
            slot_label=m.slot_label,
            token_hash=PeerInvitation.hash(token),
            sent_by=by,
        )
        link = settings.SITE_ROOT + reverse("peers:respond", kwargs={"token": token})
        body = (
            f"Dear {m.profile.full_name},\n\n{by.get_full_name()} invites you to join the peer team for "
            f"{review.title} as {m.slot_label.lower()}.\n\nThe dates:\n{_dates_text(review)}\n\n"
            f"Please accept or decline here (the link works once):\n{link}\n"
        )
        email = m.profile.email
        transaction.on_commit(
            lambda body=body, email=email: send_mail(f"Invitation: {review.title}", body, None, [email])
        )
        audit.record("team.peer_invited", by=by, review=review, obj=inv, summary=f"{m.profile.email} as {m.slot_label}")
        sent.append(inv)
    return sent


@transaction.atomic
def respond(invitation: PeerInvitation, *, accept: bool, reason: str = "") -> PeerInvitation:
    """The invited peer accepts (they become a member with the slot's role) or declines (the slot reopens)."""
    invitation = PeerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.response != PeerInvitation.Response.PENDING:
        raise TeamError("You have already answered this invitation")
    review, profile = invitation.review, invitation.profile
    invitation.responded_at = timezone.now()
    actor = profile.user
    if accept:
        role = review_role_for_slot(invitation.slot_code)
        existing = review.memberships.active().filter(user__email__iexact=profile.email).first()
        if existing is None:
            membership = review_actions.add_member(
                review,
                by=actor or invitation.sent_by,
                email=profile.email,
                full_name=profile.full_name,
                role=role,
                organisation=profile.organisation,
                job_title=profile.job_title,
            )
        else:
            membership = existing
        if profile.user_id is None:
            profile.user = membership.user
        profile.reviews_this_year += 1
        profile.reviews_total += 1
        profile.save(update_fields=["user", "reviews_this_year", "reviews_total", "updated"])
        invitation.response = PeerInvitation.Response.ACCEPTED
        invitation.membership = membership
        invitation.save()
        audit.record(
            "team.invitation_accepted", by=actor, review=review, obj=invitation, summary=f"{profile.email} accepted"
        )
    else:
        invitation.response = PeerInvitation.Response.DECLINED
        invitation.decline_reason = reason.strip()[:500]
        invitation.save()
        proposal = proposal_for(review)
        ProposedMember.objects.filter(proposal=proposal, profile=profile).update(
            excluded=True, pinned=False, slot_code="", slot_label="", reasons=[], note="Declined the invitation"
        )
        audit.record(
            "team.invitation_declined",
            by=actor,
            review=review,
            obj=invitation,
            summary=f"{profile.email} declined: {invitation.decline_reason}"[:300],
        )
    return invitation


@transaction.atomic
def plan_season(reviews, *, by) -> TeamRun:
    if not reviews:
        raise TeamError("There are no upcoming reviews to staff")
    problem = build.season_problem(reviews)
    run, result = run_solver(problem, kind=TeamRun.Kind.SEASON, by=by)
    audit.record(
        "team.season_planned",
        by=by,
        obj=run,
        summary=f"{len(reviews)} reviews, {result.status}, objective {result.objective}, bound {result.bound}",
    )
    return run


@transaction.atomic
def apply_season(run: TeamRun, reviews, *, by) -> list:
    """Make the season plan each review's draft proposal, except where a team is with the host or invited."""
    applied = []
    for review in reviews:
        assignments = run.result.get("teams", {}).get(f"r{review.pk}")
        if assignments is None:
            continue
        proposal = proposal_for(review)
        if (
            proposal.status in (TeamProposal.Status.SENT, TeamProposal.Status.ACCEPTED)
            or PeerInvitation.objects.filter(review=review).exists()
        ):
            continue
        labels = build.slot_labels(review)
        chosen = {int(a["peer_id"][1:]): a for a in assignments}
        proposal.members.filter(excluded=False).exclude(profile_id__in=list(chosen)).delete()
        excluded = set(proposal.members.filter(excluded=True).values_list("profile_id", flat=True))
        for pid, a in chosen.items():
            if pid in excluded:
                continue
            ProposedMember.objects.update_or_create(
                proposal=proposal,
                profile_id=pid,
                defaults={
                    "slot_code": a["slot_code"],
                    "slot_label": labels.get(a["slot_code"], a["slot_code"]),
                    "reasons": [build.humanise(r) for r in a["reasons"]],
                },
            )
        proposal.run = run
        proposal.status = TeamProposal.Status.DRAFT
        proposal.save()
        audit.record("team.season_applied", by=by, review=review, obj=proposal, summary=f"From season run {run.pk}")
        applied.append(review)
    return applied


def solve_triads(*, by, councils: list[str], last_year: list[tuple[str, str, str]], conflicts: list[tuple[str, str]]):
    problem = solver.TriadProblem(tuple(councils), tuple(solver.Triad(*t) for t in last_year), tuple(conflicts))
    result = solver.solve_triads(problem, time_limit=10.0)
    audit.record("team.triads_planned", by=by, summary=f"{len(councils)} councils: {result.status}")
    return result
