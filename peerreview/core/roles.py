"""The roles a person can hold in a review. Kept here so the permissions table can name them."""

from django.db import models


class Role(models.TextChoices):
    PCM = "pcm", "Peer challenge manager"
    LEAD = "lead", "Review lead"
    OBSERVER = "observer", "Observer"
    PEER = "peer", "Peer"
    CASE_AUDITOR = "case_auditor", "Case auditor"
    SPONSOR = "sponsor", "Host sponsor"
    ORGANISER = "organiser", "Host organiser"


TEAM = frozenset({Role.PCM, Role.LEAD, Role.OBSERVER, Role.PEER, Role.CASE_AUDITOR})
HOST = frozenset({Role.SPONSOR, Role.ORGANISER})
EVERYONE = TEAM | HOST
# Roles that see the evidence and findings of the delivery week (the observer challenges theories).
EVIDENCE = frozenset({Role.PCM, Role.LEAD, Role.OBSERVER, Role.PEER})
