"""Signing in and out, invitations, password reset, throttling and the idle timeout, through the pages people use."""

import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from peerreview.accounts import actions
from peerreview.accounts.models import Invitation, SignInFailure, User
from peerreview.core.models import AuditEvent
from peerreview.core.testing import PASSWORD, QualityClient, error_messages, make_user, sign_in

pytestmark = pytest.mark.django_db
SIGN_IN = "/sign-in/"
NEW_PASSWORD = "correct horse battery staple"


def _sign_in(client, email, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"email": email, "password": password}, **extra)


def _link(message) -> str:
    return (
        re.search(r"http://[^\s]+", message.body)
        .group(0)
        .removeprefix(settings.SITE_ROOT)
        .removeprefix("http://testserver")
    )


def test_production_settings_hash_passwords_with_argon2():
    from django.test.utils import override_settings

    from peerreview import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        user = make_user("argon@example.org")
        assert user.password.startswith("argon2$")


def test_console_email_backend_is_the_default():
    from peerreview import settings as project_settings

    assert project_settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_person_signs_in_with_email_and_password_and_lands_on_their_reviews():
    make_user("pat@example.org")
    client = QualityClient()
    response = _sign_in(client, "  PAT@example.org ".strip())
    assert response.status_code == 302 and response["Location"] == reverse("reviews:home")
    assert client.get(reverse("reviews:home")).status_code == 200
    assert AuditEvent.objects.filter(verb="account.signed_in").count() == 1


def test_sign_in_goes_to_the_next_page_but_never_to_another_site():
    make_user("pat@example.org")
    response = _sign_in(QualityClient(), "pat@example.org", QUERY_STRING="next=/privacy/")
    assert response["Location"] == "/privacy/"
    response = _sign_in(QualityClient(), "pat@example.org", QUERY_STRING="next=https://evil.example.com/")
    assert response["Location"] == reverse("reviews:home")


def test_wrong_password_shows_a_message_linked_to_the_email_field():
    make_user("pat@example.org")
    response = _sign_in(QualityClient(), "pat@example.org", "wrong password here")
    assert response.status_code == 200
    assert error_messages(response) == ["Enter a correct email address and password"]
    assert 'href="#id_email"' in response.content.decode()
    assert "_auth_user_id" not in QualityClient().session


def test_empty_sign_in_form_names_both_fields():
    response = QualityClient().post(SIGN_IN, {"email": "", "password": ""})
    assert error_messages(response) == ["Enter your email address", "Enter your password"]
    assert response.content.decode().count("govuk-form-group--error") == 2


def test_sign_in_pauses_after_five_failures_even_with_the_right_password():
    make_user("pat@example.org")
    client = QualityClient()
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        assert error_messages(_sign_in(client, "pat@example.org", "guess guess guess")) == [
            "Enter a correct email address and password"
        ]
    response = _sign_in(client, "pat@example.org")
    assert response.status_code == 200
    assert error_messages(response)[0].startswith("Too many attempts to sign in")
    assert "_auth_user_id" not in client.session
    # Another person's account is not affected.
    make_user("sam@example.org")
    assert _sign_in(QualityClient(), "sam@example.org").status_code == 302


def test_old_failures_do_not_count_towards_the_pause():
    make_user("pat@example.org")
    old = timezone.now() - timezone.timedelta(seconds=settings.SIGN_IN_LOCKOUT_SECONDS + 60)
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        SignInFailure.objects.create(email="pat@example.org")
    SignInFailure.objects.update(at=old)
    assert _sign_in(QualityClient(), "pat@example.org").status_code == 302
    assert not SignInFailure.objects.filter(email="pat@example.org").exists()


def test_sign_out_needs_a_post_and_ends_the_session():
    user = make_user("pat@example.org")
    client = sign_in(user)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    assert client.get(reverse("reviews:home")).status_code == 200
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign_in")
    assert "cache" in response["Clear-Site-Data"]
    assert client.get(reverse("reviews:home")).status_code == 302


def test_pasting_is_never_blocked_and_sign_in_fields_have_autocomplete():
    page = QualityClient().get(SIGN_IN).content.decode()
    assert "onpaste" not in page.lower()
    assert re.search(r'<input[^>]*type="email"[^>]*autocomplete="email"|<input[^>]*autocomplete="email"', page)
    assert 'autocomplete="current-password"' in page
    reset = QualityClient().get(reverse("accounts:password_reset")).content.decode()
    assert 'autocomplete="email"' in reset and "onpaste" not in reset.lower()


def test_admin_invites_a_person_who_sets_a_password_through_the_emailed_link(django_capture_on_commit_callbacks):
    admin = make_user("admin@example.org", is_platform_admin=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(admin).post(
            reverse("accounts:users"), {"full_name": "Nia Patel", "email": "Nia.Patel@Example.org"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nia.patel@example.org"]
    link = _link(mail.outbox[0])
    invitee = User.objects.get(email="nia.patel@example.org")
    assert not invitee.has_usable_password()

    client = QualityClient()
    page = client.get(link).content.decode()
    assert page.count('autocomplete="new-password"') == 2 and "onpaste" not in page.lower()
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("reviews:home")
    assert client.get(reverse("reviews:home")).status_code == 200  # signed in
    invitee.refresh_from_db()
    assert invitee.check_password(NEW_PASSWORD)
    # The link works once.
    assert QualityClient().get(link).status_code == 410
    assert QualityClient().post(link, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 410
    invitee.refresh_from_db()
    assert invitee.check_password(NEW_PASSWORD)
    assert _sign_in(QualityClient(), "nia.patel@example.org", NEW_PASSWORD).status_code == 302


def test_an_invitation_link_expires(django_capture_on_commit_callbacks):
    user = User.objects.create_user("late@example.org", full_name="Late Person")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = actions.send_invitation(user, by=None)
    Invitation.objects.filter(pk=invitation.pk).update(expires=timezone.now() - timezone.timedelta(seconds=1))
    response = QualityClient().get(_link(mail.outbox[0]))
    assert response.status_code == 410
    assert "This invitation link has expired" in response.content.decode()
    assert QualityClient().get(reverse("accounts:accept_invitation", kwargs={"token": "made-up"})).status_code == 410


def test_only_a_hash_of_the_invitation_token_is_stored(django_capture_on_commit_callbacks):
    user = User.objects.create_user("hash@example.org", full_name="Hash Person")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = actions.send_invitation(user, by=None)
    token = _link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash and invitation.token_hash == Invitation.hash(token)


def test_weak_or_mismatched_passwords_are_refused_with_messages(django_capture_on_commit_callbacks):
    user = User.objects.create_user("weak@example.org", full_name="Weak Person")
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_invitation(user, by=None)
    link = _link(mail.outbox[0])
    response = QualityClient().post(link, {"password1": "password", "password2": "password"})
    messages = error_messages(response)
    assert "Password must be 12 characters or more" in messages
    assert any(m.startswith("This password is too common") for m in messages)
    response = QualityClient().post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "!"})
    assert error_messages(response) == ["The passwords do not match. Enter the same password twice"]
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert Invitation.objects.get(user=user).used is None


def test_inviting_someone_who_already_has_an_account_is_refused():
    admin = make_user("admin@example.org", is_platform_admin=True)
    make_user("pat@example.org")
    response = sign_in(admin).post(reverse("accounts:users"), {"full_name": "Pat", "email": "PAT@example.org"})
    assert error_messages(response) == ["Someone with this email address already has an account"]
    assert not Invitation.objects.exists() and not mail.outbox


def test_password_reset_through_the_emailed_link():
    user = make_user("pat@example.org")
    client = QualityClient()
    response = client.post(reverse("accounts:password_reset"), {"email": "pat@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302  # Django swaps the token for a session marker
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link cannot be used again.
    again = QualityClient().get(link, follow=True)
    assert "new_password1" not in again.content.decode()


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing():
    response = QualityClient().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert not mail.outbox


def test_password_reset_with_mismatched_passwords_shows_the_message():
    make_user("pat@example.org")
    client = QualityClient()
    client.post(reverse("accounts:password_reset"), {"email": "pat@example.org"})
    form_url = client.get(_link(mail.outbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "something else entirely"})
    assert error_messages(response) == ["The passwords do not match. Enter the same password twice"]


def _age_session(client, seconds: float) -> None:
    session = client.session
    session["last_seen"] = time.time() - seconds
    session.save()


def test_an_idle_session_is_signed_out_with_a_message():
    client = sign_in(make_user("pat@example.org"))
    assert client.get(reverse("reviews:home")).status_code == 200
    _age_session(client, settings.SESSION_IDLE_SECONDS + 5)
    response = client.get(reverse("reviews:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign_in")
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had been inactive" in page
    assert client.get(reverse("reviews:home")).status_code == 302


def test_keep_alive_extends_the_session():
    client = sign_in(make_user("pat@example.org"))
    client.get(reverse("reviews:home"))
    _age_session(client, settings.SESSION_IDLE_SECONDS - 30)
    assert client.get(reverse("accounts:keep_alive")).status_code == 405
    assert client.post(reverse("accounts:keep_alive")).status_code == 204
    assert time.time() - client.session["last_seen"] < 5
    assert client.get(reverse("reviews:home")).status_code == 200


def test_keep_alive_after_the_timeout_does_not_revive_the_session():
    client = sign_in(make_user("pat@example.org"))
    client.get(reverse("reviews:home"))
    _age_session(client, settings.SESSION_IDLE_SECONDS + 5)
    assert client.post(reverse("accounts:keep_alive")).status_code == 302
    assert client.get(reverse("reviews:home")).status_code == 302


def test_pages_tell_the_browser_how_long_the_idle_timeout_is():
    page = sign_in(make_user("pat@example.org")).get(reverse("reviews:home")).content.decode()
    assert f'data-idle-seconds="{settings.SESSION_IDLE_SECONDS}"' in page
    assert f'data-keep-alive-url="{reverse("accounts:keep_alive")}"' in page


def test_a_deactivated_account_cannot_sign_in():
    make_user("gone@example.org", is_active=False)
    response = _sign_in(QualityClient(), "gone@example.org")
    assert response.status_code == 200
    assert error_messages(response) == ["Enter a correct email address and password"]


def test_a_session_ends_at_the_absolute_limit_even_when_active():
    client = sign_in(make_user("pat@example.org"))
    client.get(reverse("reviews:home"))
    session = client.session
    session["signed_in_at"] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    assert client.get(reverse("reviews:home")).status_code == 302
    assert client.get(reverse("reviews:home")).status_code == 302


def test_resetting_the_password_signs_out_other_sessions():
    user = make_user("pat@example.org")
    elsewhere = sign_in(user)
    assert elsewhere.get(reverse("reviews:home")).status_code == 200
    client = QualityClient()
    client.post(reverse("accounts:password_reset"), {"email": "pat@example.org"})
    form_url = client.get(_link(mail.outbox[0]))["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert elsewhere.get(reverse("reviews:home")).status_code == 302
