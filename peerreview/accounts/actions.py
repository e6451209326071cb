"""State changes for accounts: inviting people and redeeming invitations. Each writes an audit row."""

from django.conf import settings
from django.contrib.auth import login
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peerreview.core import audit

from .models import Invitation, User


class InvitationError(Exception):
    pass


def find_or_create_user(*, email: str, full_name: str, organisation=None, job_title: str = "", is_lga_staff=False):
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, full_name=full_name, organisation=organisation, job_title=job_title, is_lga_staff=is_lga_staff
        )
    return user


@transaction.atomic
def send_invitation(user: User, *, by: User | None, context: str = "") -> Invitation:
    invitation, token = Invitation.issue(user, by=by)
    link = settings.SITE_ROOT + reverse("accounts:accept_invitation", kwargs={"token": token})
    inviter = by.get_full_name() if by else "The peer review team"
    body = (
        f"Dear {user.get_full_name()},\n\n{inviter} has invited you to use {settings.SITE_NAME}.\n"
        f"{context}\n\nSet your password here (the link works once and expires in {settings.INVITATION_DAYS} days):\n"
        f"{link}\n"
    )
    transaction.on_commit(lambda: send_mail(f"You are invited to {settings.SITE_NAME}", body, None, [user.email]))
    audit.record("account.invited", by=by, obj=user, summary=f"Invited {user.email}")
    return invitation


@transaction.atomic
def accept_invitation(request, invitation: Invitation, password: str) -> User:
    if not invitation.is_usable:
        raise InvitationError("This invitation link has expired or been used. Ask for a new one.")
    invitation.used = timezone.now()
    invitation.save(update_fields=["used"])
    user = invitation.user
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    audit.record("account.invitation_accepted", by=user, obj=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user
