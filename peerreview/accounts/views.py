from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from peerreview.core import audit

from . import actions
from .forms import ChoosePasswordForm, GovukPasswordResetForm, GovukSetPasswordForm, InviteUserForm, SignInForm
from .models import Invitation, SignInFailure, User


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        since = timezone.now() - timedelta(seconds=settings.SIGN_IN_LOCKOUT_SECONDS)
        if SignInFailure.objects.filter(email=email, at__gte=since).count() >= settings.SIGN_IN_MAX_FAILURES:
            form.add_error(
                None, "Too many attempts to sign in. Wait 15 minutes, then try again, or reset your password."
            )
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                SignInFailure.objects.create(email=email, ip=request.META.get("REMOTE_ADDR"))
                form.add_error("email", "Enter a correct email address and password")
            else:
                SignInFailure.objects.filter(email=email).delete()
                login(request, user)
                audit.record("account.signed_in", by=user, obj=user)
                next_url = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(
                    next_url, {request.get_host()}, require_https=request.is_secure()
                ):
                    next_url = settings.LOGIN_REDIRECT_URL
                return redirect(next_url)
    return render(request, "accounts/sign_in.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect("accounts:sign_in")
    response["Clear-Site-Data"] = '"cache", "storage"'
    messages.success(request, "You have signed out.")
    return response


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=204)


@login_not_required
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("user").filter(token_hash=Invitation.hash(token)).first()
    if invitation is None or not invitation.is_usable:
        return render(request, "accounts/invitation_expired.html", status=410)
    form = ChoosePasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.accept_invitation(request, invitation, form.cleaned_data["password1"])
        messages.success(request, "Your password is set and you are signed in.")
        return redirect("reviews:home")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation})


def users(request: HttpRequest) -> HttpResponse:
    form = InviteUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if User.objects.filter(email=form.cleaned_data["email"].lower()).exists():
            form.add_error("email", "Someone with this email address already has an account")
        else:
            user = actions.find_or_create_user(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                is_lga_staff=form.cleaned_data["is_lga_staff"],
            )
            actions.send_invitation(user, by=request.user)
            messages.success(request, f"Invitation sent to {user.email}")
            return redirect("accounts:users")
    people = User.objects.select_related("organisation").order_by("full_name")
    return render(request, "accounts/users.html", {"form": form, "people": people})


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=GovukPasswordResetForm,
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=GovukSetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
