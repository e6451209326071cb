from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_SECONDS,
        "review": getattr(request, "review", None),
        "membership": getattr(request, "membership", None),
    }
