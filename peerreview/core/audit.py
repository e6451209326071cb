from django.http import HttpRequest

from .models import AccessEvent, AuditEvent


def record(verb: str, *, by, review=None, obj=None, summary: str = "", **detail) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        review_ref=getattr(review, "pk", review),
        verb=verb,
        object_type=type(obj).__name__ if obj is not None else "",
        object_ref=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        detail=detail,
    )


def log_access(request: HttpRequest, action: str, obj, *, review=None) -> AccessEvent:
    membership = getattr(request, "membership", None)
    return AccessEvent.objects.create(
        user=request.user if request.user.is_authenticated else None,
        role=membership.role if membership else "",
        review_ref=getattr(review, "pk", None) or getattr(getattr(request, "review", None), "pk", None),
        action=action,
        object_type=type(obj).__name__,
        object_ref=str(obj.pk),
        ip=request.META.get("REMOTE_ADDR"),
    )
