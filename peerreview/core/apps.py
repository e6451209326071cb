from django.apps import AppConfig
from django.db.backends.signals import connection_created

# Set only by the test suite while it flushes tables at the end of a transactional test.
ALLOW_LOG_CLEANUP = False


def _log_guard() -> int:
    return 0 if ALLOW_LOG_CLEANUP else 1


def _register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("peerreview_log_guard", 0, _log_guard)


class CoreConfig(AppConfig):
    name = "peerreview.core"
    label = "core"

    def ready(self):
        connection_created.connect(_register_sqlite_functions)
