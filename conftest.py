import os

os.environ.setdefault("PEERREVIEW_DEV", "1")
os.environ.setdefault("SECRET_KEY", "test-secret-key-for-the-test-suite-only-0123456789abcdef")

import pytest

pytest_plugins = ["peerreview.core.testing"]


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
