import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peerreview.accounts.models import User
from peerreview.reviews.models import Review
from peerreview.solver.teams import io as solver_io

from ... import build


class Command(BaseCommand):
    help = (
        "Write the team formation problem (peerreview.teams/1 JSON) for one review, or for the season of upcoming "
        "reviews, so it can be solved with `python -m peerreview.solver.teams FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("review_id", nargs="?", type=int, help="The review to staff")
        parser.add_argument("--season", action="store_true", help="Every upcoming review instead of one")
        parser.add_argument("--pcm", help="With --season: only the reviews this PCM (email) manages")
        parser.add_argument("--output", "-o", help="File to write (default team-problem-<id>.json or season.json)")

    def handle(self, *args, **options):
        if options["season"] == (options["review_id"] is not None):
            raise CommandError("Give a review id or --season (not both)")
        if options["season"]:
            user = None
            if options["pcm"]:
                user = User.objects.filter(email__iexact=options["pcm"]).first()
                if user is None:
                    raise CommandError(f"No user with the email {options['pcm']}")
            reviews = build.upcoming_reviews(user)
            if not reviews:
                raise CommandError("There are no upcoming reviews to staff")
            problem = build.season_problem(reviews)
            default = "season-team-problem.json"
        else:
            review = Review.objects.filter(pk=options["review_id"]).first()
            if review is None:
                raise CommandError(f"No review with id {options['review_id']}")
            problem = build.review_problem(review)
            default = f"team-problem-{review.pk}.json"
        path = Path(options["output"] or default)
        path.write_text(json.dumps(solver_io.problem_to_json(problem), indent=2))
        self.stdout.write(
            f"Wrote {path}: {len(problem.peers)} peers, {len(problem.reviews)} review(s). "
            f"Solve it with: python -m peerreview.solver.teams {path}"
        )
