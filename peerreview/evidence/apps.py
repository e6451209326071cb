from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "peerreview.evidence"
    label = "evidence"

    def ready(self) -> None:
        from . import signals  # noqa: F401
