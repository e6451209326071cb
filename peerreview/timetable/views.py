import datetime as dt
import json
from collections import defaultdict

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peerreview.core.audit import log_access
from peerreview.core.roles import Role
from peerreview.solver.timetable import RULES, SOFT_RULES, Weights, check, problem_to_json

from . import actions, build, exports, invitations
from .forms import (
    ImportForm,
    MoveForm,
    ParticipantForm,
    PeerForm,
    RoomForm,
    SessionForm,
    UnavailabilityForm,
    WeightsForm,
)
from .models import (
    KIND_LABELS,
    CalendarEntry,
    Participant,
    PeerSetting,
    Room,
    Session,
    SolveRun,
    TimetableSettings,
    Unavailability,
)

EDITORS = {Role.PCM, Role.ORGANISER}


def _sessions(review, **filters):
    return (
        Session.objects.filter(review=review, **filters)
        .select_related("room", "placed_room")
        .prefetch_related("participants", "lines", "session_peers__membership__user")
        .order_by("day", "start", "title")
    )


def _form_page(request, form, *, title, intro="", button="Save", back=None, enctype=False):
    return render(
        request,
        "timetable/form.html",
        {"form": form, "page_title": title, "intro": intro, "button": button, "back": back, "enctype": enctype},
    )


def _row(s: Session) -> dict:
    peers = [sp.membership for sp in s.session_peers.all() if sp.membership.is_active]
    return {
        "s": s,
        "peers": ", ".join(m.user.get_full_name() for m in peers),
        "peer_ids": {m.pk for m in peers},
        "participants": ", ".join(p.name for p in s.participants.all()),
        "where": s.where(),
    }


# ---------------------------------------------------------------------------------------------
# The week
# ---------------------------------------------------------------------------------------------
VIEWS = {"day": "By day", "peer": "By peer", "participant": "By participant", "room": "By room"}
LAYOUTS = {"list": "List", "grid": "Grid"}


def _day_label(d: dt.date) -> str:
    return f"{d:%A} {d.day} {d:%B}"


def _grid(caption: str, columns: list[str], rows: list[dict], column_of) -> dict:
    """A grid: a row for each start time, a column for each peer or day; ``column_of(row)`` lists the row's
    column indexes. Each cell holds the sessions that start then."""
    times = sorted({r["s"].start for r in rows})
    cells = {t: [[] for _ in columns] for t in times}
    for r in rows:
        for i in column_of(r):
            cells[r["s"].start][i].append(r)
    out = []
    for t in times:
        # A whole-team event (the same one session in every column) is one cell across the row.
        first = cells[t][0]
        same = len(columns) > 1 and len(first) == 1 and all(len(c) == 1 and c[0] is first[0] for c in cells[t])
        out.append((t, cells[t], first[0] if same else None))
    return {"caption": caption, "columns": columns, "rows": out}


def week(request: HttpRequest, review_id: int) -> HttpResponse:
    """The week by day, peer, participant or room, as lists or as grids (times down, peers or days across)."""
    review = request.review
    view = request.GET.get("view", "day")
    if view not in VIEWS:
        view = "day"
    layout = request.GET.get("layout", "list")
    if layout not in LAYOUTS:
        layout = "list"
    rows = [_row(s) for s in _sessions(review, is_dropped=False, day__isnull=False)]
    unplaced = Session.objects.filter(review=review, is_dropped=False, day__isnull=True).count()
    days = build.week_days(review)
    groups = []
    if view == "day":
        by_day = defaultdict(list)
        for r in rows:
            by_day[r["s"].day].append(r)
        groups = [(_day_label(d), by_day.get(d, [])) for d in days]
    elif view == "peer":
        for m in build.team(review):
            groups.append((m.user.get_full_name(), [r for r in rows if m.pk in r["peer_ids"]]))
    elif view == "participant":
        for p in Participant.objects.filter(review=review):
            groups.append((p.name, [r for r in rows if any(x.pk == p.pk for x in r["s"].participants.all())]))
    else:
        for room in Room.objects.filter(review=review):
            groups.append((str(room), [r for r in rows if r["s"].placed_room_id == room.pk]))
        groups.append(("Online", [r for r in rows if r["s"].mode == Session.Mode.ONLINE]))
    grids = []
    if layout == "grid" and view == "day":
        team = build.team(review)
        index = {m.pk: i for i, m in enumerate(team)}
        names = [m.user.get_full_name() for m in team]
        for caption, day_rows in groups:
            grids.append(
                _grid(caption, names, day_rows, lambda r: sorted(index[pk] for pk in r["peer_ids"] if pk in index))
            )
    elif layout == "grid":
        index = {d: i for i, d in enumerate(days)}
        names = [f"{d:%a} {d.day} {d:%b}" for d in days]
        grids = [
            _grid(caption, names, g_rows, lambda r: [index[r["s"].day]] if r["s"].day in index else [])
            for caption, g_rows in groups
        ]
    return render(
        request,
        "timetable/week.html",
        {
            "view": view,
            "views": VIEWS,
            "layout": layout,
            "layouts": LAYOUTS,
            "show_day": view != "day",
            "groups": groups,
            "grids": grids,
            "unplaced": unplaced,
            "count": len(rows),
            "can_edit": request.membership.role in EDITORS,
            "is_pcm": request.membership.role == Role.PCM,
            "is_team": request.membership.is_team,
            "me": request.membership,
        },
    )


# ---------------------------------------------------------------------------------------------
# Setting up: sessions, participants, rooms, availability
# ---------------------------------------------------------------------------------------------
def setup(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    sessions = _sessions(review)
    return render(
        request,
        "timetable/setup.html",
        {
            "sessions": [_row(s) for s in sessions],
            "participants": Participant.objects.filter(review=review),
            "rooms": Room.objects.filter(review=review),
            "template": build.template_events(review),
            "has_template_sessions": sessions.filter(from_template=True).exists(),
            "kinds": KIND_LABELS,
        },
    )


@require_POST
def add_template(request: HttpRequest, review_id: int) -> HttpResponse:
    created = actions.add_template_events(request.review, by=request.user)
    if created:
        messages.success(request, f"Added {len(created)} fixed events from the template")
    else:
        messages.info(request, "The fixed events from the template are already in the week")
    return redirect("timetable:setup", review_id=review_id)


def participant_add(request: HttpRequest, review_id: int, participant_id: int | None = None) -> HttpResponse:
    review = request.review
    obj = get_object_or_404(Participant, pk=participant_id, review=review) if participant_id else None
    form = ParticipantForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        p = actions.save_object(
            form.save(commit=False),
            by=request.user,
            review=review,
            verb="timetable.participant",
            summary=f"Participant {form.cleaned_data['name']}",
        )
        messages.success(request, f"Saved {p.name}")
        return redirect("timetable:setup", review_id=review_id)
    title = f"Change {obj.name}" if obj else "Add a participant"
    return _form_page(
        request,
        form,
        title=title,
        back=reverse("timetable:setup", args=[review_id]),
        intro="A named person or a staff group from the council or one of its partners.",
    )


def participant_edit(request, review_id: int, participant_id: int):
    return participant_add(request, review_id, participant_id)


def participant_delete(request: HttpRequest, review_id: int, participant_id: int) -> HttpResponse:
    """Remove a participant. Someone still in sessions is removed only after a confirmation page that lists
    those sessions (a plain GET, or a POST from the setup page's button without ``confirm``)."""
    p = get_object_or_404(Participant, pk=participant_id, review=request.review)
    sessions = list(p.sessions.filter(is_dropped=False).order_by("day", "start", "title"))
    if request.method != "POST" or (sessions and request.POST.get("confirm") != "yes"):
        return render(
            request,
            "timetable/participant_remove.html",
            {"participant": p, "sessions": sessions, "back": reverse("timetable:setup", args=[review_id])},
        )
    actions.delete_object(p, by=request.user, review=request.review, verb="timetable.participant", summary=p.name)
    messages.success(request, f"Removed {p.name}")
    return redirect("timetable:setup", review_id=review_id)


def room_add(request: HttpRequest, review_id: int) -> HttpResponse:
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.save_object(
            form.save(commit=False),
            by=request.user,
            review=request.review,
            verb="timetable.room",
            summary=f"Room {form.cleaned_data['name']}",
        )
        messages.success(request, "Room added")
        return redirect("timetable:setup", review_id=review_id)
    return _form_page(request, form, title="Add a room", back=reverse("timetable:setup", args=[review_id]))


@require_POST
def room_delete(request: HttpRequest, review_id: int, room_id: int) -> HttpResponse:
    room = get_object_or_404(Room, pk=room_id, review=request.review)
    actions.delete_object(room, by=request.user, review=request.review, verb="timetable.room", summary=str(room))
    messages.success(request, f"Removed {room}")
    return redirect("timetable:setup", review_id=review_id)


def session_add(request: HttpRequest, review_id: int, session_id: int | None = None) -> HttpResponse:
    review = request.review
    obj = get_object_or_404(Session, pk=session_id, review=review) if session_id else None
    form = SessionForm(review, request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        s = actions.save_object(
            form.save(commit=False),
            by=request.user,
            review=review,
            verb="timetable.session",
            summary=f"Session {form.cleaned_data['title']}",
            m2m={"participants": form.cleaned_data["participants"], "lines": form.cleaned_data["lines"]},
        )
        messages.success(request, f"Saved “{s.title}”")
        return redirect("timetable:setup", review_id=review_id)
    types = build.session_types(review)
    intro = "Usual lengths: " + "; ".join(
        f"{spec.get('label', kind)} {spec.get('minutes')} minutes" for kind, spec in types.items()
    )
    return _form_page(
        request,
        form,
        title=f"Change “{obj.title}”" if obj else "Add a session",
        intro=intro,
        back=reverse("timetable:setup", args=[review_id]),
    )


def session_edit(request, review_id: int, session_id: int):
    return session_add(request, review_id, session_id)


@require_POST
def session_drop(request: HttpRequest, review_id: int, session_id: int) -> HttpResponse:
    s = get_object_or_404(Session, pk=session_id, review=request.review)
    if s.is_dropped:
        actions.restore_session(s, by=request.user)
        messages.success(request, f"Restored “{s.title}”. Solve or repair the week to place it.")
    else:
        actions.drop_session(s, by=request.user)
        messages.success(request, f"Dropped “{s.title}”. Calendars will get a cancellation.")
    return redirect("timetable:setup", review_id=review_id)


def unavailability(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    form = UnavailabilityForm(review, request.POST or None)
    if request.method == "POST" and form.is_valid():
        u = form.instance()
        actions.save_object(
            u,
            by=request.user,
            review=review,
            verb="timetable.unavailability",
            summary=f"{u.who()} unavailable {u.day:%A}",
        )
        messages.success(request, f"Saved: {u.who()} cannot attend on {u.day:%A} {u.start:%H:%M}–{u.end:%H:%M}")
        return redirect("timetable:unavailability", review_id=review_id)
    rows = Unavailability.objects.filter(review=review).select_related("participant", "membership__user", "room")
    return render(
        request,
        "timetable/unavailability.html",
        {
            "form": form,
            "rows": rows,
            "hours": build.working_hours(review),
            "can_solve": request.membership.role == Role.PCM,
        },
    )


@require_POST
def unavailability_delete(request: HttpRequest, review_id: int, unavailability_id: int) -> HttpResponse:
    u = get_object_or_404(Unavailability, pk=unavailability_id, review=request.review)
    actions.delete_object(u, by=request.user, review=request.review, verb="timetable.unavailability", summary=u.who())
    messages.success(request, "Removed")
    return redirect("timetable:unavailability", review_id=review_id)


def import_unavailability(request: HttpRequest, review_id: int) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = actions.import_unavailability(request.review, by=request.user, name=upload.name, data=upload.read())
        except actions.ImportProblem as e:
            errors = e.errors
        else:
            messages.success(request, f"Imported {len(rows)} rows")
            return redirect("timetable:unavailability", review_id=review_id)
    return render(request, "timetable/import.html", {"form": form, "errors_extra": errors})


# ---------------------------------------------------------------------------------------------
# Peers and weights
# ---------------------------------------------------------------------------------------------
def peers(request: HttpRequest, review_id: int) -> HttpResponse:
    members = build.team(request.review)
    settings = {s.membership_id: s for s in PeerSetting.objects.filter(membership__in=members)}
    return render(request, "timetable/peers.html", {"rows": [(m, settings.get(m.pk)) for m in members]})


def peer_edit(request: HttpRequest, review_id: int, membership_id: int) -> HttpResponse:
    member = next((m for m in build.team(request.review) if m.pk == membership_id), None)
    if member is None:
        raise Http404
    setting = PeerSetting.objects.filter(membership=member).first()
    initial = (
        {"specialisms": setting.specialisms, "max_sessions_per_day": setting.max_sessions_per_day} if setting else {}
    )
    form = PeerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.save_peer_setting(member, by=request.user, **form.cleaned_data)
        messages.success(request, f"Saved {member.user.get_full_name()}")
        return redirect("timetable:peers", review_id=review_id)
    return _form_page(
        request,
        form,
        title=f"{member.user.get_full_name()}: timetable details",
        back=reverse("timetable:peers", args=[review_id]),
    )


def weights(request: HttpRequest, review_id: int) -> HttpResponse:
    conf = TimetableSettings.for_review(request.review)
    initial = {**Weights().__dict__, **conf.weights, **conf.minutes()}
    form = WeightsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.save_weights(
            request.review,
            by=request.user,
            weights=form.weights(),
            **{k: form.cleaned_data[k] for k in TimetableSettings.MINUTES},
        )
        messages.success(request, "Rule weights saved")
        return redirect("timetable:solve", review_id=review_id)
    return _form_page(
        request,
        form,
        title="Rule weights",
        intro="How much each preference counts when the solver chooses between timetables. 0 switches a rule off; "
        "a higher number makes it matter more. The hard rules (nobody double-booked, availability, lunch) always hold.",
        back=reverse("timetable:solve", args=[review_id]),
    )


# ---------------------------------------------------------------------------------------------
# Solving
# ---------------------------------------------------------------------------------------------
def solve(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    errors, capacity = [], []
    try:
        problem = build.build_problem(review)
    except build.BuildError as e:
        errors = e.errors
    else:
        capacity = build.capacity_lines(problem)
    if request.method == "POST" and not errors:
        kind = SolveRun.Kind.REPAIR if request.POST.get("kind") == "repair" else SolveRun.Kind.SOLVE
        try:
            run = actions.start_run(review, by=request.user, kind=kind)
        except build.BuildError as e:
            errors = e.errors
        else:
            return redirect("timetable:run", review_id=review_id, run_id=run.pk)
    current = Weights(**TimetableSettings.for_review(review).weights)
    return render(
        request,
        "timetable/solve.html",
        {
            "errors_extra": errors,
            "capacity": capacity,
            "weights": [(r.label, getattr(current, r.code)) for r in SOFT_RULES],
            "sessions": Session.objects.filter(review=review, is_dropped=False).count(),
            "placed": Session.objects.filter(review=review, is_dropped=False, day__isnull=False).count(),
            "runs": SolveRun.objects.filter(review=review)[:5],
        },
    )


def _run_context(run: SolveRun) -> dict:
    labels = {code: rule.label for code, rule in RULES.items()}
    return {
        "run": run,
        "scores": [(labels.get(code, code), value) for code, value in run.result.get("score_by_rule", {}).items()],
    }


def run(request: HttpRequest, review_id: int, run_id: int) -> HttpResponse:
    r = get_object_or_404(SolveRun, pk=run_id, review=request.review)
    return render(request, "timetable/run.html", _run_context(r))


def run_progress(request: HttpRequest, review_id: int, run_id: int) -> HttpResponse:
    r = get_object_or_404(SolveRun, pk=run_id, review=request.review)
    if not request.htmx:
        return redirect("timetable:run", review_id=review_id, run_id=run_id)
    response = render(request, "timetable/_run_progress.html", _run_context(r))
    if r.status != SolveRun.Status.RUNNING:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def run_stop(request: HttpRequest, review_id: int, run_id: int) -> HttpResponse:
    r = get_object_or_404(SolveRun, pk=run_id, review=request.review)
    if r.status == SolveRun.Status.RUNNING:
        actions.request_stop(r, by=request.user)
        messages.info(request, "Stopping: the best plan found so far will be kept")
    return redirect("timetable:run", review_id=review_id, run_id=run_id)


# ---------------------------------------------------------------------------------------------
# One session: details, moving by hand, undo
# ---------------------------------------------------------------------------------------------
def _preview(s: Session, form: MoveForm) -> dict:
    """The preview of a valid move form: what the move would break and how the score changes. Nothing is saved."""
    values = form.values()
    out = {
        "key": form.key(),
        "when": f"{values['day']:%A} {values['day'].day} {values['day']:%B} at {values['start']:%H:%M}",
    }
    try:
        out.update(
            build.preview_move(s, day=values["day"], start=values["start"], peers=values["peers"], room=values["room"])
        )
    except build.BuildError as e:
        out["problem_errors"] = e.errors
    return out


def _session_page(request: HttpRequest, s: Session, form, preview=None) -> HttpResponse:
    review = request.review
    broken, errors = [], []
    if s.is_placed:
        try:
            problem = build.build_problem(review)
            broken = [v for v in check(problem, build.current_timetable(review)) if s.solver_id in v.session_ids]
        except build.BuildError as e:
            errors = e.errors
    return render(
        request,
        "timetable/session.html",
        {
            "s": s,
            "row": _row(s),
            "form": form,
            "broken": broken,
            "broken_rules": len({v.rule_code for v in broken}),
            "problem_errors": errors,
            "is_pcm": request.membership.role == Role.PCM,
            "preview": preview,
        },
    )


def session(request: HttpRequest, review_id: int, session_id: int) -> HttpResponse:
    """A session. The PCM can move it by hand: "Check this move" (or, with JavaScript, any change to the form)
    previews the rules it would break; "Move the session" then saves the move that was previewed."""
    s = get_object_or_404(_sessions(request.review), pk=session_id)
    is_pcm = request.membership.role == Role.PCM
    form = MoveForm(s, request.POST or None) if is_pcm else None
    preview = None
    if request.method == "POST":
        if not is_pcm:
            raise Http404
        if form.is_valid():
            if request.POST.get("action") == "move" and request.POST.get("previewed") == form.key():
                actions.move_session(s, by=request.user, **form.values())
                return redirect("timetable:session", review_id=review_id, session_id=session_id)
            preview = _preview(s, form)
    return _session_page(request, s, form, preview)


@require_POST
def session_preview(request: HttpRequest, review_id: int, session_id: int) -> HttpResponse:
    """HTMX: the preview of the move form as it stands (nothing is saved). Without HTMX, the whole page."""
    s = get_object_or_404(_sessions(request.review), pk=session_id)
    form = MoveForm(s, request.POST)
    if not request.htmx:
        return _session_page(request, s, form, _preview(s, form) if form.is_valid() else None)
    if form.is_valid():
        preview = _preview(s, form)
    else:
        preview = {"invalid": [e for errors in form.errors.values() for e in errors]}
    return render(request, "timetable/_move_preview.html", {"s": s, "preview": preview})


@require_POST
def session_undo(request: HttpRequest, review_id: int, session_id: int) -> HttpResponse:
    s = get_object_or_404(Session, pk=session_id, review=request.review)
    if s.undo:
        actions.undo_move(s, by=request.user)
        messages.success(request, f"The move of “{s.title}” was undone")
    return redirect("timetable:session", review_id=review_id, session_id=session_id)


# ---------------------------------------------------------------------------------------------
# Sending it: XLSX, problem JSON, personal schedules and calendars
# ---------------------------------------------------------------------------------------------
def xlsx(request: HttpRequest, review_id: int) -> HttpResponse:
    review = request.review
    data = exports.timetable_xlsx(review)
    log_access(request, "download", review)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="timetable-{review.pk}.xlsx"'
    return response


def problem_json(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        problem = build.build_problem(request.review)
    except build.BuildError as e:
        messages.error(request, "The week cannot be exported yet: " + "; ".join(e.errors[:3]))
        return redirect("timetable:solve", review_id=review_id)
    log_access(request, "export", request.review)
    data = problem_to_json(build.with_previous(problem, build.current_timetable(request.review)))
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="timetable-problem-{review_id}.json"'
    return response


def _member(review, membership_id: int):
    member = next((m for m in build.team(review) if m.pk == membership_id), None)
    if member is None:
        raise Http404
    return member


def person(request: HttpRequest, review_id: int, membership_id: int) -> HttpResponse:
    member = _member(request.review, membership_id)
    rows = [_row(s) for s in _sessions(request.review, is_dropped=False, session_peers__membership=member)]
    by_day = defaultdict(list)
    for r in rows:
        by_day[r["s"].day].append(r)
    days = [(f"{d:%A} {d.day} {d:%B}", by_day.get(d, [])) for d in build.week_days(request.review)]
    dropped = CalendarEntry.objects.filter(
        session__review=request.review, membership=member, status=CalendarEntry.Status.CANCELLED
    ).exists()
    return render(
        request, "timetable/person.html", {"member": member, "days": days, "count": len(rows), "dropped": dropped}
    )


def person_ics(request: HttpRequest, review_id: int, membership_id: int) -> HttpResponse:
    member = _member(request.review, membership_id)
    cancelled = request.GET.get("cancelled") == "1"
    data = invitations.person_calendar(request.review, member, cancelled=cancelled)
    if data is None:
        messages.info(request, "There are no cancelled sessions" if cancelled else "There are no sessions to send yet")
        return redirect("timetable:person", review_id=review_id, membership_id=membership_id)
    log_access(request, "download", member)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    name = "cancelled" if cancelled else "sessions"
    response["Content-Disposition"] = f'attachment; filename="{name}-{dt.date.today():%Y%m%d}.ics"'
    return response


def participant_ics(request: HttpRequest, review_id: int, participant_id: int) -> HttpResponse:
    """A participant's calendar file (their invitations, or with ?cancelled=1 their cancellations)."""
    p = get_object_or_404(Participant, pk=participant_id, review=request.review)
    cancelled = request.GET.get("cancelled") == "1"
    data = invitations.participant_calendar(request.review, p, cancelled=cancelled)
    if data is None:
        what = "cancelled sessions" if cancelled else "sessions in the week"
        messages.info(request, f"{p.name} has no {what}")
        return redirect("timetable:setup", review_id=review_id)
    log_access(request, "download", p)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    name = "cancelled" if cancelled else "sessions"
    response["Content-Disposition"] = f'attachment; filename="{name}-participant-{p.pk}.ics"'
    return response


@require_POST
def send_invitations(request: HttpRequest, review_id: int) -> HttpResponse:
    counts = invitations.send(request.review, by=request.user)
    if counts["emails"]:
        messages.success(
            request,
            f"Sent {counts['emails']} email{'s' if counts['emails'] != 1 else ''}: "
            f"{counts['invitations']} invitation{'s' if counts['invitations'] != 1 else ''} and "
            f"{counts['cancellations']} cancellation{'s' if counts['cancellations'] != 1 else ''}",
        )
    else:
        messages.info(request, "Everyone already has the latest calendar invitations")
    if counts["skipped"]:
        messages.info(request, f"{counts['skipped']} people have no email address and were not sent anything")
    return redirect("timetable:week", review_id=review_id)
