import json

from django.core.management.base import BaseCommand, CommandError

from peerreview.reviews.models import Review
from peerreview.solver.timetable import problem_to_json
from peerreview.timetable import build


class Command(BaseCommand):
    help = (
        "Export a review's delivery-week timetabling problem as JSON (format peerreview.timetable/1); "
        "solve it with `python -m peerreview.solver.timetable FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("review_id", type=int)
        parser.add_argument("file", nargs="?", help="where to write; standard output if left out")

    def handle(self, *args, review_id, file=None, **options):
        review = Review.objects.filter(pk=review_id).first()
        if review is None:
            raise CommandError(f"There is no review {review_id}")
        try:
            problem = build.build_problem(review)
        except build.BuildError as e:
            raise CommandError("The week cannot be exported yet:\n  " + "\n  ".join(e.errors)) from e
        data = problem_to_json(build.with_previous(problem, build.current_timetable(review)))
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if file:
            with open(file, "w", encoding="utf-8") as f:
                f.write(text + "\n")
            self.stderr.write(f"Wrote {len(problem.sessions)} sessions to {file}")
        else:
            self.stdout.write(text)
