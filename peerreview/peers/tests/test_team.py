"""The team page: recommend, explain, pin, exclude, re-solve, host approval, invitations, decline reopens a slot."""

import io
import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from peerreview.core.models import AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import QualityClient, error_messages, sign_in
from peerreview.peers import build
from peerreview.peers.models import HostDecision, PeerInvitation, PeerProfile, TeamProposal
from peerreview.reviews import actions as review_actions
from peerreview.solver.teams import check
from peerreview.solver.teams import io as solver_io


def url(name, world, **kw):
    return reverse(f"peers:{name}", kwargs={"review_id": world.review.pk, **kw})


def _lines(world):
    review_actions.choose_lines(
        world.review,
        by=world.members[Role.PCM],
        question_codes=["leadership.self_knowledge", "front_door.thresholds", "child_protection.neglect"],
    )


def team_names(review) -> set[str]:
    return {m.profile.full_name for m in TeamProposal.objects.get(review=review).team()}


def test_build_gives_the_solver_the_host_neighbours_weeks_lines_and_slots(world):
    _lines(world)
    problem = build.review_problem(world.review)
    r = problem.reviews[0]
    assert r.host_org == "kent" and {"medway", "surrey"} <= r.neighbour_orgs
    assert r.lines_of_enquiry == {"leadership", "front_door", "child_protection"}
    assert len(r.weeks) >= 2  # the case record review week and the delivery week
    assert [s.code for s in r.slots][:4] == ["lead", "operational", "pcm", "case_auditor"]
    # The review's PCM is already a member and has a profile, so they are kept.
    assert world.extra["pool"]["pcm"].solver_id in r.pinned


def test_recommend_explains_each_pick_and_why_stronger_candidates_lost(world):
    _lines(world)
    client = world.client(Role.PCM)
    assert client.get(url("team", world)).status_code == 200
    response = client.post(url("solve", world), follow=True)
    html = response.content.decode()
    names = team_names(world.review)
    # Kent's own AD and neighbouring Medway's AD cover more lines but are conflicted; York's DCS leads.
    assert "Yvonne Dale" in names and "Kieran Ash" not in names and "Mina Ward" not in names
    assert "Covers" in html
    assert "conflict: works for the host council" in html
    assert "conflict: neighbouring council" in html
    # Surrey is a neighbour too, so its strong operational manager is not picked.
    assert "Sue Rey" not in names
    problem = solver_io.problem_from_json(TeamProposal.objects.get(review=world.review).run.problem)
    teams = {
        problem.reviews[0].id: [
            (f"p{m.profile_id}", m.slot_code) for m in TeamProposal.objects.get(review=world.review).team()
        ]
    }
    assert check(problem, teams) == []
    assert AuditEvent.objects.filter(verb="team.recommended", review_ref=world.review.pk).exists()


def test_pin_and_exclude_then_resolve(world):
    from peerreview.councils.models import Organisation

    _lines(world)
    for code in ("norfolk", "suffolk", "devon"):
        org = Organisation.objects.get(code=code)
        PeerProfile.objects.create(
            email=f"health.{code}@pool.example.org", full_name=f"Health {code.title()}", organisation=org, role="health"
        )
    client = world.client(Role.PCM)
    client.post(url("solve", world))
    pool = world.extra["pool"]
    # Four multi-agency candidates for at most two places: pin one who was left out.
    outside = (
        PeerProfile.objects.filter(role__in=["health", "police"])
        .exclude(full_name__in=team_names(world.review))
        .first()
    )
    response = client.post(url("pin", world), {"email": outside.email})
    assert response.status_code == 302
    client.post(url("change_member", world, profile_id=pool["hos.plymouth"].pk), {"action": "exclude"})
    client.post(url("solve", world))
    names = team_names(world.review)
    assert outside.full_name in names
    assert "Paul Hill" not in names
    proposal = TeamProposal.objects.get(review=world.review)
    assert proposal.members.get(profile=outside).pinned
    assert proposal.members.get(profile=pool["hos.plymouth"]).excluded
    html = client.get(url("team", world)).content.decode()
    assert "Pinned by the manager" in html and "Kept out of this team" in html
    # Unpin and allow again.
    client.post(url("change_member", world, profile_id=outside.pk), {"action": "unpin"})
    client.post(url("change_member", world, profile_id=pool["hos.plymouth"].pk), {"action": "unpin"})
    assert not proposal.members.get(profile=outside).pinned
    assert not proposal.members.filter(profile=pool["hos.plymouth"]).exists()


def test_pin_with_an_unknown_email_shows_the_error_summary(world):
    client = world.client(Role.PCM)
    response = client.post(url("pin", world), {"email": "nobody@example.org"})
    assert response.status_code == 200
    assert error_messages(response) == ["Enter the email address of a person in the peer pool"]
    response = client.post(url("pin", world), {"email": ""})
    assert error_messages(response) == ["Enter the email address of a person in the peer pool"]


def test_when_no_team_is_possible_the_page_names_the_rule_and_role(world):
    for p in PeerProfile.objects.filter(role="case_auditor"):
        p.organisation_id = world.review.host_id
        p.save()
    PeerProfile.objects.filter(role__in=["operational_manager", "principal_social_worker"]).update(is_active=False)
    client = world.client(Role.PCM)
    html = client.post(url("solve", world), follow=True).content.decode()
    assert "No team meets every rule" in html
    assert "case auditors" in html.lower() and "conflict" in html
    assert "unfilled" in html


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the emails) as a real transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _propose_and_send(world, commit):
    _lines(world)
    client = world.client(Role.PCM)
    client.post(url("solve", world))
    with commit():
        client.post(url("send", world))
    return client


def test_host_accepts_then_pcm_invites(world, commit):
    client = _propose_and_send(world, commit)
    assert TeamProposal.objects.get(review=world.review).status == TeamProposal.Status.SENT
    assert any("Proposed peer team" in m.subject for m in mail.outbox)
    sponsor = world.client(Role.SPONSOR)
    page = sponsor.get(url("approval", world))
    assert "Yvonne Dale" in page.content.decode()
    response = sponsor.post(url("approval", world), {"decision": "accepted"})
    assert response.status_code == 302
    assert HostDecision.objects.get().decision == "accepted"
    assert AuditEvent.objects.filter(verb="team.host_accepted").exists()
    mail.outbox.clear()
    with commit():
        client.post(url("invite", world))
    invited = PeerInvitation.objects.filter(review=world.review)
    team = TeamProposal.objects.get(review=world.review).team()
    assert invited.count() == team.count() - 1  # the PCM is already in the review
    assert len(mail.outbox) == invited.count()
    assert "Delivery starts" in mail.outbox[0].body
    # Sending again invites nobody twice.
    client.post(url("invite", world))
    assert PeerInvitation.objects.filter(review=world.review).count() == invited.count()


def test_host_asks_for_a_change_with_a_reason(world, commit):
    _propose_and_send(world, commit)
    sponsor = world.client(Role.SPONSOR)
    response = sponsor.post(url("approval", world), {"decision": "change"})
    assert response.status_code == 200
    assert error_messages(response) == ["Say what you would like changed and why"]
    response = sponsor.post(url("approval", world), {})
    assert error_messages(response) == ["Select whether you accept the team"]
    sponsor.post(url("approval", world), {"decision": "change", "reason": "We would like a health peer"})
    assert TeamProposal.objects.get(review=world.review).status == TeamProposal.Status.CHANGE_REQUESTED
    html = world.client(Role.PCM).get(url("team", world)).content.decode()
    assert "We would like a health peer" in html
    assert AuditEvent.objects.filter(verb="team.host_asked_for_change").exists()


def test_invite_before_host_approval_is_refused(world):
    _lines(world)
    client = world.client(Role.PCM)
    client.post(url("solve", world))
    html = client.post(url("invite", world), follow=True).content.decode()
    assert "must accept the team before you invite it" in html
    assert not PeerInvitation.objects.exists()


def _invited(world, commit):
    client = _propose_and_send(world, commit)
    world.client(Role.SPONSOR).post(url("approval", world), {"decision": "accepted"})
    mail.outbox.clear()
    with commit():
        client.post(url("invite", world))
    links = {}
    for m in mail.outbox:
        token = re.search(r"/team-invitations/([^/]+)/", m.body).group(1)
        links[m.to[0]] = token
    return client, links


def test_accepting_makes_a_membership_with_the_slots_role(world, commit):
    _client, links = _invited(world, commit)
    york = world.extra["pool"]["dcs.york"]
    anonymous = QualityClient()
    page = anonymous.get(reverse("peers:respond", kwargs={"token": links[york.email]}))
    assert page.status_code == 200 and "as review lead" in page.content.decode()
    response = anonymous.post(reverse("peers:respond", kwargs={"token": links[york.email]}), {})
    assert error_messages(response) == ["Select whether you accept the invitation"]
    anonymous.post(reverse("peers:respond", kwargs={"token": links[york.email]}), {"answer": "accept"})
    membership = world.review.memberships.get(user__email=york.email)
    assert membership.role == Role.LEAD
    york.refresh_from_db()
    assert york.user_id == membership.user_id and york.reviews_this_year == 1
    # Single use: the link no longer works.
    assert anonymous.get(reverse("peers:respond", kwargs={"token": links[york.email]})).status_code == 410
    auditor = next(m for m in TeamProposal.objects.get(review=world.review).team() if m.slot_code == "case_auditor")
    anonymous.post(reverse("peers:respond", kwargs={"token": links[auditor.profile.email]}), {"answer": "accept"})
    assert world.review.memberships.get(user__email=auditor.profile.email).role == Role.CASE_AUDITOR


def test_decline_reopens_the_slot_without_disturbing_the_others(world, commit):
    client, links = _invited(world, commit)
    proposal = TeamProposal.objects.get(review=world.review)
    before = {m.profile_id: m.slot_code for m in proposal.team()}
    decliner = next(m.profile for m in proposal.team() if m.slot_code == "operational")
    QualityClient().post(
        reverse("peers:respond", kwargs={"token": links[decliner.email]}), {"answer": "decline", "reason": "On leave"}
    )
    assert PeerInvitation.objects.get(profile=decliner).response == "declined"
    client.post(url("solve", world))
    after = {m.profile_id: m.slot_code for m in proposal.team()}
    assert decliner.pk not in after
    for pid, slot in before.items():
        if pid != decliner.pk:
            assert after.get(pid) == slot, "an invited person was moved"
    assert len([s for s in after.values() if s == "operational"]) >= 2  # the place was filled again
    assert AuditEvent.objects.filter(verb="team.invitation_declined").exists()


def test_problem_json_download_validates_with_the_solvers_loader(world):
    _lines(world)
    response = world.client(Role.PCM).get(url("problem_json", world))
    assert response["Content-Type"] == "application/json"
    problem = solver_io.problem_from_json(json.loads(response.content))
    assert problem.reviews[0].host_org == "kent"
    assert len(problem.peers) == PeerProfile.objects.count()


def test_export_team_problem_command_writes_a_solvable_file(world, tmp_path):
    from django.core.management import call_command

    from peerreview.solver.teams import solve

    _lines(world)
    path = tmp_path / "one.json"
    call_command("export_team_problem", str(world.review.pk), "--output", str(path), stdout=io.StringIO())
    result = solve(solver_io.problem_from_json(json.loads(path.read_text())), time_limit=2)
    assert result.status in ("optimal", "feasible")
    season = tmp_path / "season.json"
    call_command("export_team_problem", "--season", "--output", str(season), stdout=io.StringIO())
    assert len(solver_io.problem_from_json(json.loads(season.read_text())).reviews) == 2


@pytest.mark.parametrize("role", [Role.LEAD, Role.PEER, Role.SPONSOR, Role.ORGANISER])
def test_only_the_pcm_changes_the_team(world, role):
    assert world.client(role).post(url("solve", world)).status_code == 404
    assert not TeamProposal.objects.exists()


def test_other_reviews_sponsor_cannot_decide(world, commit):
    _propose_and_send(world, commit)
    other = sign_in(world.other_members[Role.SPONSOR])
    assert other.post(url("approval", world), {"decision": "accepted"}).status_code == 404
    assert TeamProposal.objects.get(review=world.review).status == TeamProposal.Status.SENT


def test_people_already_invited_keep_their_place_when_the_solver_swaps_them(world):
    from peerreview.peers.actions import _keep_fixed_slots
    from peerreview.peers.models import ProposedMember
    from peerreview.solver.teams import Assignment

    pool = world.extra["pool"]
    york, kent = pool["dcs.york"], pool["ad.kent"]
    proposal = TeamProposal.objects.create(review=world.review)
    ProposedMember.objects.create(proposal=proposal, profile=york, slot_code="lead", pinned=True)
    problem = build.review_problem(world.review)
    slots = {s.code: s for s in problem.reviews[0].slots}
    # The solver put York in the observer place and someone new in the lead place.
    chosen = {
        york.solver_id: Assignment(york.solver_id, "observer"),
        kent.solver_id: Assignment(kent.solver_id, "lead"),
    }
    placed = _keep_fixed_slots(proposal, world.review, chosen, problem, slots)
    assert placed == {york.solver_id: "lead", kent.solver_id: "observer"}


def test_changing_an_accepted_team_needs_the_host_again(world, commit):
    _propose_and_send(world, commit)
    world.client(Role.SPONSOR).post(url("approval", world), {"decision": "accepted"})
    client = world.client(Role.PCM)
    some = next(m.profile for m in TeamProposal.objects.get(review=world.review).team() if m.slot_code == "operational")
    client.post(url("change_member", world, profile_id=some.pk), {"action": "exclude"})
    client.post(url("solve", world))
    assert TeamProposal.objects.get(review=world.review).status == TeamProposal.Status.DRAFT


def test_short_notice_is_flagged(world):
    import datetime

    from django.utils import timezone

    review_actions.change_dates(
        world.review,
        by=world.members[Role.PCM],
        delivery_start=timezone.localdate() + datetime.timedelta(days=20),
        overrides={},
    )
    html = world.client(Role.PCM).get(url("team", world)).content.decode()
    assert "Delivery starts in 2 weeks" in html and "two to three months" in html
