"""State changes for reviews. Each is atomic, checks what is allowed, and writes an audit row."""

import datetime

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from peerreview.accounts.actions import find_or_create_user, send_invitation
from peerreview.core import audit
from peerreview.core.roles import TEAM, Role

from .models import (
    ConfidentialityAcceptance,
    KeyDate,
    Membership,
    Review,
    ReviewLine,
    ScopingMeeting,
    Stage,
    add_months,
)


class ReviewError(Exception):
    """A state change that is not allowed, with a message that says what to do."""


def compute_key_dates(review_type, delivery_start: datetime.date) -> list[tuple[str, str, datetime.date]]:
    rows, known = [], {}
    for d in review_type.config["key_dates"]:
        if "days" in d:
            day = delivery_start + datetime.timedelta(days=d["days"])
        else:
            day = add_months(known[d["after"]], d["months"])
        known[d["code"]] = day
        rows.append((d["code"], d["label"], day))
    if not review_type.has_case_record_review:
        rows = [r for r in rows if not r[0].startswith("case_review")]
    return rows


def _set_key_dates(review: Review, *, keep_overrides: bool) -> None:
    existing = {d.code: d for d in review.key_dates.all()}
    rows = compute_key_dates(review.review_type, review.delivery_start)
    if not review.has_case_record_review:
        rows = [r for r in rows if not r[0].startswith("case_review")]
    for order, (code, label, day) in enumerate(rows):
        d = existing.get(code)
        if d is None:
            KeyDate.objects.create(review=review, code=code, label=label, date=day, order=order)
        elif not (keep_overrides and d.overridden):
            d.date, d.label, d.order, d.overridden = day, label, order, False
            d.save()


@transaction.atomic
def create_review(*, by, host, review_type, delivery_start, title="", has_case_record_review=None) -> Review:
    if delivery_start <= timezone.localdate():
        raise ReviewError("The delivery start date must be in the future")
    if has_case_record_review is None:
        has_case_record_review = review_type.has_case_record_review
    review = Review.objects.create(
        title=title or f"{review_type.name}: {host.display_name}",
        host=host,
        review_type=review_type,
        delivery_start=delivery_start,
        has_case_record_review=has_case_record_review and review_type.has_case_record_review,
        created_by=by,
        stage=Stage.REQUESTED,
    )
    _set_key_dates(review, keep_overrides=False)
    Membership.objects.create(review=review, user=by, role=Role.PCM, added_by=by)
    audit.record("review.created", by=by, review=review, obj=review, summary=review.title)
    return review


@transaction.atomic
def change_dates(review: Review, *, by, delivery_start: datetime.date, overrides: dict[str, datetime.date]) -> None:
    old = review.delivery_start
    review.delivery_start = delivery_start
    review.save(update_fields=["delivery_start"])
    _set_key_dates(review, keep_overrides=old == delivery_start)
    for code, day in overrides.items():
        d = review.key_dates.get(code=code)
        if d.date != day:
            d.date, d.overridden = day, True
            d.save(update_fields=["date", "overridden"])
    audit.record(
        "review.dates_changed",
        by=by,
        review=review,
        obj=review,
        summary=f"Delivery starts {delivery_start:%d %B %Y}",
        overrides={k: v.isoformat() for k, v in overrides.items()},
    )


def _gate(review: Review, target: str) -> str | None:
    if target == Stage.PREPARATION and review.scope_agreed_at is None:
        return "The sponsor must agree the scope before preparation starts"
    if target == Stage.PREPARATION and not review.lines.exists():
        return "Choose at least one key line of enquiry before preparation starts"
    if target in (Stage.CASE_RECORD_REVIEW, Stage.DELIVERY):
        team = [m for m in review.memberships.all() if m.role in TEAM and m.is_active]
        if not any(not m.has_accepted_confidentiality() for m in team):
            return None
        return "Every member of the review team must accept the confidentiality agreement first"
    return None


@transaction.atomic
def advance_stage(review: Review, *, by, to: str) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    expected = review.next_stage()
    if expected is None:
        raise ReviewError("This review is closed")
    if to != expected:
        raise ReviewError(f"A review moves one stage at a time: the next stage is {Stage(expected).label.lower()}")
    problem = _gate(review, to)
    if problem:
        raise ReviewError(problem)
    before = review.stage
    review.stage = to
    review.save(update_fields=["stage"])
    audit.record(
        "review.stage_changed",
        by=by,
        review=review,
        obj=review,
        summary=f"{Stage(before).label} to {Stage(to).label}",
        before=before,
        after=to,
    )
    return review


@transaction.atomic
def add_member(
    review: Review, *, by, email: str, full_name: str, role: str, organisation=None, job_title="", valid_until=None
) -> Membership:
    user = find_or_create_user(email=email, full_name=full_name, organisation=organisation, job_title=job_title)
    if review.memberships.filter(user=user, revoked_at__isnull=True).exists():
        raise ReviewError(f"{user.email} is already in this review")
    membership = Membership.objects.create(review=review, user=user, role=role, added_by=by, valid_until=valid_until)
    context = f"You have been added to {review.title} as {membership.get_role_display().lower()}."
    if user.has_usable_password():
        audit.record("review.member_added", by=by, review=review, obj=membership, summary=f"{user.email} as {role}")
    else:
        send_invitation(user, by=by, context=context)
        audit.record("review.member_invited", by=by, review=review, obj=membership, summary=f"{user.email} as {role}")
    return membership


@transaction.atomic
def revoke_member(membership: Membership, *, by, reason: str) -> None:
    if membership.revoked_at is not None:
        raise ReviewError("This person's access has already been removed")
    if membership.user_id == by.pk:
        raise ReviewError("You cannot remove your own access")
    membership.revoked_at = timezone.now()
    membership.revoked_reason = reason
    membership.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record("review.member_revoked", by=by, review=membership.review, obj=membership, summary=reason)


@transaction.atomic
def record_scoping_meeting(review: Review, *, by, held_on, attendees: str, notes: str, purpose: str) -> None:
    ScopingMeeting.objects.update_or_create(
        review=review, defaults={"held_on": held_on, "attendees": attendees, "notes": notes}
    )
    review.purpose = purpose
    review.save(update_fields=["purpose"])
    if review.stage == Stage.REQUESTED:
        advance_stage(review, by=by, to=Stage.SCOPING)
    audit.record("review.scoping_recorded", by=by, review=review, obj=review)


def _scope_changed(review: Review, by) -> None:
    if review.scope_agreed_at is not None:
        review.scope_agreed_at = None
        review.scope_agreed_by = None
        review.save(update_fields=["scope_agreed_at", "scope_agreed_by"])
        audit.record(
            "review.scope_reopened",
            by=by,
            review=review,
            obj=review,
            summary="The scope changed after it was agreed, so the sponsor must agree it again",
        )


LINES_FIXED = "The lines of enquiry are fixed once the case record review or delivery has started"


@transaction.atomic
def choose_lines(review: Review, *, by, question_codes: list[str]) -> None:
    if review.stage not in (Stage.REQUESTED, Stage.SCOPING, Stage.PREPARATION):
        raise ReviewError(LINES_FIXED)
    library = {q["code"]: (t, q) for t in review.review_type.themes() for q in t["questions"]}
    unknown = [c for c in question_codes if c not in library]
    if unknown:
        raise ReviewError("Choose lines of enquiry from this review type's library")
    before = set(review.lines.filter(is_custom=False).values_list("code", flat=True))
    try:
        with transaction.atomic():
            review.lines.filter(is_custom=False).exclude(code__in=question_codes).delete()
    except ProtectedError as exc:
        in_use = sorted({getattr(obj, "line", None) and obj.line.question for obj in exc.protected_objects} - {None})
        raise ReviewError(
            "Keep “" + "”, “".join(in_use) + "”: evidence or findings already use it. Move them to another line first"
        ) from exc
    for order, code in enumerate(question_codes):
        theme, q = library[code]
        ReviewLine.objects.update_or_create(
            review=review,
            code=code,
            defaults={"theme": theme["title"], "question": q["text"], "prompts": q.get("prompts", []), "order": order},
        )
    if before != set(question_codes):
        _scope_changed(review, by)
    audit.record("review.lines_chosen", by=by, review=review, obj=review, codes=question_codes)


@transaction.atomic
def add_custom_line(review: Review, *, by, theme: str, question: str, prompts: list[str]) -> ReviewLine:
    if review.stage not in (Stage.REQUESTED, Stage.SCOPING, Stage.PREPARATION):
        raise ReviewError(LINES_FIXED)
    n = review.lines.filter(is_custom=True).count() + 1
    line = ReviewLine.objects.create(
        review=review,
        code=f"custom.{n}",
        theme=theme,
        question=question,
        prompts=prompts,
        is_custom=True,
        order=100 + n,
    )
    _scope_changed(review, by)
    audit.record("review.custom_line_added", by=by, review=review, obj=line, summary=question[:200])
    return line


@transaction.atomic
def agree_scope(review: Review, *, by) -> None:
    if review.scope_agreed_at is not None:
        raise ReviewError("The scope is already agreed")
    if not review.lines.exists():
        raise ReviewError("The scope has no lines of enquiry yet. Ask the peer challenge manager to choose them")
    if not review.purpose:
        raise ReviewError("The scope has no purpose question yet. Ask the peer challenge manager to record it")
    review.scope_agreed_at = timezone.now()
    review.scope_agreed_by = by
    review.save(update_fields=["scope_agreed_at", "scope_agreed_by"])
    audit.record(
        "review.scope_agreed", by=by, review=review, obj=review, lines=list(review.lines.values_list("code", flat=True))
    )


@transaction.atomic
def accept_confidentiality(membership: Membership, *, by) -> ConfidentialityAcceptance:
    agreement = membership.review.review_type.agreement
    if membership.has_accepted_confidentiality():
        raise ReviewError("You have already accepted this version of the agreement")
    acceptance = ConfidentialityAcceptance.objects.create(
        membership=membership,
        version=agreement["version"],
        text_sha256=ConfidentialityAcceptance.digest(agreement["text"]),
    )
    audit.record(
        "review.confidentiality_accepted", by=by, review=membership.review, obj=acceptance, version=agreement["version"]
    )
    return acceptance


@transaction.atomic
def purge_review(review: Review, *, by, reason: str) -> dict:
    """Delete everything a closed review holds about people and practice: documents, notes, timetable.

    Each app that stores review material provides `purge(review) -> int` in its purge.py. The review row, its
    key dates and the audit trail stay, so the LGA can still show that the review happened and when it was purged.
    """
    import importlib

    from django.apps import apps

    if review.stage != Stage.CLOSED:
        raise ReviewError("Only a closed review can be purged. Move it to closed first")
    if review.is_purged:
        raise ReviewError("This review has already been purged")
    counts = {}
    for config in apps.get_app_configs():
        if config.name.startswith("peerreview."):
            try:
                module = importlib.import_module(f"{config.name}.purge")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.purge":
                    raise
                continue
            counts[config.label] = module.purge(review)
    review.is_purged = True
    review.save(update_fields=["is_purged"])
    review.memberships.filter(revoked_at__isnull=True).exclude(role=Role.PCM).update(
        revoked_at=timezone.now(), revoked_reason="Review purged"
    )
    audit.record("review.purged", by=by, review=review, obj=review, summary=reason[:300], counts=counts)
    return counts
