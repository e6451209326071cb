from django.core.management.base import BaseCommand, CommandError

from peerreview.policy.actions import load_review_types
from peerreview.policy.library import PolicyError


class Command(BaseCommand):
    help = "Load the review types and lines of enquiry library from peerreview/policy/data."

    def handle(self, *args, **options):
        try:
            for line in load_review_types():
                self.stdout.write(line)
        except PolicyError as exc:
            raise CommandError("The policy data has problems:\n" + "\n".join(exc.problems)) from exc
