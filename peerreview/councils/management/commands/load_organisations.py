from django.core.management.base import BaseCommand, CommandError

from peerreview.councils.actions import OrganisationDataError, load_organisations


class Command(BaseCommand):
    help = "Load the English councils with children's services and the partner organisations."

    def handle(self, *args, **options):
        try:
            counts = load_organisations()
        except OrganisationDataError as exc:
            raise CommandError("The organisation data has problems:\n" + "\n".join(exc.problems)) from exc
        self.stdout.write(f"Loaded {counts['councils']} councils and {counts['partners']} partner organisations")
