"""State changes for the timetable. Each one is atomic and leaves an audit row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from peerreview.core.audit import record
from peerreview.solver import timetable as tt

from . import build, invitations
from .models import Participant, PeerSetting, Session, SessionPeer, SolveRun, TimetableSettings, Unavailability

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Setting up
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def save_object(obj, *, by, review, verb: str, summary: str, m2m: dict | None = None):
    """Save a participant, room, session or unavailability row (from a model form)."""
    created = obj.pk is None
    obj.review = review
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    if isinstance(obj, Session | Participant):
        invitations.sync(review)
    record(f"{verb}.{'create' if created else 'update'}", by=by, review=review, obj=obj, summary=summary)
    return obj


@transaction.atomic
def delete_object(obj, *, by, review, verb: str, summary: str) -> None:
    record(f"{verb}.delete", by=by, review=review, obj=obj, summary=summary)
    obj.delete()
    invitations.sync(review)


@transaction.atomic
def save_peer_setting(membership, *, by, specialisms: str, max_sessions_per_day: int | None) -> PeerSetting:
    setting, _ = PeerSetting.objects.get_or_create(membership=membership)
    setting.specialisms = specialisms
    setting.max_sessions_per_day = max_sessions_per_day
    setting.save()
    record(
        "timetable.peer",
        by=by,
        review=membership.review,
        obj=setting,
        summary=f"Timetable details for {membership.user.get_full_name()}",
    )
    return setting


@transaction.atomic
def save_weights(review, *, by, weights: dict[str, int], **minutes: int) -> TimetableSettings:
    """Save the rule weights and any of the settings in ``TimetableSettings.MINUTES``."""
    tt.Weights(**weights)  # validates
    conf, _ = TimetableSettings.objects.get_or_create(review=review)
    conf.weights = weights
    for name in TimetableSettings.MINUTES:
        if name in minutes:
            setattr(conf, name, minutes[name])
    conf.save()
    record(
        "timetable.weights", by=by, review=review, obj=conf, summary="Rule weights changed", weights=weights, **minutes
    )
    return conf


def _time(hhmm: str) -> dt.time:
    h, m = hhmm.split(":")
    return dt.time(int(h), int(m))


def _template_parts(review, event: dict, minutes: int) -> list[tuple[str, dt.time, int]]:
    """A long event that covers the whole lunch window is split around lunch, so everyone can eat."""
    wh = build.working_hours(review)
    start = _time(event["start"])
    s = start.hour * 60 + start.minute
    lo = _time(wh["lunch_start"])
    hi = _time(wh["lunch_end"])
    lo_m, hi_m = lo.hour * 60 + lo.minute, hi.hour * 60 + hi.minute
    title = event.get("title") or ""
    if s <= lo_m and s + minutes >= hi_m and lo_m > s:
        before = lo_m - s
        after_start = lo_m + wh["lunch_minutes"]
        return [
            (f"{title} (morning)", start, before),
            (f"{title} (afternoon)", dt.time(after_start // 60, after_start % 60), minutes - before),
        ]
    return [(title, start, minutes)]


@transaction.atomic
def add_template_events(review, *, by) -> list[Session]:
    """Add the delivery template's fixed events (overview, team meetings, KIT, drawing together, feedback)."""
    types = build.session_types(review)
    created = []
    for event in build.template_events(review):
        kind = event["kind"]
        spec = types.get(kind, {})
        minutes = int(spec.get("minutes", 60))
        peers = spec.get("peers", 2)
        roles = list(peers) if isinstance(peers, list) else []
        needed = 0 if peers == "all" else len(roles) if roles else int(peers)
        for offset in event.get("days", []):
            day = review.delivery_start + dt.timedelta(days=offset)
            for title, start, length in _template_parts(
                review, {**event, "title": event.get("title") or spec.get("label", kind)}, minutes
            ):
                if Session.objects.filter(
                    review=review, from_template=True, fixed_day=day, fixed_start=start, kind=kind
                ).exists():
                    continue
                s = Session(
                    review=review,
                    title=title,
                    kind=kind,
                    minutes=length,
                    peers_needed=needed,
                    required_roles=roles,
                    mode=Session.Mode.ONLINE,
                    fixed_day=day,
                    fixed_start=start,
                    from_template=True,
                )
                s.save()
                created.append(s)
    record("timetable.template", by=by, review=review, summary=f"Added {len(created)} fixed events from the template")
    return created


# ---------------------------------------------------------------------------------------------
# Importing availability
# ---------------------------------------------------------------------------------------------
HEADERS = ["name", "day", "start", "end", "reason"]


class ImportProblem(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def _rows_from_upload(name: str, data: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise ImportProblem(["The file is not a readable Excel workbook (.xlsx)"]) from exc
        ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows(values_only=True):
            cells = []
            for v in row:
                if isinstance(v, dt.datetime):
                    v = v.date().isoformat() if v.time() == dt.time(0) else v.strftime("%H:%M")
                elif isinstance(v, dt.date):
                    v = v.isoformat()
                elif isinstance(v, dt.time):
                    v = v.strftime("%H:%M")
                cells.append("" if v is None else str(v))
            rows.append(cells)
        return rows
    if name.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportProblem(["The file must be saved as CSV UTF-8"]) from exc
        return list(csv.reader(io.StringIO(text)))
    raise ImportProblem(["The selected file must be a CSV or an Excel file (.xlsx)"])


def _parse_day(value: str, days: list[dt.date]) -> dt.date | None:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    for d in days:
        if d.strftime("%A").lower() == value.lower():
            return d
    return None


def _parse_time(value: str) -> dt.time | None:
    value = value.strip()
    for fmt in ("%H:%M", "%H:%M:%S", "%H.%M"):
        try:
            return dt.datetime.strptime(value, fmt).time()
        except ValueError:
            pass
    return None


@transaction.atomic
def import_unavailability(review, *, by, name: str, data: bytes) -> list[Unavailability]:
    """Import rows of name, day, start, end, reason. Every row is checked; on any error nothing is saved."""
    rows = [r for r in _rows_from_upload(name, data) if any(c.strip() for c in r)]
    if not rows:
        raise ImportProblem(["The selected file is empty"])
    header = [c.strip().lower() for c in rows[0]]
    if header[:4] != HEADERS[:4]:
        raise ImportProblem(["The first row must be the headings: name, day, start, end, reason"])
    days = build.week_days(review)
    participants = {p.name.strip().lower(): p for p in Participant.objects.filter(review=review)}
    members = {m.user.get_full_name().strip().lower(): m for m in build.team(review)}
    errors, created = [], []
    for i, row in enumerate(rows[1:], start=2):
        row = [*row, "", "", "", "", ""][:5]
        who, day_text, start_text, end_text, reason = (c.strip() for c in row)
        here = []
        participant = participants.get(who.lower())
        member = None if participant else members.get(who.lower())
        if not who:
            here.append(f"Row {i}: enter a name")
        elif not participant and not member:
            here.append(f"Row {i}: “{who}” is not a participant or a peer in this review")
        day = _parse_day(day_text, days)
        if day is None:
            here.append(f"Row {i}: enter the day as a date, like 2026-03-02, or a weekday name (got “{day_text}”)")
        elif day not in days:
            here.append(f"Row {i}: {day:%A %-d %B %Y} is not a day of the review week")
        start, end = _parse_time(start_text), _parse_time(end_text)
        if start is None:
            here.append(f"Row {i}: enter the start time as HH:MM, like 09:30 (got “{start_text}”)")
        if end is None:
            here.append(f"Row {i}: enter the end time as HH:MM, like 17:00 (got “{end_text}”)")
        if start and end and end <= start:
            here.append(f"Row {i}: the end time must be after the start time")
        errors += here
        if not here:
            created.append(
                Unavailability(
                    review=review,
                    participant=participant,
                    membership=member,
                    day=day,
                    start=start,
                    end=end,
                    reason=reason[:200],
                )
            )
    if errors:
        raise ImportProblem(errors)
    Unavailability.objects.bulk_create(created)
    record("timetable.import", by=by, review=review, summary=f"Imported {len(created)} rows of availability")
    return created


# ---------------------------------------------------------------------------------------------
# Moving by hand
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def move_session(session: Session, *, by, day, start, peers, room, pin: bool) -> Session:
    """Move a session by hand. The old placement is kept so the move can be undone."""
    session.undo = session.placement()
    _place(session, day=day, start=start, peer_ids=[m.pk for m in peers], room_id=room.pk if room else None)
    session.pinned = pin
    session.save(update_fields=["pinned", "undo"])
    invitations.sync(session.review)
    record(
        "timetable.move",
        by=by,
        review=session.review,
        obj=session,
        summary=f"Moved “{session.title}” to {day:%A} {start:%H:%M}",
    )
    return session


def _place(session: Session, *, day, start, peer_ids, room_id) -> None:
    begin = dt.datetime.combine(day, start)
    session.end = (begin + dt.timedelta(minutes=session.minutes + (-session.minutes % 15))).time()
    if session.is_placed:
        session.sequence += 1
    session.day, session.start, session.placed_room_id = day, start, room_id
    session.save(update_fields=["day", "start", "end", "placed_room", "sequence"])
    SessionPeer.objects.filter(session=session).delete()
    SessionPeer.objects.bulk_create([SessionPeer(session=session, membership_id=pk) for pk in peer_ids])


@transaction.atomic
def undo_move(session: Session, *, by) -> Session:
    old = session.undo
    if not old or not old.get("day"):
        return session
    _place(
        session,
        day=dt.date.fromisoformat(old["day"]),
        start=_time(old["start"]),
        peer_ids=old["peers"],
        room_id=old["room"],
    )
    session.undo = None
    session.pinned = False
    session.save(update_fields=["undo", "pinned"])
    invitations.sync(session.review)
    record("timetable.undo", by=by, review=session.review, obj=session, summary=f"Undid the move of “{session.title}”")
    return session


@transaction.atomic
def drop_session(session: Session, *, by) -> Session:
    """Drop a session from the week; calendars get a cancellation with the same UID."""
    session.is_dropped = True
    session.sequence += 1
    session.save(update_fields=["is_dropped", "sequence"])
    invitations.sync(session.review)
    record("timetable.drop", by=by, review=session.review, obj=session, summary=f"Dropped “{session.title}”")
    return session


@transaction.atomic
def restore_session(session: Session, *, by) -> Session:
    session.is_dropped = False
    session.sequence += 1
    session.save(update_fields=["is_dropped", "sequence"])
    invitations.sync(session.review)
    record("timetable.restore", by=by, review=session.review, obj=session, summary=f"Restored “{session.title}”")
    return session


# ---------------------------------------------------------------------------------------------
# Solving
# ---------------------------------------------------------------------------------------------
def _violation_json(v) -> dict:
    return {"rule": v.rule_code, "label": v.label, "message": v.message, "sessions": list(v.session_ids)}


def start_run(review, *, by, kind: str) -> SolveRun:
    """Check the problem, then solve (or repair) in a background thread. Raises build.BuildError."""
    problem = build.build_problem(review)
    previous = build.current_timetable(review)
    if kind == SolveRun.Kind.REPAIR and not previous.assignments:
        raise build.BuildError(["Solve the week before repairing it"])
    with transaction.atomic():
        run = SolveRun.objects.create(review=review, kind=kind, started_by=by)
        record(f"timetable.{kind}", by=by, review=review, obj=run, summary=SolveRun.Kind(kind).label)
    if getattr(settings, "TIMETABLE_SOLVE_INLINE", False):
        _solve(run.pk, problem, previous)
    else:
        threading.Thread(target=_solve_in_thread, args=(run.pk, problem, previous), daemon=True).start()
    run.refresh_from_db()
    return run


def _solve_in_thread(run_id: int, problem, previous) -> None:
    close_old_connections()
    try:
        _solve(run_id, problem, previous)
    except Exception:  # pragma: no cover - the run page shows it failed
        log.exception("Timetable solve %s failed", run_id)
        SolveRun.objects.filter(pk=run_id).update(status=SolveRun.Status.FAILED, finished=timezone.now())
    finally:
        connection.close()


def _solve(run_id: int, problem, previous) -> None:
    run = SolveRun.objects.get(pk=run_id)
    limit = getattr(settings, "TIMETABLE_TIME_LIMIT", 20.0)
    stop = threading.Event()
    done = threading.Event()

    latest: dict = {}

    def progress(best, bound, seconds):
        # Called on CP-SAT's own thread: no database here; the watcher writes it out.
        latest.update(best=round(best), bound=round(bound, 1), seconds=round(seconds, 1))

    def watch():
        written = None
        try:
            while not done.wait(0.5):
                if latest and latest != written:
                    written = dict(latest)
                    SolveRun.objects.filter(pk=run_id).update(progress=written)
                if SolveRun.objects.filter(pk=run_id, stop_requested=True).exists():
                    stop.set()
        finally:
            connection.close()

    # Inline (tests), the request's own connection is the only one: no watcher thread.
    inline = getattr(settings, "TIMETABLE_SOLVE_INLINE", False)
    if run.stop_requested:
        stop.set()
    watcher = None if inline else threading.Thread(target=watch, daemon=True)
    if watcher:
        watcher.start()
    try:
        if run.kind == SolveRun.Kind.REPAIR:
            result = tt.repair(problem, previous, time_limit=getattr(settings, "TIMETABLE_REPAIR_LIMIT", 5.0))
        else:
            # A complete earlier timetable is a good hint; a partial one would skip the greedy start.
            complete = {a.session_id for a in previous.assignments} >= {x.id for x in problem.sessions}
            result = tt.solve(
                build.with_previous(problem, previous if complete else None),
                time_limit=limit,
                progress=progress,
                stop=stop,
            )
    finally:
        done.set()
        if watcher:
            watcher.join()
    titles = {s.id: s.title for s in problem.sessions}
    ok = result.status in ("optimal", "feasible") and not result.violations
    with transaction.atomic():
        moved = build.apply_timetable(run.review, result.timetable) if ok else []
        if ok:
            invitations.sync(run.review)
        stopped = stop.is_set()
        run.status = SolveRun.Status.FAILED if not ok else SolveRun.Status.STOPPED if stopped else SolveRun.Status.DONE
        run.result = {
            "status": result.status,
            "objective": result.objective,
            "bound": result.bound,
            "gap": result.gap,
            "score_by_rule": result.score_by_rule,
            "violations": [_violation_json(v) for v in result.violations],
            "explanation": list(result.explanation),
            "moved": [titles.get(sid, sid) for sid in result.moved]
            if run.kind == SolveRun.Kind.REPAIR
            else [s.title for s in moved],
            "runtime": round(result.runtime_seconds, 2),
            "sessions": len(result.timetable.assignments),
        }
        run.finished = timezone.now()
        run.progress = latest or run.progress
        run.save(update_fields=["status", "result", "finished", "progress"])


@transaction.atomic
def request_stop(run: SolveRun, *, by) -> SolveRun:
    SolveRun.objects.filter(pk=run.pk).update(stop_requested=True)
    record("timetable.stop", by=by, review=run.review, obj=run, summary="Asked the solver to stop")
    run.refresh_from_db()
    return run
