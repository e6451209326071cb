from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "peerreview.peers"
    label = "peers"
    verbose_name = "Peer pool and team formation"
