"""The solve runs in a background thread with its own database connection, reporting progress."""

import time

import pytest

from peerreview.core.roles import Role
from peerreview.timetable import actions
from peerreview.timetable.models import Session, SolveRun

from .helpers import small_week


@pytest.mark.django_db(transaction=True)
def test_background_solve_reports_progress_and_finishes(flushable_db, world, settings):
    settings.TIMETABLE_SOLVE_INLINE = False
    settings.TIMETABLE_TIME_LIMIT = 2.0
    small_week(world, interviews=3)
    run = actions.start_run(world.review, by=world.members[Role.PCM], kind=SolveRun.Kind.SOLVE)
    deadline = time.monotonic() + 60
    while run.status == SolveRun.Status.RUNNING and time.monotonic() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    assert run.status == SolveRun.Status.DONE, run.result
    assert "best" in run.progress and run.result["sessions"] == Session.objects.filter(review=world.review).count()
    assert not Session.objects.filter(review=world.review, day__isnull=True).exists()


@pytest.fixture
def flushable_db(db):
    """A transactional database whose flush may empty the append-only logs (torn down before the flush).

    SQLite's flush deletes rows, which the append-only trigger refuses unless cleanup is allowed;
    PostgreSQL's flush truncates, which row triggers do not see.
    """
    yield
    from peerreview.core import apps as core_apps

    core_apps.ALLOW_LOG_CLEANUP = True
