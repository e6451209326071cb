import importlib

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from peerreview.reviews import demo


class Command(BaseCommand):
    help = "Load the reference data and a realistic fictional review in its delivery week, with one sign-in per role."

    def handle(self, *args, **options):
        call_command("load_organisations", verbosity=0)
        call_command("load_policy", verbosity=0)
        with transaction.atomic():
            review = demo.build()
            if review is not None:
                # Each app may add its own part of the demo (peer pool, timetable, evidence) in its demo.py.
                for config in apps.get_app_configs():
                    if config.name.startswith("peerreview.") and config.name != "peerreview.reviews":
                        try:
                            module = importlib.import_module(f"{config.name}.demo")
                        except ModuleNotFoundError:
                            continue
                        module.extend(review, demo.demo_users())
        self.stdout.write("Demo review ready." if review else "Demo review already loaded.")
        self.stdout.write(f"Sign in at http://127.0.0.1:8000 with password {demo.DEMO_PASSWORD!r} as:")
        for email, role in demo.sign_ins():
            self.stdout.write(f"  {email:28} {role}")
