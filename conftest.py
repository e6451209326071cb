import os

os.environ.setdefault("PEERREVIEW_DEV", "1")
os.environ.setdefault("SECRET_KEY", "test-secret-key-for-the-test-suite-only-0123456789abcdef")

import pytest

pytest_plugins = ["peerreview.core.testing", "peerreview.core.browser"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data (councils, review types) once per test database, not once per test."""
    from peerreview.core.testing import load_reference_data

    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Timetable: solve in the request, with short limits, so tests are deterministic and fast.
    settings.TIMETABLE_SOLVE_INLINE = True
    settings.TIMETABLE_TIME_LIMIT = 3.0
    settings.TIMETABLE_REPAIR_LIMIT = 3.0


@pytest.fixture(autouse=True)
def _allow_log_cleanup_after_transactional_tests(request):
    """Transactional tests flush every table at the end; let them empty the append-only logs."""
    from peerreview.core import apps as core_apps

    core_apps.ALLOW_LOG_CLEANUP = False
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.db import connection

        from peerreview.core import apps as core_apps

        core_apps.ALLOW_LOG_CLEANUP = True  # reset at the start of every test below
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET peerreview.allow_log_cleanup = 'on'")
