"""A PCM imports the pool, gets a recommended team with reasons, pins a person, re-solves, sends the team to the
host sponsor, who accepts it, and invites the team. axe checks every page on the way."""

import pytest

from peerreview.core.browser import assert_accessible, sign_in_browser
from peerreview.core.roles import Role
from peerreview.core.testing import make_review, make_user
from peerreview.peers.models import PeerInvitation, TeamProposal
from peerreview.peers.testing import SMALL_POOL
from peerreview.reviews import actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pool_csv(tmp_path, pcm_email):
    lines = ["email,full_name,organisation,role,specialisms,reviews_total,yearly_cap"]
    for key, name, org, role, specialisms, total in SMALL_POOL:
        lines.append(f"{key}@pool.example.org,{name},{org},{role},{';'.join(specialisms)},{total},1")
    lines.append("health.devon@pool.example.org,Hana Lowe,devon,health,,0,1")
    lines.append(f"{pcm_email},Priya Shah,lga,pcm,leadership,20,12")
    path = tmp_path / "pool.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_pcm_forms_a_team_and_invites_it(browser_page, live_server, mailoutbox, tmp_path, settings):
    settings.PEERS_REVIEW_SECONDS = 2.0
    page = browser_page
    pcm = make_user("pcm@example.org", is_lga_staff=True, full_name="Priya Shah")
    sponsor = make_user("sponsor@example.org", full_name="Claire Lawson")
    review = make_review(pcm=pcm, host_code="kent")
    actions.add_member(review, by=pcm, email=sponsor.email, full_name=sponsor.full_name, role=Role.SPONSOR)
    actions.choose_lines(
        review,
        by=pcm,
        question_codes=["leadership.self_knowledge", "front_door.thresholds", "child_protection.neglect"],
    )

    sign_in_browser(page, live_server, "pcm@example.org")
    page.get_by_role("link", name="Peer pool").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Import the pool").click()
    page.get_by_role("button", name="Check and import").click()  # no file: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Upload a CSV or XLSX file").set_input_files(str(_pool_csv(tmp_path, pcm.email)))
    page.get_by_role("button", name="Check and import").click()
    assert page.get_by_text("Pool imported: 13 people added").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    page.get_by_role("link", name="Team", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Recommend a team").click()
    assert page.get_by_role("cell", name="Yvonne Dale").first.is_visible()
    assert page.get_by_text("conflict: neighbouring council").first.is_visible()
    assert page.get_by_text("Covers").first.is_visible()
    assert_accessible(page)

    proposal = TeamProposal.objects.get(review=review)
    chosen = {m.profile.email for m in proposal.team()}
    outside = next(
        e
        for e in ("health.devon@pool.example.org", "police.lancs@pool.example.org", "ca.norfolk@pool.example.org")
        if e not in chosen
    )
    page.get_by_label("Email address of a person in the pool").fill(outside)
    page.get_by_role("button", name="Pin to the team").click()
    assert_accessible(page)
    page.get_by_role("button", name="Find a team again").click()
    assert page.get_by_text("Pinned by the manager").first.is_visible()
    page.screenshot(path="/tmp/peers-team.png", full_page=True)
    assert outside in {m.profile.email for m in TeamProposal.objects.get(review=review).team()}
    assert_accessible(page)

    page.get_by_role("button", name="Send to the host for approval").click()
    assert page.get_by_text("Waiting for the host sponsor").is_visible()
    assert_accessible(page)

    sign_in_browser(page, live_server, "sponsor@example.org")
    page.goto(f"{live_server.url}/reviews/{review.pk}/team/approval/")
    assert_accessible(page)
    page.get_by_role("button", name="Send my decision").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Yes, accept the team").check()
    page.get_by_role("button", name="Send my decision").click()
    assert page.get_by_text("Your decision has been sent").is_visible()

    sign_in_browser(page, live_server, "pcm@example.org")
    page.goto(f"{live_server.url}/reviews/{review.pk}/team/")
    page.get_by_role("button", name="Invite the team").click()
    assert page.get_by_text("Invitations sent to").is_visible()
    assert_accessible(page)
    invited = PeerInvitation.objects.filter(review=review)
    assert invited.count() >= 5
    assert {m.to[0] for m in mailoutbox} >= {i.profile.email for i in invited}
