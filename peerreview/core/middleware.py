import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from .forms import MAX_ID
from .permissions import PERMISSIONS
from .roles import TEAM


class SessionTimeoutMiddleware:
    """Idle and absolute session timeouts (the page warns before the idle one: WCAG 2.2.1)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault("signed_in_at", now)
            last = request.session.get("last_seen", now)
            if now - last > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "You were signed out because you had been inactive. Sign in again.")
                return redirect(reverse(settings.LOGIN_URL))
            request.session["last_seen"] = now
        return self.get_response(request)


class PermissionTableMiddleware:
    """Deny by default: every resolved view must have a row in PERMISSIONS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        rule = PERMISSIONS.get(match.view_name) if match else None
        if rule is None:
            raise Http404("No permission rule for this page")
        if any(isinstance(v, int) and v > MAX_ID for v in view_kwargs.values()):
            raise Http404  # no row has such an id, and SQLite cannot even look one up
        if rule.kind == "public":
            return None
        user = request.user
        if not user.is_authenticated:
            return None  # LoginRequiredMiddleware has already redirected; defensive only
        if not user.is_active:
            raise Http404
        if rule.kind == "signed_in":
            return None
        if rule.kind == "lga_staff":
            if not user.is_lga_staff:
                raise Http404
            return None
        if rule.kind == "platform_admin":
            if not user.is_platform_admin:
                raise Http404
            return None
        return self._review_rule(request, rule, view_kwargs)

    def _review_rule(self, request, rule, view_kwargs):
        from peerreview.reviews.models import Membership, Review

        review_id = view_kwargs.get("review_id")
        if review_id is None:
            raise Http404
        membership = Membership.objects.active_for(request.user, review_id)
        if membership is None or not rule.allows(membership.role):
            raise Http404
        review = Review.objects.select_related("review_type", "host").get(pk=review_id)
        membership.review = review  # the confidentiality check below reads the review's type: no second query
        if review.is_purged and request.resolver_match.view_name not in ("reviews:detail", "reviews:history"):
            raise Http404
        request.review = review
        request.membership = membership
        if rule.confidential and membership.role in TEAM and not membership.has_accepted_confidentiality():
            messages.warning(request, "Accept the confidentiality agreement before you see this review's material.")
            return redirect("reviews:confidentiality", review_id=review.pk)
        return None
