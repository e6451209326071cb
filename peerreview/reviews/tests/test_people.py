"""People in a review: invitations, roles with a validity window, removal, and the confidentiality agreement."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from peerreview.accounts.models import Invitation, User
from peerreview.core.models import AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import error_messages, make_user, sign_in
from peerreview.reviews import actions
from peerreview.reviews.models import ConfidentialityAcceptance, Membership

pytestmark = pytest.mark.django_db


def _url(name, review, **kw):
    return reverse(f"reviews:{name}", kwargs={"review_id": review.pk, **kw})


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_pcm_invites_a_new_person_who_gets_a_set_password_email(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(Role.PCM).post(
            _url("invite", world.review),
            {"full_name": "Rosa Diaz", "email": "Rosa.Diaz@Example.org", "role": Role.PEER, "job_title": "PSW"},
        )
    assert response.status_code == 302 and response["Location"] == _url("people", world.review)
    rosa = User.objects.get(email="rosa.diaz@example.org")
    membership = world.review.memberships.get(user=rosa)
    assert membership.role == Role.PEER and membership.added_by == world.members[Role.PCM]
    assert len(mail.outbox) == 1 and "as peer" in mail.outbox[0].body and "/invitations/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(review_ref=world.review.pk, verb="review.member_invited").exists()


def test_adding_someone_who_already_has_an_account_sends_no_invitation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.client(Role.PCM).post(
            _url("invite", world.review),
            {"full_name": "Outsider", "email": world.outsider.email, "role": Role.OBSERVER},
        )
    assert world.review.memberships.filter(user=world.outsider, role=Role.OBSERVER).exists()
    assert not mail.outbox
    assert AuditEvent.objects.filter(review_ref=world.review.pk, verb="review.member_added").exists()


def test_a_duplicate_invitation_is_refused_and_nothing_is_added(world, django_capture_on_commit_callbacks):
    peer = world.members[Role.PEER]
    before = Membership.objects.count(), Invitation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(Role.PCM).post(
            _url("invite", world.review), {"full_name": "Again", "email": peer.email.upper(), "role": Role.LEAD}
        )
    assert response.status_code == 200
    assert error_messages(response) == ["This person is already in this review. Check the list of people"]
    assert 'href="#id_email"' in response.content.decode()
    assert (Membership.objects.count(), Invitation.objects.count()) == before
    assert not mail.outbox


def test_an_incomplete_invitation_names_each_missing_answer(world):
    response = world.client(Role.PCM).post(_url("invite", world.review), {"full_name": "", "email": "nope"})
    assert error_messages(response) == [
        "Enter the person's full name",
        "Enter an email address in the correct format, like name@example.org",
        "Choose the person's role",
    ]
    assert 'href="#id_role_0"' in response.content.decode()


def test_pcm_removes_a_person_and_it_takes_effect_on_their_next_request(world):
    peer = world.members[Role.PEER]
    peer_client = sign_in(peer)
    assert peer_client.get(_url("detail", world.review)).status_code == 200
    membership = world.review.memberships.get(user=peer)
    response = world.client(Role.PCM).post(
        _url("revoke", world.review, membership_id=membership.pk), {"reason": "Conflict of interest"}
    )
    assert response.status_code == 302
    assert peer_client.get(_url("detail", world.review)).status_code == 404
    assert (
        peer_client.get(
            reverse("documents:download", kwargs={"review_id": world.review.pk, "document_id": world.document.pk})
        ).status_code
        == 404
    )
    membership.refresh_from_db()
    assert membership.revoked_reason == "Conflict of interest"
    assert "Access removed" in _text(world.client(Role.PCM).get(_url("people", world.review)))
    assert world.client(Role.PCM).get(_url("revoke", world.review, membership_id=membership.pk)).status_code == 404
    # Someone removed can be added back.
    actions.add_member(world.review, by=world.members[Role.PCM], email=peer.email, full_name="P", role=Role.PEER)
    assert peer_client.get(_url("detail", world.review)).status_code == 200


def test_removal_needs_a_reason_and_the_pcm_cannot_remove_themselves(world):
    pcm_membership = world.review.memberships.get(role=Role.PCM)
    peer_membership = world.review.memberships.get(role=Role.PEER)
    client = world.client(Role.PCM)
    response = client.post(_url("revoke", world.review, membership_id=peer_membership.pk), {"reason": ""})
    assert error_messages(response) == ["Enter the reason for removing access"]
    response = client.post(_url("revoke", world.review, membership_id=pcm_membership.pk), {"reason": "Leaving"})
    assert error_messages(response) == ["You cannot remove your own access"]
    assert not Membership.objects.filter(revoked_at__isnull=False).exists()


def test_membership_counts_only_inside_its_window(world):
    peer = world.members[Role.PEER]
    membership = world.review.memberships.get(user=peer)
    client = sign_in(peer)
    membership.valid_from = timezone.now() + datetime.timedelta(hours=1)
    membership.save()
    assert client.get(_url("detail", world.review)).status_code == 404
    membership.valid_from = timezone.now() - datetime.timedelta(days=1)
    membership.valid_until = timezone.now() + datetime.timedelta(hours=1)
    membership.save()
    assert client.get(_url("detail", world.review)).status_code == 200
    membership.valid_until = timezone.now() - datetime.timedelta(seconds=1)
    membership.save()
    assert client.get(_url("detail", world.review)).status_code == 404
    assert world.review.title not in client.get(reverse("reviews:home")).content.decode()


def test_non_pcm_roles_do_not_see_removed_people(world):
    peer_membership = world.review.memberships.get(role=Role.PEER)
    actions.revoke_member(peer_membership, by=world.members[Role.PCM], reason="Left")
    page = _text(world.client(Role.LEAD).get(_url("people", world.review)))
    assert world.members[Role.PEER].full_name not in page


# Confidentiality


def _newcomer(world, role=Role.PEER):
    user = make_user(f"new.{role}@example.org")
    actions.add_member(world.review, by=world.members[Role.PCM], email=user.email, full_name=user.full_name, role=role)
    return user


def test_a_team_member_sees_no_document_until_they_accept(world):
    newcomer = _newcomer(world)
    client = sign_in(newcomer)
    download = reverse("documents:download", kwargs={"review_id": world.review.pk, "document_id": world.document.pk})
    for url in (reverse("documents:list", kwargs={"review_id": world.review.pk}), download):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == _url("confidentiality", world.review)
    page = _text(client.get(_url("confidentiality", world.review)))
    assert "Accept the confidentiality agreement before you see this review" in page
    assert "I accept this agreement" in page
    assert client.get(download).status_code == 302


def test_acceptance_records_the_time_the_version_and_the_text_hash(world):
    newcomer = _newcomer(world)
    client = sign_in(newcomer)
    before = timezone.now()
    response = client.post(_url("confidentiality", world.review))
    assert response.status_code == 302 and response["Location"] == _url("detail", world.review)
    acceptance = ConfidentialityAcceptance.objects.get(membership__user=newcomer)
    agreement = world.review.review_type.agreement
    assert acceptance.version == agreement["version"]
    assert acceptance.text_sha256 == ConfidentialityAcceptance.digest(agreement["text"])
    assert len(acceptance.text_sha256) == 64
    assert before <= acceptance.accepted_at <= timezone.now()
    assert AuditEvent.objects.filter(verb="review.confidentiality_accepted", actor=newcomer).count() == 1
    download = reverse("documents:download", kwargs={"review_id": world.review.pk, "document_id": world.document.pk})
    assert client.get(download).status_code == 200
    # Accepting twice is not recorded twice.
    client.post(_url("confidentiality", world.review))
    assert ConfidentialityAcceptance.objects.filter(membership__user=newcomer).count() == 1


def test_host_staff_do_not_need_to_accept(world):
    organiser = _newcomer(world, Role.ORGANISER)
    client = sign_in(organiser)
    assert client.get(reverse("documents:list", kwargs={"review_id": world.review.pk})).status_code == 200
    page = _text(client.get(_url("confidentiality", world.review)))
    assert "Host council staff do not need to accept this agreement" in page
    client.post(_url("confidentiality", world.review))
    assert not ConfidentialityAcceptance.objects.filter(membership__user=organiser).exists()


def test_pcm_sees_who_has_not_accepted_on_the_people_and_confidentiality_pages(world):
    newcomer = _newcomer(world)
    client = world.client(Role.PCM)
    people = _text(client.get(_url("people", world.review)))
    assert f"Not yet accepted the confidentiality agreement: {newcomer.full_name}." in people
    confidentiality = _text(client.get(_url("confidentiality", world.review)))
    row = confidentiality[confidentiality.index(newcomer.full_name) :][:300]
    assert "Not yet" in row
    # A peer does not see the list of who has accepted.
    assert "Who has accepted" not in _text(world.client(Role.PEER).get(_url("confidentiality", world.review)))
    sign_in(newcomer).post(_url("confidentiality", world.review))
    assert "Not yet accepted" not in _text(client.get(_url("people", world.review)))


def test_accepting_an_older_version_of_the_agreement_does_not_count(world):
    newcomer = _newcomer(world)
    membership = world.review.memberships.get(user=newcomer)
    version = world.review.review_type.agreement["version"]
    ConfidentialityAcceptance.objects.create(membership=membership, version=version - 1, text_sha256="0" * 64)
    response = sign_in(newcomer).get(reverse("documents:list", kwargs={"review_id": world.review.pk}))
    assert response.status_code == 302 and response["Location"] == _url("confidentiality", world.review)
