from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peerreview.policy.actions import load_review_types
from peerreview.policy.library import DATA, PolicyError


class Command(BaseCommand):
    help = "Load the review types and lines of enquiry library from peerreview/policy/data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--folder", type=Path, default=DATA / "review_types", help="The folder of review type YAML files"
        )

    def handle(self, *args, **options):
        try:
            for line in load_review_types(folder=options["folder"]):
                self.stdout.write(line)
        except PolicyError as exc:
            raise CommandError("The policy data has problems:\n" + "\n".join(exc.problems)) from exc
