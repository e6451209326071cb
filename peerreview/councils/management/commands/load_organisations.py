from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peerreview.councils.actions import DATA, OrganisationDataError, load_organisations


class Command(BaseCommand):
    help = "Load the English councils with children's services and the partner organisations."

    def add_arguments(self, parser):
        parser.add_argument("--councils", type=Path, default=DATA / "councils.yaml", help="The councils file")
        parser.add_argument("--partners", type=Path, default=DATA / "partners.yaml", help="The partners file")

    def handle(self, *args, **options):
        try:
            counts = load_organisations(councils_path=options["councils"], partners_path=options["partners"])
        except OrganisationDataError as exc:
            raise CommandError("The organisation data has problems:\n" + "\n".join(exc.problems)) from exc
        self.stdout.write(f"Loaded {counts['councils']} councils and {counts['partners']} partner organisations")
