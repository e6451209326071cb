from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "peerreview.documents"
    label = "documents"
